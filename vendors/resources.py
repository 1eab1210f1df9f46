from django.core.exceptions import ValidationError
from django.utils.text import slugify
from import_export import fields

from portal.resources import AuditedResource, NameWidget, user_widget

from .models import Agreement, Vendor


def unique_slug(name):
    """ "Sentry Inc." and "Sentry-Inc" are two vendors; the second gets "-2"."""
    base = slugify(name)[:130] or "vendor"
    slug, number = base, 1
    while Vendor.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


class VendorResource(AuditedResource):
    class Meta(AuditedResource.Meta):
        model = Vendor
        fields = ["id", "name", "service", "handles_phi", "phi_handling", "notes"]

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # The same tidying Vendor.save does, early enough for validation.
            instance.name = " ".join(str(instance.name or "").split())
            if not instance.slug:
                instance.slug = unique_slug(instance.name)

    def validate_instance(self, instance, import_validation_errors=None, **kwargs):
        errors = dict(import_validation_errors or {})
        same_name = (
            Vendor.objects.filter(name__iexact=instance.name)
            .exclude(pk=instance.pk)
            .first()
        )
        if same_name is not None:
            errors["name"] = ValidationError(
                f"A vendor named “{same_name.name}” already exists; names may not "
                "differ only in case or spaces."
            )
        super().validate_instance(instance, errors, **kwargs)


# Set only by `vendors.lifecycle`, which checks dates, reasons and the signed PDF.
LIFECYCLE_FIELDS = [
    "status",
    "requested_on",
    "last_contact_on",
    "signed_on",
    "effective_on",
    "expires_on",
    "reason",
]


class AgreementResource(AuditedResource):
    vendor = fields.Field(
        column_name="vendor",
        attribute="vendor",
        widget=NameWidget(Vendor, "name", "vendor"),
    )
    owner = fields.Field(column_name="owner", attribute="owner", widget=user_widget())

    class Meta(AuditedResource.Meta):
        model = Agreement
        fields = [
            "id",
            "vendor",
            "kind",
            "status",
            "owner",
            "requested_on",
            "requested_to",
            "last_contact_on",
            "signed_on",
            "effective_on",
            "expires_on",
            "reason",
            "notes",
        ]

    def validate_instance(self, instance, import_validation_errors=None, **kwargs):
        errors = dict(import_validation_errors or {})
        before = Agreement.objects.filter(pk=instance.pk).first() or Agreement()
        unknown_status = instance.status not in Agreement.Status.values
        for name in LIFECYCLE_FIELDS:
            if name in errors or (name == "status" and unknown_status):
                continue  # the field's own error says more
            if getattr(instance, name) != getattr(before, name):
                errors[name] = ValidationError(
                    f"The {name.replace('_', ' ')} changes only through the "
                    "agreement's lifecycle on the vendor page."
                )
        super().validate_instance(instance, errors, **kwargs)
