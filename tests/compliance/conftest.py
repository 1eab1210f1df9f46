"""A small world for the compliance pages: an engineer, a viewer, an outsider."""

import pytest

from portal.roles import ENGINEERING, VIEWER
from tests.factories import PlanFactory, UserFactory
from tests.roles import member_of


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
