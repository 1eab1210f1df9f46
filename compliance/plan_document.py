"""Reading a launch-plan status document (Markdown) into plain data.

The documents are written by people, so the reader is lenient about shape: any
heading level, emoji or GitHub checkbox status marks, CRLF line ends, a byte-order
mark, and text that went through a wrong decoding once (UTF-8 read as Mac Roman or
Windows-1252). It knows nothing about the database; `plan_import` writes the result.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import ftfy


class DocumentError(ValueError):
    """The file is not a status document; the message says why, in one line."""


# Status marks, longest first so that "✅" wins over a bare variation selector.
STATUS_MARKS = {
    "✅": "done",
    "✔": "done",
    "☑": "done",
    ":white_check_mark:": "done",
    ":heavy_check_mark:": "done",
    "❌": "failed",
    "✗": "failed",
    ":x:": "failed",
    "⚠": "warning",
    ":warning:": "warning",
    "⏳": "pending",
    ":hourglass:": "pending",
    ":hourglass_flowing_sand:": "pending",
    "🔄": "in_progress",
    "🚧": "in_progress",
    "⏸": "paused",
    ":pause_button:": "paused",
}
# Words in a "Status:" line that say more than its emoji does.
STATUS_WORDS = [
    (re.compile(r"\bin progress\b", re.I), "in_progress"),
    (re.compile(r"\b(not yet|pending|not started|to ?do)\b", re.I), "pending"),
    (re.compile(r"\b(paused|deferred|postponed)\b", re.I), "paused"),
    (re.compile(r"\b(blocked|blocking|failed)\b", re.I), "failed"),
    (re.compile(r"\b(complete|completed|done|verified)\b", re.I), "done"),
]

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|(\d+)[.)])\s+(.*)$")
CHECKBOX = re.compile(r"^\[( |x|X)\]\s+(.*)$")
META = re.compile(r"^\*\*([^*:]+):\*\*\s*(.+)$|^([A-Z][A-Za-z ]+):\s+(.+)$")
BOLD_LABEL = re.compile(r"^\*\*(.+?):?\*\*:?\s*(.*)$")
COUNT = re.compile(r"(\d+)\s*/\s*(\d+)")
WEEKS = re.compile(r"\bweeks?\s+(\d+)(?:\s*[-–—]\s*(\d+))?", re.I)
TIMELINE_WEEKS = re.compile(r"(\d+)(?:\s*[-–—]\s*(\d+))?\s*weeks?", re.I)
PHASE = re.compile(
    r"^phase\s+(\d+)\s*(?:[:.\-–—]\s*|\(\s*)?([^()]*?)\)?\s*(?:\(|$)", re.I
)
ITEM_CODE = re.compile(r"^(\d+(?:\.\d+)+)\s+(.*)$")
NUMBERED_TITLE = re.compile(r"^\d+[.)]\s+(.*)$")
VENDOR_LINE = re.compile(
    r"^\**(?P<name>[^*()]+?)\**\s*\((?P<service>[^)]+)\)\s*(?:[-–—:]\s*(?P<what>.*))?$"
)
FILENAME = re.compile(r"([\w.-]+\.md)\b")
TARGET = re.compile(
    r"(?<![\w.])(?P<cmp><=|>=|≤|≥|<|>|=)?\s*(?P<num>\d+(?:\.\d+)?)\s*"
    r"(?P<unit>%|ms\b|s\b|seconds?\b|minutes?\b|mins?\b|hours?\b|days?\b|/\s*\w+)?"
    r"(?:\s*\((?P<qualifier>[^)]+)\))?"
)
ACRONYMS = {
    "AI", "API", "AWS", "BAA", "CDN", "DB", "DNS", "DPA", "GCP", "GDPR", "HIPAA",
    "HTTP", "LGPD", "MFA", "PHI", "SMS", "SQL", "SSL", "SSO", "TLS", "VPN",
}  # fmt: skip
UNITS = {
    "s": "s", "second": "s", "seconds": "s", "min": "minutes", "mins": "minutes",
    "minute": "minutes", "minutes": "minutes", "hour": "hours", "hours": "hours",
    "day": "days", "days": "days", "ms": "ms", "%": "%",
}  # fmt: skip
COMPARISONS = {"<": "lt", "<=": "le", "≤": "le", ">": "gt", ">=": "ge", "≥": "ge"}


@dataclass
class VendorEntry:
    name: str
    service: str
    handles_phi: bool
    phi_handling: str
    needs_dpa: bool
    line: int


@dataclass
class WorkItemEntry:
    title: str
    status: str
    code: str = ""
    details: list = field(default_factory=list)
    line: int = 0


@dataclass
class PhaseEntry:
    title: str
    number: int | None
    kind: str
    claimed: str = ""
    items: list = field(default_factory=list)
    line: int = 0


@dataclass
class ChecklistEntry:
    section: str
    title: str
    note: str
    status: str
    blocking: bool
    line: int


@dataclass
class SectionEntry:
    name: str
    claimed: str
    line: int


@dataclass
class MetricEntry:
    name: str
    category: str
    comparison: str
    target: Decimal | None
    unit: str
    target_text: str
    current: Decimal | None
    line: int


@dataclass
class RunbookEntry:
    title: str
    filename: str
    line: int


@dataclass
class MilestoneEntry:
    title: str
    label: str
    note: str
    starts_on: datetime.date
    ends_on: datetime.date
    tasks: list = field(default_factory=list)  # (title, done)
    line: int = 0


@dataclass
class PlanDocument:
    name: str = ""
    as_of: datetime.date | None = None
    claimed_status: str = ""
    target_launch: datetime.date | None = None
    vendors: list = field(default_factory=list)
    phases: list = field(default_factory=list)
    optional_items: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    checklist: list = field(default_factory=list)
    metrics: list = field(default_factory=list)
    runbooks: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)  # (line number, text)

    def is_empty(self):
        return not (
            self.vendors
            or self.phases
            or self.checklist
            or self.metrics
            or self.runbooks
            or self.milestones
        )


# --- Text repair -----------------------------------------------------------------


def decode(data):
    """Bytes of a status document to repaired text, or DocumentError."""
    if not data.strip():
        raise DocumentError("the file is empty")
    if b"\x00" in data:
        raise DocumentError("the file is binary, not a text document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DocumentError(
            f"the file is not UTF-8 text (undecodable byte at offset {error.start})"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return repair_mojibake(text)


NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def repair_mojibake(text):
    """Undo UTF-8 that was once decoded as Mac Roman, Windows-1252 or Latin-1.

    ftfy knows the Windows-1252 and Latin-1 round trips but reads "‚úÖ" (a Mac
    Roman one) as a curly quote. Some short runs are valid either way ("Ã£" is
    "ã" from Windows-1252 and a combining mark from Mac Roman), so the document
    is judged as a whole: Mac Roman is undone only when more of its non-ASCII
    runs round-trip through Mac Roman than through Windows-1252 or Latin-1.
    """
    runs = NON_ASCII_RUN.findall(text)
    mac_roman = sum(round_trips(run, "mac_roman") for run in runs)
    windows = sum(
        round_trips(run, "cp1252") or round_trips(run, "latin-1") for run in runs
    )
    if mac_roman > windows:
        text = NON_ASCII_RUN.sub(
            lambda match: (
                match.group(0).encode("mac_roman").decode("utf-8")
                if round_trips(match.group(0), "mac_roman")
                else match.group(0)
            ),
            text,
        )
    return ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")


def round_trips(run, encoding):
    """Whether `run` is UTF-8 bytes that were wrongly decoded with `encoding`."""
    try:
        run.encode(encoding).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False
    return True


def strip_marks(text):
    """Remove emoji, status shortcodes and Markdown emphasis; fold spaces."""
    for mark in STATUS_MARKS:
        if mark.startswith(":"):
            text = text.replace(mark, " ")
    text = "".join(
        " " if unicodedata.category(ch) in ("So", "Cs", "Co") else ch
        for ch in text
        if ch not in "\ufe0f\u200d"
    )
    text = text.replace("**", "").replace("__", "").replace("`", "")
    return " ".join(text.split()).strip(" -–—:")


def status_mark(text):
    for mark, status in STATUS_MARKS.items():
        if mark in text:
            return status
    return None


def status_from_words(text):
    for pattern, status in STATUS_WORDS:
        if pattern.search(text):
            return status
    return None


def mentions_baas(text):
    """Whether a checklist item is about business associate agreements."""
    return bool(re.search(r"\bBAAs?\b|business associate", text, re.I))


def split_note(title):
    """Split a trailing remark off a title.

    "Test coverage >70% (security >90%)" -> ("Test coverage >70%", "security >90%").
    """
    match = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", title)
    if match and match.group(1):
        return match.group(1).strip(), match.group(2).strip()
    return title, ""


def title_from_filename(filename):
    stem = filename.rsplit("/", 1)[-1].removesuffix(".md")
    words = re.split(r"[_\-\s]+", stem)
    return " ".join(
        w.upper() if w.upper() in ACRONYMS else w.capitalize() for w in words
    )


def tidy_title(text):
    """An all-caps heading such as "LAUNCH" reads as "Launch"."""
    if text.isupper() and text not in ACRONYMS:
        return " ".join(w if w in ACRONYMS else w.capitalize() for w in text.split())
    return text


# The portal counts weeks past a plan's dates; outside these years that overflows.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def within_calendar(day, line, text):
    if not FIRST_DAY <= day <= LAST_DAY:
        raise DocumentError(
            f"line {line}: {text!r} is not between {FIRST_DAY} and {LAST_DAY}"
        )
    return day


def weeks_later(day, weeks, line, text, days=0):
    """`day` plus the weeks a line of the document names, within the calendar."""
    try:
        later = day + datetime.timedelta(weeks=weeks, days=days)
    except OverflowError:
        raise DocumentError(
            f"line {line}: {text!r} reaches past the year 9999"
        ) from None
    return within_calendar(later, line, text)


def parse_date(text):
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%Y/%m/%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# --- Structure ---------------------------------------------------------------------


@dataclass
class Heading:
    level: int
    text: str  # as written, marks included
    title: str  # marks removed
    line: int
    parent: "Heading | None"
    role: str = ""  # what the section holds: "phase", "checklist", "metrics"...
    phase: PhaseEntry | None = None
    section: SectionEntry | None = None
    category: str = ""
    phase_levels: set = field(default_factory=set)  # levels of child phase headings

    def within(self, role):
        node = self
        while node is not None:
            if node.role == role:
                return node
            node = node.parent
        return None

    def mentions(self, word):
        node = self
        while node is not None:
            if word in node.title.lower():
                return True
            node = node.parent
        return False


# Sections whose sub-headings belong to them, whatever words those headings use:
# "Week 1-2: BAA Outreach" is a milestone, not a vendor section.
CONTAINERS = {"checklist", "launch_path", "metrics", "optional", "phase", "summary"}


def heading_role(title, parent):
    if parent is not None and any(parent.within(role) for role in CONTAINERS):
        return "phase" if PHASE.match(title) else ""
    lowered = title.lower()
    if "checklist" in lowered:
        return "checklist"
    if re.search(
        r"launch path|go-live path|path to (launch|go-live)|roadmap|milestone", lowered
    ):
        return "launch_path"
    if "metric" in lowered or "kpi" in lowered:
        return "metrics"
    if "optional" in lowered or "nice-to-have" in lowered or "nice to have" in lowered:
        return "optional"
    if PHASE.match(title):
        return "phase"
    if "summary" in lowered or "takeaway" in lowered or "next action" in lowered:
        return "summary"
    if re.search(r"\bbaas?\b|business associate|vendor", lowered):
        return "vendors"
    return ""


def phase_kind(title):
    lowered = title.lower()
    if "critical" in lowered or "blocker" in lowered:
        return "critical_blockers"
    if "quick win" in lowered:
        return "quick_wins"
    if "document" in lowered:
        return "documentation"
    if "defer" in lowered or "postpone" in lowered or "post-launch" in lowered:
        return "deferred"
    return "other"


def phase_from_label(label):
    """ "Phase 1 (Critical Blockers)" or "Phase 1: Critical Blockers" -> (1, title)."""
    match = PHASE.match(label)
    if not match:
        return None, label
    number = int(match.group(1))
    name = match.group(2).strip() or re.sub(r"^phase\s+\d+\s*", "", label, flags=re.I)
    name = name.strip(" ()") or f"Phase {number}"
    return number, f"Phase {number}: {name}"


class Reader:
    def __init__(self, text):
        self.lines = text.split("\n")
        self.doc = PlanDocument()
        self.heading = None
        self.phase = None
        self.work_item = None
        self.milestone = None
        self.section = None
        self.phase_claims = []  # (label, status, claim, line) from summary bullets

    def read(self):
        for number, raw in enumerate(self.lines, start=1):
            line = raw.rstrip()
            if not line.strip() or re.fullmatch(r"\s*([-*_])(\s*\1){2,}\s*", line):
                continue
            heading = HEADING.match(line)
            if heading:
                self.enter_heading(len(heading.group(1)), heading.group(2), number)
                continue
            if not self.read_line(line, number) and self.is_content(line):
                self.doc.unplaced.append((number, line.strip()))
        self.finish()
        return self.doc

    @staticmethod
    def is_content(line):
        """Lines worth reporting when unplaced: list entries and status marks."""
        return bool(LIST_ITEM.match(line) or status_mark(line))

    # Headings open sections; what a section holds depends on its role.

    def enter_heading(self, level, text, number):
        parent = self.heading
        while parent is not None and parent.level >= level:
            parent = parent.parent
        title = strip_marks(text)
        heading = Heading(level, text, title, number, parent)
        heading.role = heading_role(title, parent)
        self.heading = heading
        self.work_item = None
        self.milestone = None

        if self.doc.name == "" and level == 1:
            self.doc.name = title
            heading.role = "title"
            return
        if heading.role == "phase":
            self.open_phase(heading)
            return
        if self.open_sibling_phase(heading):
            return

        if (
            heading.within("checklist")
            and heading.role in ("", "checklist")
            and (heading.parent and heading.parent.within("checklist"))
        ):
            self.open_section(heading)
        elif heading.within("launch_path") and WEEKS.search(title):
            self.open_milestone(heading)
        elif heading.within("optional") and heading.role != "optional":
            self.open_work_item(heading, optional=True)
        elif heading.within("phase") and not heading.role:
            self.open_work_item(heading)
        elif heading.within("metrics") and heading.role != "metrics":
            heading.category = re.sub(r"\s*\(.*\)$", "", title)

    def open_phase(self, heading):
        number, title = phase_from_label(heading.title)
        claim = re.search(r"\(([^()]*)\)\s*$", heading.title)
        self.phase = self.add_phase(title, number, heading.line)
        if claim and not self.phase.claimed:
            self.phase.claimed = claim.group(1)
        heading.phase = self.phase

    def open_sibling_phase(self, heading):
        """A heading beside "Phase N" ones, like "Clinical Workflows", is a phase."""
        if heading.role or heading.parent is None:
            return False
        if heading.level not in heading.parent.phase_levels:
            return False
        heading.role = "phase"
        title, claim = split_note(heading.title)
        self.phase = self.add_phase(title, None, heading.line)
        self.phase.claimed = self.phase.claimed or claim
        heading.phase = self.phase
        return True

    def add_phase(self, title, number, line):
        if self.heading.parent is not None:
            self.heading.parent.phase_levels.add(self.heading.level)
        for phase in self.doc.phases:
            if (number is not None and phase.number == number) or (
                phase.title.lower() == title.lower()
            ):
                return phase
        phase = PhaseEntry(title, number, phase_kind(title), line=line)
        self.doc.phases.append(phase)
        return phase

    def open_work_item(self, heading, optional=False):
        text = heading.title
        code = ""
        coded = ITEM_CODE.match(text)
        numbered = NUMBERED_TITLE.match(text)
        if coded:
            code, text = coded.groups()
        elif numbered:
            text = numbered.group(1)
        item = WorkItemEntry(tidy_title(text), status_mark(heading.text) or "", code)
        item.line = heading.line
        if optional:
            self.doc.optional_items.append(item)
        else:
            heading.within("phase").phase.items.append(item)
        self.work_item = item

    def open_section(self, heading):
        name = re.sub(r"\s*\(.*\)$", "", heading.title).strip() or heading.title
        count = COUNT.search(heading.title)
        self.section = SectionEntry(
            name, f"{count.group(1)}/{count.group(2)}" if count else "", heading.line
        )
        self.doc.sections.append(self.section)
        heading.section = self.section

    def open_milestone(self, heading):
        weeks = WEEKS.search(heading.title)
        first = int(weeks.group(1))
        last = int(weeks.group(2) or first)
        if last < first or first < 1:
            raise DocumentError(
                f"line {heading.line}: {weeks.group(0)!r} ends before it starts"
            )
        label = weeks.group(0).strip()
        rest = heading.title[weeks.end() :].strip(" :-–—")
        title, note = split_note(rest)
        as_of = self.doc.as_of
        if as_of is None:
            raise DocumentError(
                f"line {heading.line}: week-based milestones need the document's "
                "date (a 'Date:' line) before them"
            )
        self.milestone = MilestoneEntry(
            tidy_title(title or label),
            label[0].upper() + label[1:],
            note,
            weeks_later(as_of, first - 1, heading.line, label),
            weeks_later(as_of, last, heading.line, label, days=-1),
            line=heading.line,
        )
        self.doc.milestones.append(self.milestone)

    # Lines inside sections.

    def ancestry(self):
        node = self.heading
        while node is not None:
            yield node
            node = node.parent

    def read_line(self, line, number):
        stripped = line.strip()
        meta = META.match(stripped)
        if meta and self.read_meta(meta, number):
            return True
        heading = self.heading
        if heading is None:
            return False
        item = LIST_ITEM.match(line)
        body = item.group(3) if item else stripped

        if self.milestone is not None and item:
            box = CHECKBOX.match(body)
            if box:
                self.milestone.tasks.append(
                    (strip_marks(box.group(2)), box.group(1) != " ")
                )
                return True
        if heading.within("checklist") and item:
            return self.read_checklist_line(body, number)
        if heading.within("metrics") and item:
            return self.read_metric_line(body, number)
        numbered = bool(item and item.group(2))
        if (
            heading.within("vendors")
            and numbered
            and self.read_vendor_line(body, number)
        ):
            return True
        if self.read_runbook_line(body, bool(item), number):
            return True
        if heading.within("summary") and item and self.read_phase_claim(body, number):
            return True
        if self.work_item is not None:
            return self.read_work_item_line(body, bool(item and item.group(2)), number)
        return False

    def read_meta(self, meta, number):
        key = (meta.group(1) or meta.group(3) or "").strip().lower()
        value = strip_marks(meta.group(2) or meta.group(4) or "")
        if (
            key in ("date", "as of", "last updated", "updated")
            and self.doc.as_of is None
        ):
            self.doc.as_of = parse_date(value)
            if self.doc.as_of is None:
                raise DocumentError(f"line {number}: unreadable date {value!r}")
            within_calendar(self.doc.as_of, number, value)
            return True
        if key in ("overall status",) and not self.doc.claimed_status:
            self.doc.claimed_status = value
            return True
        if key in ("timeline", "eta to launch", "target launch"):
            launch = parse_date(value)
            weeks = TIMELINE_WEEKS.search(value)
            if launch:
                within_calendar(launch, number, value)
                self.doc.target_launch = self.doc.target_launch or launch
            elif weeks and self.doc.as_of and self.doc.target_launch is None:
                most = int(weeks.group(2) or weeks.group(1))
                self.doc.target_launch = weeks_later(
                    self.doc.as_of, most, number, value
                )
            return True
        return False

    def read_checklist_line(self, body, number):
        box = CHECKBOX.match(body)
        if box:
            status = "done" if box.group(1) != " " else "pending"
            body = box.group(2)
        else:
            status = status_mark(body)
        if status is None:
            return False
        title, note = split_note(strip_marks(body))
        if self.section is None:
            self.section = SectionEntry("General", "", number)
            self.doc.sections.append(self.section)
        blocking = not re.search(
            r"non-?blocking|optional|nice.to.have", note + title, re.I
        )
        self.doc.checklist.append(
            ChecklistEntry(self.section.name, title, note, status, blocking, number)
        )
        return True

    def read_metric_line(self, body, number):
        label = BOLD_LABEL.match(body)
        if not label:
            return False
        name = strip_marks(label.group(1))
        rest = strip_marks(label.group(2))
        category = next((h.category for h in self.ancestry() if h.category), "")
        current = None
        current_match = re.search(r"current\s*[:=]?\s*~?\s*(\d+(?:\.\d+)?)", rest, re.I)
        if current_match:
            current = Decimal(current_match.group(1))
        target_part = rest
        target_match = re.search(r"target\s*[:=]?\s*(.*)$", rest, re.I)
        if target_match:
            target_part = target_match.group(1)
        targets = [
            m for m in TARGET.finditer(target_part) if m.group("num") is not None
        ]
        if not targets:
            return False
        qualified = [m for m in targets if m.group("qualifier")]
        chosen = qualified if len(qualified) > 1 else targets[:1]
        for match in chosen:
            metric_name = name
            if len(chosen) > 1:
                metric_name = f"{name} ({match.group('qualifier')})"
            wording = match.group(0) if len(chosen) > 1 else target_part
            self.doc.metrics.append(
                self.metric_entry(
                    metric_name, category, match, wording, current, number
                )
            )
        return True

    @staticmethod
    def metric_entry(name, category, match, target_text, current, number):
        value = Decimal(match.group("num"))
        cmp = match.group("cmp")
        if cmp in COMPARISONS:
            comparison = COMPARISONS[cmp]
        elif cmp == "=":
            comparison = "eq"
        else:
            # "Breach Incidents: 0" means at most zero; "Backup Success: 100%" at least.
            comparison = "le" if value == 0 else "ge"
        unit = (match.group("unit") or "").replace(" ", "")
        if unit.startswith("/"):
            unit = f"per {unit[1:]}"
        else:
            unit = UNITS.get(unit.lower(), unit)
        return MetricEntry(
            name,
            category,
            comparison,
            value,
            unit,
            target_text.strip(),
            current,
            number,
        )

    def read_vendor_line(self, body, number):
        match = VENDOR_LINE.match(strip_marks(body))
        if not match:
            return False
        what = (match.group("what") or "").strip()
        no_phi = re.search(r"\b(no|without|never)\s+PHI\b", what, re.I)
        self.doc.vendors.append(
            VendorEntry(
                name=match.group("name").strip(),
                service=match.group("service").strip(),
                handles_phi=not no_phi,
                phi_handling=what,
                needs_dpa=bool(re.search(r"\b(DPA|LGPD|GDPR)\b", body)),
                line=number,
            )
        )
        return True

    def read_runbook_line(self, body, is_item, number):
        in_runbooks = self.heading.mentions("runbook")
        for filename in FILENAME.findall(body):
            path_match = re.search(r"[\w./-]*runbooks/" + re.escape(filename), body)
            if (
                in_runbooks and is_item and body.strip(" `*") == filename
            ) or path_match:
                if all(r.filename != filename for r in self.doc.runbooks):
                    self.doc.runbooks.append(
                        RunbookEntry(title_from_filename(filename), filename, number)
                    )
                return True
        return False

    def read_phase_claim(self, body, number):
        """A summary bullet like "✅ **Phase 1 (Critical Blockers):** 100% COMPLETE"."""
        label = BOLD_LABEL.match(re.sub(r"^[^\w*]+", "", body))
        mark = status_mark(body)
        if not label or mark is None:
            return False
        self.phase_claims.append(
            (strip_marks(label.group(1)), mark, label.group(2), number)
        )
        return True

    def read_work_item_line(self, body, numbered, number):
        item = self.work_item
        status_line = re.match(r"^\**status:?\**:?\s*(.*)$", body, re.I)
        if status_line:
            text = status_line.group(1)
            item.status = status_from_words(text) or status_mark(text) or item.status
            item.details.append(strip_marks(body))
            return True
        mark = status_mark(body)
        if numbered and mark:
            # A numbered, status-marked line under a work item is a work item too.
            title = strip_marks(body)
            title = re.split(r"\s+[-–—]\s+", title, maxsplit=1)[0]
            phase = self.heading.within("phase")
            if phase is not None:
                phase.phase.items.append(WorkItemEntry(title, mark, line=number))
                return True
        item.details.append(strip_marks(body))
        return True

    def finish(self):
        if self.doc.as_of is None:
            raise DocumentError("no document date found (a 'Date: YYYY-MM-DD' line)")
        for label, _mark, claim, number in self.phase_claims:
            number_, title = phase_from_label(label)
            match = next(
                (
                    p
                    for p in self.doc.phases
                    if (number_ is not None and p.number == number_)
                    or p.title.lower() == title.lower()
                ),
                None,
            )
            if match is None and number_ is None:
                self.doc.unplaced.append((number, f"{label}: {claim}"))
                continue
            if match is None:
                match = PhaseEntry(title, number_, phase_kind(title), line=number)
                self.doc.phases.append(match)
            match.claimed = strip_marks(claim) or match.claimed
        for item in self.doc.optional_items + [
            i for p in self.doc.phases for i in p.items
        ]:
            item.status = item.status or "pending"
        self.doc.phases.sort(key=lambda p: (p.number is None, p.number or 0, p.line))
        if self.doc.target_launch is None and self.doc.milestones:
            self.doc.target_launch = self.doc.milestones[-1].starts_on


def read(data):
    """Parse the bytes of a status document; DocumentError when it is not one."""
    doc = Reader(decode(data)).read()
    if doc.is_empty():
        raise DocumentError(
            "nothing recognisable: no vendors, phases, checklist, metrics, runbooks "
            "or milestones found"
        )
    if not doc.name:
        doc.name = "Launch plan"
    return doc
