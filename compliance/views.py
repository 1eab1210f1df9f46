import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from portal.html_cache import cached_html
from portal.paging import paged

from . import charts, oncall, rendering
from . import checklist as checklist_service
from . import readiness as readiness_service
from .forms import (
    MeasurementForm,
    RunbookForm,
    ShiftForm,
    TickForm,
    UntickForm,
    people,
)
from .models import ChecklistItem, Metric, MilestoneTask, Plan, Runbook, Shift

TICK = "compliance.change_checklistitem"
RECORD = "compliance.add_measurement"
EDIT_RUNBOOK = "compliance.change_runbook"
EDIT_TASK = "compliance.change_milestonetask"
EDIT_SHIFT = "compliance.change_shift"


def require(user, permission, action):
    """First statement of every view that changes something."""
    if not user.has_perm(permission):
        raise PermissionDenied(f"Only Engineering may {action}.")


# Checklist

# Filters on readiness's ItemState of each item.
FILTERS = {
    "open": lambda item, user: not item.done,
    "blocking": lambda item, user: item.blocking,
    "mine": lambda item, user: item.owner_id == user.pk,
    "contradicted": lambda item, user: item.contradicted,
}
# A large plan has thousands of items; one page of them renders quickly.
ITEMS_PER_PAGE = 100


def page_items(plan, states):
    """The checklist items of one page, in the page's order, each with `done` as
    readiness counted it."""
    by_pk = {
        item.pk: item
        for item in readiness_service.checklist_items(plan).filter(
            pk__in=[state.pk for state in states]
        )
    }
    items = []
    for state in states:
        item = by_pk.get(state.pk)
        # Gone since readiness was counted: the next count leaves it out too.
        if item is not None:
            item.done = state.done
            items.append(item)
    return items


def grouped(sections, items):
    """The sections that have items on the page, in order, each with its items
    grouped by phase."""
    counts = {section.pk: section for section in sections}
    groups = {}
    for item in items:
        group = groups.setdefault(item.section_id, {"shown": [], "phases": {}})
        group["shown"].append(item)
        group["phases"].setdefault(item.phase, []).append(item)
    result = []
    for section_id, group in groups.items():
        summary = counts.get(section_id)
        done, total = (summary.done, summary.total) if summary else (0, 0)
        section = group["shown"][0].section
        result.append(
            {
                "count": readiness_service.SectionCount(
                    section, group["shown"], done, total
                ),
                "phases": list(group["phases"].items()),
                "shown": group["shown"],
            }
        )
    return result


@login_required
def checklist(request):
    if request.user.has_perm(TICK):
        # An engineer's rows carry tick forms with their own CSRF token.
        content = checklist_content(request.GET, request.user, request)
    else:
        mine = "mine" in request.GET.getlist("show")
        content = cached_html(
            "checklist",
            readiness_service.version(),
            lambda: checklist_content(request.GET, request.user),
            request.GET.urlencode(),
            request.user.pk if mine else None,
        )
    return render(request, "compliance/checklist.html", {"content": content})


def checklist_content(query, user, request=None):
    """The checklist's HTML for the filters and page in `query`; with tick forms
    when rendered for a `request`."""
    plan = Plan.current()
    readiness, items = readiness_service.current_with_items(plan)
    shown = [name for name in query.getlist("show") if name in FILTERS]
    states = [
        state for state in items if all(FILTERS[name](state, user) for name in shown)
    ]
    section = query.get("section", "")
    if section.isdigit():
        states = [state for state in states if state.section_id == int(section)]
    page, filters = paged(states, ITEMS_PER_PAGE, query)
    can_tick = request is not None
    context = {
        "plan": plan,
        "readiness": readiness,
        "groups": grouped(readiness.sections, page_items(plan, page.object_list)),
        "page": page,
        "query": filters,
        "filters": list(FILTERS),
        "shown": shown,
        "section": section if section.isdigit() else "",
        "can_tick": can_tick,
        "people": people() if can_tick else [],
    }
    return render_to_string("compliance/_checklist.html", context, request=request)


@login_required
def checklist_count(request):
    """The checklist's counts alone, for the page to refresh them after a tick."""
    readiness = readiness_service.current(Plan.current())
    return render(request, "compliance/_checklist_count.html", {"readiness": readiness})


def item_for_row(pk):
    item = get_object_or_404(
        ChecklistItem.objects.select_related(
            "plan", "section", "phase", "metric", "owner", "done_by"
        ),
        pk=pk,
    )
    if item.derived:
        # Derived from vendors or shifts: readiness is the one place that knows.
        states = readiness_service.current_items(item.plan)
        item.done = next(state.done for state in states if state.pk == item.pk)
    else:
        item.done = readiness_service.item_is_done(item, [], None)
    return item


