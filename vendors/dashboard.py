"""The vendors' panel of the dashboard: follow-ups and expiries to act on."""

from django.utils import timezone

from .models import Agreement


def context(today=None):
    """Overdue follow-ups and signed agreements expiring within 60 days."""
    today = today or timezone.localdate()
    overdue = (
        Agreement.objects.follow_up_overdue(today)
        .select_related("vendor", "owner")
        .order_by("_contact", "vendor__name")
    )
    expiring = (
        Agreement.objects.expiring(today)
        .select_related("vendor")
        .order_by("expires_on", "vendor__name")
    )
    return {
        "vendor_today": today,
        "overdue_follow_ups": list(overdue),
        "expiring_agreements": list(expiring),
    }
