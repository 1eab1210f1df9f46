import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import PlanFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(shared_plan):
    call_command("import_plan", str(shared_plan), stdout=StringIO())


def text_of(html, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    return " ".join(match.group(1).split())


def section(html, element_id):
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</section>", start)]


def test_it_sends_anonymous_users_to_log_in(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_it_says_how_to_import_when_there_is_no_plan(logged_in):
    response = logged_in.get("/")

    assert response.status_code == 200
    assert "python manage.py import_plan PATH" in response.content.decode()


def test_it_shows_the_computed_readiness(logged_in, imported):
    html = logged_in.get("/").content.decode()

    assert text_of(html, "blocking-count") == "20 of 29"
    assert text_of(html, "items-count") == "20 of 23"
    assert "Launch is blocked: 9 open blockers." in html


def test_it_lists_each_blocker(logged_in, imported):
    blockers = section(logged_in.get("/").content.decode(), "blockers")

    titles = re.findall(r'<a href="/vendors/[\w-]+/">([^<]+)</a>', blockers)
    assert titles == [
        "Anthropic: BAA not signed",
        "Deepgram: BAA not signed",
        "DigitalOcean: BAA not signed",
        "Medplum: BAA not signed",
        "Resend: BAA not signed",
        "Sentry: BAA not signed",
        "Twilio: BAA not signed",
        "Upstash: BAA not signed",
    ]
    assert "Test coverage &gt;70%" in blockers


def test_it_flags_the_coverage_claim_the_data_contradicts(logged_in, imported):
    contradictions = section(logged_in.get("/").content.decode(), "contradictions")

    assert (
        "<q>Test coverage &gt;70% is ticked done</q>: "
        "Test Coverage is 30%, target &gt; 70%." in contradictions
    )
    assert "<q>Technical: 12/12 complete</q>: 11/12 are done by the data." in (
        contradictions
    )


def test_it_shows_phases_sections_optional_items_vendors_and_metrics(
    logged_in, imported
):
    html = logged_in.get("/").content.decode()

    phases = section(html, "phases")
    assert '<progress value="5" max="5"></progress>' in phases
    assert "Intentionally postponed post-launch" in phases
    sections = section(html, "sections")
    assert re.findall(r'class="count">([^<]+)<', sections) == ["11/12", "5/6", "4/5"]
    assert "Test Coverage Increase to 70%+" in section(html, "optional")
    vendors = section(html, "vendors")
    assert vendors.count('class="row-blocking"') == 8
    assert vendors.count("Not started") == 8
    metrics = section(html, "metrics")
    assert "<td>30%</td>" in metrics
    assert "missed" in metrics


def test_it_shows_the_first_twenty_blockers_and_vendors_and_links_to_the_rest(
    logged_in,
):
    plan = PlanFactory()
    for number in range(22):
        VendorFactory(name=f"Vendor {number:02d}")
    VendorFactory(name="A signed vendor", handles_phi=False)

    html = logged_in.get("/").content.decode()

    blockers = section(html, "blockers")
    assert blockers.count('class="blocker blocker-agreement"') == 20
    assert "Vendor 19: BAA not signed" in blockers
    assert "Vendor 20: BAA not signed" not in blockers
    assert "And 2 more: see the" in text_of(html, "more-blockers")
    vendors = section(html, "vendors")
    # Blocking vendors first: the one without PHI is past the first twenty.
    assert vendors.count('class="row-blocking"') == 20
    assert "A signed vendor" not in vendors
    assert "And 3 more in the" in text_of(html, "more-vendors")
    assert plan.name in html
