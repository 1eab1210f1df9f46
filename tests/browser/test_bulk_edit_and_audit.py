import pytest

from portal.history import save_with_history
from tests.browser.conftest import log_in
from tests.factories import AgreementFactory, ChecklistItemFactory, UserFactory
from vendors.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_saves_a_status_edited_in_the_admin_list_with_history(page):
    admin = UserFactory(username="ada", is_staff=True, is_superuser=True)
    item = ChecklistItemFactory(title="Encryption verified")
    log_in(page, "ada")

    page.goto("/admin/compliance/checklistitem/")
    page.select_option("select[name=form-0-status]", "in_progress")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")

    item.refresh_from_db()
    assert item.status == "in_progress"
    newest = item.history.first()
    assert (newest.history_user, newest.history_change_reason) == (
        admin,
        "Edited in the admin list: status",
    )


def test_it_filters_the_activity_feed_by_kind_of_record(page):
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    lena = UserFactory(username="lena")
    agreement = AgreementFactory(vendor__name="Sentry")
    agreement.status = Agreement.Status.SIGNED
    save_with_history(agreement, lena, "Countersigned copy received")
    log_in(page, "ada")

    page.goto("/activity/")
    page.select_option("select[name=kind]", "agreement")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**kind=agreement**")

    rows = page.locator("#activity tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[1:4] == [
        "lena",
        "Agreement",
        "Sentry BAA",
    ]
    assert "Not started → Signed" in rows.nth(0).inner_text()
