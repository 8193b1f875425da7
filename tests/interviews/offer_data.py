"""An application at the offer stage of a full loop, with its team: a recruiter, the job's hiring
manager, a finance member and an executive, an interviewer, and approval policies to choose."""

import datetime
from decimal import Decimal

from django.utils import timezone

from hiring.models import Role, Source
from hiring.services import application_create, application_move
from interviews.models import (
    ApprovalOrder,
    ApprovalPolicy,
    ApprovalRule,
    ApprovalSubject,
    Approver,
    OfferDeclineReason,
)
from tests.careers.factories import job_with_loop
from tests.hiring.factories import CandidateFactory, CompanyFactory, MembershipFactory


def terms(**changes) -> dict:
    today = timezone.localdate()
    values = {
        "base_salary": Decimal("85000"),
        "currency": "EUR",
        "pay_period": "year",
        "bonus": "10% of base",
        "equity": "2,000 options",
        "start_date": today + datetime.timedelta(days=40),
        "location": "Lyon",
        "contract_type": "permanent",
        "expires_on": today + datetime.timedelta(days=7),
    }
    values.update(changes)
    return values


def offer_team(company=None, *, name="Ada Lovelace", email="ada@example.org"):
    company = company or CompanyFactory()
    manager = MembershipFactory(company=company, role=Role.HIRING_MANAGER, user__email="hm@acme.test")
    job = job_with_loop(company, title="Backend engineer", hiring_manager=manager)
    candidate = CandidateFactory(company=company, name=name, email=email)
    application = application_create(candidate=candidate, job=job, source=Source.CAREERS_SITE, actor=None)
    offer_stage = job.stages.order_by("position").last()
    application_move(application=application, to_stage=offer_stage, actor=None, note="Straight to the offer")
    application.refresh_from_db()
    team = {
        "company": company,
        "job": job,
        "candidate": candidate,
        "application": application,
        "manager": manager,
        "recruiter": MembershipFactory(company=company, role=Role.RECRUITER, user__email="rec@acme.test"),
        "admin": MembershipFactory(company=company, role=Role.COMPANY_ADMIN, user__email="admin@acme.test"),
        "finance": MembershipFactory(
            company=company, role=Role.COMPANY_ADMIN, user__email="finance@acme.test"
        ),
        "executive": MembershipFactory(
            company=company, role=Role.HIRING_MANAGER, user__email="ceo@acme.test"
        ),
        "interviewer": MembershipFactory(company=company, role=Role.INTERVIEWER, user__email="int@acme.test"),
    }
    team["reason"] = OfferDeclineReason.objects.create(company=company, name="Accepted another offer")
    return team


def offer_policy(
    team, *, order=ApprovalOrder.IN_ORDER, executive_above=Decimal("100000"), subject=ApprovalSubject.OFFER
):
    """The hiring manager, then finance, then the executive above a yearly salary."""
    policy = ApprovalPolicy.objects.create(company=team["company"], subject=subject, order=order)
    ApprovalRule.objects.create(policy=policy, position=0, approver=Approver.JOB_HIRING_MANAGER)
    ApprovalRule.objects.create(policy=policy, position=1, label="Finance", member=team["finance"])
    ApprovalRule.objects.create(
        policy=policy, position=2, label="Executive", member=team["executive"], above_salary=executive_above
    )
    return policy
