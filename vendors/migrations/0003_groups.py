from django.db import migrations

from portal.roles import sync_groups


class Migration(migrations.Migration):
    """Legal may edit the new vendor models, everyone may view them."""

    dependencies = [
        ("portal", "0002_groups"),
        ("vendors", "0002_lifecycle_documents_contacts"),
    ]

    operations = [migrations.RunPython(sync_groups, migrations.RunPython.noop)]
