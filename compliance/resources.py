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
                raise ValidationError("There is no plan yet; import a plan first.")
            instance.plan = plan
