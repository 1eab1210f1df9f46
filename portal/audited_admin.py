"""Admin base classes that keep the audit trail whole.

Every save the admin makes (change form, list edit, action, import) and every
delete (including "delete selected") writes one history row per object, with the
acting user and a reason. History itself is read-only: the library's "revert"
page only shows a past version and refuses to save it, for superusers too.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import access
from .history import delete_all_with_history, save_all_with_history
from .models import AccessEvent
from .spreadsheets import FORMATS

LIST_EDIT = "list_edit"


def latest_revision(obj):
    return (
        obj.history.order_by("-history_id")
        .values_list("history_id", flat=True)[:1]
        .first()
    )


class SeenRevisionForm(forms.ModelForm):
    """A change form that refuses to save over someone else's newer change.

    Without it, the admin would silently overwrite a note another person saved
    on the vendor page while the form was open.
    """

    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_revision"].initial = latest_revision(self.instance)

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_revision")
        if self.instance.pk and seen != latest_revision(self.instance):
            raise forms.ValidationError(
                "Someone changed this record after you opened it, so nothing was "
                "saved. Open it again to see their change, then redo yours."
            )
        return cleaned


class AuditedAdmin(SimpleHistoryAdmin):
    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and "form" not in kwargs:
            kwargs["form"] = type(self.form.__name__, (SeenRevisionForm, self.form), {})
        return super().get_form(request, obj, change, **kwargs)

    def changelist_view(self, request, extra_context=None):
        # The changelist saves list-editable rows through save_model; mark the
        # request so that those rows get their own reason.
        request.audit_path = LIST_EDIT
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        changed = ", ".join(form.changed_data) if change else ""
        if getattr(request, "audit_path", None) == LIST_EDIT:
            reason = f"Edited in the admin list: {changed}"
        elif change:
            reason = f"Changed in the admin: {changed or 'no field'}"
        else:
            reason = "Added in the admin"
        obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # Inline rows (a vendor's agreements, a milestone's tasks) are saved here,
        # not through save_model; each still gets the user and a reason.
        reason = f"Changed in the admin with {form.instance}"
        instances = formset.save(commit=False)
        delete_all_with_history(formset.deleted_objects, request.user, reason)
        save_all_with_history(instances, request.user, reason)
        formset.save_m2m()

    def delete_model(self, request, obj):
        obj._history_user = request.user
        obj._change_reason = "Deleted in the admin"
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # QuerySet.delete() would record neither the user nor a reason.
        delete_all_with_history(
            queryset, request.user, "Deleted in the admin with 'delete selected'"
        )

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("History cannot be changed.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    """Evidence written by the portal itself: listed, never edited here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedImportExportAdmin(ImportExportMixin, AuditedAdmin):
    formats = FORMATS
    import_error_display = ("message",)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        access.record(
            request,
            AccessEvent.Kind.EXPORT,
            f"{self.model._meta.verbose_name_plural} as "
            f"{file_format.get_title().upper()} from the admin",
        )
        return data


def apply_to_each(request, queryset, change, reason):
    """Call `change(obj)` on each selected object and save it with history."""
    objects = list(queryset)
    for obj in objects:
        change(obj)
    save_all_with_history(objects, request.user, reason)
    return len(objects)


class OwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username")
    )
    reason = forms.CharField(
        max_length=200, required=False, help_text="Recorded in the history."
    )


@admin.action(description="Assign an owner to the selected", permissions=["change"])
def assign_owner(modeladmin, request, queryset):
    """An action with an intermediate page that asks for the new owner."""
    form = OwnerForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        owner = form.cleaned_data["owner"]
        reason = form.cleaned_data["reason"] or "Owner assigned in the admin"
        count = apply_to_each(
            request,
            queryset,
            lambda obj: setattr(obj, "owner", owner),
            f"{reason} (owner: {owner.get_username()})",
        )
        modeladmin.message_user(
            request, f"{count} assigned to {owner.get_username()}.", messages.SUCCESS
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Assign an owner",
        "opts": modeladmin.model._meta,
        "form": form,
        "objects": queryset,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/assign_owner.html", context)
