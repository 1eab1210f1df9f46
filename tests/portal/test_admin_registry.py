import pytest
from django.apps import apps
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


def edited_models():
    for app in ("vendors", "compliance"):
        yield from apps.get_app_config(app).get_models()


@pytest.mark.parametrize(
    "model",
    [m for m in edited_models() if not m.__name__.startswith("Historical")],
    ids=lambda m: m.__name__,
)
def test_every_model_is_in_the_admin_with_its_history(model):
    assert isinstance(admin.site._registry[model], SimpleHistoryAdmin)


@pytest.mark.django_db
def test_the_admin_shows_a_vendors_history(client, admin_user):
    from tests.factories import VendorFactory

    vendor = VendorFactory(name="Medplum")
    client.force_login(admin_user)

    response = client.get(f"/admin/vendors/vendor/{vendor.pk}/history/")

    assert response.status_code == 200
    assert "Medplum" in response.content.decode()
