from django.core.exceptions import ValidationError
from import_export import fields

from portal.resources import AuditedResource, NameWidget, user_widget

from .models import ChecklistItem, ChecklistSection, Metric, Plan


def current_sections():
    return ChecklistSection.objects.filter(plan=Plan.current())


class ChecklistItemResource(AuditedResource):
    section = fields.Field(
        column_name="section",
        attribute="section",
        widget=NameWidget(ChecklistSection, "name", "section", current_sections),
    )
    owner = fields.Field(column_name="owner", attribute="owner", widget=user_widget())

    class Meta(AuditedResource.Meta):
        model = ChecklistItem
        fields = ["id", "section", "title", "note", "status", "blocking", "owner"]
        fields += ["evidence"]

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.section_id:
            instance.plan_id = instance.section.plan_id

    def validate_instance(self, instance, import_validation_errors=None, **kwargs):
        try:
            super().validate_instance(instance, import_validation_errors, **kwargs)
        except ValidationError as error:
            # Without a section there is no plan either; one message is enough.
            if "section" in error.error_dict:
                error.error_dict.pop("plan", None)
            raise


class MetricResource(AuditedResource):
    current = fields.Field(column_name="current", readonly=True)

    class Meta(AuditedResource.Meta):
        model = Metric
        fields = ["id", "name", "category", "unit", "comparison", "target"]
        fields += ["target_text", "current"]

    def dehydrate_current(self, metric):
        return metric.current

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.plan_id is None:
            plan = Plan.current()
            if plan is None:
                raise ValidationError(
                    {"plan": "There is no plan yet; import a plan first."}
                )
            instance.plan = plan
