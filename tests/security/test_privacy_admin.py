"""Access log, erasure log and the candidate-rights actions in the admin."""

import datetime
import json

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch
from django.utils import timezone

from hiring.admin.privacy import candidate_privacy_actions_install, erase_candidates, export_candidate_data
from hiring.admin_scoping import CompanyScopedAdminMixin
from hiring.middleware import AccessLogMiddleware
from hiring.models import AccessLog, ApplicationStatus, Candidate, ErasureLog
from hiring.privacy import access_log_record
from tests.hiring.factories import ApplicationFactory, CandidateFactory, RejectionReasonFactory
from tests.interviews.factories import ScorecardFactory


def _request(user, method="get", data=None):
    request = getattr(RequestFactory(), method)("/admin/hiring/candidate/", data or {})
    request.user = user
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    request._messages = FallbackStorage(request)
    return request


def _messages(request):
    return [str(m) for m in request._messages]


class _CandidateAdmin(CompanyScopedAdminMixin, admin.ModelAdmin):
    pass


def _match(url_name, **kwargs):
    return ResolverMatch(lambda r: None, (), kwargs, url_name=url_name, namespaces=["admin"])


# -- access log ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name,logged",
    [
        ("hiring_candidate_change", True),
        ("hiring_candidate_history", True),
        ("hiring_application_change", True),
        ("interviews_scorecard_change", True),
        ("hiring_candidate_changelist", False),
        ("hiring_job_change", False),
    ],
)
def test_access_log_middleware_records_candidate_and_scorecard_pages(url_name, logged, company, recruiter):
    candidate = CandidateFactory(company=company)
    application = ApplicationFactory(company=company, candidate=candidate)
    scorecard = ScorecardFactory(interview__application=application)
    object_id = {"hiring_candidate": candidate.pk, "hiring_application": application.pk}.get(
        url_name.rsplit("_", 1)[0], scorecard.pk
    )
    kwargs = {} if url_name.endswith("changelist") else {"object_id": str(object_id)}
    request = RequestFactory().get("/admin/x/")
    request.user = recruiter
    request.resolver_match = _match(url_name, **kwargs)

    AccessLogMiddleware(lambda r: HttpResponse("ok"))(request)

    rows = list(AccessLog.objects.values("company_id", "username", "object_id", "user_id"))
    if logged:
        assert rows == [
            {
                "company_id": company.pk,
                "username": "acme-recruiter",
                "object_id": str(object_id),
                "user_id": recruiter.pk,
            }
        ]
    else:
        assert rows == []


def test_access_log_skips_refused_pages_and_posts(company, recruiter):
    candidate = CandidateFactory(company=company)
    for method, status in (("get", 404), ("get", 302), ("post", 200)):
        request = getattr(RequestFactory(), method)("/admin/x/")
        request.user = recruiter
        request.resolver_match = _match("hiring_candidate_change", object_id=str(candidate.pk))
        AccessLogMiddleware(lambda r, s=status: HttpResponse(status=s))(request)
    assert not AccessLog.objects.exists()


def test_opening_a_candidate_page_is_logged(company, company_admin_client, company_admin):
    candidate = CandidateFactory(company=company)
    assert company_admin_client.get(f"/admin/hiring/candidate/{candidate.pk}/change/").status_code == 200
    log = AccessLog.objects.get()
    assert (log.user, log.object_type) == (company_admin, "hiring.candidate")
    assert log.object_id == str(candidate.pk)


