"""Inside one company: interviewers see only the applications they interview, and scorecards stay
independent (no one sees another interviewer's scorecard before submitting their own; no one but
its author sees a draft)."""

import pytest
from django.utils import timezone

from hiring.models import Application, Candidate, Role, StageChange
from interviews.models import Decision, Interview, Rating, Scorecard, ScorecardStatus
from tests.hiring.factories import MembershipFactory, UserFactory
from tests.interviews.factories import InterviewFactory, RatingFactory, ScorecardFactory
from tests.security.dataset import build_company_dataset
from tests.security.walker import AdminWalker

PIPELINE_MODELS = (Candidate, Application, StageChange, Interview, Scorecard, Rating, Decision)


def _pipeline_rows(data):
    return {model: rows for model, rows in data.items() if model in PIPELINE_MODELS}


def test_interviewer_sees_no_application_they_do_not_interview(company, interviewer, admin_client_for):
    # given an application of the interviewer's company they are not on, and one they are on
    others = build_company_dataset(company)
    mine = InterviewFactory(application__company=company, application__candidate__name="Own Interviewee")
    ScorecardFactory(interview=mine, interviewer=interviewer.memberships.get())
    # when they walk every admin URL with the other application's ids
    result = AdminWalker(
        admin_client_for(interviewer),
        _pipeline_rows(others),
        ["Qzxv Candidate Person", "qzxv.candidate@", "Qzxv summary", "Qzxv evidence", "Qzxv rejected"],
    ).walk()
    # then nothing of it shows and none of its pages opens
    assert result.requests > 50
    assert not result.findings, "\n".join(str(f) for f in result.findings)


def _panel(company):
    """One interview with two interviewers: a submitted scorecard and a draft."""
    interview = InterviewFactory(application__company=company)
    submitted = ScorecardFactory(
        interview=interview,
        interviewer=MembershipFactory(
            company=company, role=Role.INTERVIEWER, user=UserFactory(username="panel-submitted")
        ),
        status=ScorecardStatus.SUBMITTED,
        recommendation="yes",
        submitted_at=timezone.now(),
        summary="Zubmitted summary text",
    )
    RatingFactory(scorecard=submitted, score=4, evidence="Zubmitted evidence text")
    draft = ScorecardFactory(
        interview=interview,
        interviewer=MembershipFactory(
            company=company, role=Role.INTERVIEWER, user=UserFactory(username="panel-draft")
        ),
        summary="Drafty summary text",
    )
    RatingFactory(scorecard=draft, score=2, evidence="Drafty evidence text")
    return interview, submitted, draft


def test_interviewer_cannot_see_the_panels_scorecards_before_submitting_their_own(
    company, interviewer, admin_client_for
):
    interview, submitted, draft = _panel(company)
    ScorecardFactory(interview=interview, interviewer=interviewer.memberships.get(), summary="my own draft")
    ratings = list(Rating.objects.filter(scorecard__in=[submitted, draft]))
    objects = {Scorecard: [submitted, draft], Rating: ratings}
    result = AdminWalker(
        admin_client_for(interviewer), objects, ["Zubmitted summary", "Zubmitted evidence", "Drafty"]
    ).walk()
    assert not result.findings, "\n".join(str(f) for f in result.findings)


@pytest.mark.parametrize("role", [Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER])
def test_nobody_but_the_author_sees_a_draft_scorecard(role, company, all_roles, admin_client_for):
    _interview, _submitted, draft = _panel(company)
    objects = {Scorecard: [draft], Rating: list(draft.ratings.all())}
    client = admin_client_for(all_roles[role])
    result = AdminWalker(client, objects, ["Drafty summary", "Drafty evidence"]).walk()
    assert not result.findings, "\n".join(str(f) for f in result.findings)
