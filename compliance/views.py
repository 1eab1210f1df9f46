from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from . import readiness as readiness_service
from .models import Metric, Plan, Runbook


@login_required
def checklist(request):
    plan = Plan.current()
    return render(
        request,
        "compliance/checklist.html",
        {"plan": plan, "readiness": readiness_service.compute(plan)},
    )


@login_required
def metric_list(request):
    metrics = Metric.objects.filter(plan=Plan.current()).prefetch_related(
        "measurements"
    )
    return render(request, "compliance/metric_list.html", {"metrics": metrics})


@login_required
def runbook_list(request):
    return render(
        request, "compliance/runbook_list.html", {"runbooks": Runbook.objects.all()}
    )


@login_required
def runbook_detail(request, slug):
    runbook = get_object_or_404(Runbook, slug=slug)
    return render(request, "compliance/runbook_detail.html", {"runbook": runbook})
