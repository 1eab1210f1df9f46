from django.db import migrations

from portal.roles import sync_groups


class Migration(migrations.Migration):
    """Engineering edits the new Shift model; everyone may view it."""

    dependencies = [
        ("portal", "0002_groups"),
        ("compliance", "0002_checklist_phase_oncall_shifts"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
