"""Offers: drafted at an offer stage, revised with every version kept, approved under the policy
(in order, any one, above a threshold), never sent before approval, accepted once (hired through
the pipeline), declined with a reason, expired at the end of their last day; terms visible to the
hiring team only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hiring.models import ApplicationStatus, Role, StageChange
from interviews.approvals import approval_decide
from interviews.models import ApprovalOrder, ApprovalRequest, Notification, Offer, OfferStatus
from interviews.offers import (
    offer_accept,
    offer_decline,
    offer_draft,
    offer_revise,
    offer_send,
    offer_submit,
    offer_terms_visible,
    offer_withdraw,
    offers_expire,
)

from .offer_data import offer_policy, offer_team, terms


@pytest.fixture
def team(db):
    return offer_team()


def _draft(team, **changes):
    return offer_draft(application=team["application"], actor=team["recruiter"].user, terms=terms(**changes))


def _sent(team, **changes):
    offer = _draft(team, **changes)
    offer_submit(offer=offer, actor=team["recruiter"].user)
    return offer_send(offer=offer, actor=team["recruiter"].user)


def _request(offer):
    return ApprovalRequest.objects.get(offer_version=offer.current_id, status="pending")


def test_an_offer_is_drafted_only_at_an_offer_stage(team):
    application = team["application"]
    first = application.job.stages.order_by("position").first()
    application.stage = first
    application.save(update_fields=["stage"])
    with pytest.raises(ValidationError, match="Offers are made at an offer stage"):
        _draft(team)
    assert not Offer.objects.exists()


def test_bad_terms_are_refused_with_a_message_per_term_and_nothing_written(team):
    past = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        _draft(team, base_salary=Decimal("0"), expires_on=past, currency="")
    assert set(caught.value.message_dict) >= {"base_salary", "expires_on", "currency"}
    assert not Offer.objects.exists()


def test_an_interviewer_cannot_draft_nor_read_the_terms(team):
    with pytest.raises(ValidationError, match="Only company admins, recruiters"):
        offer_draft(application=team["application"], actor=team["interviewer"].user, terms=terms())
    job = team["job"]
    see = {
        role: offer_terms_visible(user=None, role=role, membership_id=member.pk, job=job)
        for role, member in (
            (Role.INTERVIEWER, team["interviewer"]),
            (Role.RECRUITER, team["recruiter"]),
            (Role.COMPANY_ADMIN, team["admin"]),
            (Role.HIRING_MANAGER, team["manager"]),
        )
    }
    assert see == {
        Role.INTERVIEWER: False,
        Role.RECRUITER: True,
        Role.COMPANY_ADMIN: True,
        Role.HIRING_MANAGER: True,
    }
    # A hiring manager of another job does not see this job's offers.
    assert not offer_terms_visible(
        user=None, role=Role.HIRING_MANAGER, membership_id=team["executive"].pk, job=job
    )


def test_no_offer_goes_out_before_its_approval(team):
    offer_policy(team)
    offer = _draft(team)
    with pytest.raises(ValidationError, match="Only an approved offer"):
        offer_send(offer=offer, actor=team["recruiter"].user)
    offer_submit(offer=offer, actor=team["recruiter"].user)
    assert offer.status == OfferStatus.AWAITING_APPROVAL
    with pytest.raises(ValidationError, match="Only an approved offer"):
        offer_send(offer=offer, actor=team["recruiter"].user)
    assert not Notification.objects.filter(event="offer_sent").exists()


def test_in_order_the_manager_then_finance_and_the_executive_only_above_the_threshold(team):
    offer_policy(team)
    modest = _draft(team)
    offer_submit(offer=modest, actor=team["recruiter"].user)
    request = _request(modest)
    assert list(request.steps.values_list("label", flat=True)) == [
        f"Hiring manager: {team['manager'].display_name}",
        "Finance",
    ]
    approval_decide(request=request, member=team["manager"], approve=True)
    modest.refresh_from_db()
    assert modest.status == OfferStatus.AWAITING_APPROVAL
    approval_decide(request=request, member=team["finance"], approve=True)
    modest.refresh_from_db()
    assert modest.status == OfferStatus.APPROVED
    # Above 100,000 a year (monthly pay counts twelve times) the executive is asked too.
    offer_withdraw(offer=modest, actor=team["recruiter"].user, note="Terms reworked")
    generous = _draft(team, base_salary=Decimal("9000"), pay_period="month")
    offer_submit(offer=generous, actor=team["recruiter"].user)
    assert _request(generous).steps.count() == 3


def test_any_one_approver_approves_the_offer(team):
    offer_policy(team, order=ApprovalOrder.ANY_ONE)
    offer = _draft(team)
    offer_submit(offer=offer, actor=team["recruiter"].user)
    approval_decide(request=_request(offer), member=team["finance"], approve=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.APPROVED


def test_a_rejected_offer_goes_back_to_draft(team):
    offer_policy(team)
    offer = _draft(team)
    offer_submit(offer=offer, actor=team["recruiter"].user)
    approval_decide(
        request=_request(offer), member=team["manager"], approve=False, comment="Too high for the band"
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT


def test_a_revision_keeps_every_version_and_restarts_approval(team):
    offer_policy(team)
    offer = _draft(team)
    offer_submit(offer=offer, actor=team["recruiter"].user)
    first_request = _request(offer)
    approval_decide(request=first_request, member=team["manager"], approve=True)
    approval_decide(request=first_request, member=team["finance"], approve=True)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.APPROVED
    with pytest.raises(ValidationError, match="Say what changed"):
        offer_revise(offer=offer, actor=team["recruiter"].user, terms=terms(base_salary=Decimal("90000")))
    offer_revise(
        offer=offer,
        actor=team["recruiter"].user,
        terms=terms(base_salary=Decimal("90000")),
        note="Counter-offer",
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DRAFT
    assert list(offer.versions.values_list("number", "base_salary")) == [
        (1, Decimal("85000")),
        (2, Decimal("90000")),
    ]
    with pytest.raises(ValidationError, match="Only an approved offer"):
        offer_send(offer=offer, actor=team["recruiter"].user)
    offer_submit(offer=offer, actor=team["recruiter"].user)
    assert _request(offer).pk != first_request.pk


def test_revising_while_approval_is_asked_cancels_that_round(team):
    offer_policy(team)
    offer = _draft(team)
    offer_submit(offer=offer, actor=team["recruiter"].user)
    request = _request(offer)
    offer_revise(offer=offer, actor=team["recruiter"].user, terms=terms(bonus=""), note="No bonus")
    request.refresh_from_db()
    assert request.status == "cancelled"
    with pytest.raises(ValidationError, match="already cancelled"):
        approval_decide(request=request, member=team["manager"], approve=True)


def test_the_candidate_is_emailed_the_offer_with_the_letter_kept_as_sent(
    team, django_capture_on_commit_callbacks
):
    offer = _sent(team)
    assert offer.status == OfferStatus.SENT and offer.sent_at is not None
    email = Notification.objects.get(event="offer_sent")
    assert email.recipient == "ada@example.org" and "85,000 EUR per year" in email.body
    assert "85,000 EUR per year" in offer.letter_html and "Ada Lovelace" in offer.letter_html


def test_acceptance_hires_exactly_once_on_a_double_click(team):
    offer = _sent(team)
    first, changed = offer_accept(
        offer=offer, candidate_id=team["candidate"].pk, typed_name=" ada  LOVELACE ", ip="203.0.113.5"
    )
    again, changed_again = offer_accept(
        offer=offer, candidate_id=team["candidate"].pk, typed_name="Ada Lovelace", ip="203.0.113.9"
    )
    assert (changed, changed_again) == (True, False)
    first.refresh_from_db()
    assert first.status == OfferStatus.ACCEPTED and first.accepted_name == "ada LOVELACE"
    assert first.accepted_ip == "203.0.113.5" and first.answered_at is not None
    team["application"].refresh_from_db()
    assert team["application"].status == ApplicationStatus.HIRED
    assert StageChange.objects.filter(application=team["application"], to_status="hired").count() == 1
    assert (
        Notification.objects.filter(event="offer_answered_team", subject__startswith="Offer accepted").count()
        == 2
    )


def test_acceptance_needs_the_full_name_and_someone_elses_offer_is_refused(team):
    offer = _sent(team)
    with pytest.raises(ValidationError, match="Type your full name"):
        offer_accept(offer=offer, candidate_id=team["candidate"].pk, typed_name="Ada", ip=None)
    other = offer_team(name="Bob Other", email="bob@example.org")
    with pytest.raises(ValidationError, match="not yours"):
        offer_accept(offer=offer, candidate_id=other["candidate"].pk, typed_name="Bob Other", ip=None)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT


def test_a_decline_records_the_reason_and_tells_the_team(team):
    offer = _sent(team)
    with pytest.raises(ValidationError):
        offer_decline(offer=offer, candidate_id=team["candidate"].pk, reason=None)
    offer_decline(
        offer=offer, candidate_id=team["candidate"].pk, reason=team["reason"], note="A startup in Lyon"
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED and offer.decline_reason == team["reason"]
    told = Notification.objects.filter(event="offer_answered_team")
    assert {n.recipient for n in told} == {"rec@acme.test", "hm@acme.test"}
    assert all("Accepted another offer" in n.body for n in told)
    team["application"].refresh_from_db()
    assert team["application"].status == ApplicationStatus.ACTIVE
    with pytest.raises(ValidationError, match="no longer be accepted"):
        offer_accept(offer=offer, candidate_id=team["candidate"].pk, typed_name="Ada Lovelace", ip=None)


def test_an_offer_expires_after_its_last_day_once(team):
    offer = _sent(team)
    last_day = offer.current.expires_on
    on_last_day = timezone.make_aware(datetime.datetime.combine(last_day, datetime.time(23, 0)))
    assert offers_expire(now=on_last_day) == []
    day_after = on_last_day + datetime.timedelta(hours=2)
    assert offers_expire(now=day_after) == [offer.pk]
    assert offers_expire(now=day_after) == []
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert (
        Notification.objects.filter(event="offer_answered_team", subject__startswith="Offer expired").count()
        == 2
    )


def test_an_expired_offer_cannot_be_accepted_even_before_the_task_runs(team, monkeypatch):
    offer = _sent(team)
    later = timezone.now() + datetime.timedelta(days=9)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(ValidationError, match="expired"):
        offer_accept(offer=offer, candidate_id=team["candidate"].pk, typed_name="Ada Lovelace", ip=None)


def test_one_offer_under_way_per_application(team):
    _draft(team)
    with pytest.raises(ValidationError, match="already has an offer under way"):
        _draft(team)


def test_offers_are_erased_with_the_candidate(team):
    from hiring.privacy import candidate_anonymise

    offer = _sent(team)
    offer_accept(offer=offer, candidate_id=team["candidate"].pk, typed_name="Ada Lovelace", ip="203.0.113.5")
    candidate_anonymise(candidate=team["candidate"], actor=None)
    offer.refresh_from_db()
    version = offer.current
    version.refresh_from_db()
    assert "Ada" not in offer.accepted_name and "Lovelace" not in offer.letter_html
    assert offer.accepted_ip is None and version.base_salary == 0


def test_the_offer_is_in_the_candidate_export(team):
    import json

    from hiring.privacy import candidate_export_json

    _sent(team)
    data = json.loads(candidate_export_json(candidate=team["candidate"]))
    text = json.dumps(data)
    assert "85000" in text and "Lovelace" in text
