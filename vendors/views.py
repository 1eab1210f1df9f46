from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance.readiness import vendors_with_agreements
from compliance.readiness import version as readiness_version
from portal import access
from portal.html_cache import cached_html
from portal.models import AccessEvent
from portal.paging import paged

from . import history, lifecycle
from .forms import FORMS, ContactForm, VendorFilterForm, VendorNotesForm, initial_for
from .models import Agreement, AgreementDocument, Vendor, VendorContact

# A page of the vendor list; a large company works with hundreds of vendors.
VENDORS_PER_PAGE = 50
LEGAL_HINT = "Ask an administrator to add you to the Legal group."


def require(request, permission, doing, hint=LEGAL_HINT):
    """Refuse with a 403 page that names what the user lacks."""
    if not request.user.has_perm(permission):
        raise PermissionDenied(
            f"You may not {doing}: it needs the “{permission}” permission. {hint}"
        )


def can_read(request):
    require(
        request,
        "vendors.view_agreement",
        "see vendor agreements",
        "Ask an administrator to add you to the Viewer, Legal or Engineering group.",
    )


@dataclass
class VendorRow:
    vendor: Vendor
    days_since_request: int | None
    next_follow_up_on: object
    overdue: bool


def vendor_row(vendor, today):
    baa = vendor.baa
    waiting = baa is not None and baa.status in Agreement.AWAITING_REPLY
    next_on = vendor.next_follow_up_on()
    return VendorRow(
        vendor=vendor,
        days_since_request=baa.days_since_request(today) if waiting else None,
        next_follow_up_on=next_on,
        overdue=next_on is not None and next_on < today,
    )


@login_required
def vendor_list(request):
    can_read(request)
    content = cached_html(
        "vendors",
        readiness_version(),
        lambda: vendor_list_content(request.GET),
        request.GET.urlencode(),
    )
    return render(request, "vendors/vendor_list.html", {"content": content})


def vendor_list_content(query):
    """The list's filter form, rows and pager for `query`, the same for everyone
    who may read it."""
    today = timezone.localdate()
    form = VendorFilterForm(query)
    vendors = vendors_with_agreements()
    if form.is_valid():
        wanted = form.cleaned_data
        if wanted["status"]:
            vendors = vendors.with_baa_status(wanted["status"])
        if wanted["overdue"]:
            vendors = vendors.with_follow_up_overdue(today)
        if wanted["phi"]:
            vendors = vendors.filter(handles_phi=wanted["phi"] == "yes")

    page, filters = paged(vendors, VENDORS_PER_PAGE, query)
    context = {
        "rows": [vendor_row(v, today) for v in page],
        "page": page,
        "query": filters,
        "form": form,
        "today": today,
    }
    return render_to_string("vendors/_vendor_list.html", context)


def agreement_or_placeholder(vendor, kind):
    """The vendor's agreement of `kind`, or an unsaved "not started" one."""
    return vendor.agreement(kind) or Agreement(vendor=vendor, kind=kind)


def allowed_actions(user, agreement):
    if not user.has_perm("vendors.change_agreement"):
        return []
    actions = lifecycle.available_actions(agreement.status)
    if not user.has_perm("vendors.add_agreementdocument"):
        actions = [a for a in actions if a.name not in ("sign", "upload")]
    return actions


@login_required
def vendor_detail(request, slug):
    can_read(request)
    vendor = get_object_or_404(
        vendors_with_agreements().prefetch_related(
            "contacts",
            "agreements__documents__uploaded_by",
            "agreements__events__recorded_by",
            "agreements__owner",
        ),
        slug=slug,
    )

    agreements = [
        agreement_or_placeholder(vendor, kind) for kind in Agreement.Kind.values
    ]
    for agreement in agreements:
        agreement.actions = allowed_actions(request.user, agreement)
    context = {
        "vendor": vendor,
        "agreements": agreements,
        "today": timezone.localdate(),
        "contact_form": ContactForm(),
    }
    return render(request, "vendors/vendor_detail.html", context)


