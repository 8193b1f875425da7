"""The quick rows of the admin lists (hiring/admin_rows.py) are Django's rows, byte for byte: every
company list is rendered both ways over a full dataset and the tables compared."""

import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from hiring import admin_rows
from hiring.admin_lists import QuickChangeList
from tests.security.dataset import build_company_dataset

pytestmark = pytest.mark.django_db

TABLE = re.compile(r'<table id="result_list">.*?</table>', re.S)


def _lists():
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "get_changelist") or not hasattr(model_admin, "action_checkbox"):
            continue
        try:
            yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except NoReverseMatch:
            continue


def _table(client, url) -> str | None:
    response = client.get(url, follow=True)
    if response.status_code != 200:
        return None
    found = TABLE.search(response.content.decode())
    return found.group(0) if found else None


@pytest.mark.parametrize("who", ["superuser", "company_admin"])
@pytest.mark.parametrize("query", ["", "?o=-2", "?q=a"])
def test_every_company_list_renders_the_same_rows_as_django(
    company, admin_client_for, monkeypatch, query, who, request
):
    build_company_dataset(company, marker="Rows")
    user_client = admin_client_for(request.getfixturevalue(who))
    compared = 0
    for url in _lists():
        quick = _table(user_client, url + query)
        with monkeypatch.context() as m:
            m.setattr(QuickChangeList, "quick_rows", False)
            django = _table(user_client, url + query)
        assert quick == django, url
        if quick and "<tbody>" in quick and "<tr" in quick.split("<tbody>", 1)[1]:
            compared += 1
    assert compared >= 10  # lists with rows, not only empty ones


def test_the_quick_rows_are_used_on_company_lists(company, company_admin, admin_client_for, monkeypatch):
    build_company_dataset(company, marker="Rows")
    calls = []
    real = admin_rows.quick_rows
    monkeypatch.setattr(admin_rows, "quick_rows", lambda cl: calls.append(cl) or real(cl))
    response = admin_client_for(company_admin).get(reverse("admin:hiring_application_changelist"))
    assert response.status_code == 200 and len(calls) == 1
    assert 'class="field-candidate_name"' in response.content.decode()
