from pathlib import Path

import pytest

from tests.factories import UserFactory

REPO = Path(__file__).resolve().parent.parent
SHARED_PLAN = REPO.parent / "shared" / "plans" / "whats-left-2026-01-03.md"
EXAMPLE_PLAN = REPO / "examples" / "example-plan.md"


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def user(db):
    return UserFactory(username="viewer")


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def shared_plan():
    if not SHARED_PLAN.exists():
        pytest.fail(f"The shared sample plan is missing: {SHARED_PLAN}")
    return SHARED_PLAN


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files without collectstatic's manifest, which tests never build."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
