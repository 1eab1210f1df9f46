from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache

from compliance import dashboard as compliance_panels
from compliance import readiness as readiness_service
from compliance import readiness_history
from compliance import timeline as timeline_service
from compliance.models import Metric, Phase, Plan, WorkItem
from vendors import dashboard as vendors_dashboard

from .html_cache import cached_html

DASHBOARD_ROWS = 20


@login_required
def dashboard(request):
    data_version = readiness_service.version()
    panels, has_plan = cached_html(
        "dashboard", data_version, lambda: dashboard_panels(data_version)
    )
    return render(
        request, "portal/dashboard.html", {"panels": panels, "has_plan": has_plan}
    )


def dashboard_panels(data_version):
    """(HTML of the dashboard's data panels, whether there is a plan)."""
    plan = Plan.current()
    context = {"plan": plan}
    # Lazy: a panel that shows nothing (no plan) reads none of it.
    context.update(lazily(readiness_panel, plan, data_version))
    if plan is not None:
        context["phases"] = Phase.objects.filter(plan=plan).prefetch_related("items")
        context["optional_items"] = WorkItem.objects.filter(
            plan=plan, phase=None, optional=True
        )
        context["metrics"] = Metric.objects.filter(plan=plan).prefetch_related(
            "measurements"
        )
        context.update(lazily(readiness_history.dashboard_context, plan, data_version))
    today = timezone.localdate()
    context.update(lazily(vendors_dashboard.context, today), vendor_today=today)
    context.update(lazily(compliance_panels.runbook_reviews, today))
    html = render_to_string("portal/_dashboard_panels.html", context)
    return html, plan is not None


def readiness_panel(plan, data_version):
    """A large plan has hundreds of vendors and blockers; the dashboard shows the
    first of each and links to the full lists."""
    readiness = readiness_service.current(plan, data_version)
    vendors = readiness_service.vendors_with_agreements().blocking_first()
    return {
        "readiness": readiness,
        "blockers": readiness.blockers[:DASHBOARD_ROWS],
        "more_blockers": max(len(readiness.blockers) - DASHBOARD_ROWS, 0),
        "vendors": vendors[:DASHBOARD_ROWS],
        "more_vendors": max(readiness.vendors_total - DASHBOARD_ROWS, 0),
    }


# The context keys of each dashboard panel that `lazily` may defer.
PANEL_KEYS = {
    readiness_panel: [
        "readiness",
        "blockers",
        "more_blockers",
        "vendors",
        "more_vendors",
    ],
    readiness_history.dashboard_context: ["readiness_chart"],
    vendors_dashboard.context: ["overdue_follow_ups", "expiring_agreements"],
    compliance_panels.runbook_reviews: ["overdue_runbooks"],
}


def lazily(panel_context, *args):
    """A panel's context, run on first use only: a panel the template finds in
    its cache reads none of it."""
    panel = SimpleLazyObject(lambda: panel_context(*args))
    return {
        key: SimpleLazyObject(lambda key=key: panel[key])
        for key in PANEL_KEYS[panel_context]
    }


@login_required
def timeline(request):
    if request.user.has_perm("compliance.change_milestonetask"):
        # Tick forms carry the user's own CSRF token: never cached.
        content = timeline_content(request)
    else:
        content = cached_html(
            "timeline", readiness_service.version(), lambda: timeline_content()
        )
    return render(request, "portal/timeline.html", {"content": content})


def timeline_content(request=None):
    """The timeline's HTML; with tick forms when rendered for a `request`."""
    plan = Plan.current()
    context = {"plan": plan, "can_tick_tasks": request is not None}
    if plan is not None:
        ready = readiness_service.current(plan).ready
        line = timeline_service.build(plan, timezone.localdate(), ready)
        context.update(timeline=line, chart=timeline_service.chart(line))
    return render_to_string("portal/_timeline.html", context, request=request)


@never_cache
def healthz(request):
    """Liveness: the process answers. Touches no database on purpose."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness for traffic: the database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "not ready", never a 500
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
