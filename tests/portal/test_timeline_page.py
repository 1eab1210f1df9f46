import datetime
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_users_to_log_in(client):
    response = client.get("/timeline/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/timeline/"


def test_it_draws_the_launch_path_with_today_and_the_projection(logged_in, shared_plan):
    call_command("import_plan", str(shared_plan), stdout=StringIO())

    html = logged_in.get("/timeline/").content.decode()

    assert html.count('<g class="bar bar-late">') == 3
    assert '<line class="today"' in html
    assert '<line class="projected"' in html
    today = datetime.date.today()
    projected = max(datetime.date(2026, 1, 31), today + datetime.timedelta(days=28))
    assert f'<strong id="projected-launch">{projected:%Y-%m-%d}</strong>' in html
    assert "2026-01-03 to 2026-01-16" in html
    assert "0/5 tasks done" in html
