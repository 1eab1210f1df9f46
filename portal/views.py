from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
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
    if plan is None:
        return render_to_string("portal/_dashboard_panels.html", {"plan": None}), False
    readiness = readiness_service.current(plan, data_version)
    # A large plan has hundreds of vendors and blockers; the dashboard shows the
    # first of each and links to the full lists.
    vendors = readiness_service.vendors_with_agreements().blocking_first()
    today = timezone.localdate()
    context = {
        "plan": plan,
        "readiness": readiness,
        "blockers": readiness.blockers[:DASHBOARD_ROWS],
        "more_blockers": max(len(readiness.blockers) - DASHBOARD_ROWS, 0),
        "vendors": vendors[:DASHBOARD_ROWS],
        "more_vendors": max(readiness.vendors_total - DASHBOARD_ROWS, 0),
        "phases": Phase.objects.filter(plan=plan).prefetch_related("items"),
        "optional_items": WorkItem.objects.filter(plan=plan, phase=None, optional=True),
        "metrics": Metric.objects.filter(plan=plan).prefetch_related("measurements"),
        "vendor_today": today,
        **readiness_history.dashboard_context(plan, data_version),
        **vendors_dashboard.context(today),
        **compliance_panels.runbook_reviews(today),
    }
    return render_to_string("portal/_dashboard_panels.html", context), True


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
