import datetime

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models.functions import Coalesce, Lower, Trim
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords


class VendorQuerySet(models.QuerySet):
    def handling_phi(self):
        return self.filter(handles_phi=True)

    def with_baa_status(self, status):
        """Vendors whose BAA has `status`; a missing BAA counts as not started."""
        baas = Agreement.objects.filter(
            vendor=models.OuterRef("pk"), kind=Agreement.Kind.BAA
        )
        if status == Agreement.Status.NOT_STARTED:
            return self.exclude(models.Exists(baas.exclude(status=status)))
        return self.filter(models.Exists(baas.filter(status=status)))

    def blocking_first(self):
        """Vendors that block launch (as `Vendor.blocks_launch` says) first, then
        the others, each by name."""
        signed = Agreement.objects.filter(
            vendor=models.OuterRef("pk"),
            kind=Agreement.Kind.BAA,
            status=Agreement.Status.SIGNED,
        )
        blocking = models.Q(handles_phi=True) & ~models.Exists(signed)
        return self.alias(
            blocking=models.ExpressionWrapper(
                blocking, output_field=models.BooleanField()
            )
        ).order_by("-blocking", "name")

    def with_follow_up_overdue(self, today):
        overdue = Agreement.objects.follow_up_overdue(today).filter(
            vendor=models.OuterRef("pk")
        )
        return self.filter(models.Exists(overdue))


def tidy_name(name):
    """One plain space between words: "Acme\tCorp " is "Acme Corp"."""
    return " ".join((name or "").split())


