from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from .models import AccessEvent


def client_address(request):
    """The peer address. Behind a proxy, configure it to overwrite REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def record(request, kind, detail="", user=None, username=""):
    """Add one access-log row for this request."""
    user = user or (request.user if request.user.is_authenticated else None)
    return AccessEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        address=client_address(request),
        detail=detail[:500],
    )


# Logins, failed logins and logouts reach the access log through Django's auth
# signals, so every way in (the login page, the admin's login) is recorded.


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    if request is not None:
        record(request, AccessEvent.Kind.LOGIN, user=user)


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    if request is not None:
        username = str(credentials.get("username", ""))[:150]
        record(request, AccessEvent.Kind.LOGIN_FAILED, username=username)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if request is not None and user is not None:
        record(request, AccessEvent.Kind.LOGOUT, user=user)
