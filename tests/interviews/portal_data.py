"""A job whose second stage offers two tracks (live coding or a take-home), with an application
in it, for the tests of the portal's actions."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from hiring.models import Application, Role, Track
from interviews.models import InterviewKit, KitFormat
from tests.hiring.factories import (
    ApplicationFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    TrackFactory,
)
from tests.interviews.factories import InterviewKitFactory
from tests.rubrics.factories import RubricFactory


@dataclass
class Loop:
    application: Application
    live: Track
    take_home: Track
    live_kit: InterviewKit
    take_home_kit: InterviewKit
    reviewer: object  # the take-home kit's default interviewer (a Membership)


def loop(company, *, entered_days_ago: int = 1, window_days: int = 5) -> Loop:
    job = JobFactory(company=company)
    manager = MembershipFactory(company=company, role=Role.HIRING_MANAGER)
    job.hiring_manager = manager
    job.save()
    first = JobStageFactory(job=job, position=0, name="Screen")
    second = JobStageFactory(job=job, position=1, name="Technical")
    live = TrackFactory(stage=second, company=company, name="Live coding", position=0)
    take_home = TrackFactory(stage=second, company=company, name="Take-home", position=1)
    rubric = RubricFactory(company=company)
    InterviewKitFactory(stage=first, company=company, rubric=rubric, name="Screen call")
    live_kit = InterviewKitFactory(stage=second, company=company, rubric=rubric, track=live, name="Pairing")
    take_home_kit = InterviewKitFactory(
        stage=second,
        company=company,
        rubric=rubric,
        track=take_home,
        name="Exercise",
        format=KitFormat.TAKE_HOME,
        window_days=window_days,
        brief="Build a small **API**.",
    )
    reviewer = MembershipFactory(company=company, role=Role.INTERVIEWER)
    take_home_kit.default_interviewers.add(reviewer)
    entered = timezone.now() - datetime.timedelta(days=entered_days_ago)
    application = ApplicationFactory(company=company, job=job, stage=second, stage_entered_at=entered)
    return Loop(application, live, take_home, live_kit, take_home_kit, reviewer)
