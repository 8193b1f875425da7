"""The portal's track choice, take-home hand-in and survey: through the candidate's own
application only, POST with CSRF, rate-limited, escaped, in English and French, with the same
queries for N and 2N rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import ApplicationTrack
from interviews.handins import ExtensionRequest, HandIn, KitBriefFile, SurveyAnswer
from interviews.models import Decision, DecisionOutcome, InterviewStatus, Notification
from interviews.portal_actions import application_track_choose
from tests.hiring.documents import HTML, PDF
from tests.hiring.factories import ApplicationFactory, CandidateFactory, CompanyFactory
from tests.interviews.factories import InterviewFactory
from tests.interviews.portal_data import loop
from tests.portal.helpers import portal_client

pytestmark = pytest.mark.django_db


def app_url(app):
    return reverse("portal:application", args=[app.pk])


@pytest.fixture
def lp(company, private_root):
    return loop(company)


def test_candidate_chooses_and_changes_a_track(lp):
    client = portal_client(lp.application.candidate)
    page = client.get(app_url(lp.application)).content.decode()
    assert "Live coding" in page and "Take-home" in page and "Save my choice" in page
    url = reverse("portal:track_choose", args=[lp.application.pk])
    response = client.post(url, {"track": lp.live.pk}, follow=True)
    assert "Your choice is saved: Live coding." in response.content.decode()
    client.post(url, {"track": lp.take_home.pk})
    assert ApplicationTrack.objects.get(application=lp.application).track == lp.take_home
    assert Notification.objects.filter(event="track_chosen_team").exists()


def test_the_saved_message_is_a_list_inside_a_status_region(lp):
    """A list given role="status" is no longer a list, so its <li> were orphans (axe: listitem);
    the live region wraps the list instead."""
    client = portal_client(lp.application.candidate)
    url = reverse("portal:track_choose", args=[lp.application.pk])
    html = client.post(url, {"track": lp.live.pk}, follow=True).content.decode()
    assert '<div role="status"><ul class="portal-messages"><li class="success">Your choice is saved' in html
    assert '<ul class="portal-messages" role="status">' not in html


def test_track_refused_once_scheduled(company, lp):
    client = portal_client(lp.application.candidate)
    InterviewFactory(
        application=lp.application, kit=lp.live_kit, company=company, status=InterviewStatus.SCHEDULED
    )
    response = client.post(
        reverse("portal:track_choose", args=[lp.application.pk]), {"track": lp.live.pk}, follow=True
    )
    assert "can no longer change" in response.content.decode()
    assert not ApplicationTrack.objects.exists()


def test_a_track_of_another_job_is_404(company, lp):
    other = loop(company)
    client = portal_client(lp.application.candidate)
    assert (
        client.post(
            reverse("portal:track_choose", args=[lp.application.pk]), {"track": other.live.pk}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("portal:track_choose", args=[lp.application.pk]), {"track": "x"}).status_code
        == 404
    )


def test_get_is_refused_and_csrf_is_checked(lp):
    client = Client(enforce_csrf_checks=True)
    client.cookies = portal_client(lp.application.candidate).cookies
    url = reverse("portal:track_choose", args=[lp.application.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"track": lp.live.pk}).status_code == 403
    assert not ApplicationTrack.objects.exists()


def _take_home(lp):
    application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)
    return portal_client(lp.application.candidate)


def test_candidate_sees_the_brief_and_the_deadline_in_their_time_zone(lp):
    candidate = lp.application.candidate
    candidate.time_zone = "Asia/Tokyo"
    candidate.save()
    brief = KitBriefFile(company=lp.application.company, kit=lp.take_home_kit, title="Starter <kit>")
    brief.file.save("starter.pdf", SimpleUploadedFile("starter.pdf", PDF))
    client = _take_home(lp)
    page = client.get(app_url(lp.application)).content.decode()
    assert "<strong>API</strong>" in page  # the brief's Markdown
    assert "Starter &lt;kit&gt;" in page and "Asia/Tokyo" in page
    download = client.get(reverse("portal:handin_brief_file", args=[lp.application.pk, brief.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_hand_in_files_and_links(lp):
    client = _take_home(lp)
    url = reverse("portal:handin_submit", args=[lp.application.pk, lp.take_home_kit.pk])
    response = client.post(
        url,
        {
            "files": [SimpleUploadedFile("answer.pdf", PDF)],
            "links": "https://github.com/ada/api\n",
            "comment": "<b>hi</b>",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "your hand-in is received" in html and "answer.pdf" in html and "<b>hi</b>" not in html
    handin = HandIn.objects.get()
    assert handin.files.count() == 1 and handin.links.get().url == "https://github.com/ada/api"
    again = client.post(url, {"links": "https://x.example/"}, follow=True)
    assert HandIn.objects.count() == 1 and again.status_code == 200


def test_bad_file_and_late_handins_are_refused_with_a_message(lp):
    client = _take_home(lp)
    url = reverse("portal:handin_submit", args=[lp.application.pk, lp.take_home_kit.pk])
    response = client.post(url, {"files": [SimpleUploadedFile("cv.pdf", HTML)]}, follow=True)
    assert "A file is not accepted" in response.content.decode()
    lp.application.stage_entered_at -= datetime.timedelta(days=30)
    lp.application.save()
    response = client.post(url, {"links": "https://github.com/ada"}, follow=True)
    assert "The deadline has passed" in response.content.decode() and not HandIn.objects.exists()


def test_ask_for_more_time(lp):
    client = _take_home(lp)
    day = (lp.application.stage_entered_at + datetime.timedelta(days=8)).date().isoformat()
    url = reverse("portal:handin_more_time", args=[lp.application.pk, lp.take_home_kit.pk])
    response = client.post(url, {"until": day, "reason": "Family matters"}, follow=True)
    assert "request for more time is sent" in response.content.decode()
    assert ExtensionRequest.objects.get().reason == "Family matters"
    assert Notification.objects.filter(
        event="extension_updated", recipient=lp.application.candidate.email
    ).exists()


def test_survey_after_a_decision_once(company, lp):
    client = portal_client(lp.application.candidate)
    assert "Tell us how it went" not in client.get(app_url(lp.application)).content.decode()
    Decision.objects.create(
        company=company,
        application=lp.application,
        stage=lp.application.stage,
        outcome=DecisionOutcome.ADVANCE,
    )
    assert "Tell us how it went" in client.get(app_url(lp.application)).content.decode()
    url = reverse("portal:survey_answer", args=[lp.application.pk])
    assert (
        "Thank you for your answer"
        in client.post(url, {"score": "4", "comment": "ok"}, follow=True).content.decode()
    )
    client.post(url, {"score": "1"})
    assert list(SurveyAnswer.objects.values_list("score", flat=True)) == [4]
    assert "you answered the survey" in client.get(app_url(lp.application)).content.decode()


def test_french_strings(lp):
    candidate = lp.application.candidate
    client = _take_home(lp)
    page = client.get(app_url(lp.application), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rendre" in page and "Date limite" in page, page[:3000]
    assert candidate  # the page is the candidate's own


def test_another_candidates_application_is_404_on_every_url(company, lp):
    stranger = CandidateFactory(company=company)
    ApplicationFactory(company=company, candidate=stranger)
    other_company_app = loop(CompanyFactory()).application
    client = portal_client(stranger)
    for app in (lp.application, other_company_app):
        kit = lp.take_home_kit.pk
        urls = [
            reverse("portal:track_choose", args=[app.pk]),
            reverse("portal:handin_submit", args=[app.pk, kit]),
            reverse("portal:handin_more_time", args=[app.pk, kit]),
            reverse("portal:survey_answer", args=[app.pk]),
        ]
        for url in urls:
            assert (
                client.post(
                    url, {"track": lp.live.pk, "score": "5", "links": "https://x.example/"}
                ).status_code
                == 404
            )
        assert client.get(reverse("portal:handin_brief_file", args=[app.pk, 1])).status_code == 404
    assert (
        not HandIn.objects.exists()
        and not ApplicationTrack.objects.exists()
        and not SurveyAnswer.objects.exists()
    )


def test_a_brief_of_a_kit_not_open_to_the_candidate_is_404(company, lp):
    other = loop(company)
    brief = KitBriefFile(company=company, kit=other.take_home_kit, title="Other")
    brief.file.save("b.pdf", SimpleUploadedFile("b.pdf", PDF))
    client = _take_home(lp)
    assert (
        client.get(reverse("portal:handin_brief_file", args=[lp.application.pk, brief.pk])).status_code == 404
    )


def test_posts_are_rate_limited(lp, settings):
    settings.HIRELOOP_RATE_LIMITS = {**settings.HIRELOOP_RATE_LIMITS, "apply": "2/h"}
    client = portal_client(lp.application.candidate)
    url = reverse("portal:track_choose", args=[lp.application.pk])
    codes = [client.post(url, {"track": lp.live.pk}).status_code for _ in range(3)]
    assert codes[-1] == 429


def _page_queries(client, app):
    client.get(app_url(app))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(app_url(app)).status_code == 200
    return len(ctx.captured_queries)


def test_application_page_queries_are_the_same_for_n_and_2n(company, private_root):
    counts = []
    for n in (1, 2):
        lp = loop(company)
        application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)
        for i in range(n):
            brief = KitBriefFile(company=company, kit=lp.take_home_kit, title=f"B{i}")
            brief.file.save("b.pdf", SimpleUploadedFile("b.pdf", PDF))
        client = portal_client(lp.application.candidate)
        client.post(
            reverse("portal:handin_submit", args=[lp.application.pk, lp.take_home_kit.pk]),
            {
                "files": [SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(n)],
                "links": "\n".join(f"https://e.org/{i}" for i in range(n)),
            },
        )
        counts.append(_page_queries(client, lp.application))
    assert counts[0] == counts[1]
