"""The example plan that `make run` loads must keep importing cleanly."""

from io import StringIO

import pytest
from django.core.management import call_command

from compliance import readiness
from compliance.models import Plan
from tests.conftest import EXAMPLE_PLAN
from vendors.models import Agreement

pytestmark = pytest.mark.django_db


def test_the_example_plan_imports_with_every_line_placed():
    out = StringIO()

    call_command("import_plan", str(EXAMPLE_PLAN), stdout=out)

    assert "could not be placed" not in out.getvalue()
    result = readiness.compute(Plan.current())
    assert (result.blocking_done, result.blocking_total) == (7, 14)
    assert (result.items_done, result.items_total) == (7, 11)
    assert [b.title for b in result.blockers] == [
        "Harbor Logs: BAA not signed",
        "Kestrel Queue: BAA not signed",
        "Lumen Speech: BAA not signed",
        "Northwind Health Cloud: BAA not signed",
        "Parcel Mail: BAA not signed",
        "Load test at expected peak",
        "Test coverage above 60%",
    ]
    assert list(
        Agreement.objects.filter(kind=Agreement.Kind.DPA).values_list(
            "vendor__name", flat=True
        )
    ) == ["Parcel Mail"]
