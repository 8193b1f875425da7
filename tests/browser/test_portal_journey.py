"""Candidate portal, on a phone: the candidate opens the link of their "application received"
email, confirms it, sees their application and its loop, chooses the take-home track, books the
walkthrough call in the interviewer's open hours, hands in the take-home (a file and a link)
before its deadline, and finds the booked interview on their page in their time zone with its
calendar invite. Then the recruiter sees the choice, the booking and the hand-in in the admin,
and the interviewer of the booked call sees the hand-in on their scorecard page.

Each portal page is checked with axe-core (serious or critical violations fail the journey) at 360 px.
"""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import formats

from hiring.models import ApplicationTrack, Source
from hiring.services import application_advance, application_create
from interviews.handins import HandIn
from interviews.models import Interview, InterviewStatus, KitFormat, Notification
from tests.browser.conftest import assert_accessible, login, shot
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory, TrackFactory
from tests.interviews.booking_setup import available
from tests.interviews.factories import InterviewKitFactory
from tests.rubrics.factories import RubricFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
PDF = b"%PDF-1.4\n% a candidate's take-home\n" + b"0" * 2048 + b"\n%%EOF\n"
ZONE = "America/Sao_Paulo"
REPO = "https://github.com/nadia/rate-limiter"


@pytest.fixture
def portal(company, interviewer, private_root, live_server, settings):
    """A job whose second stage, "Technical", offers two tracks: live coding, or a take-home with a
    walkthrough call the candidate books in the interviewer's weekly hours. The candidate applied
    through the hiring service (so the "application received" email, with its sign-in link to this
    live server, is in the outbox) and was moved on to the technical stage."""
    settings.NOTIFICATIONS_BASE_URL = live_server.url
    job = JobFactory(company=company, title="Senior backend engineer")
    screen = JobStageFactory(job=job, position=0, name="Screen")
    technical = JobStageFactory(job=job, position=1, name="Technical")
    live = TrackFactory(stage=technical, company=company, name="Live coding", position=0)
    take_home = TrackFactory(stage=technical, company=company, name="Take-home", position=1)
    rubric = RubricFactory(company=company)
    InterviewKitFactory(stage=screen, company=company, rubric=rubric, name="Screen call")
    InterviewKitFactory(stage=technical, company=company, rubric=rubric, track=live, name="Pairing")
    exercise = InterviewKitFactory(
        stage=technical,
        company=company,
        rubric=rubric,
        track=take_home,
        name="Rate limiter exercise",
        format=KitFormat.TAKE_HOME,
        window_days=5,
        brief="Build a small **rate limiter** with tests.",
        position=0,
    )
    walkthrough = InterviewKitFactory(
        stage=technical,
        company=company,
        rubric=rubric,
        track=take_home,
        name="Walkthrough call",
        position=1,
        self_scheduling=True,
        min_notice_hours=24,
        booking_window_days=28,
        buffer_minutes=0,
        duration_minutes=45,
    )
    member = interviewer.memberships.get()
    available(member, zone="Europe/Berlin")
    walkthrough.default_interviewers.set([member])
    exercise.default_interviewers.set([member])
    candidate = CandidateFactory(
        company=company, name="Nadia Haddad", email="nadia@example.org", time_zone=ZONE
    )
    application = application_create(candidate=candidate, job=job, source=Source.CAREERS_SITE, actor=None)
    application_advance(application=application, actor=None)
    application.refresh_from_db()
    assert application.stage == technical
    return {
        "application": application,
        "candidate": candidate,
        "take_home": take_home,
        "exercise": exercise,
        "walkthrough": walkthrough,
        "member": member,
    }


def _link(body: str) -> str:
    return next(word for word in body.split() if "/portal/sign-in/" in word)


