"""Pieces of pages cached as HTML until the next recorded change."""

import hashlib
import time

from django.core.cache import cache, caches

from compliance import readiness


def cached_html(name, data_version, make, *vary_on):
    """`make()`, cached for this version of the data (the newest history row of
    every audited table, and the date; see compliance/readiness.py) and the
    `vary_on` values: any recorded change makes a new copy.

    Only for what is the same for everyone who passes the same `vary_on`: render
    it without the request, so that no user's name, permissions or CSRF token
    can end up in a copy served to someone else.

    Each process keeps the copies it reads in its own memory as well (the "html"
    cache), which saves reading a shared cache on every page. That is safe
    because a key names the version of the data it was made from; both copies
    end at the same moment, PORTAL_READINESS_CACHE_SECONDS after the making.
    """
    seconds = readiness.cache_seconds()
    if not seconds:
        return make()
    varies = hashlib.sha256(repr(vary_on).encode()).hexdigest()
    key = readiness.cache_key(f"html:{name}:{varies}", None, data_version)
    local = caches["html"]
    kept = local.get(key)
    if kept is None:
        kept = cache.get(key)
        if kept is None:
            kept = (make(), time.time() + seconds)
            cache.set(key, kept, seconds)
        left = kept[1] - time.time()
        if left > 0:
            local.set(key, kept, left)
    return kept[0]
