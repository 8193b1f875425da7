"""The admin side of the portal's actions: the application page's "Tracks and take-homes" panel
(staff record a track with a note, accept or refuse more time), hand-ins on the scorecard page of
the kit's interviewers and their checked downloads, brief files kept private; same queries for N
and 2N rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from hiring.models import ApplicationTrack, Role
from interviews.handins import ExtensionStatus, HandIn, KitBriefFile
from interviews.models import Notification, TrackChange
from interviews.portal_actions import application_track_choose, extension_request_create, handin_submit
from interviews.portal_selectors import handin_deadline
from tests.hiring.documents import PDF
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import InterviewFactory, ScorecardFactory
from tests.interviews.portal_data import loop
from tests.interviews.test_panel_and_decision import _application_page

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def page(application):
    return reverse("admin:hiring_application_change", args=[application.pk])


def test_the_panel_shows_the_choice_and_its_history(company, recruiter_client):
    lp = loop(company)
    application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)
    html = recruiter_client.get(page(lp.application)).content.decode()
    assert 'id="portal-panel"' in html and "<strong>Take-home (chosen)</strong>" in html
    assert "the candidate (portal)" in html
    assert "track chosen: Take-home" in html  # the plan


def test_staff_record_a_track_with_a_note(company, recruiter, recruiter_client):
    lp = loop(company)
    url = reverse("admin:interviews_trackchange_record")
    data = {"application": lp.application.pk, "track": lp.live.pk, "note": "Phoned on Tuesday"}
    response = recruiter_client.post(url, data)
    assert response.status_code == 302
    change = TrackChange.objects.get()
    assert (change.actor, change.note, change.to_track) == (recruiter, "Phoned on Tuesday", lp.live)
    assert Notification.objects.filter(event="track_chosen", application=lp.application).exists()
    # Without a note: refused, nothing changes.
    response = recruiter_client.post(url, {**data, "track": lp.take_home.pk, "note": ""}, follow=True)
    assert "Say how the candidate told you" in response.content.decode()
    assert ApplicationTrack.objects.get().track == lp.live


def test_staff_recording_refused_once_scheduled(company, recruiter_client):
    lp = loop(company)
    InterviewFactory(application=lp.application, kit=lp.live_kit, company=company)
    response = recruiter_client.post(
        reverse("admin:interviews_trackchange_record"),
        {"application": lp.application.pk, "track": lp.live.pk, "note": "x"},
        follow=True,
    )
    assert "already scheduled" in response.content.decode() and not TrackChange.objects.exists()
    assert "Record track" not in response.content.decode()  # the form is gone once locked


def test_other_company_and_interviewers_cannot_record(company, other_company_admin, interviewer_client):
    lp = loop(company)
    data = {"application": lp.application.pk, "track": lp.live.pk, "note": "x"}
    url = reverse("admin:interviews_trackchange_record")
    assert _client(other_company_admin).post(url, data).status_code == 404
    assert interviewer_client.post(url, data).status_code == 404
    assert interviewer_client.get(url).status_code == 405
    assert not TrackChange.objects.exists()


@pytest.fixture
def handed_in(company, private_root):
    lp = loop(company)
    application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)
    handin = handin_submit(
        application=lp.application,
        kit=lp.take_home_kit,
        files=[SimpleUploadedFile("my-solution.pdf", PDF)],
        links=["https://github.com/ada/api"],
    )
    review = InterviewFactory(application=lp.application, kit=lp.take_home_kit, company=company)
    scorecard = ScorecardFactory(interview=review, company=company, interviewer=lp.reviewer)
    return lp, handin, scorecard


def test_the_kit_interviewer_sees_the_handin_on_the_scorecard_page_and_downloads_it(handed_in):
    lp, handin, scorecard = handed_in
    client = _client(lp.reviewer.user)
    html = client.get(reverse("admin:interviews_scorecard_change", args=[scorecard.pk])).content.decode()
    f = handin.files.get()
    assert (
        'id="scorecard-handins"' in html
        and "my-solution.pdf" in html
        and "https://github.com/ada/api" in html
    )
    assert f.file.url in html
    response = client.get(f.file.url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_other_interviewer_and_other_company_cannot_download(
    handed_in, company, interviewer, other_company_admin
):
    lp, handin, _ = handed_in
    url = handin.files.get().file.url
    assert _client(interviewer).get(url).status_code == 404
    assert _client(other_company_admin).get(url).status_code == 404
    # An interviewer of another application of the same job reads nothing of this one.
    other_app_interview = InterviewFactory(company=company, kit=lp.take_home_kit)
    stranger = MembershipFactory(company=company, role=Role.INTERVIEWER)
    sc = ScorecardFactory(interview=other_app_interview, company=company, interviewer=stranger)
    client = _client(stranger.user)
    assert client.get(url).status_code == 404
    html = client.get(reverse("admin:interviews_scorecard_change", args=[sc.pk])).content.decode()
    assert "my-solution.pdf" not in html


def test_staff_accept_more_time_from_the_application_page(
    handed_in, company, recruiter_client, interviewer_client
):
    lp, _, _ = handed_in
    app = loop(company).application
    application_track_choose(
        application=app, track=app.job.stages.get(position=1).tracks.get(name="Take-home"), by_candidate=True
    )
    kit = app.job.stages.get(position=1).kits.get(format="take_home")
    deadline = handin_deadline(application=app, kit=kit)
    request = extension_request_create(
        application=app, kit=kit, requested_until=deadline + datetime.timedelta(days=2), reason="Ill"
    )
    url = reverse("admin:interviews_extensionrequest_decide", args=[request.pk])
    assert interviewer_client.post(url, {"decision": "accept"}).status_code == 404
    html = recruiter_client.get(page(app)).content.decode()
    assert "Accept (new deadline)" in html and "Ill" in html
    assert recruiter_client.post(url, {"decision": "accept", "note": "Get well"}).status_code == 302
    request.refresh_from_db()
    assert request.status == ExtensionStatus.ACCEPTED and request.decision_note == "Get well"
    assert handin_deadline(application=app, kit=kit) == request.requested_until


def test_brief_files_are_private_and_for_staff(company, private_root, recruiter_client, interviewer_client):
    lp = loop(company)
    response = recruiter_client.post(
        reverse("admin:interviews_kitbrieffile_add"),
        {"kit": lp.take_home_kit.pk, "title": "Starter kit", "file": SimpleUploadedFile("brief.pdf", PDF)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    brief = KitBriefFile.objects.get()
    assert brief.company == company and brief.file.name.startswith("briefs/")
    assert brief.file.url.startswith("/admin/")
    assert recruiter_client.get(brief.file.url).status_code == 200
    assert interviewer_client.get(brief.file.url).status_code == 404
    bad = recruiter_client.post(
        reverse("admin:interviews_kitbrieffile_add"),
        {"kit": lp.take_home_kit.pk, "title": "x", "file": SimpleUploadedFile("x.pdf", b"<html><script>")},
    )
    assert bad.status_code == 200 and KitBriefFile.objects.count() == 1


def _with_rows(company, n):
    lp = loop(company)
    app = lp.application
    for i in range(n):
        application_track_choose(
            application=app, track=[lp.take_home, lp.live][(n - 1 - i) % 2], by_candidate=True
        )
    handin_submit(
        application=app,
        kit=lp.take_home_kit,
        files=[SimpleUploadedFile(f"f{i}.pdf", PDF) for i in range(n)],
        links=[f"https://example.org/{i}" for i in range(n)],
    )
    return app


def test_application_page_queries_are_the_same_for_n_and_2n(company, manager_client, private_root):
    _, small = _application_page(manager_client, _with_rows(company, 2))
    html, big = _application_page(manager_client, _with_rows(company, 4))
    assert "f3.pdf" in html and len(small) == len(big)


def test_scorecard_page_queries_are_the_same_for_n_and_2n(company, private_root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (2, 4):
        app = _with_rows(company, n)
        kit = app.job.stages.get(position=1).kits.get(format="take_home")
        member = kit.default_interviewers.get()
        sc = ScorecardFactory(
            interview=InterviewFactory(application=app, kit=kit, company=company),
            company=company,
            interviewer=member,
        )
        client = _client(member.user)
        url = reverse("admin:interviews_scorecard_change", args=[sc.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:interviews_handin_changelist",
        "admin:interviews_extensionrequest_changelist",
        "admin:interviews_kitbrieffile_changelist",
        "admin:interviews_trackchange_changelist",
    ],
)
def test_admin_lists_queries_are_the_same_for_n_and_2n(company, recruiter_client, private_root, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rows():
        app = _with_rows(company, 1)
        kit = app.job.stages.get(position=1).kits.get(format="take_home")
        brief = KitBriefFile(company=company, kit=kit, title="B")
        brief.file.save("b.pdf", SimpleUploadedFile("b.pdf", PDF))
        other = loop(company)
        application_track_choose(application=other.application, track=other.take_home, by_candidate=True)
        deadline = handin_deadline(application=other.application, kit=other.take_home_kit)
        extension_request_create(
            application=other.application,
            kit=other.take_home_kit,
            requested_until=deadline + datetime.timedelta(days=1),
            reason="r",
        )

    counts = []
    for _ in range(2):
        rows()
        rows()
        recruiter_client.get(reverse(url_name))
        with CaptureQueriesContext(connection) as ctx:
            assert recruiter_client.get(reverse(url_name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_other_company_sees_none_of_the_lists(company, private_root, admin_client_for, other_company_admin):
    _with_rows(company, 1)
    client = admin_client_for(other_company_admin)
    for name in ("handin", "trackchange", "extensionrequest", "kitbrieffile"):
        html = client.get(reverse(f"admin:interviews_{name}_changelist")).content.decode()
        assert "Hand-in #" not in html and "Track change #" not in html
    handin = HandIn.objects.get()
    assert client.get(reverse("admin:interviews_handin_change", args=[handin.pk])).status_code in (302, 404)
