import json
from io import StringIO

import pytest
from django.core.management import call_command

from compliance.models import ChecklistItem, Status
from tests.factories import (
    AgreementFactory,
    ChecklistItemFactory,
    MetricFactory,
    PlanFactory,
)
from vendors.models import Agreement

pytestmark = pytest.mark.django_db


def readiness(*args):
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("readiness", *args, stdout=out, stderr=err)
    return exit_.value.code, out.getvalue(), err.getvalue()


def sign_every_baa():
    for agreement in Agreement.objects.filter(kind=Agreement.Kind.BAA):
        agreement.status = Agreement.Status.SIGNED
        agreement.save()


def test_it_exits_1_listing_the_unsigned_baas(shared_plan):
    call_command("import_plan", str(shared_plan), stdout=StringIO())

    code, out, _ = readiness()

    assert code == 1
    assert out == (
        "What's Left in the Master Plan? (as of 2026-01-03)\n"
        "Launch requirements met: 20/29\n"
        "Checklist items done: 20/23\n"
        "BLOCKED: 9 blockers\n"
        "  [agreement] Anthropic: BAA not signed\n"
        "  [agreement] Deepgram: BAA not signed\n"
        "  [agreement] DigitalOcean: BAA not signed\n"
        "  [agreement] Medplum: BAA not signed\n"
        "  [agreement] Resend: BAA not signed\n"
        "  [agreement] Sentry: BAA not signed\n"
        "  [agreement] Twilio: BAA not signed\n"
        "  [agreement] Upstash: BAA not signed\n"
        "  [contradiction] Test coverage >70%\n"
    )


def test_it_prints_one_json_object(shared_plan):
    call_command("import_plan", str(shared_plan), stdout=StringIO())

    code, out, _ = readiness("--json")

    data = json.loads(out)
    assert code == 1
    assert data["ready"] is False
    assert (
        data["blocking_done"],
        data["blocking_total"],
        data["items_done"],
        data["items_total"],
    ) == (20, 29, 20, 23)
    assert data["blockers"][0] == {
        "kind": "agreement",
        "title": "Anthropic: BAA not signed",
    }
    assert data["blockers"][-1] == {
        "kind": "contradiction",
        "title": "Test coverage >70%",
    }
    assert data["contradictions"] == [
        {
            "claim": "Test coverage >70% is ticked done",
            "fact": "Test Coverage is 30%, target > 70%",
        },
        {"claim": "Technical: 12/12 complete", "fact": "11/12 are done by the data"},
        {
            "claim": "95% Production Ready",
            "fact": "20 of 29 launch requirements are met (69%)",
        },
    ]


def test_it_exits_0_once_every_blocker_is_cleared(shared_plan):
    call_command("import_plan", str(shared_plan), stdout=StringIO())
    sign_every_baa()
    coverage = ChecklistItem.objects.get(title="Test coverage >70%")
    coverage.metric.measurements.create(value=74, measured_at="2026-02-01T12:00Z")

    code, out, _ = readiness("--json")

    data = json.loads(out)
    assert code == 0
    assert data["ready"] is True
    assert data["blockers"] == []
    assert (data["blocking_done"], data["blocking_total"]) == (29, 29)
    # The on-call item is not blocking and still open.
    assert (data["items_done"], data["items_total"]) == (22, 23)


def test_the_derived_baa_item_follows_the_vendors():
    item = ChecklistItemFactory(
        title="Signed BAAs", derived=ChecklistItem.Derived.VENDOR_BAAS
    )
    AgreementFactory(status=Agreement.Status.SIGNED)
    unsigned = AgreementFactory(status=Agreement.Status.IN_NEGOTIATION)

    code, out, _ = readiness("--json")
    assert (code, json.loads(out)["items_done"]) == (1, 0)

    unsigned.status = Agreement.Status.SIGNED
    unsigned.save()
    code, out, _ = readiness("--json")
    assert (code, json.loads(out)["items_done"]) == (0, 1)
    item.refresh_from_db()
    assert item.status == Status.PENDING  # nobody ticked it


def test_a_vendor_without_phi_never_blocks():
    PlanFactory()
    AgreementFactory(vendor__handles_phi=False)

    code, out, _ = readiness("--json")

    assert code == 0
    assert json.loads(out)["blocking_total"] == 0


def test_it_exits_2_on_error():
    item = ChecklistItemFactory(status=Status.DONE)
    item.metric = MetricFactory(plan=item.plan, comparison="??")
    item.metric.measurements.create(value=1, measured_at="2026-02-01T12:00Z")
    item.save()

    code, out, err = readiness()

    assert code == 2
    assert out == ""
    assert err.startswith("readiness: error: ")


@pytest.mark.parametrize("args", [(), ("--json",)])
def test_it_exits_2_rather_than_ready_when_no_plan_was_imported(args):
    AgreementFactory(vendor__handles_phi=False)

    code, out, err = readiness(*args)

    assert code == 2
    assert out == ""
    assert err == (
        "readiness: error: there is no plan yet, so readiness is unknown; "
        "import the status document first\n"
    )
