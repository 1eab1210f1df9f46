"""Every response carries the security headers the plan's A+ rating asks for."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"

# django-csp writes the directives in no fixed order, so they are compared as a set.
CSP_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


@pytest.fixture
def production_https(settings):
    """What SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_PRELOAD=true and
    SECURE_COOKIES=true set in production (see test_deploy_check)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def csp_directives(response):
    return set(response.headers["Content-Security-Policy"].split("; "))


def test_it_sends_the_security_headers_on_the_login_page(client, production_https):
    response = client.get("/accounts/login/", secure=True)

    assert response.status_code == 200
    assert csp_directives(response) == CSP_DIRECTIVES
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_it_sends_the_same_headers_on_a_page_behind_the_login(client, production_https):
    client.force_login(UserFactory(username="engineer"))

    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert csp_directives(response) == CSP_DIRECTIVES
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_it_sends_no_hsts_over_plain_http(client, production_https):
    """Browsers ignore HSTS over HTTP; the SSL redirect sends them to HTTPS first."""
    response = client.get("/accounts/login/")

    assert "Strict-Transport-Security" not in response.headers


def test_it_sets_secure_httponly_session_cookies_that_end_with_the_browser(
    client, production_https
):
    UserFactory(username="engineer")
    client.get("/accounts/login/", secure=True)

    response = client.post(
        "/accounts/login/",
        {"username": "engineer", "password": PASSWORD},
        secure=True,
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # No expiry date: the browser drops the cookie when it closes.
    assert session["expires"] == ""
    assert session["max-age"] == ""
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
