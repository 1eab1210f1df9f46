"""Saving and deleting with an audit trail, for paths that change many objects.

A plain `QuerySet.update()` or `bulk_update()` writes no history row, so every bulk
path in the portal goes through these helpers: one save (or delete) per object,
each recorded with who did it and why.
"""

import functools

from django.apps import apps
from django.db import transaction


def save_with_history(obj, user, reason, update_fields=None):
    obj._history_user = user
    obj._change_reason = reason
    obj.save(update_fields=update_fields)
    return obj


@transaction.atomic
def save_all_with_history(objects, user, reason):
    """Save each object, one history row apiece; all or none are saved."""
    for obj in objects:
        save_with_history(obj, user, reason)


@transaction.atomic
def delete_all_with_history(objects, user, reason):
    for obj in objects:
        obj._history_user = user
        obj._change_reason = reason
        obj.delete()


def history_models():
    """Every historical model of the portal's own apps, in a stable order."""
    return list(found_history_models())


@functools.cache
def found_history_models():
    # Looked up once per process: reaching a model's history manager builds a
    # new manager class each time, and the feed asks for every kind on each page.
    found = []
    for app_label in ("vendors", "compliance"):
        for model in apps.get_app_config(app_label).get_models():
            history = getattr(model._meta, "simple_history_manager_attribute", None)
            if history:
                found.append(getattr(model, history).model)
    return tuple(found)
