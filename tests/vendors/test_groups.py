"""The migration grants the new vendor models to the groups."""

from django.contrib.auth.models import Group


def codenames(name):
    permissions = Group.objects.get(name=name).permissions.filter(
        content_type__app_label="vendors",
        content_type__model__in=[
            "agreementdocument",
            "agreementevent",
            "vendorcontact",
        ],
    )
    return sorted(permissions.values_list("codename", flat=True))


def test_it_lets_legal_edit_documents_events_and_contacts(db):
    assert codenames("Legal") == sorted(
        f"{verb}_{model}"
        for model in ["agreementdocument", "agreementevent", "vendorcontact"]
        for verb in ["add", "change", "delete", "view"]
    )


def test_it_lets_viewers_and_engineers_only_see_them(db):
    expected = [
        "view_agreementdocument",
        "view_agreementevent",
        "view_vendorcontact",
    ]
    assert codenames("Viewer") == expected
    assert codenames("Engineering") == expected
