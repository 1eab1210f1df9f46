import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# The base layout's links: key in the template, URL name.
NAVIGATION = {
    "dashboard": "dashboard",
    "timeline": "timeline",
    "vendors": "vendors:list",
    "checklist": "compliance:checklist",
    "metrics": "compliance:metrics",
    "runbooks": "compliance:runbooks",
    "oncall": "compliance:oncall",
    "activity": "activity",
    "access_log": "access-log",
    "admin": "admin:index",
    "logout": "logout",
}


@functools.cache
def links(script_prefix, urlconf):
    return {key: reverse(name, urlconf) for key, name in NAVIGATION.items()}


def navigation(request):
    """The navigation's links on every page, reversed once per process: they
    change only with the URL configuration or the prefix the site is served
    under."""
    return {"nav": links(get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))}
