from django.utils import timezone

from portal.sessions import SAVED_AT


def signed_in(client, user):
    """Logs in as the login page would, the session's save time included, so that
    the first page read does not save the session (portal/sessions.py) and
    query counts of a first and a later page agree."""
    client.force_login(user)
    session = client.session
    session[SAVED_AT] = int(timezone.now().timestamp())
    session.save()
