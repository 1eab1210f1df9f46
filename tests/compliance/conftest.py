"""A small world for the compliance pages: an engineer, a viewer, an outsider."""

import pytest
from django.contrib.auth.models import Group, Permission

from portal.roles import EDITS, ENGINEERING, VIEWER, VIEWS
from tests.factories import PlanFactory, UserFactory


def member_of(name):
    """The group as the roles migration makes it. Made again here because a
    transactional test (the browser ones) empties every table when it ends."""
    group, created = Group.objects.get_or_create(name=name)
    if created or not group.permissions.exists():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=VIEWS, codename__startswith="view_"
            ),
            *Permission.objects.filter(content_type__app_label__in=EDITS[name]),
        )
    return group


@pytest.fixture
def engineer(db):
    user = UserFactory(username="engineer")
    user.groups.add(member_of(ENGINEERING))
    return user


@pytest.fixture
def viewer(db):
    user = UserFactory(username="reader")
    user.groups.add(member_of(VIEWER))
    return user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def plan(db):
    return PlanFactory(name="Launch plan")
