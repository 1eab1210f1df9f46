"""What a signed-in session keeps up without costing every page a write or a query.

Idle logoff: Django's SESSION_SAVE_EVERY_REQUEST would move a session's end on
every request, at the price of an UPDATE (in its own transaction) on every page
anyone reads. Here a signed-in session is saved only when its last save is more
than PORTAL_SESSION_REFRESH_SECONDS old. A session therefore ends between
SESSION_COOKIE_AGE - PORTAL_SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after
the last request: never later than the idle limit, at most a minute earlier.

Permissions: every page asks some (the navigation does), and reading them costs
two queries. Each save of the session stores the user's permissions, read afresh
from the database, and until the next save they are taken from there. A change
to someone's groups or permissions therefore reaches their pages within
PORTAL_SESSION_REFRESH_SECONDS. A deactivated user or a changed password still
ends the session on the very next request: Django checks both on every request
when it loads the user.

Reading: every page reads its session and its user; SessionStore and
SessionPermissionsBackend.get_user do it with one plain query each instead of
the ORM's, which cost more to build than to run.
"""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

# When the session was last saved, in whole seconds since the epoch.
SAVED_AT = "portal_saved_at"
# The user's permissions at that save: [SAVED_AT's value, ["app.codename", ...]].
PERMISSIONS = "portal_permissions"


def now():
    return int(timezone.now().timestamp())


def is_fresh(session):
    saved_at = session.get(SAVED_AT)
    return (
        saved_at is not None
        and now() - saved_at < settings.PORTAL_SESSION_REFRESH_SECONDS
    )


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, giving the user the permissions their session remembers."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(
            lambda: with_remembered_permissions(
                request, auth_middleware.get_user(request)
            )
        )


def with_remembered_permissions(request, user):
    session = request.session
    remembered = session.get(PERMISSIONS)
    if (
        user.is_authenticated
        and remembered is not None
        and is_fresh(session)
        # Stored at the last save, not carried over from an older one.
        and remembered[0] == session.get(SAVED_AT)
    ):
        user.remembered_permissions = frozenset(remembered[1])
    return user


class SessionPermissionsBackend(ModelBackend):
    """ModelBackend, taking a user's permissions from their session when it
    remembers them (see the module's docstring)."""

    def get_user(self, user_id):
        # Every page loads its user: one plain query, as for the session below.
        User = get_user_model()
        with connection.cursor() as cursor:
            cursor.execute(user_sql(), [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        fields = [field.attname for field in User._meta.concrete_fields]
        user = User.from_db(connection.alias, fields, row)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        remembered = getattr(user_obj, "remembered_permissions", None)
        if remembered is not None and obj is None and user_obj.is_active:
            return remembered
        return super().get_all_permissions(user_obj, obj)


@functools.cache
def user_sql():
    """SELECT of one user by primary key, every column in the model's order."""
    meta = get_user_model()._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(f"{table}.{quote(f.column)}" for f in meta.concrete_fields)
    pk = quote(meta.pk.column)
    return f"SELECT {columns} FROM {table} WHERE {table}.{pk} = %s"  # noqa: S608


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
        if session.modified or not is_fresh(session):
            # Marks the session modified, so SessionMiddleware saves it with a
            # new end, SESSION_COOKIE_AGE from now.
            saved_at = session[SAVED_AT] = now()
            # ModelBackend's own answer: read from the database during this
            # request, never the remembered copy.
            permissions = ModelBackend().get_all_permissions(request.user)
            session[PERMISSIONS] = [saved_at, sorted(permissions)]
        return response


class SessionStore(db.SessionStore):
    """Django's database sessions, read with one plain query: building the
    ORM's query for the session, which every page reads, cost more than running
    it."""

    def load(self):
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} "  # noqa: S608 - a table name
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
