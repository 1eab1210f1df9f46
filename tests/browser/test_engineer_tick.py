import pytest

from compliance.models import Status
from portal.roles import ENGINEERING
from tests.browser.conftest import log_in
from tests.factories import (
    ChecklistItemFactory,
    ChecklistSectionFactory,
    PlanFactory,
    UserFactory,
)
from tests.roles import member_of

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def note_error(errors, message):
    # Chromium asks for /favicon.ico by itself; the portal has none.
    if message.type == "error" and not message.location["url"].endswith("favicon.ico"):
        errors.append(f"{message.text} ({message.location['url']})")


def test_it_ticks_an_item_without_a_reload_and_the_dashboard_counts_it(
    page, transactional_db
):
    engineer = UserFactory(username="engineer")
    engineer.groups.add(member_of(ENGINEERING))
    section = ChecklistSectionFactory(plan=PlanFactory(), name="Security")
    item = ChecklistItemFactory(section=section, title="MFA enforced", owner=engineer)
    ChecklistItemFactory(section=section, title="TLS everywhere")
    errors = []  # CSP violations show up here: no inline script or style allowed
    page.on("console", lambda m: note_error(errors, m))
    log_in(page, "engineer")
    page.goto("/")
    assert page.text_content("#items-count") == "0 of 2"

    page.goto("/checklist/")
    assert page.text_content("#checklist-count") == "0 of 2"
    page.wait_for_function("window.htmx !== undefined")
    # A value that only survives if the page is not loaded again.
    page.evaluate("window.notReloaded = true")
    row = page.locator(f"#item-{item.pk}")
    row.locator("summary", has_text="Tick…").click()
    row.locator("textarea[name=evidence]").fill("https://ci.example.test/runs/42")
    row.locator("button", has_text="Tick done").click()

    page.locator(f"#item-{item.pk} .status-done").wait_for()
    expect(page.locator("#checklist-count")).to_have_text("1 of 2")
    assert page.evaluate("window.notReloaded") is True
    assert page.url.endswith("/checklist/")
    assert page.locator(f"#item-{item.pk} .evidence").text_content() == (
        "https://ci.example.test/runs/42"
    )
    item.refresh_from_db()
    assert item.status == Status.DONE
    assert item.done_by == engineer

    page.goto("/")
    assert page.text_content("#items-count") == "1 of 2"
    assert errors == []
