"""The portal's groups and what each may do.

Permissions are granted per app, so a model added later to `vendors` is editable
by Legal once a migration calls `sync_groups` again.
"""

LEGAL, ENGINEERING, VIEWER = "Legal", "Engineering", "Viewer"

# Group -> apps whose models it may add, change and delete. Every group may view
# everything.
EDITS = {
    LEGAL: ["vendors"],
    ENGINEERING: ["compliance"],
    VIEWER: [],
}
VIEWS = ["vendors", "compliance", "portal"]


def sync_groups(apps, schema_editor=None):
    """Create the groups and (re)grant their permissions. Safe to run again."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; a data migration
    # must create them itself to be able to grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, edited_apps in EDITS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        views = permission_model.objects.filter(
            content_type__app_label__in=VIEWS, codename__startswith="view_"
        )
        edits = permission_model.objects.filter(content_type__app_label__in=edited_apps)
        group.permissions.add(*views, *edits)
