import pytest
from django.urls import reverse

from compliance.models import ChecklistItem, Status
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    ChecklistSectionFactory,
    MeasurementFactory,
    MetricFactory,
    PhaseFactory,
    PlanFactory,
    VendorFactory,
)
from vendors.models import Agreement

URL = "/checklist/"


@pytest.fixture
def items(plan, engineer):
    security = ChecklistSectionFactory(plan=plan, name="Security", position=1)
    operations = ChecklistSectionFactory(plan=plan, name="Operations", position=2)
    hardening = PhaseFactory(plan=plan, title="Phase 1: Hardening")
    return {
        "mfa": ChecklistItemFactory(
            section=security, title="MFA enforced", phase=hardening, owner=engineer
        ),
        "tls": ChecklistItemFactory(
            section=security, title="TLS everywhere", status=Status.DONE
        ),
        "runbooks": ChecklistItemFactory(
            section=operations, title="Runbooks reviewed", blocking=False
        ),
    }


def tick_url(item):
    return reverse("compliance:checklist_tick", args=[item.pk])


def untick_url(item):
    return reverse("compliance:checklist_untick", args=[item.pk])


def titles(response):
    return [
        item.title for group in response.context["groups"] for item in group["shown"]
    ]


def test_it_groups_items_by_section_and_phase(client, viewer, items):
    client.force_login(viewer)

    response = client.get(URL)

    groups = response.context["groups"]
    assert [g["count"].section.name for g in groups] == ["Security", "Operations"]
    assert [
        (p.title if p else None, [i.title for i in its])
        for p, its in groups[0]["phases"]
    ] == [
        ("Phase 1: Hardening", ["MFA enforced"]),
        (None, ["TLS everywhere"]),
    ]
    assert b'<h3 class="phase">Phase 1: Hardening</h3>' in response.content


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["MFA enforced", "TLS everywhere", "Runbooks reviewed"]),
        ("?show=open", ["MFA enforced", "Runbooks reviewed"]),
        ("?show=blocking", ["MFA enforced", "TLS everywhere"]),
        ("?show=mine", ["MFA enforced"]),
        ("?show=open&show=blocking", ["MFA enforced"]),
        ("?show=nonsense", ["MFA enforced", "TLS everywhere", "Runbooks reviewed"]),
    ],
)
def test_it_filters(client, engineer, items, query, expected):
    client.force_login(engineer)

    assert titles(client.get(URL + query)) == expected


def test_it_filters_contradicted_items(client, engineer, items, plan):
    coverage = MetricFactory(plan=plan, name="Test coverage", target=70)
    MeasurementFactory(metric=coverage, value=30)
    items["tls"].metric = coverage
    items["tls"].save()
    client.force_login(engineer)

    response = client.get(URL + "?show=contradicted")

    assert titles(response) == ["TLS everywhere"]
    assert b"Test coverage misses &gt; 70%" in response.content


def test_it_hides_the_tick_forms_from_viewers(client, viewer, items):
    client.force_login(viewer)

    response = client.get(URL)

    assert response.context["can_tick"] is False
    assert tick_url(items["mfa"]).encode() not in response.content
    assert b"Tick done" not in response.content


def test_it_shows_the_tick_forms_to_engineering(client, engineer, items):
    client.force_login(engineer)

    response = client.get(URL)

    assert tick_url(items["mfa"]).encode() in response.content
    assert untick_url(items["tls"]).encode() in response.content
    assert f'hx-post="{tick_url(items["mfa"])}"'.encode() in response.content


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_it_forbids_others_to_tick(client, items, who, request):
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        tick_url(items["mfa"]), {"evidence": "https://ci.example.test/runs/1"}
    )

    assert response.status_code == 403
    assert b"Only Engineering may tick checklist items." in response.content
    items["mfa"].refresh_from_db()
    assert items["mfa"].status == Status.PENDING


