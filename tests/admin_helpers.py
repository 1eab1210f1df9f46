"""Posting to the Django admin the way its pages do."""

from django.urls import reverse


def list_edit(client, model, changes):
    """Save the admin changelist of `model` with `changes` ({pk: {field: value}})."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    formset = client.get(url).context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, form in enumerate(formset.forms):
        values = {name: form[name].value() for name in form.fields}
        values.update(changes.get(form.instance.pk, {}))
        for name, value in values.items():
            if value is None or value is False:
                continue
            data[f"form-{index}-{name}"] = "on" if value is True else value
    return client.post(url, data)


def run_action(client, model, action, objects, follow=False, **extra):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    data = {"action": action, "_selected_action": [obj.pk for obj in objects]}
    data.update(extra)
    return client.post(url, data, follow=follow)


def seen_revision(obj):
    """What the admin's change form of `obj` says it was opened on."""
    return obj.history.order_by("-history_id").first().history_id
