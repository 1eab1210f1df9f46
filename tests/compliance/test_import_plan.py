import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compliance.models import (
    ChecklistItem,
    Measurement,
    Metric,
    Milestone,
    Phase,
    Plan,
    Runbook,
    Status,
    WorkItem,
)
from tests.factories import UserFactory
from vendors.models import Agreement, Vendor

pytestmark = pytest.mark.django_db


def import_plan(*args):
    out = StringIO()
    call_command("import_plan", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def database_state():
    """Every row the import may write, as comparable values."""
    models = [Plan, Vendor, Agreement, Phase, WorkItem, ChecklistItem, Metric]
    state = {m.__name__: sorted(map(str, m.objects.values_list())) for m in models}
    state["history"] = sum(m.history.count() for m in models)
    return state


def test_it_imports_the_eight_vendors_none_signed(shared_plan):
    import_plan(shared_plan)

    vendors = Vendor.objects.order_by("pk")
    assert [(v.name, v.service, v.phi_handling) for v in vendors] == [
        ("Medplum", "FHIR server", "Handles PHI"),
        ("Upstash", "Redis", "Caches session data"),
        ("Anthropic", "Claude AI", "Processes clinical data"),
        ("Deepgram", "Transcription", "Processes patient recordings"),
        ("Sentry", "Error tracking", "May capture PHI in errors"),
        ("DigitalOcean", "Hosting", "Stores all data"),
        ("Twilio", "SMS/Voice", "Patient communications"),
        ("Resend", "Email", "Patient notifications"),
    ]
    assert all(v.handles_phi for v in vendors)
    assert list(
        Agreement.objects.order_by().values_list("kind", "status").distinct()
    ) == [("baa", "not_started")]
    assert Agreement.objects.count() == 8


def test_it_imports_each_checklist_section_with_its_items(shared_plan):
    import_plan(shared_plan)

    def items(section):
        return [
            (i.title, i.status, i.blocking)
            for i in ChecklistItem.objects.filter(section__name=section)
        ]

    technical = items("Technical")
    assert len(technical) == 12
    assert [t for t, status, _ in technical if status == Status.DONE] == [
        t for t, _, _ in technical
    ]
    assert technical[2] == ("Test coverage >70%", Status.DONE, True)
    assert items("Compliance") == [
        ("Signed BAAs from all vendors", Status.FAILED, True),
        ("HIPAA risk assessment completed", Status.DONE, True),
        ("Breach notification procedures documented", Status.DONE, True),
        ("Data retention policy implemented", Status.DONE, True),
        ("Audit trail queryable", Status.DONE, True),
        ("LGPD/GDPR compliance", Status.DONE, True),
    ]
    assert items("Operations") == [
        ("On-call rotation scheduled", Status.WARNING, False),
        ("Runbooks reviewed", Status.DONE, True),
        ("Disaster recovery tested", Status.DONE, True),
        ("Deployment checklist finalized", Status.DONE, True),
        ("Rollback procedure documented", Status.DONE, True),
    ]
    baas = ChecklistItem.objects.get(title="Signed BAAs from all vendors")
    assert baas.derived == ChecklistItem.Derived.VENDOR_BAAS
    assert baas.note == "0/8 - BLOCKING"
    coverage = ChecklistItem.objects.get(title="Test coverage >70%")
    assert coverage.metric.name == "Test Coverage"
    assert coverage.note == "security >90%"


def test_it_imports_the_metrics_with_their_targets(shared_plan):
    import_plan(shared_plan)

    metrics = [
        (m.name, m.category, m.comparison, m.target, m.unit)
        for m in Metric.objects.order_by("position")
    ]
    assert metrics == [
        ("Uptime", "Technical", "gt", Decimal("99.9"), "%"),
        ("API Latency", "Technical", "lt", Decimal("300"), "ms"),
        ("Test Coverage", "Technical", "gt", Decimal("70"), "%"),
        ("Failed Requests", "Technical", "lt", Decimal("1"), "%"),
        ("Audit Coverage", "Compliance", "ge", Decimal("100"), "%"),
        ("Backup Success", "Compliance", "ge", Decimal("100"), "%"),
        ("Security Alerts", "Compliance", "lt", Decimal("10"), "per week"),
        ("Breach Incidents", "Compliance", "le", Decimal("0"), ""),
        ("MTTD", "Operations", "lt", Decimal("5"), "minutes"),
        ("MTTR (P1)", "Operations", "lt", Decimal("1"), "hours"),
        ("MTTR (P2)", "Operations", "lt", Decimal("4"), "hours"),
        ("On-call Response", "Operations", "lt", Decimal("15"), "minutes"),
    ]
    coverage = Metric.objects.get(name="Test Coverage")
    assert coverage.current == Decimal("30")
    assert coverage.is_met() is False
    assert coverage.target_display() == "> 70%"
    assert Measurement.objects.count() == 1


def test_it_imports_the_seven_runbooks(shared_plan):
    import_plan(shared_plan)

    assert list(Runbook.objects.values_list("title", "filename")) == [
        ("API Server Down", "API_SERVER_DOWN.md"),
        ("Data Breach Response", "DATA_BREACH_RESPONSE.md"),
        ("Database Failure", "DATABASE_FAILURE.md"),
        ("Disaster Recovery Plan", "DISASTER_RECOVERY_PLAN.md"),
        ("HIPAA Audit Log Failure", "HIPAA_AUDIT_LOG_FAILURE.md"),
        ("Redis Failure", "REDIS_FAILURE.md"),
        ("Security Incident", "SECURITY_INCIDENT.md"),
    ]


def test_it_dates_the_launch_path_from_the_document(shared_plan):
    import_plan(shared_plan)

    plan = Plan.objects.get()
    assert plan.name == "What's Left in the Master Plan?"
    assert plan.as_of == datetime.date(2026, 1, 3)
    assert plan.target_launch == datetime.date(2026, 1, 31)
    milestones = [
        (m.label, m.title, m.starts_on, m.ends_on, [t.title for t in m.tasks.all()])
        for m in Milestone.objects.all()
    ]
    assert milestones == [
        (
            "Week 1-2",
            "BAA Outreach",
            datetime.date(2026, 1, 3),
            datetime.date(2026, 1, 16),
            [
                "Legal team sends BAA requests to all 8 vendors",
                "Track vendor responses",
                "Follow up with slow responders",
                "Execute load testing in parallel",
                "Continue adding unit tests (optional)",
            ],
        ),
        (
            "Week 3-4",
            "Vendor Signatures + Final Prep",
            datetime.date(2026, 1, 17),
            datetime.date(2026, 1, 30),
            [
                "Obtain all 8 signed BAAs",
                "Store BAAs in secure, encrypted location",
                "Update compliance documentation",
                "Create on-call rotation schedule",
                "Execute final load test",
                "Schedule penetration test (if budget allows)",
            ],
        ),
        (
            "Week 5",
            "Launch",
            datetime.date(2026, 1, 31),
            datetime.date(2026, 2, 6),
            [
                "Final security review",
                "Deploy to production",
                "Enable monitoring and alerting",
                "Activate on-call rotation",
                "Begin accepting real patients",
            ],
        ),
    ]


def test_it_imports_phases_and_optional_improvements(shared_plan):
    import_plan(shared_plan)

    phases = [
        (p.number, p.title, p.kind, p.claimed, p.items.count())
        for p in Phase.objects.all()
    ]
    assert phases == [
        (1, "Phase 1: Critical Blockers", "critical_blockers", "100% COMPLETE", 5),
        (2, "Phase 2: Quick Wins", "quick_wins", "100% COMPLETE", 4),
        (3, "Phase 3: Documentation", "documentation", "100% COMPLETE", 3),
        (4, "Phase 4: Deferred", "deferred", "Intentionally postponed post-launch", 0),
        (None, "Clinical Workflows", "other", "100% VERIFIED & OPERATIONAL", 7),
    ]
    optional = WorkItem.objects.filter(optional=True).order_by("position")
    assert [(w.title, w.status) for w in optional] == [
        ("On-Call Rotation Schedule Template", Status.PENDING),
        ("Test Coverage Increase to 70%+", Status.IN_PROGRESS),
        ("Load Testing Execution", Status.PENDING),
    ]


def test_it_ends_with_a_summary_and_the_unplaced_lines(shared_plan):
    out = import_plan(shared_plan)

    assert "vendors: 8 created, 0 updated, 0 unchanged\n" in out
    assert "checklist items: 23 created, 0 updated, 0 unchanged\n" in out
    assert "runbooks: 7 created, 0 updated, 0 unchanged\n" in out
    assert "milestones: 3 created, 0 updated, 0 unchanged\n" in out
    assert "43 lines could not be placed:\n" in out
    assert "  line 33: - ✅ Drafted outreach emails for all vendors\n" in out
    assert out.endswith(
        "Plan changed: What's Left in the Master Plan? as of 2026-01-03\n"
    )


def test_it_records_the_system_user_and_the_file_in_history(shared_plan):
    import_plan(shared_plan)

    record = Vendor.history.get(name="Sentry")
    assert record.history_user.username == "system"
    assert record.history_change_reason == (
        "Imported from whats-left-2026-01-03.md by system"
    )


def test_it_records_the_user_named_with_user(shared_plan):
    UserFactory(username="maria")

    import_plan(shared_plan, "--user", "maria")

    record = Vendor.history.get(name="Sentry")
    assert record.history_user.username == "maria"
    assert record.history_change_reason == (
        "Imported from whats-left-2026-01-03.md by maria"
    )


def test_it_changes_nothing_when_the_same_file_comes_twice(shared_plan):
    import_plan(shared_plan)
    before = database_state()

    out = import_plan(shared_plan)

    assert database_state() == before
    assert "vendors: 0 created, 0 updated, 8 unchanged\n" in out
    assert out.endswith(
        "Nothing changed: What's Left in the Master Plan? as of 2026-01-03\n"
    )


def test_it_updates_in_place_from_a_newer_version(shared_plan, tmp_path):
    import_plan(shared_plan)
    newer = tmp_path / "whats-left-2026-01-10.md"
    text = shared_plan.read_text()
    text = text.replace("**Date:** 2026-01-03", "**Date:** 2026-01-10")
    text = text.replace(
        "(Error tracking) - May capture", "(Errors and traces) - May capture"
    )
    newer.write_text(text)

    out = import_plan(newer)

    sentry = Vendor.objects.get(name="Sentry")
    assert sentry.service == "Errors and traces"
    assert Vendor.objects.count() == 8
    assert "  update vendors: Sentry (service)\n" in out
    latest = sentry.history.first()
    assert latest.history_change_reason == (
        "Imported from whats-left-2026-01-10.md by system"
    )
    assert latest.prev_record.service == "Error tracking"
    # The launch path moves with the document's own date.
    assert Milestone.objects.get(title="BAA Outreach").starts_on == datetime.date(
        2026, 1, 10
    )


def test_it_keeps_what_people_changed_in_the_portal(shared_plan, tmp_path):
    import_plan(shared_plan)
    agreement = Agreement.objects.get(vendor__name="Sentry")
    agreement.status = Agreement.Status.REQUESTED
    agreement.requested_on = datetime.date(2026, 1, 5)
    agreement.save()
    item = ChecklistItem.objects.get(title="Runbooks reviewed")
    item.status = Status.PENDING
    item.evidence = "Reviews found two stale runbooks."
    item._change_reason = "Reopened after review"
    item.save()
    Vendor.objects.create(name="Hand-added Vendor", service="Fax")
    newer = tmp_path / "plan.md"
    newer.write_text(
        shared_plan.read_text().replace("**Date:** 2026-01-03", "**Date:** 2026-01-10")
    )

    out = import_plan(newer)

    agreement.refresh_from_db()
    item.refresh_from_db()
    assert agreement.status == Agreement.Status.REQUESTED
    assert (item.status, item.evidence) == (
        Status.PENDING,
        "Reviews found two stale runbooks.",
    )
    assert Vendor.objects.filter(name="Hand-added Vendor").exists()
    assert (
        "  keep checklist items: Runbooks reviewed (edited in the portal since "
        "2026-01-10; the document would change status)\n"
    ) in out


def test_it_refuses_a_version_older_than_the_one_loaded(shared_plan, tmp_path):
    newer = tmp_path / "plan.md"
    newer.write_text(
        shared_plan.read_text().replace("**Date:** 2026-01-03", "**Date:** 2026-02-01")
    )
    import_plan(newer)
    before = database_state()

    with pytest.raises(CommandError) as error:
        import_plan(shared_plan)

    assert str(error.value) == (
        f'{shared_plan}: the plan "What\'s Left in the Master Plan?" is already at '
        "2026-02-01, newer than this document (2026-01-03); nothing was imported"
    )
    assert database_state() == before


def test_dry_run_prints_the_changes_and_writes_nothing(shared_plan):
    out = import_plan(shared_plan, "--dry-run")

    assert out.startswith("Dry run: nothing was written. It would:\n")
    assert "  create vendors: Medplum\n" in out
    assert "vendors: 8 created, 0 updated, 0 unchanged\n" in out
    assert Plan.objects.count() == 0
    assert Vendor.objects.count() == 0
    assert Vendor.history.count() == 0
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="system").exists()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary", "the file is binary, not a text document"),
        (
            b"# Plan\n\xff\xfe broken",
            "the file is not UTF-8 text (undecodable byte at offset 7)",
        ),
        (
            b"# Notes\n**Date:** 2026-01-01\nNothing to see.\n",
            "nothing recognisable: no vendors, phases, checklist, metrics, runbooks "
            "or milestones found",
        ),
    ],
)
def test_it_refuses_a_bad_file_and_leaves_the_database_untouched(
    shared_plan, tmp_path, content, problem
):
    import_plan(shared_plan)
    before = database_state()
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)

    with pytest.raises(CommandError) as error:
        import_plan(bad)

    assert str(error.value) == f"{bad}: not a status document: {problem}"
    assert database_state() == before


