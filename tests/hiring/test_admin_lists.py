"""Big admin lists and their pages: the markup Django would give, with less work and fewer queries."""

import json

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import quote
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.admin_lists import BIG_LIST_PER_PAGE, object_url
from hiring.models import Application, Candidate, Role
from interviews.models import Interview, Scorecard
from interviews.notifications.models import Notification
from tests.hiring.factories import CandidateFactory, CompanyFactory, MembershipFactory

CANDIDATES = reverse("admin:hiring_candidate_changelist")


def test_row_checkbox_is_the_markup_djangos_widget_renders(company):
    # given a name that needs escaping
    candidate = CandidateFactory(company=company, name="O'Brien & <b>Sons</b>")
    quick = admin.site._registry[Candidate]
    # then the quick checkbox is Django's, character for character
    assert quick.action_checkbox(candidate) == ModelAdmin.action_checkbox(quick, candidate)


def test_row_links_are_the_reversed_change_urls(company, recruiter, recruiter_client):
    candidates = [CandidateFactory(company=company) for _ in range(3)]
    response = recruiter_client.get(CANDIDATES)
    html = response.content.decode()
    changelist = response.context["cl"]
    for candidate in candidates:
        url = reverse("admin:hiring_candidate_change", args=[candidate.pk])
        assert changelist.url_for_result(candidate) == url
        assert f'<a href="{url}">' in html


@pytest.mark.parametrize("pk", [7, "a b/é_1?x=%", "0"])
def test_object_url_is_what_reverse_gives(pk):
    for name in ("admin:hiring_candidate_change", "admin:interviews_interview_ics"):
        assert object_url(name, quote(pk)) == reverse(name, args=[quote(pk)])


def test_row_links_keep_the_list_filters(company, recruiter_client):
    candidate = CandidateFactory(company=company, source="referral")
    html = recruiter_client.get(CANDIDATES + "?source__exact=referral").content.decode()
    url = reverse("admin:hiring_candidate_change", args=[candidate.pk])
    assert f'<a href="{url}?_changelist_filters=source__exact%3Dreferral">' in html


def test_big_lists_show_50_rows_a_page(company, recruiter_client):
    for model in (Application, Candidate, Interview, Scorecard, Notification):
        assert admin.site._registry[model].list_per_page == BIG_LIST_PER_PAGE == 50
    CandidateFactory.create_batch(BIG_LIST_PER_PAGE + 1, company=company)
    first = recruiter_client.get(CANDIDATES)
    second = recruiter_client.get(CANDIDATES + "?p=2")
    assert len(first.context["cl"].result_list) == 50
    assert len(second.context["cl"].result_list) == 1


def test_changelist_class_is_built_once_per_admin(company, recruiter):
    request = RequestFactory().get(CANDIDATES)
    request.user = recruiter
    candidate_admin = admin.site._registry[Candidate]
    assert candidate_admin.get_changelist(request) is candidate_admin.get_changelist(request)


# --- Autocomplete: the company scoping is part of the one result query --------------------------


def _candidates(client, term, **extra):
    params = {"app_label": "hiring", "model_name": "application", "field_name": "candidate", "term": term}
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/admin/autocomplete/", {**params, **extra})
    return response, len(ctx)


def test_candidate_autocomplete_is_one_query_and_offers_only_the_users_companies(
    company, other_company, recruiter_client
):
    CandidateFactory(company=company, name="Ada Lovelace")
    CandidateFactory(company=other_company, name="Ada Byron")
    response, queries = _candidates(recruiter_client, "ada")
    assert response.status_code == 200
    assert [r["text"] for r in json.loads(response.content)["results"]] == ["Ada Lovelace"]
    assert 0 < queries <= 3  # the session, the user, the candidates


def test_candidate_autocomplete_answers_nothing_found_and_refuses_who_may_not_read(
    company, recruiter_client, interviewer_client
):
    CandidateFactory(company=company, name="Ada Lovelace")
    response, _ = _candidates(recruiter_client, "zebulon")
    assert response.status_code == 200 and json.loads(response.content)["results"] == []
    # interviewers do not read candidates: refused, whether or not a name matches
    assert _candidates(interviewer_client, "ada")[0].status_code == 403
    assert _candidates(interviewer_client, "zebulon")[0].status_code == 403


def test_candidate_autocomplete_of_a_user_of_two_companies_follows_the_company_hint(
    company, other_company, recruiter, recruiter_client
):
    MembershipFactory(user=recruiter, company=other_company, role=Role.RECRUITER)
    CandidateFactory(company=company, name="Ada Lovelace")
    CandidateFactory(company=other_company, name="Ada Byron")
    response, _ = _candidates(recruiter_client, "ada")
    assert {r["text"] for r in json.loads(response.content)["results"]} == {"Ada Lovelace", "Ada Byron"}
    response, _ = _candidates(recruiter_client, "ada", company=other_company.pk)
    assert [r["text"] for r in json.loads(response.content)["results"]] == ["Ada Byron"]


