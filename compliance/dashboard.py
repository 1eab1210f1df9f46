"""Compliance panels on the portal's dashboard, each a small context function."""

from .models import Runbook


def runbook_reviews(today):
    """Context for `compliance/_dashboard_runbooks.html`."""
    return {"overdue_runbooks": Runbook.review_overdue(today)}
