from pathlib import Path

import pytest
from django.core.cache import caches

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
    """Pages render in tests before any collectstatic.

    The manifest storage of production looks every {% static %} file up in
    STATIC_ROOT and fails when DEBUG is off and nothing was collected.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def uncached_readiness(settings):
    """Readiness computed afresh on every page, as many tests change data with
    QuerySet.update(), which writes no history row and so would not be seen by
    the cache. tests/compliance/test_readiness_cache.py covers the cache."""
    settings.PORTAL_READINESS_CACHE_SECONDS = 0
    yield
    # A test that turns the cache on leaves nothing behind for the next one.
    for cache in caches.all():
        cache.clear()