def test_access_log_is_visible_to_company_admins_of_that_company_only(
    company,
    other_company,
    recruiter,
    company_admin_client,
    recruiter_client,
    other_recruiter,
    manager_client,
    interviewer_client,
):
    ours = access_log_record(
        user=recruiter,
        object_type="hiring.candidate",
        object_id=str(CandidateFactory(company=company).pk),
        view="change",
    )
    theirs = access_log_record(
        user=other_recruiter,
        object_type="hiring.candidate",
        object_id=str(CandidateFactory(company=other_company).pk),
        view="change",
    )
    page = company_admin_client.get("/admin/hiring/accesslog/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "acme-recruiter" in body and "globex-recruiter" not in body
    assert company_admin_client.get(f"/admin/hiring/accesslog/{ours.pk}/change/").status_code == 200
    assert company_admin_client.get(f"/admin/hiring/accesslog/{theirs.pk}/change/").status_code == 404
    # read-only, even for company admins
    delete = company_admin_client.post(f"/admin/hiring/accesslog/{ours.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert company_admin_client.get("/admin/hiring/accesslog/add/").status_code == 403
    assert AccessLog.objects.count() == 2
    for client in (recruiter_client, manager_client, interviewer_client):
        assert client.get("/admin/hiring/accesslog/").status_code == 403


# -- erasure log and retention dry run ---------------------------------------------------------------


def _past_retention(company):
    decided = timezone.now() - datetime.timedelta(days=400)
    return ApplicationFactory(
        company=company,
        status=ApplicationStatus.REJECTED,
        rejection_reason=RejectionReasonFactory(company=company),
        decided_at=decided,
        stage_entered_at=decided,
    ).candidate


def test_erasure_log_page_shows_the_dry_run_count_of_the_admins_companies(
    company, other_company, company_admin_client, superuser, admin_client_for
):
    _past_retention(company)
    _past_retention(other_company)
    _past_retention(other_company)
    page = company_admin_client.get("/admin/hiring/erasurelog/")
    assert page.status_code == 200
    assert "1 candidate past the retention period" in page.content.decode()
    everyone = admin_client_for(superuser).get("/admin/hiring/erasurelog/")
    assert "3 candidates past" in everyone.content.decode()
    assert Candidate.objects.filter(anonymised_at__isnull=False).count() == 0  # a dry run changes nothing


# -- candidate rights actions -------------------------------------------------------------------------


def test_export_action_returns_the_candidates_json_for_company_admins(company, company_admin):
    candidate = CandidateFactory(company=company, name="Exported Person")
    model_admin = _CandidateAdmin(Candidate, admin.site)
    request = _request(company_admin, "post")
    response = export_candidate_data(model_admin, request, Candidate.objects.filter(pk=candidate.pk))
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["data"]["hiring.candidate"][0]["name"] == "Exported Person"


def test_export_and_erase_refuse_other_roles_and_other_companies(
    company, other_company, recruiter, company_admin
):
    ours, theirs = CandidateFactory(company=company), CandidateFactory(company=other_company)
    model_admin = _CandidateAdmin(Candidate, admin.site)
    for user, candidate in ((recruiter, ours), (company_admin, theirs)):
        for action in (export_candidate_data, erase_candidates):
            request = _request(user, "post", {"confirm": "yes"})
            assert action(model_admin, request, Candidate.objects.filter(pk=candidate.pk)) is None
            assert "Only a company admin" in " ".join(_messages(request))
    assert not ErasureLog.objects.exists()
    assert Candidate.objects.filter(anonymised_at__isnull=False).count() == 0


def test_erase_action_asks_for_confirmation_then_erases(company, company_admin):
    candidate = CandidateFactory(company=company, name="Erase Me", email="erase.me@example.net")
    model_admin = _CandidateAdmin(Candidate, admin.site)
    queryset = Candidate.objects.filter(pk=candidate.pk)
    # first the confirmation page, nothing erased
    page = erase_candidates(model_admin, _request(company_admin, "post"), queryset)
    page.render()
    assert "Erase Me" in page.content.decode() and 'name="confirm" value="yes"' in page.content.decode()
    assert not ErasureLog.objects.exists()
    # then, confirmed, the candidate is anonymised and the audit row keeps no personal data
    request = _request(company_admin, "post", {"confirm": "yes"})
    assert erase_candidates(model_admin, request, queryset) is None
    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None and "Erase" not in candidate.name
    log = ErasureLog.objects.get()
    assert log.actor == company_admin and log.candidate_id == candidate.pk
    assert "Erase" not in json.dumps(log.summary) and "erase.me" not in json.dumps(log.summary)


def test_candidate_actions_are_installed_on_the_candidate_admin():
    site = admin.AdminSite(name="probe")
    assert candidate_privacy_actions_install(site) is False
    site.register(Candidate, _CandidateAdmin)
    assert candidate_privacy_actions_install(site) is True
    assert candidate_privacy_actions_install(site) is True  # idempotent
    actions = site._registry[Candidate].actions
    assert list(actions).count(export_candidate_data) == 1 and erase_candidates in actions
