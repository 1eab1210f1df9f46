from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from .models import Runbook, Shift


def people():
    return get_user_model().objects.filter(is_active=True).order_by("username")


class TickForm(forms.Form):
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A link (CI run, report, ticket) or a sentence saying what shows it.",
    )
    owner = forms.ModelChoiceField(queryset=people(), required=False)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()
        if item is not None:
            self.fields["owner"].initial = item.owner_id
            self.fields["evidence"].initial = item.evidence


class UntickForm(forms.Form):
    reason = forms.CharField(max_length=90, help_text="Why it is no longer done.")


class MeasurementForm(forms.Form):
    value = forms.DecimalField(max_digits=14, decimal_places=4)
    source = forms.CharField(
        max_length=255, required=False, help_text="Where the number comes from."
    )

    def clean_value(self):
        value = self.cleaned_data["value"]
        if not value.is_finite():
            raise forms.ValidationError("Enter a finite number.")
        return value


def parse_value(text):
    """A measurement value from a command line, or None when it is not one."""
    field = MeasurementForm.base_fields["value"]
    try:
        value = field.clean(text)
    except forms.ValidationError:
        return None
    return value if isinstance(value, Decimal) and value.is_finite() else None


class RunbookForm(forms.ModelForm):
    # The history row the editor started from, so that a save over someone
    # else's newer revision is refused instead of silently overwriting it.
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Runbook
        fields = ["title", "body", "owner", "review_interval_days"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 80})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people()
        self.fields["review_interval_days"].min_value = 1
        if not self.is_bound and self.instance.pk:
            self.fields["revision"].initial = latest_revision_id(self.instance)

    def clean_review_interval_days(self):
        days = self.cleaned_data["review_interval_days"]
        if days < 1:
            raise forms.ValidationError(
                "Review at least once every few days: 1 or more."
            )
        # Checked here, not only when the model is validated: by then the form
        # has copied the value onto the runbook the error page still shows.
        Runbook._meta.get_field("review_interval_days").run_validators(days)
        return days

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("revision") != latest_revision_id(
            self.instance
        ):
            raise forms.ValidationError(
                "Someone saved this runbook after you opened it. Open it again, "
                "compare with the latest revision and redo your change."
            )
        return cleaned


def latest_revision_id(runbook):
    latest = runbook.history.order_by("-history_id").first()
    return latest.history_id if latest else None


class ShiftForm(forms.ModelForm):
    class Meta:
        model = Shift
        fields = ["engineer", "starts_at", "ends_at", "escalation_contact"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = people()

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "A shift ends after it starts.")
        return cleaned
