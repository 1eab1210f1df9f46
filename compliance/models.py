import datetime
import operator
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    """The marks a status document uses, shared by work items and checklist items."""

    DONE = "done", "Done"
    IN_PROGRESS = "in_progress", "In progress"
    PENDING = "pending", "Pending"
    WARNING = "warning", "Needs attention"
    FAILED = "failed", "Not done"
    PAUSED = "paused", "Paused"


# Pages count weeks and days past these dates; near the end of the calendar
# that arithmetic overflows and every page showing the plan would fail.
CALENDAR_MESSAGE = "Give a date between 2000-01-01 and 2099-12-31."
PLAN_DATES = [
    MinValueValidator(datetime.date(2000, 1, 1), CALENDAR_MESSAGE),
    MaxValueValidator(datetime.date(2099, 12, 31), CALENDAR_MESSAGE),
]


class Plan(models.Model):
    name = models.CharField(max_length=200, unique=True)
    as_of = models.DateField(
        help_text="The date the status document was written.", validators=PLAN_DATES
    )
    target_launch = models.DateField(null=True, blank=True, validators=PLAN_DATES)
    claimed_status = models.CharField(
        max_length=200, blank=True, help_text="What the document says of itself."
    )
    source_name = models.CharField(
        max_length=255, blank=True, help_text="File the plan was last imported from."
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of", "name"]
        get_latest_by = "as_of"

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        """The plan the pages show: the most recent status document."""
        return cls.objects.order_by("-as_of", "-pk").first()


class Phase(models.Model):
    class Kind(models.TextChoices):
        CRITICAL_BLOCKERS = "critical_blockers", "Critical blockers"
        QUICK_WINS = "quick_wins", "Quick wins"
        DOCUMENTATION = "documentation", "Documentation"
        DEFERRED = "deferred", "Deferred"
        OTHER = "other", "Other"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=200)
    claimed = models.CharField(
        max_length=200, blank=True, help_text="Progress the document claims."
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"], name="phase_title_unique"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def item_count(self):
        return len(self.items.all())

    @property
    def done_count(self):
        """Counted from prefetched items, so a page lists phases in one query."""
        return sum(item.is_done for item in self.items.all())


class WorkItem(models.Model):
    """A piece of work in a phase, or an optional improvement outside the phases."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="work_items")
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(max_length=20, blank=True, help_text="For example 1.3.")
    title = models.CharField(max_length=300)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    optional = models.BooleanField(default=False)
    details = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    @property
    def is_done(self):
        return self.status == Status.DONE


class ChecklistSection(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="checklist_sections"
    )
    name = models.CharField(max_length=120)
    claimed = models.CharField(
        max_length=120, blank=True, help_text='Count the document claims, e.g. "12/12".'
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"], name="section_name_unique"
            ),
        ]

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    class Derived(models.TextChoices):
        """Items whose status is computed from other data, never ticked by hand."""

        NO = "", "Ticked by hand"
        VENDOR_BAAS = "vendor_baas", "All PHI vendors have a signed BAA"
        ONCALL_COVERAGE = "oncall_coverage", "On-call shifts cover the launch weeks"

        @classmethod
        def for_title(cls, title):
            """On-call derivation from an imported item's wording (the BAA one is
            recognised by `plan_document.mentions_baas`)."""
            words = title.lower().replace("on call", "on-call")
            if "on-call" in words and ("rotation" in words or "schedul" in words):
                return cls.ONCALL_COVERAGE
            return cls.NO

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="checklist")
    section = models.ForeignKey(
        ChecklistSection, on_delete=models.CASCADE, related_name="items"
    )
    # The status document does not tie checklist items to phases, so import_plan
    # leaves this empty; it is set by hand (admin) and the checklist groups by it.
    phase = models.ForeignKey(
        Phase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
        help_text="The phase whose work this item checks, when there is one.",
    )
    title = models.CharField(max_length=300)
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    blocking = models.BooleanField(default=True, help_text="Launch waits for it.")
    derived = models.CharField(
        max_length=20, choices=Derived.choices, default=Derived.NO, blank=True
    )
    metric = models.ForeignKey(
        "Metric",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checklist_items",
        help_text="While this metric misses its target the item is contradicted.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_checklist_items",
    )
    evidence = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "section__position", "position"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("compliance:checklist_item", args=[self.pk])

    @property
    def is_done(self):
        return self.status == Status.DONE

    @property
    def is_contradicted(self):
        """Ticked done while its metric misses the target."""
        if self.status != Status.DONE or self.metric is None:
            return False
        return self.metric.is_met() is False


class Metric(models.Model):
    class Comparison(models.TextChoices):
        LT = "lt", "<"
        LE = "le", "≤"
        GT = "gt", ">"
        GE = "ge", "≥"
        EQ = "eq", "="

    COMPARE = {
        Comparison.LT: operator.lt,
        Comparison.LE: operator.le,
        Comparison.GT: operator.gt,
        Comparison.GE: operator.ge,
        Comparison.EQ: operator.eq,
    }

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=120, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    comparison = models.CharField(
        max_length=2, choices=Comparison.choices, default=Comparison.LE
    )
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target_text = models.CharField(
        max_length=200, blank=True, help_text="The target as the document words it."
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="metric_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def latest(self):
        """Newest measurement; uses prefetched rows when there are any."""
        measurements = sorted(
            self.measurements.all(), key=lambda m: (m.measured_at, m.pk), reverse=True
        )
        return measurements[0] if measurements else None

    @property
    def current(self):
        latest = self.latest
        return latest.value if latest else None

    def meets(self, value):
        if self.target is None or value is None:
            return None
        return self.COMPARE[self.comparison](Decimal(value), self.target)

    def is_met(self):
        """True or False against the latest measurement, None when unknown."""
        return self.meets(self.current)

    def record(self, value, by=None, source="", at=None):
        """Keep a new measurement; earlier ones stay for the trend."""
        measurement = Measurement(
            metric=self,
            value=value,
            measured_at=at or timezone.now(),
            recorded_by=by,
            source=source,
        )
        measurement._history_user = by
        measurement._change_reason = f"Measured {format_number(value)}"
        measurement.save()
        return measurement

    def target_display(self):
        if self.target is None:
            return self.target_text
        number = format_number(self.target)
        return f"{self.get_comparison_display()} {number}{self.unit_suffix()}"

    def unit_suffix(self):
        if not self.unit:
            return ""
        return self.unit if self.unit == "%" else f" {self.unit}"


class Measurement(models.Model):
    metric = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="measurements"
    )
    value = models.DecimalField(max_digits=14, decimal_places=4)
    measured_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField(max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "-measured_at", "-pk"]
        get_latest_by = "measured_at"

    def __str__(self):
        return f"{self.metric.name}: {format_number(self.value)}"


class Runbook(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    filename = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    # Bounded so that the next review date stays a date a calendar has.
    review_interval_days = models.PositiveIntegerField(
        default=90,
        validators=[
            MaxValueValidator(
                3650, "Review at least once every ten years: 3650 days or fewer."
            )
        ],
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "runbook"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("compliance:runbook", args=[self.slug])

    def review_due_on(self):
        if self.last_reviewed_on is None:
            return None
        return self.last_reviewed_on + datetime.timedelta(
            days=self.review_interval_days
        )

    def is_review_overdue(self, today):
        """A runbook nobody ever reviewed is overdue too: nobody vouches for it."""
        due = self.review_due_on()
        return due is None or due < today

    @classmethod
    def review_overdue(cls, today):
        """Runbooks whose review is overdue on `today` (portal date), oldest first.

        Filtered in Python: a team keeps a handful of runbooks, not thousands.
        """
        runbooks = cls.objects.select_related("owner")
        overdue = [runbook for runbook in runbooks if runbook.is_review_overdue(today)]
        return sorted(overdue, key=lambda r: r.review_due_on() or datetime.date.min)


class Milestone(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    label = models.CharField(max_length=60, blank=True, help_text='e.g. "Week 1-2".')
    note = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(validators=PLAN_DATES)
    ends_on = models.DateField(validators=PLAN_DATES)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "starts_on", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"], name="milestone_title_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="milestone_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def duration(self):
        return (self.ends_on - self.starts_on).days + 1


# Tasks that put the product in front of real patients. Detected from the
# wording so that imported plans need no extra marking; a task worded otherwise
# ("ship it") is not a gate, which is the price of needing no import change.
LAUNCH_GATE_WORDING = re.compile(
    r"\b(deploy\w* (to|in|into) production|go(es|ing)?[- ]live|real patients)\b",
    re.I,
)


class MilestoneTask(models.Model):
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(max_length=300)
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    done_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone", "position"]

    def __str__(self):
        return self.title

    @property
    def is_launch_gate(self):
        """Starting production: it may only be ticked while nothing blocks launch."""
        return bool(LAUNCH_GATE_WORDING.search(self.title))


MAX_SHIFT = datetime.timedelta(days=31)


class Shift(models.Model):
    """An engineer on call from `starts_at` until `ends_at`."""

    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shifts"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    escalation_contact = models.CharField(
        max_length=200, help_text="Who to call when the engineer does not answer."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
            ),
        ]
        # The on-call page and the coverage check read shifts by time window.
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="shift_window")]

    def __str__(self):
        return f"{self.engineer} from {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        if not (self.starts_at and self.ends_at):
            return
        # A time late in 9999 is stored as year 10000 in UTC, which no page can
        # read back; and one endless shift would cover any launch window.
        if self.starts_at.year < 2000 or self.ends_at.year >= 2100:
            raise ValidationError(
                {"ends_at": "Give times between the years 2000 and 2099."}
            )
        if self.ends_at - self.starts_at > MAX_SHIFT:
            raise ValidationError(
                {
                    "ends_at": "A shift lasts at most 31 days; split a longer "
                    "rotation into shifts."
                }
            )


def format_number(value):
    """30.0000 -> "30", 99.9000 -> "99.9"."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text
