"""A published job with a full loop: stages, a track choice, kits of every format and AI policy."""

from decimal import Decimal

from hiring.models import JobStatus, PayUnit, RemoteOption, StageKind
from interviews.models import AIPolicy, KitFormat
from tests.hiring.factories import CompanyFactory, JobFactory, JobStageFactory, TrackFactory
from tests.interviews.factories import InterviewKitFactory
from tests.rubrics.factories import RubricFactory


def published_job(company=None, **fields):
    company = company or CompanyFactory()
    values = {
        "status": JobStatus.OPEN,
        "is_published": True,
        "team": "Platform",
        "location": "Lyon",
        "level": "Senior",
        "remote": RemoteOption.HYBRID,
        "description": "## The role\n\nYou build **things**.",
    }
    values.update(fields)
    return JobFactory(company=company, **values)


def job_with_loop(company=None, **fields):
    """Screen (phone), a technical stage with two tracks (live or take-home), a paid trial day and
    an offer."""
    job = published_job(company, **fields)
    company = job.company
    rubric = RubricFactory(company=company)
    screen = JobStageFactory(job=job, position=0, name="Intro call", kind=StageKind.RECRUITER_SCREEN)
    InterviewKitFactory(
        stage=screen,
        company=company,
        rubric=rubric,
        name="Recruiter chat",
        format=KitFormat.PHONE,
        duration_minutes=30,
        ai_policy=AIPolicy.NOT_ALLOWED,
    )
    tech = JobStageFactory(job=job, position=1, name="Technical round", kind=StageKind.TECHNICAL)
    live = TrackFactory(stage=tech, name="Live pairing", description="Pair with an engineer.", position=0)
    home = TrackFactory(stage=tech, name="Take-home", description="Build it at home.", position=1)
    InterviewKitFactory(
        stage=tech,
        track=live,
        company=company,
        rubric=rubric,
        name="Pairing session",
        duration_minutes=90,
        ai_policy=AIPolicy.NO_AI_BLOCK,
        no_ai_minutes=20,
    )
    InterviewKitFactory(
        stage=tech,
        track=home,
        company=company,
        rubric=rubric,
        name="Take-home exercise",
        format=KitFormat.TAKE_HOME,
        window_days=7,
        ai_policy=AIPolicy.REQUIRED,
    )
    trial = JobStageFactory(
        job=job,
        position=2,
        name="Trial day",
        kind=StageKind.PANEL,
        is_paid=True,
        pay_amount=Decimal("450"),
        pay_currency="EUR",
        pay_unit=PayUnit.DAY,
        pay_expenses=True,
    )
    InterviewKitFactory(stage=trial, company=company, rubric=rubric, name="Work day", duration_minutes=480)
    JobStageFactory(job=job, position=3, name="Offer", kind=StageKind.OFFER)
    return job