# --- Permissions: a user's own and their groups' in one query ------------------------------------


def test_model_permissions_of_the_user_and_their_groups_are_read_in_one_query(company, recruiter):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Auditors")
    group.permissions.add(Permission.objects.get(codename="view_logentry"))
    recruiter.groups.add(group)
    recruiter.user_permissions.add(Permission.objects.get(codename="view_group"))
    user = get_user_model().objects.get(pk=recruiter.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert user.has_perm("admin.view_logentry") and user.has_perm("auth.view_group")
        assert user.has_module_perms("admin") and not user.has_perm("auth.change_group")
    assert len(ctx) == 1


# --- The application page reads its application once and logs the visit without a lookup ---------


def test_application_page_reads_the_application_once_and_logs_the_visit(company, recruiter, recruiter_client):
    from hiring.models import AccessLog
    from hiring.services import application_create
    from tests.hiring.factories import JobFactory, JobStageFactory

    job = JobFactory(company=company)
    JobStageFactory(job=job, position=0)
    application = application_create(
        candidate=CandidateFactory(company=company), job=job, source="referral", actor=recruiter
    )
    url = reverse("admin:hiring_application_change", args=[application.pk])
    recruiter_client.get(url)  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as ctx:
        assert recruiter_client.get(url).status_code == 200
    reads = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "hiring_application"."id"')
    ]
    assert len(reads) == 1, reads
    assert len(ctx) <= 15
    log = AccessLog.objects.latest("pk")
    assert (log.company_id, log.object_id, log.user_id) == (company.pk, str(application.pk), recruiter.pk)


# --- Company filters read the company table, not the listed rows --------------------------------


def test_company_filter_offers_the_users_companies_without_reading_the_listed_table(
    company, other_company, company_admin, superuser_client, company_admin_client
):
    from tests.interviews.factories import NotificationFactory

    NotificationFactory(company=company)
    NotificationFactory(company=other_company)
    url = reverse("admin:interviews_notification_changelist")
    with CaptureQueriesContext(connection) as ctx:
        html = superuser_client.get(url).content.decode()
    assert f"company__id__exact={company.pk}" in html and f"company__id__exact={other_company.pk}" in html
    assert ctx.captured_queries and not [q for q in ctx.captured_queries if "DISTINCT" in q["sql"]]
    # one company: no company filter, and never another company's
    html = company_admin_client.get(url).content.decode()
    assert "company__id__exact" not in html and other_company.name not in html
    # two companies: both, and only those
    MembershipFactory(user=company_admin, company=other_company, role=Role.COMPANY_ADMIN)
    third = CompanyFactory(name="Initech")
    html = company_admin_client.get(url).content.decode()
    assert f"company__id__exact={other_company.pk}" in html and third.name not in html
    filtered = company_admin_client.get(url + f"?company__id__exact={other_company.pk}")
    assert {n.company_id for n in filtered.context["cl"].result_list} == {other_company.pk}


# --- Application list: the SLA highlight agrees with the SLA filter; the count needs no join -----


def test_sla_highlight_marks_what_the_overdue_filter_finds_and_the_count_reads_one_table(
    company, recruiter, recruiter_client
):
    import datetime

    from django.utils import timezone

    from hiring.models import ApplicationStatus
    from hiring.services import application_create
    from tests.hiring.factories import JobFactory, JobStageFactory

    job = JobFactory(company=company)
    JobStageFactory(job=job, position=0, sla_days=5)
    rows = {}
    for name, days, status in (
        ("Within Wanda", 4, ApplicationStatus.ACTIVE),
        ("Late Larry", 6, ApplicationStatus.ACTIVE),
        ("Held Hugo", 30, ApplicationStatus.ON_HOLD),
    ):
        candidate = CandidateFactory(company=company, name=name)
        rows[name] = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
        Application.objects.filter(pk=rows[name].pk).update(
            status=status, stage_entered_at=timezone.now() - datetime.timedelta(days=days, hours=1)
        )
    apps = reverse("admin:hiring_application_changelist")
    with CaptureQueriesContext(connection) as ctx:
        response = recruiter_client.get(apps)
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert counts and all("hiring_stage" not in sql for sql in counts), counts
    table_rows = response.content.decode().split("<tr")
    assert [name for name in rows for row in table_rows if name in row and "sla-overdue" in row] == [
        "Late Larry"
    ]
    overdue = recruiter_client.get(apps + "?overdue=yes").context["cl"].result_list
    assert [a.candidate.name for a in overdue] == ["Late Larry"]
