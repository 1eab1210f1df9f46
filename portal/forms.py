import datetime

from django import forms
from django.contrib.auth import get_user_model

from .models import AccessEvent


class PeriodForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.order_by("username"),
        required=False,
        empty_label="Anyone",
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if end == datetime.date.max:
            # The filter reads "before the next day", and there is none.
            self.add_error("end", f"Give an end date before {end:%Y-%m-%d}.")
        elif start and end and end < start:
            self.add_error("end", "The end date is before the start date.")
        return cleaned


class ActivityFilterForm(PeriodForm):
    kind = forms.ChoiceField(required=False, label="Record")

    def __init__(self, data, kinds):
        super().__init__(data)
        self.fields["kind"].choices = [("", "All records"), *kinds.items()]
        self.order_fields(["user", "kind", "start", "end"])


class AccessLogFilterForm(PeriodForm):
    kind = forms.ChoiceField(
        required=False, label="Event", choices=[("", "All events")]
    )

    def __init__(self, data):
        super().__init__(data)
        self.fields["kind"].choices += AccessEvent.Kind.choices
        self.order_fields(["user", "kind", "start", "end"])
