"""Headless Chromium for end-to-end tests.

Uses the system's Chromium (Debian's `chromium` package) through Playwright; no
browser is downloaded. Where there is none the tests are skipped with the reason,
never counted as passed.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
PASSWORD = "correct horse battery staple"

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made
# by the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM:
        pytest.skip("no Chromium on this machine (install Debian's chromium package)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at CHROMIUM_PATH={CHROMIUM}")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, username, password=PASSWORD):
    """Log in through the real form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
