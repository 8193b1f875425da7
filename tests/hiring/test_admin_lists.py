"""Big admin lists: the quicker row rendering gives the markup Django would, 50 rows a page."""

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.test import RequestFactory
from django.urls import reverse

from hiring.admin_lists import BIG_LIST_PER_PAGE
from hiring.models import Application, Candidate
from interviews.models import Interview, Scorecard
from interviews.notifications.models import Notification
from tests.hiring.factories import CandidateFactory

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
