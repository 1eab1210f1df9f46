"""A person logs in through the form, reads the dashboard and logs out."""

import pytest

from tests.browser.conftest import log_in
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    PlanFactory,
    UserFactory,
    VendorFactory,
)
from vendors.models import Agreement

pytestmark = pytest.mark.browser


@pytest.fixture
def plan():
    plan = PlanFactory(name="Launch plan")
    AgreementFactory(
        vendor=VendorFactory(name="Transcribe Inc"),
        status=Agreement.Status.IN_NEGOTIATION,
    )
    ChecklistItemFactory(section__plan=plan, title="Backups restored once")
    return plan


@pytest.fixture
def policy_violations(page):
    """Console errors of the Content Security Policy: inline code would show here."""
    seen = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and seen.append(message.text)
        ),
    )
    return seen


def test_it_logs_in_shows_the_dashboard_and_logs_out(page, plan, policy_violations):
    UserFactory(username="engineer")

    log_in(page, "engineer")

    assert page.url.endswith("/")
    assert page.locator("h1").inner_text() == "Launch plan"
    assert page.locator(".verdict").inner_text() == (
        "Launch is blocked: 2 open blockers."
    )
    assert page.locator("#blocking-count").inner_text() == "0 of 2"
    assert page.locator("#blockers li").all_inner_texts() == [
        "AGREEMENT Transcribe Inc: BAA not signed",
        "CHECKLIST Backups restored once",
    ]
    assert policy_violations == []

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")


def test_it_refuses_a_wrong_password(page):
    UserFactory(username="engineer")

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "engineer")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")

    assert (
        page.locator(".form-error")
        .inner_text()
        .startswith("Please enter a correct username and password.")
    )
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
