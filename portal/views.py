from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache

from compliance import dashboard as compliance_panels
from compliance import readiness as readiness_service
from compliance import readiness_history
from compliance import timeline as timeline_service
from compliance.models import Metric, Phase, Plan, WorkItem
from vendors import dashboard as vendors_dashboard

DASHBOARD_ROWS = 20


@login_required
def dashboard(request):
    plan = Plan.current()
    data_version = readiness_service.version()
    context = {
        "plan": plan,
        # The panels that show only data are cached as HTML for this version of
        # the data (the template's {% cache %} blocks); the context behind them is
        # lazy, so a cached panel reads none of it.
        "data_version": data_version,
        "cache_seconds": readiness_service.cache_seconds(),
    }
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
    return render(request, "portal/dashboard.html", context)


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
    plan = Plan.current()
    context = {"plan": plan}
    if plan is not None:
        ready = readiness_service.current(plan).ready
        line = timeline_service.build(plan, timezone.localdate(), ready)
        context.update(timeline=line, chart=timeline_service.chart(line))
    context["can_tick_tasks"] = request.user.has_perm("compliance.change_milestonetask")
    return render(request, "portal/timeline.html", context)


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
