"""The administration site works for a platform administrator on every registered model."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.conftest import client_for


@pytest.fixture
def admin_client_(django_user_model, scan):
    return client_for(django_user_model.objects.create_superuser("root@roer.example", "x" * 12))


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_admin_list_and_add_page_renders(admin_client_, model):
    opts = model._meta
    assert admin_client_.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    add = admin_client_.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403)


def test_a_non_staff_member_cannot_reach_the_admin(alice_client):
    assert alice_client.get("/admin/").status_code == 302
