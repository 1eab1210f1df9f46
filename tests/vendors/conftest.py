"""A small world for the vendor pages: a Legal user, an engineer, a viewer and an
outsider in no group, plus a private folder for uploaded agreements."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import roles
from tests.factories import AgreementFactory, UserFactory, VendorFactory
from vendors.models import Agreement, AgreementDocument

# A minimal well-formed PDF: a header, one empty page, a trailer.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
TODAY = datetime.date(2026, 3, 10)


def pdf_upload(name="signed-baa.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def group(name):
    """The group made by the migration; rebuilt the same way after a flush.

    Tests on `transactional_db` empty every table when they end, groups included.
    """
    found, created = Group.objects.get_or_create(name=name)
    if created:
        found.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=roles.VIEWS, codename__startswith="view_"
            ),
            *Permission.objects.filter(content_type__app_label__in=roles.EDITS[name]),
        )
    return found


def member(username, group_name):
    user = UserFactory(username=username)
    if group_name:
        user.groups.add(group(group_name))
    return user


@pytest.fixture(autouse=True)
def document_storage(tmp_path, monkeypatch):
    """Uploaded PDFs go to a temporary folder, never to the real var/documents."""
    storage = FileSystemStorage(location=tmp_path / "agreements")
    monkeypatch.setattr(AgreementDocument._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def legal(db):
    return member("lena-legal", roles.LEGAL)


@pytest.fixture
def engineer(db):
    return member("erin-engineer", roles.ENGINEERING)


@pytest.fixture
def viewer(db):
    return member("vic-viewer", roles.VIEWER)


@pytest.fixture
def outsider(db):
    return member("otto-outsider", None)


@pytest.fixture
def vendor(db):
    return VendorFactory(name="Acme Cloud", slug="acme-cloud", handles_phi=True)


@pytest.fixture
def requested_baa(vendor, legal):
    """A BAA sent on 1 March, waiting for the vendor's answer."""
    return AgreementFactory(
        vendor=vendor,
        kind=Agreement.Kind.BAA,
        status=Agreement.Status.REQUESTED,
        requested_on=datetime.date(2026, 3, 1),
        requested_to="legal@acme.test",
        last_contact_on=datetime.date(2026, 3, 1),
        owner=legal,
    )