def test_it_ticks_with_a_plain_form_post(client, engineer, items):
    client.force_login(engineer)

    response = client.post(
        tick_url(items["mfa"]),
        {"evidence": "https://ci.example.test/runs/1", "owner": engineer.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/checklist/#item-{items['mfa'].pk}"
    items["mfa"].refresh_from_db()
    assert items["mfa"].status == Status.DONE
    assert items["mfa"].done_by == engineer
    assert items["mfa"].history.first().history_user == engineer


def test_it_shows_the_evidence_error_next_to_the_field(client, engineer, items):
    client.force_login(engineer)

    response = client.post(
        tick_url(items["mfa"]), {"evidence": "ok", "owner": engineer.pk}
    )

    assert response.status_code == 400
    assert (
        b'<span class="field-error">A note needs at least a sentence (4 words, '
        b"20 characters), or give a link instead.</span>" in response.content
    )
    items["mfa"].refresh_from_db()
    assert items["mfa"].status == Status.PENDING


def test_it_ticks_a_non_blocking_item_without_an_owner(client, engineer, items):
    client.force_login(engineer)

    response = client.post(
        tick_url(items["runbooks"]),
        {"evidence": "Reviewed every runbook with the team on Monday."},
    )

    assert response.status_code == 302
    items["runbooks"].refresh_from_db()
    assert items["runbooks"].status == Status.DONE


def test_it_requires_an_owner_for_a_blocking_item(client, engineer, items):
    item = ChecklistItemFactory(section=items["mfa"].section, title="Backups")
    client.force_login(engineer)

    response = client.post(
        tick_url(item), {"evidence": "Restored last night's backup to staging."}
    )

    assert response.status_code == 400
    assert (
        b'<span class="field-error">A blocking item needs an owner before it is '
        b"ticked.</span>" in response.content
    )
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_it_ticks_through_htmx_and_answers_with_the_row(client, engineer, items):
    client.force_login(engineer)

    response = client.post(
        tick_url(items["mfa"]),
        {"evidence": "https://ci.example.test/runs/1", "owner": engineer.pk},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.templates[0].name == "compliance/_checklist_row.html"
    content = response.content.decode()
    assert content.startswith(f'<tr id="item-{items["mfa"].pk}"')
    assert '<span class="status status-done">Done</span>' in content
    assert untick_url(items["mfa"]) in content
    assert response["HX-Trigger"] == '{"checklist-changed": {}}'


def test_it_answers_htmx_errors_in_the_row(client, engineer, items):
    client.force_login(engineer)

    response = client.post(
        tick_url(items["mfa"]), {"evidence": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert b'<span class="field-error">This field is required.</span>' in (
        response.content
    )
    assert "HX-Trigger" not in response
    items["mfa"].refresh_from_db()
    assert items["mfa"].status == Status.PENDING


def test_it_unticks_with_a_reason(client, engineer, items):
    client.force_login(engineer)

    response = client.post(untick_url(items["tls"]), {"reason": "Cert expired."})

    assert response.status_code == 302
    items["tls"].refresh_from_db()
    assert items["tls"].status == Status.PENDING
    revision = items["tls"].history.first()
    assert revision.history_user == engineer
    assert revision.history_change_reason == "Unticked: Cert expired."


def test_it_refuses_an_untick_without_a_reason(client, engineer, items):
    client.force_login(engineer)

    response = client.post(untick_url(items["tls"]), {"reason": ""})

    assert response.status_code == 400
    assert b'<span class="field-error">This field is required.</span>' in (
        response.content
    )
    items["tls"].refresh_from_db()
    assert items["tls"].status == Status.DONE


def test_it_shows_an_item_with_its_history(client, engineer, items):
    client.force_login(engineer)
    client.post(untick_url(items["tls"]), {"reason": "Cert expired."})

    response = client.get(reverse("compliance:checklist_item", args=[items["tls"].pk]))

    assert response.status_code == 200
    assert b"<td>engineer</td><td>Pending</td><td>Unticked: Cert expired.</td>" in (
        response.content
    )


def test_it_answers_the_counts_alone(client, viewer, items):
    client.force_login(viewer)

    response = client.get(reverse("compliance:checklist_count"))

    assert response.content.decode() == (
        '<span id="checklist-count">1 of 3</span> items done ·\n'
        '<span id="checklist-blocking-count">1 of 2</span> launch requirements met\n'
    )


def test_it_shows_a_derived_item_as_readiness_computes_it(client, viewer, plan):
    section = ChecklistSectionFactory(plan=plan, name="Compliance")
    baas = ChecklistItemFactory(
        section=section,
        title="Signed BAAs from all vendors",
        derived=ChecklistItem.Derived.VENDOR_BAAS,
        status=Status.DONE,
    )
    AgreementFactory(vendor=VendorFactory(name="Twilio"), kind=Agreement.Kind.BAA)
    client.force_login(viewer)

    response = client.get(reverse("compliance:checklist_item", args=[baas.pk]))

    assert response.context["item"].done is False
    assert b'<span class="status status-failed">not done</span>' in response.content


def test_it_ticks_an_item_of_an_older_plan(client, engineer, items):
    older = ChecklistItemFactory(
        section=ChecklistSectionFactory(
            plan=PlanFactory(name="Older", as_of="2025-06-01")
        ),
        title="Old item",
        blocking=False,
    )
    client.force_login(engineer)

    response = client.post(
        tick_url(older),
        {"evidence": "https://ci.example.test/runs/9"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    older.refresh_from_db()
    assert older.status == Status.DONE


@pytest.mark.parametrize("extra", [0, 8])
def test_it_lists_the_checklist_in_a_fixed_number_of_queries(
    client, engineer, items, plan, extra, django_assert_num_queries
):
    metric = MetricFactory(plan=plan, name="Coverage")
    MeasurementFactory(metric=metric, value=30)
    items["tls"].metric = metric
    items["tls"].save()
    phase = PhaseFactory(plan=plan, title="Phase 2")
    for number in range(extra):
        ChecklistItemFactory(
            section=items["mfa"].section,
            title=f"Extra {number}",
            owner=engineer,
            done_by=engineer,
            metric=metric,
            phase=phase,
        )
    client.force_login(engineer)

    # session, user, plan, vendors (none, so no agreements), checklist items with
    # section/phase/metric/owner/done-by, measurements (readiness, uncached in
    # tests), the page's items with the same relations and their measurements,
    # permissions (user, group), people for the owner choice, and the session save
    # in its savepoint (3).
    with django_assert_num_queries(14):
        client.get(URL)


def test_it_pages_the_items_by_a_hundred_keeping_sections_and_filters(
    client, viewer, plan
):
    first = ChecklistSectionFactory(plan=plan, name="First", position=1)
    second = ChecklistSectionFactory(plan=plan, name="Second", position=2)
    for number in range(99):
        ChecklistItemFactory(section=first, title=f"F{number:02d}", position=number)
    for number in range(3):
        ChecklistItemFactory(section=second, title=f"S{number}", position=number)
    client.force_login(viewer)

    page_one = client.get(URL + "?show=open")
    page_two = client.get(URL + "?show=open&page=2")

    assert [
        (g["count"].section.name, len(g["shown"])) for g in page_one.context["groups"]
    ] == [("First", 99), ("Second", 1)]
    assert titles(page_two) == ["S1", "S2"]
    # Each section's count is the whole section's, not the page's.
    assert [
        (g["count"].done, g["count"].total) for g in page_two.context["groups"]
    ] == [(0, 3)]
    assert b'<a href="?show=open&amp;page=2">Next</a>' in page_one.content
    assert b'<a href="?show=open&amp;page=1">Previous</a>' in page_two.content
    assert "Items 101–102 of 102 that match the filter." in page_two.content.decode()


def test_it_shows_one_section_alone(client, viewer, items):
    client.force_login(viewer)
    operations = items["runbooks"].section

    response = client.get(URL + f"?section={operations.pk}")

    assert titles(response) == ["Runbooks reviewed"]
    assert f'name="section" value="{operations.pk}"'.encode() in response.content


def test_a_derived_item_shows_its_computed_state_not_the_documents_count(
    client, viewer, plan
):
    section = ChecklistSectionFactory(plan=plan, name="Compliance")
    ChecklistItemFactory(
        section=section,
        title="Signed BAAs from all vendors",
        note="0/8 - BLOCKING",
        derived=ChecklistItem.Derived.VENDOR_BAAS,
    )
    ChecklistItemFactory(section=section, title="Risk assessment", note="signed off")
    client.force_login(viewer)

    html = client.get(URL).content.decode()

    # The document's "0/8" stops being true at the first signature.
    assert "0/8 - BLOCKING" not in html
    assert 'Risk assessment</a> <span class="muted">(signed off)</span>' in html
