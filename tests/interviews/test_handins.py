"""Take-home hand-ins: on time, late (refused or flagged per company), more time asked and
accepted or refused, upload checks, and who on the team reads them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hiring.models import Role
from interviews.handins import ExtensionStatus, HandIn, HandInPolicy, LateHandIns
from interviews.models import Notification
from interviews.portal_actions import (
    application_track_choose,
    extension_request_create,
    extension_request_decide,
    handin_submit,
)
from interviews.portal_selectors import application_take_homes, handin_deadline, handins_visible_to
from tests.hiring.documents import HTML, PDF, SVG
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import InterviewFactory, ScorecardFactory
from tests.interviews.portal_data import loop

pytestmark = pytest.mark.django_db


def pdf(name="solution.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def lp(company, private_root):
    lp = loop(company)
    application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)
    Notification.objects.all().delete()
    return lp


def test_on_time_handin_with_a_file_and_a_link_tells_candidate_team_and_kit_interviewers(
    company, lp, recruiter
):
    # when
    handin = handin_submit(
        application=lp.application, kit=lp.take_home_kit, files=[pdf()], links=["https://github.com/ada/api"]
    )
    # then
    assert not handin.is_late
    assert handin.deadline == lp.application.stage_entered_at + datetime.timedelta(days=5)
    f = handin.files.get()
    assert f.name == "solution.pdf" and f.file.name.startswith("handins/") and "solution" not in f.file.name
    assert list(handin.links.values_list("url", flat=True)) == ["https://github.com/ada/api"]
    assert Notification.objects.get(event="handin_received").recipient == lp.application.candidate.email
    team = set(Notification.objects.filter(event="handin_received_team").values_list("recipient", flat=True))
    assert team == {recruiter.email, lp.application.job.hiring_manager.user.email, lp.reviewer.user.email}


def test_a_second_handin_is_refused(lp):
    handin_submit(application=lp.application, kit=lp.take_home_kit, files=[pdf()], links=[])
    with pytest.raises(ValidationError, match="already"):
        handin_submit(
            application=lp.application, kit=lp.take_home_kit, files=[], links=["https://x.example/"]
        )


def test_late_handin_refused_by_default(lp):
    later = timezone.now() + datetime.timedelta(days=10)
    with pytest.raises(ValidationError, match="deadline has passed"):
        handin_submit(application=lp.application, kit=lp.take_home_kit, files=[pdf()], links=[], now=later)
    assert not HandIn.objects.exists() and not Notification.objects.exists()


def test_late_handin_flagged_where_the_company_accepts_them(company, lp):
    HandInPolicy.objects.create(company=company, late_handins=LateHandIns.FLAG)
    later = timezone.now() + datetime.timedelta(days=10)
    handin = handin_submit(
        application=lp.application, kit=lp.take_home_kit, files=[pdf()], links=[], now=later
    )
    assert handin.is_late
    assert "late" in Notification.objects.filter(event="handin_received_team").first().subject


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("page.pdf", HTML), "not accepted"),
        (SimpleUploadedFile("logo.svg", SVG), "not accepted"),
    ],
)
def test_bad_content_is_refused(lp, upload, message):
    with pytest.raises(ValidationError, match=message):
        handin_submit(application=lp.application, kit=lp.take_home_kit, files=[upload], links=[])
    assert not HandIn.objects.exists()


def test_a_file_too_large_is_refused(lp, settings):
    settings.HIRELOOP_UPLOAD_MAX_MB = 1
    big = pdf(data=PDF + b"%" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="at most 1 MB"):
        handin_submit(application=lp.application, kit=lp.take_home_kit, files=[big], links=[])


@pytest.mark.parametrize("link", ["http://github.com/ada", "javascript:alert(1)", "ftp://x.example/"])
def test_links_must_be_https(lp, link):
    with pytest.raises(ValidationError, match="https"):
        handin_submit(application=lp.application, kit=lp.take_home_kit, files=[], links=[link])


def test_nothing_handed_in_is_refused(lp):
    with pytest.raises(ValidationError, match="at least one"):
        handin_submit(application=lp.application, kit=lp.take_home_kit, files=[], links=["  "])


def test_a_kit_of_the_other_track_takes_no_handin(company, private_root):
    lp = loop(company)
    application_track_choose(application=lp.application, track=lp.live, by_candidate=True)
    with pytest.raises(ValidationError, match="track you did not choose"):
        handin_submit(application=lp.application, kit=lp.take_home_kit, files=[pdf()], links=[])
    assert application_take_homes(application=lp.application) == []


def test_more_time_accepted_moves_the_deadline(lp, recruiter):
    deadline = handin_deadline(application=lp.application, kit=lp.take_home_kit)
    wanted = deadline + datetime.timedelta(days=3)
    request = extension_request_create(
        application=lp.application, kit=lp.take_home_kit, requested_until=wanted, reason="Moving house"
    )
    with pytest.raises(ValidationError, match="already asked"):
        extension_request_create(
            application=lp.application, kit=lp.take_home_kit, requested_until=wanted, reason="Again"
        )
    assert Notification.objects.filter(event="extension_updated_team").exists()
    decided = extension_request_decide(request=request, accept=True, actor=recruiter, note="Good luck")
    assert decided.status == ExtensionStatus.ACCEPTED
    assert handin_deadline(application=lp.application, kit=lp.take_home_kit) == wanted
    mail = Notification.objects.get(event="extension_updated", body__contains="accepted")
    assert "Good luck" in mail.body
    # A hand-in after the old deadline but before the new one is on time.
    handin = handin_submit(
        application=lp.application,
        kit=lp.take_home_kit,
        files=[pdf()],
        links=[],
        now=deadline + datetime.timedelta(days=1),
    )
    assert not handin.is_late
    with pytest.raises(ValidationError, match="already accepted"):
        extension_request_decide(request=request, accept=False, actor=recruiter)


def test_more_time_refused_keeps_the_deadline(lp, recruiter):
    deadline = handin_deadline(application=lp.application, kit=lp.take_home_kit)
    request = extension_request_create(
        application=lp.application,
        kit=lp.take_home_kit,
        requested_until=deadline + datetime.timedelta(days=2),
        reason="Busy",
    )
    extension_request_decide(request=request, accept=False, actor=recruiter)
    assert handin_deadline(application=lp.application, kit=lp.take_home_kit) == deadline
    assert Notification.objects.filter(
        event="extension_updated", body__contains="could not be accepted"
    ).exists()


@pytest.mark.parametrize("days, message", [(0, "after the current deadline"), (45, "at most 30")])
def test_more_time_bounds(lp, days, message):
    deadline = handin_deadline(application=lp.application, kit=lp.take_home_kit)
    with pytest.raises(ValidationError, match=message):
        extension_request_create(
            application=lp.application,
            kit=lp.take_home_kit,
            requested_until=deadline + datetime.timedelta(days=days),
            reason="Why",
        )


def test_who_reads_a_handin(company, other_company, lp, recruiter, interviewer, other_company_admin):
    handin = handin_submit(application=lp.application, kit=lp.take_home_kit, files=[pdf()], links=[])
    review = InterviewFactory(application=lp.application, kit=lp.take_home_kit, company=company)
    on_panel = ScorecardFactory(interview=review, company=company, interviewer=lp.reviewer)
    on_panel.interviewer.user.is_staff = True
    on_panel.interviewer.user.save()

    def sees(user):
        return list(handins_visible_to(user)) == [handin]

    assert sees(recruiter) and sees(lp.reviewer.user)
    assert not sees(interviewer)  # an interviewer of the company, not on this application
    assert not sees(other_company_admin)
    # Someone on the panel of an earlier stage only does not read the later stage's hand-in.
    early = MembershipFactory(company=company, role=Role.INTERVIEWER, user__is_staff=True)
    screen = InterviewFactory(
        application=lp.application, kit=lp.application.job.stages.get(position=0).kits.get(), company=company
    )
    ScorecardFactory(interview=screen, company=company, interviewer=early)
    assert not sees(early.user)


def test_the_candidate_email_gives_the_deadline_in_their_time_zone(lp):
    candidate = lp.application.candidate
    candidate.time_zone = "Asia/Tokyo"
    candidate.save()
    deadline = handin_deadline(application=lp.application, kit=lp.take_home_kit)
    extension_request_create(
        application=lp.application,
        kit=lp.take_home_kit,
        requested_until=deadline + datetime.timedelta(days=1),
        reason="r",
    )
    assert "(Asia/Tokyo)" in Notification.objects.get(event="extension_updated").body
    assert "(Asia/Tokyo)" not in Notification.objects.filter(event="extension_updated_team").first().body
