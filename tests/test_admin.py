"""Every model has an admin page that works, and the frozen parts of a note are read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_model_of_the_portal_is_in_the_admin():
    from django.apps import apps

    registered = set(admin.site._registry)
    registered |= {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    for label in ("meetings", "performance"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert model in registered, f"{model.__name__} has no admin"


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label in {"meetings", "performance"}],
    ids=lambda m: m.__name__,
)
def test_every_admin_list_and_add_page_opens(client, admin_user, model):
    client.force_login(admin_user)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403)
