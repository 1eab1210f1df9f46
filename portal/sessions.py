"""Automatic logoff after SESSION_COOKIE_AGE idle seconds, without a write per page.

Django's SESSION_SAVE_EVERY_REQUEST would move a session's end on every request,
at the price of an UPDATE (in its own transaction) on every page anyone reads. This
middleware saves a signed-in session only when its last save is more than
PORTAL_SESSION_REFRESH_SECONDS old. A session therefore ends between
SESSION_COOKIE_AGE - PORTAL_SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after
the last request: never later than the idle limit, at most a minute earlier.
"""

from django.conf import settings
from django.utils import timezone

# When the session was last saved, in whole seconds since the epoch.
SAVED_AT = "portal_saved_at"


class IdleLogoffMiddleware:
    """Goes after SessionMiddleware and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # A request that never read its session (static files, /healthz) and a
        # signed-out one (after logout too) have nothing to keep alive.
        if not session.accessed or not request.user.is_authenticated:
            return response
        now = int(timezone.now().timestamp())
        saved_at = session.get(SAVED_AT, 0)
        if (
            session.modified
            or now - saved_at >= settings.PORTAL_SESSION_REFRESH_SECONDS
        ):
            # Marks the session modified, so SessionMiddleware saves it with
            # a new end, SESSION_COOKIE_AGE from now.
            session[SAVED_AT] = now
        return response
