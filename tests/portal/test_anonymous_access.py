"""Every route refuses anonymous users, except the few that must not.

The routes are read from the URL configuration itself, so a page added later is
covered without touching this test.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern

pytestmark = pytest.mark.django_db

# Reachable without logging in, on purpose: the login pages themselves, logging
# out (harmless without a session) and the probes of the load balancer.
PUBLIC = {"login", "logout", "healthz", "readyz", "admin:login", "admin:logout"}

DUMMY_BY_CONVERTER = {
    IntConverter: "1",
    SlugConverter: "no-such-thing",
    StringConverter: "no-such-thing",
    PathConverter: "no/such/thing",
    UUIDConverter: str(uuid.UUID(int=1)),
}
# A regex group, named or not, without groups inside it.
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>|\?:)?(?P<body>[^()]*)\)")


def route_part(pattern):
    """The URL piece a pattern matches, with a dummy value for each parameter."""
    if isinstance(pattern, RoutePattern):
        text = str(pattern)
        for name, converter in pattern.converters.items():
            dummy = DUMMY_BY_CONVERTER.get(type(converter), "1")
            text = re.sub(rf"<(\w+:)?{name}>", dummy, text)
        return text
    if isinstance(pattern, RegexPattern):
        text = pattern.regex.pattern.lstrip("^").rstrip("$").replace(r"\Z", "")
        return REGEX_GROUP.sub(lambda match: regex_dummy(match["body"]), text)
    raise AssertionError(f"Unknown kind of URL pattern: {pattern!r}")


def regex_dummy(body):
    """A value matching a group such as `auth|vendors` or `.*`."""
    for candidate in ["1", "no-such-thing", *body.split("|")]:
        if re.fullmatch(body, candidate):
            return candidate
    raise AssertionError(f"No dummy value matches the URL group ({body})")


def walk(resolver=None, prefix="/", namespace=""):
    """(name, path, view) of every route of the URL configuration."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        part = prefix + route_part(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, part, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else part
            yield name, part, entry.callback


ROUTES = sorted(walk())
PROTECTED = [path for name, path, _ in ROUTES if name not in PUBLIC]


def test_it_finds_every_route():
    names = {name for name, _, _ in ROUTES}
    assert names >= {"dashboard", "vendors:detail", "admin:index"}
    assert names >= PUBLIC
    assert len(ROUTES) > 30  # the admin alone has dozens


def test_it_fills_in_paths_that_reach_their_own_route():
    """Otherwise a dummy path could land on a catch-all and test nothing."""
    for _, path, view in ROUTES:
        assert resolve(path).func is view, path


@pytest.mark.parametrize("path", PROTECTED)
def test_it_refuses_anonymous_users(client, path):
    for method in (client.get, client.post):
        response = method(path)

        refused_to_login = response.status_code == 302 and (
            response.url.startswith(("/accounts/login/?next=", "/admin/login/?next="))
        )
        assert refused_to_login or response.status_code == 403, (
            f"{method.__name__.upper()} {path} answered {response.status_code} "
            "to an anonymous user"
        )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/accounts/login/", 200),
        ("/admin/login/", 200),
        ("/healthz", 200),
        ("/readyz", 200),
    ],
)
def test_it_serves_the_public_routes_to_anonymous_users(client, path, status):
    assert client.get(path).status_code == status
