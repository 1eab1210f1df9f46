def signed_in(client, user):
    """Logged in, with a first page read: that read saves the session with the
    user's permissions (portal/sessions.py), so that the pages a test measures
    next neither save the session nor read permissions, whichever comes first."""
    client.force_login(user)
    assert client.get("/runbooks/").status_code == 200
