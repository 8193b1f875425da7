"""Internal kits (a debrief, a trial review, a hiring committee) never reach the candidate: no email,
no invite, not on the careers page; their interviewers are still invited."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from hiring.models import StageKind
from hiring.services import application_advance, application_create, application_hire, application_reject
from interviews.kits import candidate_facing_kits, kit_is_candidate_facing, stage_is_candidate_facing
from interviews.models import InterviewKit, Notification
from interviews.notifications import producers
from interviews.plans import process_template_duplicate
from interviews.services import interview_cancel, interview_reschedule, interview_schedule
from tests.careers.factories import published_job
from tests.hiring.factories import (
    CandidateFactory,
    JobStageFactory,
    MembershipFactory,
    ProcessTemplateFactory,
    RejectionReasonFactory,
    TemplateStageFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewKitFactory

pytestmark = pytest.mark.django_db

INTERNAL = ("Panel debrief", "Committee review")


@pytest.fixture
def job(company):
    """Screen, an onsite with a live session and an internal debrief, a hiring committee whose only
    session is internal, and an offer."""
    job = published_job(company, title="Backend engineer")
    screen = JobStageFactory(job=job, position=0, name="Screen", kind=StageKind.RECRUITER_SCREEN)
    InterviewKitFactory(stage=screen, company=company, name="Recruiter chat", duration_minutes=30)
    onsite = JobStageFactory(job=job, position=1, name="Onsite", kind=StageKind.PANEL)
    InterviewKitFactory(stage=onsite, company=company, name="Live coding", duration_minutes=90, position=0)
    InterviewKitFactory(
        stage=onsite, company=company, name="Panel debrief", duration_minutes=30, position=1, is_internal=True
    )
    committee = JobStageFactory(job=job, position=2, name="Hiring committee", kind=StageKind.OTHER)
    InterviewKitFactory(stage=committee, company=company, name="Committee review", is_internal=True)
    JobStageFactory(job=job, position=3, name="Offer", kind=StageKind.OFFER)
    for kit in InterviewKit.objects.filter(stage__job=job):
        kit.default_interviewers.add(_member(company, f"i{kit.pk}"))
    return job


def _member(company, name):
    return MembershipFactory(
        company=company, user=UserFactory(username=name, email=f"{name}@acme.test"), role="interviewer"
    )


def _kit(job, name):
    return InterviewKit.objects.get(stage__job=job, name=name)


def _candidate_rows(email):
    return list(Notification.objects.filter(recipient=email).order_by("pk"))


def _assert_no_internal_name(rows):
    assert rows
    for row in rows:
        for text in (row.subject, row.body, row.ics):
            for name in INTERNAL:
                assert name not in text, (row.event, name)


def test_every_candidate_event_of_a_plan_with_internal_kits_names_none_of_them(
    company, job, recruiter, django_capture_on_commit_callbacks
):
    eve = _member(company, "eve")
    candidate = CandidateFactory(company=company, name="Ada Lovelace", email="ada@example.org")
    other = CandidateFactory(company=company, email="bob@example.org")
    start = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        app = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
        application_advance(application=app, actor=recruiter)  # onsite
        sessions = [
            interview_schedule(application=app, kit=_kit(job, name), starts_at=start, interviewers=[eve])
            for name in ("Live coding", "Panel debrief")
        ]
        for interview in sessions:
            later = interview.starts_at + datetime.timedelta(hours=3)
            interview_reschedule(
                interview=interview, starts_at=later, ends_at=later + datetime.timedelta(hours=1)
            )
        type(sessions[0]).objects.filter(pk__in=[s.pk for s in sessions]).update(
            created_at=timezone.now() - datetime.timedelta(days=3)
        )
    producers.interview_reminders_create(now=start + datetime.timedelta(hours=3 - 23))
    with django_capture_on_commit_callbacks(execute=True):
        for interview in sessions:
            interview_cancel(interview=interview)
        application_advance(application=app, actor=recruiter)  # the hiring committee
        committee = interview_schedule(
            application=app, kit=_kit(job, "Committee review"), starts_at=start, interviewers=[eve]
        )
        application_advance(application=app, actor=recruiter)  # the offer
        application_hire(application=app, actor=recruiter)
        rejected = application_create(candidate=other, job=job, source="referral", actor=recruiter)
        for _ in range(2):
            application_advance(application=rejected, actor=recruiter)
        reason = RejectionReasonFactory(company=company)
        application_reject(application=rejected, reason=reason, actor=recruiter)

    # then the candidate heard of every event of the sessions they take part in...
    events = [r.event for r in _candidate_rows("ada@example.org")]
    assert events.count("interview_scheduled") == 1 and events.count("interview_cancelled") == 1
    assert events.count("interview_rescheduled") == 1 and events.count("interview_reminder") == 1
    assert events.count("stage_entered") == 2  # the onsite and the offer, not the hiring committee
    assert {"application_received", "hired"} <= set(events)
    assert "rejected" in {r.event for r in _candidate_rows("bob@example.org")}
    # ...and no email or invite of theirs names an internal session
    _assert_no_internal_name(_candidate_rows("ada@example.org") + _candidate_rows("bob@example.org"))
    sent_to_candidates = [m for m in mail.outbox if m.to[0].endswith("@example.org")]
    assert sent_to_candidates
    for message in sent_to_candidates:
        blob = message.subject + message.body + "".join(a[1] for a in message.attachments)
        assert not any(name in blob for name in INTERNAL)
    # the interviewers are still invited to the internal sessions, with the calendar invite
    eve_rows = Notification.objects.filter(recipient="eve@acme.test", interview=committee)
    assert [r.event for r in eve_rows] == ["interview_scheduled"]
    assert "Committee review" in eve_rows[0].subject and "BEGIN:VCALENDAR" in eve_rows[0].ics
    debrief = Notification.objects.filter(recipient="eve@acme.test", interview=sessions[1])
    assert set(debrief.values_list("event", flat=True)) == {
        "interview_scheduled",
        "interview_rescheduled",
        "interview_reminder",
        "interview_cancelled",
    }
    # and the team of the hiring committee stage got its heads-up naming the stage
    team = Notification.objects.filter(event="stage_entered_team", body__contains="Hiring committee")
    assert team.exists()


def test_the_candidate_stage_email_lists_only_their_sessions(
    company, job, recruiter, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(company=company, email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        app = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
        application_advance(application=app, actor=recruiter)
    body = Notification.objects.get(recipient="ada@example.org", event="stage_entered").body
    assert "Live coding" in body and "Panel debrief" not in body
    assert "120 minutes" not in body and "90 minutes" in body  # the debrief's length is not counted


def test_the_careers_page_leaves_out_internal_kits_and_all_internal_stages_in_the_same_queries(
    client, job, django_assert_num_queries
):
    url = reverse("careers:job", args=[job.company.slug, job.pk])
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert "Live coding" in page and "Onsite" in page and "Offer" in page
    for hidden in (*INTERNAL, "Hiring committee"):
        assert hidden not in page


def test_the_rule_reads_the_flag():
    public, internal = InterviewKit(name="a"), InterviewKit(name="b", is_internal=True)
    assert kit_is_candidate_facing(public) and not kit_is_candidate_facing(internal)
    assert candidate_facing_kits([internal, public]) == [public]
    assert stage_is_candidate_facing([]) and stage_is_candidate_facing([internal, public])
    assert not stage_is_candidate_facing([internal])


def test_copying_a_plan_keeps_the_internal_flag(company):
    template = ProcessTemplateFactory(company=company)
    stage = TemplateStageFactory(template=template)
    InterviewKitFactory(stage=stage, name="Debrief", is_internal=True)
    copy = process_template_duplicate(template=template)
    assert InterviewKit.objects.get(stage__template=copy).is_internal is True
