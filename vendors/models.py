from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords


class VendorQuerySet(models.QuerySet):
    def handling_phi(self):
        return self.filter(handles_phi=True)

    def without_signed_baa(self):
        """PHI vendors with no signed BAA: each one blocks launch."""
        signed = Agreement.objects.filter(
            vendor=models.OuterRef("pk"),
            kind=Agreement.Kind.BAA,
            status=Agreement.Status.SIGNED,
        )
        return self.handling_phi().exclude(models.Exists(signed))


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
                Lower(Trim("name")), name="vendor_name_unique_ignoring_case"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        if not self.slug:
            self.slug = slugify(self.name)[:140] or "vendor"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("vendors:detail", args=[self.slug])

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

    class Meta:
        ordering = ["vendor__name", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "kind"], name="one_agreement_per_vendor_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.vendor.name} {self.get_kind_display()}"

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED
