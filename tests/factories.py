import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from compliance.models import (
    ChecklistItem,
    ChecklistSection,
    Measurement,
    Metric,
    Milestone,
    MilestoneTask,
    Phase,
    Plan,
    Runbook,
    Status,
    WorkItem,
)
from vendors.models import Agreement, Vendor


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("correct horse battery staple")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    service = "Hosting"
    handles_phi = True


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    vendor = factory.SubFactory(VendorFactory)
    kind = Agreement.Kind.BAA
    status = Agreement.Status.NOT_STARTED


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Plan {n}")
    as_of = datetime.date(2026, 1, 3)
    target_launch = datetime.date(2026, 1, 31)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Phase {n}")
    position = factory.Sequence(int)


class WorkItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkItem

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Work item {n}")
    status = Status.PENDING
    position = factory.Sequence(int)


class ChecklistSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistSection

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(int)


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    section = factory.SubFactory(ChecklistSectionFactory)
    plan = factory.SelfAttribute("section.plan")
    title = factory.Sequence(lambda n: f"Checklist item {n}")
    status = Status.PENDING
    blocking = True
    position = factory.Sequence(int)


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Metric {n}")
    unit = "%"
    comparison = Metric.Comparison.GT
    target = 70
    position = factory.Sequence(int)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    metric = factory.SubFactory(MetricFactory)
    value = 30
    measured_at = factory.LazyFunction(timezone.now)
    source = "test"


class RunbookFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Runbook

    title = factory.Sequence(lambda n: f"Runbook {n}")
    body = "# Steps\n\n1. Page the on-call engineer.\n"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    starts_on = datetime.date(2026, 1, 3)
    ends_on = datetime.date(2026, 1, 16)
    position = factory.Sequence(int)


class MilestoneTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MilestoneTask

    milestone = factory.SubFactory(MilestoneFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    position = factory.Sequence(int)
