"""Pieces of pages cached as HTML until the next recorded change."""

import hashlib

from django.core.cache import cache

from compliance import readiness


def cached_html(name, data_version, make, *vary_on):
    """`make()`, cached for this version of the data (the newest history row of
    every audited table, and the date; see compliance/readiness.py) and the
    `vary_on` values: any recorded change makes a new copy.

    Only for what is the same for everyone who passes the same `vary_on`: render
    it without the request, so that no user's name, permissions or CSRF token
    can end up in a copy served to someone else.
    """
    seconds = readiness.cache_seconds()
    if not seconds:
        return make()
    varies = hashlib.sha256(repr(vary_on).encode()).hexdigest()
    key = readiness.cache_key(f"html:{name}:{varies}", None, data_version)
    made = cache.get(key)
    if made is None:
        made = make()
        cache.set(key, made, seconds)
    return made
