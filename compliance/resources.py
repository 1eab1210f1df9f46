from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields

from portal.resources import AuditedResource, NameWidget, user_widget

from . import checklist
from .models import ChecklistItem, ChecklistSection, Metric, Plan, Status


def status_problems(before, status, evidence, owner, blocking, derived):
    """Why a checklist item may not move from `before`'s status to `status` by
    hand (admin list, change form, import): the rules of `checklist.tick`."""
    if status == before.status:
        return []
    if derived:
        return ["Computed from other data; it cannot be set by hand."]
    if before.pk and before.status == Status.DONE:
        return ["Untick it on the checklist page, where the reason is asked."]
    problems = []
    if status == Status.DONE:
        problem = checklist.evidence_problem(evidence or "")
        if problem:
            problems.append(problem)
        if blocking and owner is None:
            problems.append("A blocking item needs an owner before it is ticked.")
    return problems


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

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        before = ChecklistItem.objects.filter(pk=instance.pk).first()
        if instance.status == Status.DONE and (before is None or not before.done_at):
            instance.done_by, instance.done_at = kwargs.get("user"), timezone.now()

    def validate_instance(self, instance, import_validation_errors=None, **kwargs):
        errors = dict(import_validation_errors or {})
        before = ChecklistItem.objects.filter(pk=instance.pk).first()
        problems = status_problems(
            before or ChecklistItem(),
            instance.status,
            instance.evidence,
            instance.owner,
            instance.blocking,
            instance.derived,
        )
        if problems and "status" not in errors:
            errors["status"] = ValidationError(problems)
        try:
            super().validate_instance(instance, errors, **kwargs)
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
