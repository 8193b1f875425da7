"""Independence: who reads which scorecards, enforced in the selectors every view uses."""

import datetime

import pytest
from django.utils import timezone

from hiring.models import Role
from interviews.selectors import interviews_visible_to, scorecards_visible_to
from interviews.services import RatingInput, interview_cancel, interview_schedule, scorecard_submit
from tests.hiring.factories import MembershipFactory, UserFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def member(user):
    return user.memberships.get()


def _submit(card):
    rubric = card.interview.kit.rubric
    scorecard_submit(
        scorecard=card,
        ratings=[RatingInput(c.pk, 4, "Evidence") for c in rubric.competencies.all()],
        recommendation="yes",
    )


@pytest.fixture
def panel(company, interviewer):
    """An interview of an application by `interviewer` and a colleague who has submitted."""
    colleague = MembershipFactory(company=company, role=Role.INTERVIEWER)
    application, kits = interview_setup(company)
    start = timezone.now() - datetime.timedelta(hours=2)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=[member(interviewer), colleague],
    )
    mine = interview.scorecards.get(interviewer=member(interviewer))
    theirs = interview.scorecards.get(interviewer=colleague)
    _submit(theirs)
    return {"application": application, "interview": interview, "mine": mine, "theirs": theirs, "kits": kits}


def visible(user):
    return set(scorecards_visible_to(user).values_list("pk", flat=True))


def test_interviewer_sees_only_their_own_scorecard_before_submitting(interviewer, panel):
    assert visible(interviewer) == {panel["mine"].pk}


def test_interviewer_sees_the_others_submitted_scorecards_after_submitting(interviewer, panel):
    _submit(panel["mine"])
    assert visible(interviewer) == {panel["mine"].pk, panel["theirs"].pk}


def test_interviewer_never_sees_another_interviewers_draft(company, interviewer, panel):
    third = MembershipFactory(company=company, role=Role.INTERVIEWER)
    from interviews.services import interview_set_interviewers

    interview_set_interviewers(
        interview=panel["interview"],
        interviewers=[member(interviewer), panel["theirs"].interviewer, third],
    )
    _submit(panel["mine"])
    draft = panel["interview"].scorecards.get(interviewer=third)
    assert draft.pk not in visible(interviewer)


def test_interviewer_owing_a_later_round_does_not_see_the_application_s_scorecards(
    company, interviewer, panel
):
    # given the interviewer submitted round 0 but is on the panel of round 1, not written yet
    _submit(panel["mine"])
    start = timezone.now() - datetime.timedelta(minutes=30)
    interview_schedule(
        application=panel["application"],
        kit=panel["kits"][1],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=[member(interviewer)],
    )
    # then only their own scorecards are visible until they submit that one too
    assert panel["theirs"].pk not in visible(interviewer)


def test_a_cancelled_interview_owes_nothing(company, interviewer, panel):
    interview_cancel(interview=panel["interview"])
    assert panel["theirs"].pk in visible(interviewer)


def test_interviewer_sees_nothing_of_applications_they_do_not_interview(company, interviewer, panel):
    # given another application of the same company with submitted scorecards
    colleague = MembershipFactory(company=company, role=Role.INTERVIEWER)
    application, kits = interview_setup(company)
    start = timezone.now() - datetime.timedelta(hours=2)
    other = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=[colleague],
    )
    _submit(other.scorecards.get())
    _submit(panel["mine"])
    assert other.scorecards.get().pk not in visible(interviewer)
    assert set(interviews_visible_to(interviewer).values_list("pk", flat=True)) == {panel["interview"].pk}


@pytest.mark.parametrize("role_fixture", ["recruiter", "hiring_manager", "company_admin"])
def test_readers_see_submitted_scorecards_never_drafts(request, role_fixture, panel):
    user = request.getfixturevalue(role_fixture)
    assert visible(user) == {panel["theirs"].pk}
    assert set(interviews_visible_to(user).values_list("pk", flat=True)) == {panel["interview"].pk}


def test_hiring_manager_on_the_panel_follows_the_interviewer_rule(
    company, hiring_manager, interviewer, panel
):
    from interviews.services import interview_set_interviewers

    interview_set_interviewers(
        interview=panel["interview"],
        interviewers=[member(interviewer), panel["theirs"].interviewer, member(hiring_manager)],
    )
    mine = panel["interview"].scorecards.get(interviewer=member(hiring_manager))
    assert visible(hiring_manager) == {mine.pk}
    _submit(mine)
    assert visible(hiring_manager) == {mine.pk, panel["theirs"].pk}


def test_other_company_sees_nothing(other_company_admin, other_recruiter, panel):
    assert visible(other_company_admin) == set()
    assert visible(other_recruiter) == set()
    assert not interviews_visible_to(other_recruiter).exists()


def test_user_without_membership_sees_nothing(panel):
    assert visible(UserFactory(username="nobody")) == set()


def test_superuser_sees_submitted_scorecards_not_drafts(superuser, panel):
    assert visible(superuser) == {panel["theirs"].pk}
