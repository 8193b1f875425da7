"""A user who may add to one company only is never asked which company: on every add form with a
company field, it is hidden and set to theirs. Users of several companies choose among their own."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from hiring.admin_scoping import CompanyScopedAdminMixin
from hiring.models import Job, RejectionReason, Role
from tests.hiring.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _add_forms_with_a_company_field(user):
    """(admin, add form) of every company-scoped admin the user may add with, whose add form has a
    company field."""
    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, CompanyScopedAdminMixin) or not model_admin.has_add_permission(
            request
        ):
            continue
        try:
            form = model_admin.get_form(request, None, change=False)
        except Exception:  # an admin whose add page is its own view (no model form): not a company pick
            continue
        if "company" in form.base_fields:
            yield model, form


def test_no_add_form_asks_a_one_company_admin_for_the_company(company, company_admin, other_company):
    forms = dict(_add_forms_with_a_company_field(company_admin))
    assert {Job, RejectionReason} <= set(forms), "the walk must see the job and rejection reason forms"
    for model, form in forms.items():
        field = form.base_fields["company"]
        assert field.widget.is_hidden, model
        assert list(field.queryset) == [company], model
        assert field.initial == company.pk, model


def test_a_one_company_admin_adds_without_choosing_the_company(company, company_admin_client, other_company):
    url = reverse("admin:hiring_rejectionreason_add")
    page = company_admin_client.get(url).content.decode()
    assert '<select name="company"' not in page and 'name="company"' in page
    response = company_admin_client.post(
        url, {"name": "Salary too high", "kind": "company", "is_active": "on"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RejectionReason.objects.get(name="Salary too high").company == company
    # another company's id, forged into the form, changes nothing: the reason is theirs
    response = company_admin_client.post(
        url, {"name": "Forged", "company": other_company.pk, "kind": "company"}
    )
    assert response.status_code == 302
    assert RejectionReason.objects.get(name="Forged").company == company


def test_a_user_of_two_companies_chooses_among_their_own_only(company, other_company, admin_client_for):
    user = UserFactory(username="two-hats")
    MembershipFactory(user=user, company=company, role=Role.RECRUITER)
    MembershipFactory(user=user, company=other_company, role=Role.RECRUITER)
    CompanyFactory(name="Initech", slug="initech")
    form = admin_client_for(user).get(reverse("admin:hiring_job_add")).context["adminform"].form
    field = form.fields["company"]
    assert not field.widget.is_hidden
    assert set(field.queryset) == {company, other_company}
