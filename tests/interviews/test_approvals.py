"""Approvals: the rule over plain data (orders, thresholds, missing approvers) and the services
(in order, any one, rejection, job openings)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hiring.models import JobStatus, Role
from interviews.approvals import RuleFacts, approval_decide, approval_plan, rule_applies
from interviews.models import (
    ApprovalOrder,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    ApprovalSubject,
    Approver,
    Notification,
)
from interviews.openings import job_opening_refusal, job_opening_request
from tests.hiring.factories import JobFactory, MembershipFactory

from .offer_data import offer_team

# --- The rule -------------------------------------------------------------------------------------

MEMBERS = {"by_role": {Role.COMPANY_ADMIN: [(1, "Alice"), (2, "Bob")]}, "named": {7: "Fin"}}


def _plan(order, rules, *, headcount=1, salary=None, manager=(9, "Hana")):
    return approval_plan(
        order=order,
        rules=rules,
        headcount=headcount,
        salary=salary,
        members_by_role=MEMBERS["by_role"],
        members=MEMBERS["named"],
        job_hiring_manager=manager,
    )


def _rule(position, approver="", member_id=None, headcount=None, salary=None, label=""):
    return RuleFacts(position, label, approver, member_id, headcount, salary)


def test_in_order_every_rule_is_a_step_in_its_position():
    rules = [_rule(2, member_id=7, label="Finance"), _rule(1, approver=Approver.JOB_HIRING_MANAGER)]
    steps = _plan(ApprovalOrder.IN_ORDER, rules)
    assert [(s.label, s.approver_ids) for s in steps] == [("Hiring manager: Hana", (9,)), ("Finance", (7,))]


def test_any_one_merges_the_rules_into_one_step():
    rules = [_rule(0, approver=Role.COMPANY_ADMIN), _rule(1, member_id=7, label="Finance")]
    (step,) = _plan(ApprovalOrder.ANY_ONE, rules)
    assert step.approver_ids == (1, 2, 7) and step.label == "A company admin or Finance"


def test_a_threshold_rule_applies_only_above_it():
    executive = _rule(0, member_id=7, salary=Decimal("100000"))
    assert _plan(ApprovalOrder.IN_ORDER, [executive], salary=Decimal("100000")) == []
    assert len(_plan(ApprovalOrder.IN_ORDER, [executive], salary=Decimal("100000.01"))) == 1
    big_team = _rule(0, member_id=7, headcount=3)
    assert _plan(ApprovalOrder.IN_ORDER, [big_team], headcount=3) == []
    assert len(_plan(ApprovalOrder.IN_ORDER, [big_team], headcount=4)) == 1


def test_a_step_nobody_can_decide_says_why():
    (step,) = _plan(ApprovalOrder.IN_ORDER, [_rule(0, approver=Approver.JOB_HIRING_MANAGER)], manager=None)
    assert step.approver_ids == () and step.missing == "the job has no hiring manager"
    (step,) = _plan(ApprovalOrder.IN_ORDER, [_rule(0, approver=Role.RECRUITER)])
    assert step.missing == "nobody in the company is recruiter"


# A rule names a role or a member, never both (the table's constraint).
_who = st.sampled_from([("", 7), (Role.COMPANY_ADMIN, None), (Approver.JOB_HIRING_MANAGER, None)])
rule_strategy = st.builds(
    lambda position, who, headcount, salary: _rule(position, who[0], who[1], headcount, salary),
    st.integers(0, 5),
    _who,
    st.one_of(st.none(), st.integers(0, 5)),
    st.one_of(st.none(), st.decimals(0, 200000, places=0)),
)


@given(
    rules=st.lists(rule_strategy, max_size=6),
    headcount=st.integers(1, 8),
    salary=st.decimals(0, 300000, places=0),
)
def test_steps_are_the_rules_that_apply_and_any_one_is_at_most_one_step(rules, headcount, salary):
    applying = [r for r in rules if rule_applies(r, headcount=headcount, salary=salary)]
    in_order = _plan(ApprovalOrder.IN_ORDER, rules, headcount=headcount, salary=salary)
    assert len(in_order) == len(applying)
    assert [s.position for s in in_order] == list(range(len(in_order)))
    any_one = _plan(ApprovalOrder.ANY_ONE, rules, headcount=headcount, salary=salary)
    assert len(any_one) == (1 if applying else 0)
    if any_one:
        assert set(any_one[0].approver_ids) == {pk for s in in_order for pk in s.approver_ids}


# --- Job openings ---------------------------------------------------------------------------------


@pytest.fixture
def team(db):
    return offer_team()


def _opening_policy(team, *, order=ApprovalOrder.IN_ORDER, above_headcount=None):
    policy = ApprovalPolicy.objects.create(
        company=team["company"], subject=ApprovalSubject.JOB_OPENING, order=order
    )
    ApprovalRule.objects.create(policy=policy, position=0, approver=Approver.JOB_HIRING_MANAGER)
    ApprovalRule.objects.create(
        policy=policy, position=1, label="Finance", member=team["finance"], above_headcount=above_headcount
    )
    return policy


def _draft(team, **fields):
    return JobFactory(
        company=team["company"], status=JobStatus.DRAFT, hiring_manager=team["manager"], **fields
    )


def test_a_job_needing_approval_cannot_be_opened_by_its_form(team):
    _opening_policy(team)
    job = _draft(team)
    job.status = JobStatus.OPEN
    assert "needs approval" in job_opening_refusal(job, was_status=JobStatus.DRAFT)


def test_a_job_opens_once_every_step_approves_in_order(team, django_capture_on_commit_callbacks):
    _opening_policy(team)
    job = _draft(team)
    request = job_opening_request(job=job, actor=team["recruiter"].user)
    asked = Notification.objects.filter(event="approval_requested")
    assert list(asked.values_list("recipient", flat=True)) == ["hm@acme.test"]
    with pytest.raises(ValidationError, match="waits for"):
        approval_decide(request=request, member=team["finance"], approve=True)
    approval_decide(request=request, member=team["manager"], approve=True, comment="Budgeted")
    job.refresh_from_db()
    assert job.status == JobStatus.DRAFT
    assert sorted(asked.values_list("recipient", flat=True)) == ["finance@acme.test", "hm@acme.test"]
    approval_decide(request=request, member=team["finance"], approve=True)
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN and job.opened_on is not None
    reasons = list(job.history.values_list("history_change_reason", flat=True))
    assert any(r and r.startswith("Opened: approved by") for r in reasons)
    assert any(r == "Approval asked for, to open the job" for r in reasons)
    told = Notification.objects.get(event="approval_decided")
    assert told.recipient == team["recruiter"].user.email and "approved" in told.subject
    # Approved once, it may go on hold and reopen without asking again.
    job.status = JobStatus.OPEN
    assert job_opening_refusal(job, was_status=JobStatus.ON_HOLD) is None


def test_any_one_approver_opens_the_job(team):
    _opening_policy(team, order=ApprovalOrder.ANY_ONE)
    job = _draft(team)
    request = job_opening_request(job=job, actor=team["recruiter"].user)
    approval_decide(request=request, member=team["finance"], approve=True)
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN
    request.refresh_from_db()
    assert request.status == ApprovalStatus.APPROVED
    assert list(request.steps.values_list("status", flat=True)) == [ApprovalStatus.APPROVED]


def test_a_threshold_step_is_asked_only_for_a_big_opening(team):
    _opening_policy(team, above_headcount=2)
    small = job_opening_request(job=_draft(team, headcount=2), actor=None)
    big = job_opening_request(job=_draft(team, title="Team of five", headcount=5), actor=None)
    assert small.steps.count() == 1 and big.steps.count() == 2


def test_a_rejection_keeps_the_job_a_draft_and_needs_a_comment(team):
    _opening_policy(team)
    job = _draft(team)
    request = job_opening_request(job=job, actor=team["recruiter"].user)
    with pytest.raises(ValidationError, match="Say why"):
        approval_decide(request=request, member=team["manager"], approve=False)
    approval_decide(request=request, member=team["manager"], approve=False, comment="No budget this quarter")
    job.refresh_from_db()
    assert job.status == JobStatus.DRAFT
    with pytest.raises(ValidationError, match="already rejected"):
        approval_decide(request=request, member=team["manager"], approve=True)
    # A new round may be asked for.
    assert job_opening_request(job=job, actor=None).status == ApprovalStatus.PENDING


def test_asking_twice_or_with_nobody_to_decide_is_refused_and_writes_nothing(team):
    _opening_policy(team)
    job = _draft(team)
    job_opening_request(job=job, actor=None)
    with pytest.raises(ValidationError, match="already asked"):
        job_opening_request(job=job, actor=None)
    orphan = JobFactory(company=team["company"], status=JobStatus.DRAFT, hiring_manager=None)
    with pytest.raises(ValidationError, match="the job has no hiring manager"):
        job_opening_request(job=orphan, actor=None)
    assert ApprovalRequest.objects.filter(job=orphan).count() == 0


def test_a_member_of_another_company_cannot_decide(team):
    _opening_policy(team)
    request = job_opening_request(job=_draft(team), actor=None)
    stranger = MembershipFactory(role=Role.COMPANY_ADMIN)
    with pytest.raises(ValidationError, match="Only a member of the company"):
        approval_decide(request=request, member=stranger, approve=True)


def test_without_a_policy_a_job_opens_freely(team):
    job = _draft(team)
    job.status = JobStatus.OPEN
    assert job_opening_refusal(job, was_status=JobStatus.DRAFT) is None


def test_the_job_form_refuses_to_open_a_job_waiting_for_approval(team):
    from django.forms.models import model_to_dict

    from hiring.admin.jobs import JobChangeForm

    _opening_policy(team)
    job = _draft(team)
    data = {k: v for k, v in model_to_dict(job, fields=JobChangeForm._meta.fields).items() if v is not None}
    form = JobChangeForm(data={**data, "status": JobStatus.OPEN}, instance=job)
    assert not form.is_valid()
    assert "needs approval before it opens" in form.errors["status"][0]
    request = job_opening_request(job=job, actor=None)
    form = JobChangeForm(data={**data, "status": JobStatus.OPEN}, instance=job)
    assert not form.is_valid() and "waiting for approval" in form.errors["status"][0]
    approval_decide(request=request, member=team["manager"], approve=True)
    approval_decide(request=request, member=team["finance"], approve=True)
    job.refresh_from_db()
    form = JobChangeForm(data={**data, "status": JobStatus.ON_HOLD}, instance=job)
    assert form.is_valid(), form.errors
