"""Base for the admin's spreadsheet imports: all-or-nothing, with history.

A file with any bad row imports nothing: the preview lists each bad row with its
number, the confirm step is not offered, and should the data have changed
between preview and confirm, the import is rolled back as a whole.
"""

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import models
from import_export import resources, widgets


class YesNoWidget(widgets.BooleanWidget):
    """Reads yes/no, true/false, 1/0 in any case; anything else is a row error.

    The library's own widget reads every unknown word as "no", which would turn
    a typo in a "handles PHI" column into a silent change.
    """

    WORDS = {"1": True, "true": True, "yes": True, "0": False, "false": False}
    WORDS["no"] = False

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("", "none", "null"):
            return None
        if text not in self.WORDS:
            raise ValueError(f"“{value}” is not yes or no.")
        return self.WORDS[text]


class WholeNumberWidget(widgets.IntegerWidget):
    """Reads a whole number; "abc", "1.5" or "NaN" is a row error that says so.

    The library's own widget cuts 1.5 down to 1, which in an id column would
    update another record, and reports "abc" with Python's exception name.
    """

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != int(number):
            raise ValueError(f"“{value}” is not a whole number.")
        return int(number)


class NumberWidget(widgets.DecimalWidget):
    """Reads a number; "30%" is a row error that says so, not an exception name."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except InvalidOperation:
            raise ValueError(
                f"“{value}” is not a number; write it without a unit."
            ) from None


class AuditedResource(resources.ModelResource):
    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.BooleanField):
            return YesNoWidget
        if isinstance(f, models.IntegerField):
            return WholeNumberWidget
        if isinstance(f, models.DecimalField):
            return NumberWidget
        return super().widget_from_django_field(f, default)

    def before_import(self, dataset, **kwargs):
        # A misspelt column would otherwise be ignored and the rest imported, and
        # a file of another kind (a picture renamed .csv) "imported" as skipped rows.
        columns = [field.column_name for field in self.fields.values()]
        unknown = [
            header
            for header in dataset.headers or []
            if header and str(header).strip() and header not in columns
        ]
        if unknown:
            raise ValueError(
                f"Unknown columns: {', '.join(f'“{h}”' for h in unknown)}. "
                f"The columns are {', '.join(columns)}. Nothing was imported."
            )
        super().before_import(dataset, **kwargs)

    def import_data(self, dataset, **kwargs):
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # An empty spreadsheet cell arrives as None; text columns store "".
            for field in instance._meta.concrete_fields:
                text = isinstance(field, models.CharField | models.TextField)
                if text and not field.null and getattr(instance, field.attname) is None:
                    setattr(instance, field.attname, "")

    def before_save_instance(self, instance, row, **kwargs):
        instance._history_user = kwargs.get("user")
        instance._change_reason = f"Imported from {kwargs.get('file_name') or 'a file'}"


class NameWidget(widgets.ForeignKeyWidget):
    """A related record named in a cell, ignoring case and surrounding spaces."""

    def __init__(self, model, field, label, queryset=None):
        super().__init__(model, field)
        self.label = label
        self.queryset = queryset

    def get_queryset(self, value, row, *args, **kwargs):
        if self.queryset is not None:
            return self.queryset()
        return self.model._default_manager.all()

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {f"{self.field}__iexact": str(value).strip()}

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        try:
            return super().get_instance_by_lookup_fields(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.label} named “{value}”.") from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                f"More than one {self.label} is named “{value}”."
            ) from None


def user_widget():
    return NameWidget(get_user_model(), "username", "user")