def test_it_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError) as error:
        import_plan(tmp_path / "nope.md")

    assert str(error.value) == (
        f"{tmp_path / 'nope.md'}: cannot read {tmp_path / 'nope.md'}: "
        "No such file or directory"
    )


def test_it_refuses_an_unknown_user(shared_plan):
    with pytest.raises(CommandError) as error:
        import_plan(shared_plan, "--user", "ghost")

    assert str(error.value) == "no user named 'ghost'; nothing was imported"
    assert Plan.objects.count() == 0


def test_it_rolls_back_everything_when_a_write_fails_midway(shared_plan, tmp_path):
    # A vendor name longer than the column passes the reader, and PostgreSQL
    # refuses it after the plan itself was written.
    broken = tmp_path / "plan.md"
    broken.write_text(
        shared_plan.read_text().replace("**Resend**", "**" + "Resend" * 30 + "**")
    )

    with pytest.raises(CommandError) as error:
        import_plan(broken)

    assert str(error.value) == (
        f"{broken}: the database refused the import, nothing was written: "
        "value too long for type character varying(120)"
    )
    assert Plan.objects.count() == 0
    assert Vendor.objects.count() == 0
    assert Vendor.history.count() == 0


def test_it_refuses_a_week_range_that_ends_before_it_starts(shared_plan, tmp_path):
    broken = tmp_path / "plan.md"
    broken.write_text(shared_plan.read_text().replace("### Week 3-4:", "### Week 4-3:"))

    with pytest.raises(CommandError) as error:
        import_plan(broken)

    assert str(error.value) == (
        f"{broken}: not a status document: line 321: 'Week 4-3' ends before it starts"
    )
    assert Plan.objects.count() == 0


