"""Company isolation, proven by walking every admin URL as each role of company A against B's data."""

import pytest

from hiring.models import Role
from tests.security.dataset import MARKER, build_company_dataset, company_models, rows_of
from tests.security.walker import AdminWalker

OTHER_MARKERS = (MARKER, "Globex Labs")


@pytest.fixture
def two_companies(company, other_company):
    """Both companies with a full dataset; only B's text carries the marker."""
    build_company_dataset(company, marker="Acmeown")
    return build_company_dataset(other_company)


@pytest.mark.parametrize("role", Role.values)
def test_no_admin_url_shows_or_changes_another_companys_data(
    role, all_roles, other_company, two_companies, admin_client_for
):
    # given a user of company A with one role, and company B's full dataset
    client = admin_client_for(all_roles[role])
    before = rows_of(other_company)
    # when they request every URL the admin registers, with B's ids, and post B's ids to every action
    result = AdminWalker(client, two_companies, OTHER_MARKERS).walk()
    # then no response shows B's data or answers 200 on B's objects, and nothing of B changed
    assert result.requests > 100
    assert not result.findings, "\n".join(str(f) for f in result.findings)
    assert rows_of(other_company) == before


def test_the_walk_finds_leaks_when_there_are_some(superuser, other_company, two_companies, admin_client_for):
    # A superuser sees every company: the walk must report B's objects for them.
    result = AdminWalker(admin_client_for(superuser), two_companies, OTHER_MARKERS).walk()
    leaked_urls = {f.url for f in result.findings}
    assert any("/change/" in url for url in leaked_urls)
    assert any("/history/" in url for url in leaked_urls)
    assert any("autocomplete" in url or "?" in url or url.endswith("/") for url in leaked_urls)


def test_dataset_has_a_row_of_every_company_model_with_an_admin(other_company, two_companies):
    from django.contrib import admin

    without_rows = [
        m._meta.label for m in company_models() if m in admin.site._registry and m not in two_companies
    ]
    assert not without_rows, f"extend tests/security/dataset.py for {without_rows}"
