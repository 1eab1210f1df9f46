"""Pages for auditors: the activity feed and the access log, each with a CSV."""

import csv
import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from compliance import plan_export, readiness
from compliance.models import Plan

from . import access, activity
from .forms import AccessLogFilterForm, ActivityFilterForm
from .html_cache import cached_html
from .models import AccessEvent
from .paging import paged
from .spreadsheets import neutralise

PER_PAGE = 50
CSV_BATCH = 500


def filtered_feed(request):
    """(form, feed rows) for the request's filters; PermissionDenied if none."""
    visible = activity.visible_kinds(request.user)
    if not visible:
        raise PermissionDenied("You may not read the history of any record.")
    form = ActivityFilterForm(request.GET or None, visible)
    if form.is_bound and not form.is_valid():
        # Wrong filters show nothing rather than everything.
        return form, []
    criteria = form.cleaned_data if form.is_bound else {}
    kind_keys = [criteria["kind"]] if criteria.get("kind") else list(visible)
    rows = activity.feed(
        kind_keys,
        user=criteria.get("user"),
        start=criteria.get("start"),
        end=criteria.get("end"),
    )
    return form, rows


@login_required
def activity_feed(request):
    visible = activity.visible_kinds(request.user)
    if not visible:
        raise PermissionDenied("You may not read the history of any record.")
    # Counting the whole feed for the pager and listing every person in the form
    # happen only when the cached copy for this query and this kind of reader
    # (the kinds they may read, admin links for staff) misses.
    content = cached_html(
        "activity",
        readiness.version(),
        lambda: activity_content(request),
        request.GET.urlencode(),
        request.user.is_staff,
        sorted(visible),
    )
    return render(request, "portal/activity.html", {"content": content})


def activity_content(request):
    """The feed's filter form, entries and pager, rendered without the request."""
    form, rows = filtered_feed(request)
    page, filters = paged(rows, PER_PAGE, request.GET)
    context = {
        "form": form,
        "page": page,
        "entries": activity.entries(list(page), request.user),
        "query": filters,
    }
    return render_to_string("portal/_activity.html", context)


@login_required
def activity_csv(request):
    form, rows = filtered_feed(request)

    def lines():
        yield ["when", "user", "record", "id", "title", "action", "changes", "reason"]
        total = len(rows) if isinstance(rows, list) else rows.count()
        for offset in range(0, total, CSV_BATCH):
            batch = list(rows[offset : offset + CSV_BATCH])
            for entry in activity.entries(batch, request.user):
                yield [
                    local_time(entry.when),
                    entry.user.get_username() if entry.user else "",
                    entry.kind_label,
                    entry.record.id,
                    entry.title,
                    entry.action,
                    entry.summary(),
                    entry.reason,
                ]

    access.record(request, AccessEvent.Kind.EXPORT, "activity feed as CSV")
    return csv_response(lines(), "activity")


def access_events(request):
    if not request.user.has_perm("portal.view_accessevent"):
        raise PermissionDenied(
            "Reading the access log needs the 'view access event' permission."
        )
    form = AccessLogFilterForm(request.GET or None)
    events = AccessEvent.objects.select_related("user")
    if form.is_bound and not form.is_valid():
        return form, events.none()
    if form.is_valid():
        criteria = form.cleaned_data
        if criteria["user"]:
            events = events.filter(user=criteria["user"])
        if criteria["kind"]:
            events = events.filter(kind=criteria["kind"])
        if criteria["start"]:
            events = events.filter(at__gte=activity.day_start(criteria["start"]))
        if criteria["end"]:
            next_day = criteria["end"] + datetime.timedelta(days=1)
            events = events.filter(at__lt=activity.day_start(next_day))
    return form, events


@login_required
def access_log(request):
    form, events = access_events(request)

    page, filters = paged(events, PER_PAGE, request.GET)
    context = {"form": form, "page": page, "query": filters}
    return render(request, "portal/access_log.html", context)


@login_required
def access_log_csv(request):
    form, events = access_events(request)

    def lines():
        yield ["when", "event", "user", "address", "detail"]
        for event in events.iterator(chunk_size=CSV_BATCH):
            yield [
                local_time(event.at),
                event.get_kind_display(),
                event.username,
                event.address or "",
                event.detail,
            ]

    access.record(request, AccessEvent.Kind.EXPORT, "access log as CSV")
    return csv_response(lines(), "access-log")


@login_required
def plan_document(request):
    """The current plan as the Markdown status document `import_plan` reads."""
    if not request.user.has_perm("compliance.view_plan"):
        raise PermissionDenied("Exporting the plan needs the 'view plan' permission.")
    plan = Plan.current()
    if plan is None:
        raise Http404("There is no plan to export yet.")

    text = plan_export.export(plan)
    access.record(request, AccessEvent.Kind.EXPORT, f"plan {plan.name} as Markdown")
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    name = f"{slugify(plan.name) or 'plan'}-{timezone.localdate().isoformat()}.md"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class Echo:
    def write(self, value):
        return value


def csv_response(rows, name):
    """A streamed CSV download whose cells a spreadsheet will not run."""
    writer = csv.writer(Echo())

    def body():
        yield "\ufeff"  # the byte-order mark makes Excel read UTF-8
        for row in rows:
            yield writer.writerow([neutralise(str(cell)) for cell in row])

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def local_time(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %z")