def test_candidate_chooses_books_and_hands_in_on_a_phone_and_the_team_sees_it(
    page, portal, live_server, recruiter, interviewer, tmp_path
):
    application = portal["application"]
    email = Notification.objects.get(event="application_received", recipient="nadia@example.org")
    link = _link(email.body)
    assert link.startswith(live_server.url + "/portal/sign-in/")

    # 1. the link of the email asks to confirm (a mail scanner does not use it up); then home
    page.set_viewport_size(PHONE)
    page.goto(link)
    page.get_by_role("button", name="Open my applications").click()
    page.wait_for_url(re.compile(r"/portal/$"))
    main = page.inner_text("main")
    assert "Senior backend engineer" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    shot(page, "portal-home")

    # 2. the application: the loop, and the technical stage's tracks; the take-home is chosen
    page.get_by_role("link", name="Senior backend engineer").first.click()
    page.wait_for_url(re.compile(rf"/portal/applications/{application.pk}/$"))
    loop = page.locator("ol.loop").inner_text()
    assert "Screen" in loop and "Technical" in loop and "you are here" in loop
    track = page.locator(".portal-track")
    track.get_by_label("Take-home").check()
    track.get_by_role("button", name="Save my choice").click()
    page.get_by_text("Your choice is saved: Take-home.").wait_for()
    assert ApplicationTrack.objects.get(application=application).track == portal["take_home"]
    # the take-home's brief and deadline, the walkthrough to book (the live track's kit is gone)
    assert "Rate limiter exercise" in page.inner_text("main")
    assert "Pairing" not in page.locator(".booking").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    shot(page, "portal-application")

    # 3. book the walkthrough: the first open time, shown in the candidate's zone
    page.locator(".booking").get_by_role("link", name="Book your slot").click()
    page.get_by_role("heading", name="Book your slot: Walkthrough call").wait_for()
    assert ZONE in page.inner_text("main")
    assert_accessible(page)
    first = page.locator("input[name=start]").first
    start_value = first.get_attribute("value")
    first.check()
    page.get_by_role("button", name="Book this time").click()
    page.get_by_role("heading", name="Your interview is booked").wait_for()
    interview = Interview.objects.get(application=application, kit=portal["walkthrough"])
    assert interview.status == InterviewStatus.SCHEDULED
    assert interview.starts_at == datetime.datetime.fromisoformat(start_value)
    assert interview.scorecards.filter(interviewer=portal["member"]).exists()
    local = interview.starts_at.astimezone(zoneinfo.ZoneInfo(ZONE))
    booked = page.inner_text("main")
    assert formats.date_format(local, "DATETIME_FORMAT") in booked and ZONE in booked
    assert page.get_by_role("link", name="Add to my calendar (.ics)").count() == 1
    assert_accessible(page)
    shot(page, "portal-booking")

    # 4. hand in the take-home before its deadline: a PDF and a repository link
    page.get_by_role("link", name="Senior backend engineer").click()
    handin = page.locator(f"#take-home-{portal['exercise'].pk}")
    assert "Deadline:" in handin.inner_text() and ZONE in handin.inner_text()
    (tmp_path / "solution.pdf").write_bytes(PDF)
    handin.get_by_label(re.compile("^Files")).set_input_files(str(tmp_path / "solution.pdf"))
    handin.locator("textarea[name=links]").fill(REPO)
    handin.get_by_role("button", name="Hand in").click()
    page.get_by_text("your hand-in is received", exact=False).wait_for()
    handin = page.locator(f"#take-home-{portal['exercise'].pk}")
    assert "solution.pdf" in handin.inner_text() and REPO in handin.inner_text()
    row = HandIn.objects.get(application=application, kit=portal["exercise"])
    assert not row.is_late and row.files.get().name == "solution.pdf" and row.links.get().url == REPO
    assert_accessible(page)
    shot(page, "portal-handin")

    # 5. the booked interview on the candidate's page, in their zone, with its invite
    upcoming = page.locator("ul.interviews")
    assert "Walkthrough call" in upcoming.inner_text()
    assert formats.date_format(local, "DATETIME_FORMAT") in upcoming.inner_text()
    assert ZONE in upcoming.inner_text()
    ics = reverse("portal:interview_ics", args=[interview.pk])
    assert upcoming.locator(f"a[href='{ics}']").count() == 1
    invite = page.request.get(ics)
    assert invite.ok and "BEGIN:VCALENDAR" in invite.text()

    # 6. the staff side, in the admin
    _staff_side(page, portal, interview, recruiter, interviewer)


def _staff_side(page, portal, interview, recruiter, interviewer):
    application = portal["application"]
    page.set_viewport_size({"width": 1280, "height": 860})
    page.context.clear_cookies()

    # the recruiter: the application's page shows the chosen track, the booked call, the hand-in
    login(page, recruiter.username)
    page.goto(reverse("admin:hiring_application_change", args=[application.pk]))
    panel = page.locator("#portal-panel")
    assert "Take-home (chosen)" in panel.inner_text()
    assert "Rate limiter exercise" in panel.inner_text()
    assert "solution.pdf" in panel.inner_text() and REPO in panel.inner_text()
    assert "Walkthrough call" in page.locator("#content").inner_text()
    page.goto(reverse("admin:interviews_interview_changelist") + f"?application__id__exact={application.pk}")
    assert "Walkthrough call" in page.locator("#result_list").inner_text()

    # the interviewer on the booked call: their scorecard page shows the hand-in
    page.context.clear_cookies()
    login(page, interviewer.username)
    card = interview.scorecards.get(interviewer=portal["member"])
    page.goto(reverse("admin:interviews_scorecard_change", args=[card.pk]))
    handins = page.locator("#scorecard-handins")
    assert "Technical · Rate limiter exercise" in handins.inner_text()
    assert "solution.pdf" in handins.inner_text() and REPO in handins.inner_text()
