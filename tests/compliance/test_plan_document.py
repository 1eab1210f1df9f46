"""The status-document reader, without a database."""

import datetime
from decimal import Decimal

import pytest

from compliance import plan_document
from compliance.plan_document import DocumentError

SMALL = """# Small plan
**Date:** 2026-03-02

## Vendor BAAs
1. **Acme Cloud** (Hosting) - Stores everything
2. **Quiet Logs** (Logging) - Never sees PHI, no PHI by design

## Deployment checklist
### Technical (1/2)
- [x] Backups tested
- [ ] **Load test run** (non-blocking)

## Launch path
### Week 2-3: Outreach
- [ ] Send requests
- [x] Draft emails

## Success metrics
- **Test Coverage:** Current 55%, target >=80%
"""


def read(text, encoding="utf-8"):
    return plan_document.read(text.encode(encoding))


def test_it_repairs_utf8_read_as_mac_roman():
    damaged = "✅ done — São Paulo §1".encode().decode("mac_roman")
    assert damaged.startswith("‚úÖ")
    assert plan_document.repair_mojibake(damaged) == "✅ done — São Paulo §1"


def test_it_repairs_utf8_read_as_windows_1252():
    damaged = "✅ done — São Paulo".encode().decode("cp1252", errors="replace")
    assert plan_document.repair_mojibake(damaged) == "✅ done — São Paulo"


def test_it_repairs_utf8_read_as_latin_1():
    damaged = "Café — naïve".encode().decode("latin-1")
    assert plan_document.repair_mojibake(damaged) == "Café — naïve"


def test_it_leaves_correct_accented_text_alone():
    text = "Cliníca São Paulo: relatório é válido ✅"
    assert plan_document.repair_mojibake(text) == text


def test_it_reads_a_small_plan():
    doc = read(SMALL)

    assert doc.name == "Small plan"
    assert doc.as_of == datetime.date(2026, 3, 2)
    assert [(v.name, v.service, v.handles_phi) for v in doc.vendors] == [
        ("Acme Cloud", "Hosting", True),
        ("Quiet Logs", "Logging", False),
    ]
    assert [(c.section, c.title, c.status, c.blocking) for c in doc.checklist] == [
        ("Technical", "Backups tested", "done", True),
        ("Technical", "Load test run", "pending", False),
    ]
    milestone = doc.milestones[0]
    assert (milestone.title, milestone.starts_on, milestone.ends_on) == (
        "Outreach",
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 22),
    )
    assert milestone.tasks == [("Send requests", False), ("Draft emails", True)]
    metric = doc.metrics[0]
    assert (metric.name, metric.comparison, metric.target, metric.current) == (
        "Test Coverage",
        "ge",
        Decimal("80"),
        Decimal("55"),
    )
    assert doc.target_launch == datetime.date(2026, 3, 9)


def test_it_reads_crlf_a_byte_order_mark_and_other_heading_levels():
    shifted = SMALL.replace("\n## ", "\n#### ").replace("\n### ", "\n##### ")
    data = b"\xef\xbb\xbf" + shifted.replace("\n", "\r\n").encode()

    doc = plan_document.read(data)

    assert doc.name == "Small plan"
    assert len(doc.vendors) == 2
    assert [c.title for c in doc.checklist] == ["Backups tested", "Load test run"]
    assert doc.milestones[0].tasks == [("Send requests", False), ("Draft emails", True)]


def test_it_reads_a_whole_document_that_went_through_mac_roman():
    damaged = SMALL.replace("- [x] Backups tested", "- ✅ Backups tested")
    damaged = damaged.encode().decode("mac_roman")

    doc = read(damaged)

    assert doc.checklist[0].title == "Backups tested"
    assert doc.checklist[0].status == "done"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "the file is binary, not a text document"),
        (
            "Café".encode("cp1252"),
            "the file is not UTF-8 text (undecodable byte at offset 3)",
        ),
        (
            b"# Shopping list\n**Date:** 2026-01-01\n\nEggs and milk.\n",
            "nothing recognisable: no vendors, phases, checklist, metrics, runbooks "
            "or milestones found",
        ),
        (
            b"# Plan\n\n## Checklist\n- [x] Backups\n",
            "no document date found (a 'Date: YYYY-MM-DD' line)",
        ),
        (b"# Plan\n**Date:** someday\n", "line 2: unreadable date 'someday'"),
    ],
)
def test_it_refuses_what_is_not_a_status_document(data, message):
    with pytest.raises(DocumentError) as error:
        plan_document.read(data)

    assert str(error.value) == message
