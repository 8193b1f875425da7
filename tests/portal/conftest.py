"""A candidate in a job with a full loop (tests.careers.factories.job_with_loop), applied through
the hiring service (so the "application received" email is written), with interviews."""

import datetime

import pytest
from django.utils import timezone

from hiring.models import Role, Source
from hiring.services import application_advance, application_create
from interviews.models import InterviewStatus
from tests.careers.factories import job_with_loop
from tests.hiring.factories import CandidateFactory, CompanyFactory, MembershipFactory
from tests.interviews.factories import InterviewFactory, InterviewKitFactory, ScorecardFactory


def applied(candidate, job, *, advance=0):
    application = application_create(candidate=candidate, job=job, source=Source.CAREERS_SITE, actor=None)
    for _ in range(advance):
        application_advance(application=application, actor=None)
        application.refresh_from_db()
    return application


def scenario(company=None, *, name="Ada Lovelace", email="ada@example.org"):
    """A candidate with one application in the technical stage, a video interview tomorrow at 14:00
    UTC, an internal debrief (never shown) and a scorecard with a private summary."""
    company = company or CompanyFactory()
    job = job_with_loop(company, title=f"Backend engineer at {company.slug}")
    candidate = CandidateFactory(company=company, name=name, email=email)
    application = applied(candidate, job, advance=1)
    stage = application.stage
    kit = stage.kits.get(name="Pairing session")
    start = (timezone.now() + datetime.timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
    interview = InterviewFactory(
        application=application,
        kit=kit,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        video_url="https://meet.example.com/ada",
        status=InterviewStatus.SCHEDULED,
    )
    debrief_kit = InterviewKitFactory(stage=stage, company=company, name="Secret debrief", is_internal=True)
    debrief = InterviewFactory(
        application=application, kit=debrief_kit, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    member = MembershipFactory(company=company, role=Role.INTERVIEWER)
    ScorecardFactory(interview=interview, interviewer=member, summary="Private scorecard summary")
    return {
        "company": company,
        "job": job,
        "candidate": candidate,
        "application": application,
        "interview": interview,
        "debrief": debrief,
    }


@pytest.fixture
def ada(db):
    return scenario()


@pytest.fixture
def bob(db):
    return scenario(name="Bob Other", email="bob@example.org")
