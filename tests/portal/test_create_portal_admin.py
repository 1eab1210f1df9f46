import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db


def create_admin():
    out = StringIO()
    call_command("create_portal_admin", stdout=out)
    return out.getvalue()


def test_it_creates_a_superuser_with_a_random_password_printed_once():
    first = create_admin()
    second = create_admin()

    password = re.fullmatch(
        r"Log in as 'admin' with password '([\w-]{20})' \(shown only this once\)\.\n",
        first,
    ).group(1)
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser is True
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="admin", password=password) == user
    assert password not in second
    assert second.startswith("Administrator 'admin' exists")


def test_two_installs_get_different_passwords():
    first = create_admin()
    get_user_model().objects.all().delete()
    second = create_admin()

    assert first != second
