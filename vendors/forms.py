"""Forms of the agreement lifecycle; they parse input, `lifecycle` judges it.

Fields the rules depend on (dates, document, reason) are optional here so that
the refusal comes from `lifecycle.validate` with its explanation, the same for
the browser, a command or a test.
"""

from django import forms
from django.contrib.auth import get_user_model

from .models import Agreement, AgreementEvent, Vendor, VendorContact


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label, **kwargs):
    return forms.DateField(label=label, required=False, widget=DateInput(), **kwargs)


class AgreementForm(forms.Form):
    # The version the user saw; a save from an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RequestForm(AgreementForm):
    requested_on = date_field("Request sent on")
    requested_to = forms.CharField(
        label="Sent to", max_length=200, required=False, help_text="Name or address."
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class FollowUpForm(AgreementForm):
    happened_on = date_field("Contacted on")
    channel = forms.ChoiceField(choices=AgreementEvent.Channel.choices)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NegotiationForm(AgreementForm):
    happened_on = date_field("Redlines received on")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the vendor changed.",
    )


class SignForm(AgreementForm):
    signed_on = date_field("Signed on")
    effective_on = date_field(
        "Effective from", help_text="Defaults to the signed date."
    )
    expires_on = date_field("Expires or renews on")
    document = forms.FileField(
        label="Signed document (PDF)", required=False, allow_empty_file=False
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(AgreementForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class UploadForm(AgreementForm):
    document = forms.FileField(
        label="Signed document (PDF)", required=False, allow_empty_file=False
    )
    note = forms.CharField(required=False, help_text="Why it replaces the last one.")


class EditForm(AgreementForm):
    owner = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text="Reminders go to this person.",
    )
    requested_to = forms.CharField(
        label="Vendor contact", max_length=200, required=False
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


FORMS = {
    "request": RequestForm,
    "follow-up": FollowUpForm,
    "negotiate": NegotiationForm,
    "sign": SignForm,
    "not-required": ReasonForm,
    "decline": ReasonForm,
    "terminate": ReasonForm,
    "upload": UploadForm,
    "edit": EditForm,
}


def initial_for(action_name, agreement):
    initial = {"version": agreement.version}
    if action_name == "edit":
        initial.update(
            owner=agreement.owner_id,
            requested_to=agreement.requested_to,
            notes=agreement.notes,
        )
    return initial


class ContactForm(forms.ModelForm):
    class Meta:
        model = VendorContact
        fields = ["name", "role", "email", "phone"]


class VendorFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="BAA status",
        choices=[("", "Any"), *Agreement.Status.choices],
        required=False,
    )
    overdue = forms.BooleanField(label="Follow-up overdue", required=False)
    phi = forms.ChoiceField(
        label="Handles PHI",
        choices=[("", "Any"), ("yes", "Yes"), ("no", "No")],
        required=False,
    )


class VendorNotesForm(forms.ModelForm):
    seen = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Vendor
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 8})}
