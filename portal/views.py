from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from compliance import dashboard as compliance_panels
from compliance import readiness as readiness_service
from compliance import readiness_history
from compliance import timeline as timeline_service
from compliance.models import Metric, Phase, Plan, WorkItem
from vendors import dashboard as vendors_dashboard


@login_required
def dashboard(request):
    plan = Plan.current()
    readiness = readiness_service.compute(plan)
    context = {"plan": plan, "readiness": readiness}
    if plan is not None:
        context["phases"] = Phase.objects.filter(plan=plan).prefetch_related("items")
        context["optional_items"] = WorkItem.objects.filter(
            plan=plan, phase=None, optional=True
        )
        context["metrics"] = Metric.objects.filter(plan=plan).prefetch_related(
            "measurements"
        )
        context.update(readiness_history.dashboard_context(plan))
    context.update(vendors_dashboard.context())
    # Compliance panels (issue 4): overdue runbook reviews.
    context.update(compliance_panels.runbook_reviews(timezone.localdate()))
    return render(request, "portal/dashboard.html", context)


@login_required
def timeline(request):
    plan = Plan.current()
    context = {"plan": plan}
    if plan is not None:
        ready = readiness_service.compute(plan).ready
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