@login_required
def checklist_item(request, pk):
    item = item_for_row(pk)
    return render(
        request, "compliance/checklist_item.html", item_context(request, item)
    )


def item_context(request, item, tick_form=None, untick_form=None):
    return {
        "item": item,
        "can_tick": request.user.has_perm(TICK),
        "people": people(),
        "tick_form": tick_form,
        "untick_form": untick_form,
        "revisions": item.history.select_related("history_user")[:20],
    }


def item_response(request, item, tick_form=None, untick_form=None):
    """The changed row for htmx, else back to the list (or the item page on error)."""
    failed = bool(
        (tick_form and tick_form.errors) or (untick_form and untick_form.errors)
    )
    item = item_for_row(item.pk)
    context = item_context(request, item, tick_form, untick_form)
    if request.htmx:
        # 200 even on error: htmx swaps only 2xx answers, and the row carries the
        # error messages next to the fields.
        response = render(request, "compliance/_checklist_row.html", context)
        if not failed:
            # The page's counts ask for themselves again on this event.
            trigger_client_event(response, "checklist-changed")
        return response
    if failed:
        return render(request, "compliance/checklist_item.html", context, status=400)
    return redirect(f"{reverse('compliance:checklist')}#item-{item.pk}")


@login_required
@require_POST
def checklist_tick(request, pk):
    require(request.user, TICK, "tick checklist items")
    item = get_object_or_404(ChecklistItem, pk=pk)

    form = TickForm(request.POST, item=item)
    if form.is_valid():
        try:
            item = checklist_service.tick(
                item,
                request.user,
                form.cleaned_data["evidence"],
                form.cleaned_data["owner"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except checklist_service.Refused as refusal:
            form.add_error(None, refusal.message)
    if not form.errors and not request.htmx:
        messages.success(request, f"Ticked “{item.title}” done.")
    return item_response(request, item, tick_form=form)


@login_required
@require_POST
def checklist_untick(request, pk):
    require(request.user, TICK, "untick checklist items")
    item = get_object_or_404(ChecklistItem, pk=pk)

    form = UntickForm(request.POST)
    if form.is_valid():
        try:
            item = checklist_service.untick(
                item, request.user, form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        except checklist_service.Refused as refusal:
            form.add_error(None, refusal.message)
    if not form.errors and not request.htmx:
        messages.success(request, f"Reopened “{item.title}”.")
    return item_response(request, item, untick_form=form)


# Milestone tasks and launch gates


@login_required
@require_POST
def task_tick(request, pk):
    require(request.user, EDIT_TASK, "tick milestone tasks")
    task = get_object_or_404(MilestoneTask.objects.select_related("milestone"), pk=pk)

    try:
        checklist_service.tick_task(task, request.user)
    except checklist_service.Refused as refusal:
        return render(
            request,
            "compliance/launch_gate_refused.html",
            {"task": task, "refusal": refusal},
            status=409,
        )
    messages.success(request, f"Ticked “{task.title}” done.")
    return redirect(f"{reverse('timeline')}#milestone-{task.milestone_id}")


@login_required
@require_POST
def task_untick(request, pk):
    require(request.user, EDIT_TASK, "untick milestone tasks")
    task = get_object_or_404(MilestoneTask, pk=pk)

    try:
        checklist_service.untick_task(task, request.user)
    except checklist_service.Refused as refusal:
        messages.error(request, refusal.message)
    return redirect(f"{reverse('timeline')}#milestone-{task.milestone_id}")


# Metrics


@login_required
def metric_list(request, form=None, form_metric=None, status=200):
    metrics = list(
        Metric.objects.filter(plan=Plan.current()).prefetch_related(
            "measurements__recorded_by"
        )
    )
    for metric in metrics:
        metric.trend = charts.trend(metric)
        metric.form = form if metric == form_metric else MeasurementForm()
    return render(
        request,
        "compliance/metric_list.html",
        {"metrics": metrics, "can_record": request.user.has_perm(RECORD)},
        status=status,
    )


@login_required
@require_POST
def metric_record(request, pk):
    require(request.user, RECORD, "record measurements")
    metric = get_object_or_404(Metric, pk=pk)

    form = MeasurementForm(request.POST)
    if not form.is_valid():
        return metric_list(request, form=form, form_metric=metric, status=400)

    metric.record(
        form.cleaned_data["value"], by=request.user, source=form.cleaned_data["source"]
    )
    messages.success(request, f"Recorded a new measurement of {metric.name}.")
    return redirect(f"{reverse('compliance:metrics')}#metric-{metric.pk}")


# Runbooks


@login_required
def runbook_list(request):
    today = timezone.localdate()
    runbooks = list(Runbook.objects.select_related("owner"))
    for runbook in runbooks:
        runbook.overdue = runbook.is_review_overdue(today)
    return render(request, "compliance/runbook_list.html", {"runbooks": runbooks})


def runbook_context(request, runbook):
    return {
        "runbook": runbook,
        "overdue": runbook.is_review_overdue(timezone.localdate()),
        "can_edit": request.user.has_perm(EDIT_RUNBOOK),
    }


@login_required
def runbook_detail(request, slug):
    runbook = get_object_or_404(Runbook.objects.select_related("owner"), slug=slug)
    context = runbook_context(request, runbook)
    context["html"] = rendering.render(runbook.body)
    return render(request, "compliance/runbook_detail.html", context)


@login_required
def runbook_edit(request, slug):
    require(request.user, EDIT_RUNBOOK, "edit runbooks")
    runbook = get_object_or_404(Runbook, slug=slug)

    form = RunbookForm(request.POST or None, instance=runbook)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = rendering.render(form.cleaned_data["body"])
        else:
            with transaction.atomic():
                runbook = form.save(commit=False)
                runbook._change_reason = "Edited"
                runbook.save()
            messages.success(request, f"Saved “{runbook.title}”.")
            return redirect(runbook)
    context = runbook_context(request, runbook)
    context.update(form=form, preview=preview)
    status = 400 if form.errors else 200
    return render(request, "compliance/runbook_edit.html", context, status=status)


@login_required
@require_POST
def runbook_review(request, slug):
    require(request.user, EDIT_RUNBOOK, "mark runbooks reviewed")
    runbook = get_object_or_404(Runbook, slug=slug)

    runbook.last_reviewed_on = timezone.localdate()
    runbook._change_reason = "Reviewed"
    runbook.save()
    messages.success(
        request,
        f"Marked “{runbook.title}” reviewed; next review due "
        f"{runbook.review_due_on():%Y-%m-%d}.",
    )
    return redirect(runbook)


@login_required
def runbook_history(request, slug):
    runbook = get_object_or_404(Runbook, slug=slug)
    revisions = list(runbook.history.select_related("history_user"))
    context = runbook_context(request, runbook)
    context["revisions"] = revisions
    return render(request, "compliance/runbook_history.html", context)


@login_required
def runbook_compare(request, slug):
    runbook = get_object_or_404(Runbook, slug=slug)
    revisions = runbook.history.select_related("history_user")
    older = get_object_or_404(revisions, history_id=revision_id(request, "from"))
    newer = get_object_or_404(revisions, history_id=revision_id(request, "to"))
    if older.history_date > newer.history_date:
        older, newer = newer, older

    lines = difflib.unified_diff(
        older.body.splitlines(),
        newer.body.splitlines(),
        fromfile=f"revision {older.history_id}",
        tofile=f"revision {newer.history_id}",
        lineterm="",
    )
    context = runbook_context(request, runbook)
    context.update(older=older, newer=newer, diff=[diff_line(line) for line in lines])
    return render(request, "compliance/runbook_compare.html", context)


def revision_id(request, name):
    """A revision number from the query string; 0 (found nowhere) when garbled."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else 0


def diff_line(line):
    if line.startswith(("+++", "---")):
        kind = "file"
    elif line.startswith("@@"):
        kind = "hunk"
    else:
        kind = {"+": "added", "-": "removed"}.get(line[:1], "same")
    return {"kind": kind, "text": line}


# On-call


@login_required
def oncall_page(request, form=None, status=200):
    plan = Plan.current()
    today = timezone.localdate()
    starts_at, ends_at = oncall.launch_window(plan, today)
    launch_gaps = oncall.gaps(
        oncall.shifts_between(starts_at, ends_at), starts_at, ends_at
    )
    can_edit = request.user.has_perm(EDIT_SHIFT)
    context = {
        "plan": plan,
        "now": oncall.on_call_now(),
        "weeks": oncall.weeks_ahead(today),
        "launch_starts_at": starts_at,
        "launch_ends_at": ends_at,
        "launch_gaps": launch_gaps,
        "coverage_weeks": oncall.COVERAGE_WEEKS,
        "can_edit": can_edit,
        "form": form or (ShiftForm() if can_edit else None),
    }
    return render(request, "compliance/oncall.html", context, status=status)


@login_required
@require_POST
def shift_add(request):
    require(request.user, EDIT_SHIFT, "schedule on-call shifts")

    form = ShiftForm(request.POST)
    if not form.is_valid():
        return oncall_page(request, form=form, status=400)
    shift = form.save(commit=False)
    shift._change_reason = "Scheduled"
    shift.save()
    messages.success(request, f"Scheduled {shift.engineer} on call.")
    return redirect("compliance:oncall")


@login_required
@require_POST
def shift_delete(request, pk):
    require(request.user, EDIT_SHIFT, "remove on-call shifts")
    shift = get_object_or_404(Shift, pk=pk)

    shift._change_reason = "Removed from the rotation"
    shift.delete()
    messages.success(request, "Removed the shift.")
    return redirect("compliance:oncall")