@login_required
def agreement_action(request, slug, kind, action):
    action = lifecycle.ACTIONS.get(action)
    if action is None or kind not in Agreement.Kind.values:
        raise Http404("No such agreement action.")
    require(request, "vendors.change_agreement", "change agreements")
    if action.name in ("sign", "upload"):
        require(request, "vendors.add_agreementdocument", "upload signed documents")
    vendor = get_object_or_404(vendors_with_agreements(), slug=slug)
    agreement = agreement_or_placeholder(vendor, kind)

    form_class = FORMS[action.name]
    stale = None
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                lifecycle.apply(
                    vendor,
                    kind,
                    action.name,
                    form.cleaned_data["version"],
                    request.user,
                    values,
                )
            except lifecycle.StaleAgreement as refusal:
                stale = refusal.changes
                agreement = Agreement.objects.get(vendor=vendor, kind=kind)
                form = rebound_with_version(form_class, request.POST, agreement)
            except ValidationError as refusal:
                form.add_error(None, refusal)
            else:
                messages.success(request, f"{agreement}: {action.label.lower()} saved.")
                return redirect(vendor)
        if stale is None:
            messages.error(request, "Nothing was saved; see the messages below.")
    else:
        form = form_class(initial=initial_for(action.name, agreement))

    context = {
        "vendor": vendor,
        "agreement": agreement,
        "action": action,
        "form": form,
        "stale": stale,
        "possible": agreement.status in action.sources,
    }
    return render(request, "vendors/agreement_action.html", context)


def rebound_with_version(form_class, data, agreement):
    """The user's input again, now based on the version they have just been shown."""
    data = data.copy()
    data["version"] = agreement.version
    form = form_class(data)
    form.is_valid()
    return form


@login_required
@require_POST
def contact_add(request, slug):
    require(request, "vendors.add_vendorcontact", "add vendor contacts")
    vendor = get_object_or_404(Vendor, slug=slug)

    form = ContactForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"The contact was not added: {errors}")
        return redirect(vendor)
    contact = form.save(commit=False)
    contact.vendor = vendor
    contact._change_reason = "Contact added"
    contact.save()
    messages.success(request, f"{contact.name} added to the contacts.")
    return redirect(vendor)


@login_required
@require_POST
def contact_remove(request, slug, pk):
    require(request, "vendors.delete_vendorcontact", "remove vendor contacts")
    contact = get_object_or_404(VendorContact, pk=pk, vendor__slug=slug)

    contact._change_reason = "Contact removed"
    contact.delete()
    messages.success(request, f"{contact.name} removed from the contacts.")
    return redirect(contact.vendor)


@login_required
def vendor_notes(request, slug):
    require(request, "vendors.change_vendor", "edit vendor notes")
    vendor = get_object_or_404(Vendor, slug=slug)
    token = vendor_token(vendor)

    form = VendorNotesForm(request.POST or None, instance=vendor)
    if request.method == "POST" and form.is_valid():
        if save_notes_unless_stale(form, vendor):
            messages.success(request, "Notes saved.")
            return redirect(vendor)
        current = Vendor.objects.get(pk=vendor.pk)
        token = vendor_token(current)
        form.add_error(
            None,
            "Not saved: someone changed this vendor after you opened the form. "
            f"The notes now read: “{current.notes}”. Merge your text and save again.",
        )
        # The next save is based on what the user has just been shown.
        form.data = form.data.copy()
        form.data["seen"] = token
    form.fields["seen"].initial = token
    context = {"vendor": vendor, "form": form}
    return render(request, "vendors/vendor_notes.html", context)


def save_notes_unless_stale(form, vendor):
    """Save only if nobody saved the vendor since the form was loaded.

    The row is locked so that two saves from the same copy cannot both pass
    the check.
    """
    with transaction.atomic():
        current = Vendor.objects.select_for_update().get(pk=vendor.pk)
        if vendor_token(current) != form.cleaned_data["seen"]:
            return False
        vendor._change_reason = "Notes edited"
        form.save()
    return True


def vendor_token(vendor):
    """What the notes form saw: a save after someone else's is refused."""
    return vendor.updated_at.isoformat()


@login_required
def document_download(request, slug, pk):
    require(
        request,
        "vendors.view_agreementdocument",
        "download signed agreements",
        "Ask an administrator to add you to the Viewer, Legal or Engineering group.",
    )
    document = get_object_or_404(
        AgreementDocument.objects.select_related("agreement__vendor"),
        pk=pk,
        agreement__vendor__slug=slug,
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The stored file is missing.") from missing

    access.record(
        request,
        AccessEvent.Kind.DOWNLOAD,
        f"{document.agreement} document #{document.pk} sha256 {document.sha256}",
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slug}-{document.agreement.kind}-{document.pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def vendor_history(request, slug):
    can_read(request)
    vendor = get_object_or_404(Vendor, slug=slug)

    entries = history.entries(history.vendor_records(vendor))
    return render(
        request, "vendors/vendor_history.html", {"vendor": vendor, "entries": entries}
    )