class Vendor(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    service = models.CharField(max_length=200, blank=True)
    handles_phi = models.BooleanField(
        "handles PHI", default=True, help_text="Touches protected health information."
    )
    phi_handling = models.CharField(
        "how it handles PHI",
        max_length=300,
        blank=True,
        help_text="For example: caches session data, processes patient recordings.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Every write path (forms, admin, CSV import, the plan importer) ends
            # here, so "Sentry" and " sentry " can never both exist.
            models.UniqueConstraint(
                Lower(Trim("name")),
                name="vendor_name_unique_ignoring_case",
                violation_error_message="A vendor with this name already exists; "
                "names may not differ only in case or spaces.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = tidy_name(self.name)
        if not self.slug:
            self.slug = slugify(self.name)[:140] or "vendor"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("vendors:detail", args=[self.slug])

    def clean(self):
        # Tidied before the constraint is checked, as save() will store it.
        self.name = tidy_name(self.name)

    def agreement(self, kind):
        """The vendor's agreement of this kind, or None; uses prefetched rows."""
        for agreement in self.agreements.all():
            if agreement.kind == kind:
                return agreement
        return None

    @property
    def baa(self):
        return self.agreement(Agreement.Kind.BAA)

    @property
    def dpa(self):
        return self.agreement(Agreement.Kind.DPA)

    @property
    def blocks_launch(self):
        baa = self.baa
        return self.handles_phi and (baa is None or not baa.is_signed)

    def next_follow_up_on(self):
        """The earliest follow-up due on any of its agreements, or None."""
        dates = [a.next_follow_up_on for a in self.agreements.all()]
        return min((d for d in dates if d), default=None)


class AgreementQuerySet(models.QuerySet):
    def awaiting_reply(self):
        return self.filter(status__in=Agreement.AWAITING_REPLY)

    def follow_up_due(self, today):
        """Agreements whose next follow-up falls on `today` or earlier."""
        cutoff = today - datetime.timedelta(days=settings.PORTAL_FOLLOW_UP_DAYS)
        return (
            self.awaiting_reply()
            .annotate(_contact=Coalesce("last_contact_on", "requested_on"))
            .filter(_contact__lte=cutoff)
        )

    def follow_up_overdue(self, today):
        return self.follow_up_due(today - datetime.timedelta(days=1))

    def expiring(self, today, within_days=60):
        """Signed agreements whose expiry or renewal date is near (or passed)."""
        return self.filter(
            status=Agreement.Status.SIGNED,
            expires_on__isnull=False,
            expires_on__lte=today + datetime.timedelta(days=within_days),
        )


class Agreement(models.Model):
    class Kind(models.TextChoices):
        BAA = "baa", "BAA"
        DPA = "dpa", "DPA"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        REQUESTED = "requested", "Requested"
        IN_NEGOTIATION = "in_negotiation", "In negotiation"
        SIGNED = "signed", "Signed"
        NOT_REQUIRED = "not_required", "Not required"
        DECLINED = "declined", "Declined"
        TERMINATED = "terminated", "Terminated"

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.BAA)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_agreements",
        help_text="Who chases this agreement; reminders go to them.",
    )
    requested_on = models.DateField(null=True, blank=True)
    requested_to = models.CharField(max_length=200, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(
        null=True, blank=True, help_text="Expiry or renewal date."
    )
    reason = models.TextField(
        blank=True, help_text="Why it is not required, declined or terminated."
    )
    notes = models.TextField(blank=True)
    # Incremented on every save; a form posted from a stale copy is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    # The vendor owes an answer: these are the states that get follow-ups.
    AWAITING_REPLY = [Status.REQUESTED, Status.IN_NEGOTIATION]

    class Meta:
        ordering = ["vendor__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "kind"], name="one_agreement_per_vendor_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.vendor.name} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED

    @property
    def last_contact(self):
        return self.last_contact_on or self.requested_on

    @property
    def next_follow_up_on(self):
        """A week (PORTAL_FOLLOW_UP_DAYS) after the last contact, while awaited."""
        if self.status not in self.AWAITING_REPLY or self.last_contact is None:
            return None
        return self.last_contact + datetime.timedelta(
            days=settings.PORTAL_FOLLOW_UP_DAYS
        )

    def days_since_request(self, today):
        if self.requested_on is None:
            return None
        return (today - self.requested_on).days

    def current_document(self):
        """The latest uploaded version; uses prefetched rows when there are some."""
        documents = list(self.documents.all())
        return max(documents, key=lambda d: d.pk, default=None)


class AgreementEvent(models.Model):
    """One thing that happened to an agreement: the agreement's timeline."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "Request sent"
        FOLLOW_UP = "follow_up", "Follow-up"
        NEGOTIATION = "negotiation", "Redlines received"
        SIGNED = "signed", "Signed"
        NOT_REQUIRED = "not_required", "Marked not required"
        DECLINED = "declined", "Declined"
        TERMINATED = "terminated", "Terminated"
        DOCUMENT = "document", "Document uploaded"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        PHONE = "phone", "Phone"
        MEETING = "meeting", "Meeting"
        PORTAL = "portal", "Vendor portal"
        OTHER = "other", "Other"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.agreement}: {self.get_kind_display()} on {self.happened_on}"


def agreement_storage():
    return storages["agreements"]


def document_path(document, filename):
    # The name the browser sent is kept in `original_name`, never in the path.
    agreement = document.agreement
    return f"{agreement.vendor.slug}/{agreement.kind}/{document.sha256}.pdf"


class AgreementDocument(models.Model):
    """One uploaded version of a signed agreement; earlier versions are kept."""

    # A signed agreement is evidence: deleting its agreement (or vendor) is
    # refused while a document exists, rather than losing the file's record.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="documents"
    )
    file = models.FileField(storage=agreement_storage, upload_to=document_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.agreement} document {self.sha256[:12]}"

    def get_absolute_url(self):
        return reverse("vendors:document", args=[self.agreement.vendor.slug, self.pk])


class VendorContact(models.Model):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FollowUpReminder(models.Model):
    """Bookkeeping of `send_reminders`: an agreement is reminded once a day."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reminders"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            # Two overlapping cron runs cannot both record (and so both send).
            models.UniqueConstraint(
                fields=["agreement", "sent_on"], name="one_reminder_per_agreement_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} reminded on {self.sent_on}"
