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


# --- Figures computed from scorecards read through the same rule -----------------------------


def _recruiter_on_the_panel(panel, recruiter):
    from interviews.services import interview_set_interviewers

    interview_set_interviewers(
        interview=panel["interview"],
        interviewers=[panel["mine"].interviewer, panel["theirs"].interviewer, member(recruiter)],
    )
    return panel["interview"].scorecards.get(interviewer=member(recruiter))


@pytest.fixture
def decided(company, panel):
    """The panel's application decided by a hiring manager who is on no panel."""
    from interviews.services import decision_record

    _submit(panel["mine"])
    decider = MembershipFactory(company=company, role=Role.HIRING_MANAGER).user
    return decision_record(application=panel["application"], outcome="advance", actor=decider)


def test_a_decision_is_hidden_exactly_where_the_scorecards_it_was_decided_on_are(
    company, recruiter, hiring_manager, company_admin, other_company_admin, superuser, panel, decided
):
    from interviews.models import Scorecard
    from interviews.selectors import decisions_visible_to

    # given a recruiter who owes a scorecard on the application (put on the panel after the decision)
    _recruiter_on_the_panel(panel, recruiter)
    submitted = set(
        Scorecard.objects.filter(interview__application=panel["application"], status="submitted").values_list(
            "pk", flat=True
        )
    )
    for user in (recruiter, hiring_manager, company_admin, other_company_admin, superuser):
        # then each reader sees the decision if and only if they read every scorecard it rests on
        reads_them = submitted <= visible(user)
        sees_it = decisions_visible_to(user).filter(pk=decided.pk).exists()
        assert sees_it == reads_them and reads_them == (user not in (recruiter, other_company_admin)), user


def test_the_verdict_and_the_decision_wait_for_the_deciders_own_scorecard(company, recruiter, panel, decided):
    from django.core.exceptions import ValidationError

    from interviews.selectors import stage_verdict
    from interviews.services import decision_record

    # given the application's next stage, where the recruiter sits on a panel and owes a scorecard
    application = panel["application"]
    application.refresh_from_db()
    start = timezone.now() - datetime.timedelta(hours=1)
    round_1 = interview_schedule(
        application=application,
        kit=panel["kits"][1],
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        interviewers=[MembershipFactory(company=company, role=Role.INTERVIEWER), member(recruiter)],
    )
    _submit(round_1.scorecards.exclude(interviewer=member(recruiter)).get())
    # then the verdict they may read has nothing in it, and they may not decide
    assert stage_verdict(application=application, stage_id=application.stage_id, user=recruiter) is None
    with pytest.raises(ValidationError, match="still owe a scorecard"):
        decision_record(application=application, outcome="reject", actor=recruiter, reason="No")
    # and once they have submitted, the verdict reads both scorecards
    _submit(round_1.scorecards.get(interviewer=member(recruiter)))
    verdict = stage_verdict(application=application, stage_id=application.stage_id, user=recruiter)
    assert verdict is not None and verdict.rubrics[0].scorecard_count == 2


def test_dashboard_figures_leave_out_the_scorecards_of_an_application_the_user_owes_on(
    company, recruiter, panel
):
    from interviews.dashboard.selectors import DashboardFilters, interviewer_figures

    today = timezone.localdate()
    filters = DashboardFilters(
        company_ids=(company.pk,),
        job_id=None,
        date_from=today - datetime.timedelta(days=7),
        date_to=today,
        now=timezone.now(),
    )
    colleague = panel["theirs"].interviewer
    # given a recruiter who reads the colleague's submitted scorecard
    before = interviewer_figures(filters, user=recruiter)
    assert colleague.pk in before.means
    # when they are put on the panel and owe a scorecard there
    mine = _recruiter_on_the_panel(panel, recruiter)
    figures = interviewer_figures(filters, user=recruiter)
    # then no figure computed from the colleague's scorecard is there; their load still is
    assert colleague.pk not in figures.means and colleague.pk not in figures.feedback
    scored = {m.pk: m.scored for m in figures.members}
    assert scored.get(colleague.pk, 0) == 0 and any(m.pk == colleague.pk for m in figures.members)
    # and once they have submitted, the colleague's figures are back
    _submit(mine)
    assert colleague.pk in interviewer_figures(filters, user=recruiter).means


def test_the_candidate_export_waits_for_the_admins_own_scorecard(
    company, company_admin, panel, admin_client_for
):
    from django.urls import reverse

    from interviews.services import interview_set_interviewers

    # given a company admin on the panel who has not submitted, and a colleague who has
    interview_set_interviewers(
        interview=panel["interview"],
        interviewers=[panel["mine"].interviewer, panel["theirs"].interviewer, member(company_admin)],
    )
    client = admin_client_for(company_admin)
    candidate = panel["application"].candidate
    data = {"action": "export_candidate_data", "_selected_action": [candidate.pk], "index": "0"}
    url = reverse("admin:hiring_candidate_changelist")
    # then the export, which holds every scorecard, is refused with a message
    response = client.post(url, data, follow=True)
    assert response.get("Content-Disposition") is None
    assert "You still owe a scorecard for" in response.content.decode()
    # and given once they have submitted
    _submit(panel["interview"].scorecards.get(interviewer=member(company_admin)))
    response = client.post(url, data)
    assert response["Content-Disposition"].startswith("attachment") and b"Evidence" in response.content
