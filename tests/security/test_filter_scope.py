"""List filters outside one's scope: another company's id in a filter lists nothing, with a message.

The lists and their filters come from the admin's registry and URL patterns, so a list or filter
added later is checked without this file changing.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.filters import SimpleListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.messages import get_messages
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse

from hiring.admin_scoping import CompanyScopedAdminMixin
from tests.hiring.factories import ApplicationFactory, CandidateFactory, JobFactory, JobStageFactory
from tests.security.dataset import build_company_dataset

OUTSIDE = "names something outside your companies"


def named_model(model, parameter: str):
    """The model a filter parameter names by id when it is a relation of the listed model."""
    try:
        field = model._meta.get_field(parameter)
    except FieldDoesNotExist:
        return None
    return field.related_model if field.is_relation else None


def scoped_changelists():
    """(model, admin, changelist URL name) of every company-scoped admin with a list."""
    found = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, CompanyScopedAdminMixin):
            continue
        name = f"{model._meta.app_label}_{model._meta.model_name}_changelist"
        if any(getattr(p, "name", None) == name for p in model_admin.get_urls()):
            found.append((model, model_admin, f"admin:{name}"))
    return found


def filter_parameters(model, model_admin, request) -> dict[str, type]:
    """Each query parameter a list's filters take that names rows of another model by id, with
    that model; plus the plain `company` lookups the walker also tries."""
    params = {}
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            target = named_model(model, item.parameter_name)
            if target is not None:
                params[item.parameter_name] = target
            continue
        path = item[0] if isinstance(item, (tuple, list)) else item
        field = get_fields_from_path(model, path)[-1]
        if field.is_relation and field.related_model is not None:
            params[f"{path}__{field.related_model._meta.pk.name}__exact"] = field.related_model
    if any(f.name == "company" for f in model._meta.get_fields()):
        for key in ("company", "company_id", "company__id__exact"):
            params.setdefault(key, model._meta.get_field("company").related_model)
    return params


@pytest.fixture
def both_datasets(company, other_company):
    build_company_dataset(company, marker="Acmeown")
    return build_company_dataset(other_company)


def test_every_scoped_list_is_empty_with_a_message_for_a_filter_on_another_companys_rows(
    company_admin, admin_client_for, other_company, both_datasets, rf
):
    # given a company admin of A (one company), A's and B's full datasets
    client = admin_client_for(company_admin)
    request = rf.get("/")
    request.user = company_admin
    checked, problems = 0, []
    for model, model_admin, url_name in scoped_changelists():
        url = reverse(url_name)
        own = client.get(url)
        if own.status_code != 200 or not own.context["cl"].result_list:
            continue  # nothing of A listed: an empty answer would prove nothing
        for key, target in filter_parameters(model, model_admin, request).items():
            theirs = both_datasets.get(target) or ([other_company] if target is type(other_company) else [])
            if not theirs:
                continue
            # when the list is asked for with B's row in the filter
            response = client.get(url, {key: theirs[0].pk})
            checked += 1
            # then it lists nothing and says why (an error page would do too, never A's rows)
            if response.status_code == 302:
                continue
            texts = " ".join(str(m) for m in get_messages(response.wsgi_request))
            if response.status_code != 200 or response.context["cl"].result_list:
                problems.append(f"{url}?{key}={theirs[0].pk}: lists rows (HTTP {response.status_code})")
            elif OUTSIDE not in texts:
                problems.append(f"{url}?{key}={theirs[0].pk}: empty but no message")
    assert checked > 15
    assert not problems, "\n".join(problems)


def test_a_company_filter_for_a_user_of_one_company_lists_nothing(recruiter_client, company, other_company):
    # given 3 applications of the user's one company
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job, position=0)
    for _ in range(3):
        ApplicationFactory(company=company, job=job, stage=stage, candidate=CandidateFactory(company=company))
    url = reverse("admin:hiring_application_changelist")
    # when the list is filtered by another company
    response = recruiter_client.get(url, {"company": other_company.pk})
    # then nothing is listed, with a message and a way back to the whole list
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    texts = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert OUTSIDE in texts and f"company={other_company.pk}" in texts
    # and the user's own company, or no filter, lists the 3
    assert len(recruiter_client.get(url, {"company": company.pk}).context["cl"].result_list) == 3
    assert len(recruiter_client.get(url).context["cl"].result_list) == 3


def test_a_filter_without_choices_still_filters(recruiter_client, company):
    # given two stages of one job, one application in each
    job = JobFactory(company=company)
    first, second = JobStageFactory(job=job, position=0), JobStageFactory(job=job, position=1)
    for stage in (first, second):
        ApplicationFactory(company=company, job=job, stage=stage, candidate=CandidateFactory(company=company))
    # when the list is filtered by stage without a job (the stage filter then offers no choices)
    response = recruiter_client.get(reverse("admin:hiring_application_changelist"), {"stage": second.pk})
    # then the filter applies all the same
    assert [a.stage_id for a in response.context["cl"].result_list] == [second.pk]
