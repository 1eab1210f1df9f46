"""A Legal user records a BAA signature with its PDF and sees launch unblocked."""

import datetime

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from portal import roles
from tests.browser.conftest import log_in
from tests.factories import AgreementFactory, PlanFactory, VendorFactory
from tests.vendors.conftest import PDF, member
from vendors.models import Agreement, AgreementDocument

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "agreements")
    monkeypatch.setattr(AgreementDocument._meta.get_field("file"), "storage", storage)
    PlanFactory()
    member("lena-legal", roles.LEGAL)
    return AgreementFactory(
        vendor=VendorFactory(name="Acme Cloud", slug="acme-cloud"),
        status=Agreement.Status.IN_NEGOTIATION,
        requested_on=timezone.localdate() - datetime.timedelta(days=10),
    )


def test_it_clears_the_blocker_when_legal_records_the_signature(page, world):
    log_in(page, "lena-legal")
    page.goto("/")
    assert page.inner_text("#blocking-count") == "0 of 1"
    assert "Acme Cloud: BAA not signed" in page.inner_text("#blockers")

    page.goto("/vendors/acme-cloud/")
    page.click("#agreement-baa >> text=Record signature")
    page.fill("input[name=signed_on]", timezone.localdate().isoformat())
    page.set_input_files(
        "input[name=document]",
        files=[{"name": "acme-baa.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("#action-form button[type=submit]")
    page.wait_for_url("**/vendors/acme-cloud/")

    assert "Acme Cloud BAA: record signature saved." in page.inner_text(".messages")
    assert "acme-baa.pdf" in page.inner_text("#agreement-baa")
    page.goto("/")
    assert page.inner_text("#blocking-count") == "1 of 1"
    assert "Acme Cloud" not in page.inner_text("#blockers")
    world.refresh_from_db()
    assert world.status == Agreement.Status.SIGNED
