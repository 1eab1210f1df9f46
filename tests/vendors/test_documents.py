"""Signed documents: upload checks and the download view."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AccessEvent
from tests.factories import AgreementFactory
from vendors import lifecycle
from vendors.models import Agreement, AgreementDocument

from .conftest import PDF, pdf_upload

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
HTML = b"<!doctype html><html><script>alert(1)</script></html>\n%%EOF\n"


@pytest.fixture
def pending(vendor):
    return AgreementFactory(
        vendor=vendor,
        status=Agreement.Status.REQUESTED,
        requested_on=timezone.localdate() - datetime.timedelta(days=10),
    )


@pytest.fixture
def signed(pending, legal):
    return lifecycle.apply(
        pending.vendor,
        pending.kind,
        "sign",
        pending.version,
        legal,
        {"signed_on": timezone.localdate(), "document": pdf_upload()},
    )


def sign(client, agreement, upload):
    return client.post(
        reverse("vendors:action", args=[agreement.vendor.slug, "baa", "sign"]),
        {
            "version": agreement.version,
            "signed_on": timezone.localdate().isoformat(),
            "document": upload,
        },
    )


def assert_refused(response, agreement, message):
    assert response.status_code == 200
    assert response.context["form"].errors == {"document": [message]}
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.REQUESTED
    assert AgreementDocument.objects.count() == 0


def test_it_refuses_a_png_renamed_to_pdf(client, legal, pending):
    client.force_login(legal)

    response = sign(client, pending, pdf_upload("scan.pdf", PNG))

    assert_refused(
        response,
        pending,
        "This file is not a PDF. Upload the signed agreement as PDF.",
    )


def test_it_refuses_an_html_file_with_a_pdf_name(client, legal, pending):
    client.force_login(legal)

    response = sign(client, pending, pdf_upload("baa.pdf", HTML))

    assert_refused(
        response,
        pending,
        "This file is not a PDF. Upload the signed agreement as PDF.",
    )


def test_it_refuses_a_file_over_the_size_limit(client, legal, pending, settings):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 1000
    big = PDF.replace(b"%%EOF", b"%" + b"x" * 1200 + b"\n%%EOF")
    client.force_login(legal)

    response = sign(client, pending, pdf_upload("big.pdf", big))

    assert_refused(
        response,
        pending,
        f"The file is {len(big):,} bytes; the limit is 1,000 bytes.",
    )


def test_it_stores_and_shows_the_sha256(client, legal, signed):
    client.force_login(legal)

    response = client.get(signed.vendor.get_absolute_url())

    digest = hashlib.sha256(PDF).hexdigest()
    assert signed.documents.get().sha256 == digest
    assert f'<code class="sha256">{digest}</code>' in response.content.decode()


def test_it_keeps_the_file_outside_the_served_folders(signed, document_storage):
    document = signed.documents.get()

    assert document.file.path.startswith(document_storage.location)
    assert document.file.name == f"acme-cloud/baa/{document.sha256}.pdf"


@pytest.mark.parametrize("who", ["viewer", "legal"])
def test_it_sends_the_document_as_an_attachment_and_logs_it(
    client, request, signed, who
):
    user = request.getfixturevalue(who)
    document = signed.documents.get()
    client.force_login(user)

    response = client.get(document.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="acme-cloud-baa-{document.pk}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    event = AccessEvent.objects.get(kind="download")
    assert (event.kind, event.user, event.username) == ("download", user, user.username)
    assert event.detail == (
        f"Acme Cloud BAA document #{document.pk} sha256 {document.sha256}"
    )


def test_it_refuses_the_download_to_a_user_in_no_group(client, outsider, signed):
    client.force_login(outsider)

    response = client.get(signed.documents.get().get_absolute_url())

    assert response.status_code == 403
    assert "You may not download signed agreements" in response.content.decode()
    assert AccessEvent.objects.filter(kind="download").count() == 0


def test_it_sends_anonymous_visitors_to_log_in(client, signed):
    response = client.get(signed.documents.get().get_absolute_url())

    assert response.status_code == 302
    assert AccessEvent.objects.count() == 0