def test_it_reads_a_crlf_copy_with_a_byte_order_mark(shared_plan, tmp_path):
    copy = tmp_path / "windows.md"
    copy.write_bytes(b"\xef\xbb\xbf" + shared_plan.read_bytes().replace(b"\n", b"\r\n"))

    import_plan(copy)

    assert Vendor.objects.count() == 8
    assert ChecklistItem.objects.count() == 23
    assert Runbook.objects.count() == 7


@pytest.mark.parametrize(
    "before, after, problem",
    [
        (
            "**Date:** 2026-01-03",
            "**Date:** 9999-12-31",
            "line 2: '9999-12-31' is not between 2000-01-01 and 2099-12-31",
        ),
        (
            "**Timeline:** 2-4 weeks to launch (pending BAAs)",
            "**Timeline:** 9999-12-31",
            "line 4: '9999-12-31' is not between 2000-01-01 and 2099-12-31",
        ),
        (
            "**Timeline:** 2-4 weeks to launch (pending BAAs)",
            "**Timeline:** 2-5000 weeks to launch",
            "line 4: '2-5000 weeks to launch' is not between 2000-01-01 and 2099-12-31",
        ),
        (
            "### Week 3-4:",
            "### Week 3-99999999999:",
            "line 321: 'Week 3-99999999999' reaches past the year 9999",
        ),
    ],
)
def test_it_refuses_dates_past_the_calendar_and_leaves_the_database_untouched(
    shared_plan, tmp_path, before, after, problem
):
    import_plan(shared_plan)
    state = database_state()
    broken = tmp_path / "plan.md"
    broken.write_text(shared_plan.read_text().replace(before, after))

    with pytest.raises(CommandError) as error:
        import_plan(broken)

    assert str(error.value) == f"{broken}: not a status document: {problem}"
    assert database_state() == state
