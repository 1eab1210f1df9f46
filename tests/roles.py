from django.contrib.auth.models import Group, Permission

from portal.roles import EDITS, VIEWS


def member_of(name):
    """The group as the roles migration makes it. Made again here because a
    transactional test (the browser ones) empties every table when it ends."""
    group, created = Group.objects.get_or_create(name=name)
    if created or not group.permissions.exists():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=VIEWS, codename__startswith="view_"
            ),
            *Permission.objects.filter(content_type__app_label__in=EDITS[name]),
        )
    return group
