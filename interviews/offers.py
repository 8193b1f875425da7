"""Offers: drafted at a stage of kind offer, revised (every version kept), approved under the
company's offer policy, sent with its letter (kept as sent) through the outbox, and answered in the portal
(accepted: hired through the pipeline's service, once; declined with a reason; expired by the
beat task at the end of its last day).

Who sees the terms (`offer_terms_visible`): company admins, recruiters and the job's hiring
manager; never interviewers.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, linebreaks

from hiring.models import Application, ApplicationStatus, Job, Membership, Role, StageKind
from hiring.selectors import company_time_zone
from hiring.services import _plan, application_hire, application_move

from .approval_models import ApprovalRequest, ApprovalStatus, ApprovalSubject
from .approvals import approval_plan_for, approval_request_create, approval_requests_cancel, register_outcome
from .offer_models import (
    OFFER_CLOSED,
    OFFER_REVISABLE,
    PERIODS_PER_YEAR,
    ContractType,
    Offer,
    OfferDeclineReason,
    OfferField,
    OfferLetterTemplate,
    OfferStatus,
    OfferVersion,
    PayPeriod,
)
from .offer_terms import offer_context

TERMS = (
    "base_salary",
    "currency",
    "pay_period",
    "bonus",
    "equity",
    "start_date",
    "location",
    "contract_type",
    "expires_on",
)

# --- Who sees and does what ----------------------------------------------------------------------


def offer_terms_visible(*, user, role: str | None, membership_id: int | None, job: Job) -> bool:
    """Whether a staff member may read an offer's terms: superusers, company admins, recruiters,
    and the hiring manager of the offer's job."""
    if user is not None and user.is_superuser:
        return True
    if role in (Role.COMPANY_ADMIN, Role.RECRUITER):
        return True
    return (
        role == Role.HIRING_MANAGER and membership_id is not None and job.hiring_manager_id == membership_id
    )


def offer_membership(user, company_id: int) -> Membership | None:
    return Membership.objects.filter(user_id=user.pk, company_id=company_id).first() if user else None


def _may_draft(user, application: Application) -> None:
    member = offer_membership(user, application.company_id)
    role = member.role if member else None
    if not offer_terms_visible(
        user=user, role=role, membership_id=member.pk if member else None, job=application.job
    ):
        raise ValidationError("Only company admins, recruiters and the job's hiring manager handle offers.")


def _may_send(user, company_id: int) -> None:
    if user is not None and user.is_superuser:
        return
    member = offer_membership(user, company_id)
    if member is None or member.role not in (Role.COMPANY_ADMIN, Role.RECRUITER):
        raise ValidationError("Only company admins and recruiters send offers.")


# --- Terms ----------------------------------------------------------------------------------------


def yearly(amount: Decimal, period: str) -> Decimal:
    """The yearly equivalent of a salary, for approval thresholds."""
    return amount * PERIODS_PER_YEAR.get(period, 1)


def offer_terms_check(*, company_id: int, terms: dict, extra: dict, today: datetime.date) -> dict:
    """The terms cleaned, or ValidationError with a message per field."""
    errors = {}
    missing = [
        name
        for name in ("base_salary", "currency", "start_date", "expires_on")
        if terms.get(name) in (None, "")
    ]
    for name in missing:
        errors[name] = "This term is needed."
    salary = terms.get("base_salary")
    if salary not in (None, "") and Decimal(str(salary)) <= 0:
        errors["base_salary"] = "The base salary must be above zero."
    if terms.get("pay_period", PayPeriod.YEAR) not in PayPeriod.values:
        errors["pay_period"] = "Choose a pay period from the list."
    if terms.get("contract_type", ContractType.PERMANENT) not in ContractType.values:
        errors["contract_type"] = "Choose a contract type from the list."
    expires, start = terms.get("expires_on"), terms.get("start_date")
    if expires and expires < today:
        errors["expires_on"] = "The answer date is in the past."
    if expires and start and start < expires:
        errors["start_date"] = "The start date comes before the last day to answer."
    fields = list(OfferField.objects.filter(company_id=company_id))
    known = {f.key for f in fields}
    cleaned_extra = {}
    for f in fields:
        value = str(extra.get(f.key, "") or "").strip()[:500]
        if f.is_required and not value:
            errors[f"extra_{f.key}"] = f"{f.label} is needed."
        cleaned_extra[f.key] = value
    unknown = sorted(set(extra) - known)
    if unknown:
        errors["extra"] = f"Not one of the company's offer fields: {', '.join(unknown)}."
    if errors:
        raise ValidationError(errors)
    cleaned = {name: terms.get(name) for name in TERMS if name in terms}
    cleaned["currency"] = str(cleaned["currency"]).upper()
    for name in ("bonus", "equity", "location"):
        cleaned[name] = str(cleaned.get(name) or "").strip()[:200]
    return {**cleaned, "extra": cleaned_extra}


def _today(company_id: int) -> datetime.date:
    return timezone.localtime(timezone=zoneinfo.ZoneInfo(company_time_zone(company_id))).date()


def _version_create(offer: Offer, *, actor, terms: dict, note: str) -> OfferVersion:
    number = (offer.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = OfferVersion(
        offer=offer, number=number, note=note[:300], created_by=actor, created_at=timezone.now(), **terms
    )
    version.full_clean(exclude=["offer"])
    version.save()
    offer.current = version
    return version


# --- Drafting and revising -------------------------------------------------------------------------


@transaction.atomic
def offer_draft(
    *,
    application: Application,
    actor,
    terms: dict,
    extra: dict | None = None,
    letter_template=None,
    note: str = "",
) -> Offer:
    """Draft an offer (its first version) for an active application at a stage of kind offer."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("job", "stage")
        .get(pk=application.pk)
    )
    _may_draft(actor, application)
    if application.status != ApplicationStatus.ACTIVE:
        raise ValidationError(
            f"The application is {application.get_status_display().lower()}: no offer can be made."
        )
    if application.stage.kind != StageKind.OFFER:
        raise ValidationError(
            f"Offers are made at an offer stage; the application is in {application.stage.name}."
        )
    if Offer.objects.filter(application=application).exclude(status__in=OFFER_CLOSED).exists():
        raise ValidationError("This application already has an offer under way: revise it instead.")
    if letter_template is not None and letter_template.company_id != application.company_id:
        raise ValidationError("The letter template belongs to another company.")
    cleaned = offer_terms_check(
        company_id=application.company_id,
        terms=terms,
        extra=extra or {},
        today=_today(application.company_id),
    )
    offer = Offer.objects.create(
        company_id=application.company_id,
        application=application,
        letter_template=letter_template,
        created_by=actor,
        created_at=timezone.now(),
    )
    _version_create(offer, actor=actor, terms=cleaned, note=note or "First version")
    offer.save(update_fields=["current"])
    return offer


def _locked(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("application__job", "current")
        .get(pk=offer.pk)
    )


@transaction.atomic
def offer_revise(
    *, offer: Offer, actor, terms: dict, extra: dict | None = None, note: str = ""
) -> OfferVersion:
    """New terms as a new version (earlier versions stay). An offer waiting for approval, approved
    or sent goes back to draft: its approval starts again and it must be sent again."""
    locked = _locked(offer)
    _may_draft(actor, locked.application)
    if locked.status not in OFFER_REVISABLE:
        raise ValidationError(
            f"The offer is {locked.get_status_display().lower()}: its terms can no longer change."
        )
    if not note.strip():
        raise ValidationError({"note": "Say what changed: the note stays with the version."})
    cleaned = offer_terms_check(
        company_id=locked.company_id, terms=terms, extra=extra or {}, today=_today(locked.company_id)
    )
    approval_requests_cancel(pending=ApprovalRequest.objects.filter(offer_version__offer=locked))
    version = _version_create(locked, actor=actor, terms=cleaned, note=note)
    locked.status = OfferStatus.DRAFT
    locked.save(update_fields=["current", "status"])
    offer.current, offer.status = locked.current, locked.status
    return version


# --- Approval --------------------------------------------------------------------------------------


@transaction.atomic
def offer_submit(*, offer: Offer, actor) -> Offer:
    """Ask for the company's approval of a draft; approved at once when the policy asks for none."""
    locked = _locked(offer)
    _may_draft(actor, locked.application)
    if locked.status != OfferStatus.DRAFT:
        raise ValidationError(
            f"Only a draft is sent for approval; this offer is {locked.get_status_display().lower()}."
        )
    version = locked.current
    order, steps = approval_plan_for(
        company_id=locked.company_id,
        subject=ApprovalSubject.OFFER,
        job=locked.application.job,
        salary=yearly(version.base_salary, version.pay_period),
    )
    if steps:
        approval_request_create(
            company_id=locked.company_id,
            subject=ApprovalSubject.OFFER,
            job=locked.application.job,
            actor=actor,
            order=order,
            steps=steps,
            offer_version=version,
        )
        locked.status = OfferStatus.AWAITING_APPROVAL
    else:
        locked.status = OfferStatus.APPROVED
    locked.save(update_fields=["status"])
    offer.status = locked.status
    return locked


def offer_approved_version(offer: Offer) -> bool:
    """Whether the version in force was approved (or needed no approval when it was submitted)."""
    if offer.status not in (OfferStatus.APPROVED, OfferStatus.SENT, OfferStatus.ACCEPTED):
        return False
    requests = ApprovalRequest.objects.filter(offer_version=offer.current_id)
    return not requests.exists() or requests.filter(status=ApprovalStatus.APPROVED).exists()


def _offer_decided(request: ApprovalRequest) -> None:
    offer = Offer.objects.select_for_update().get(versions=request.offer_version_id)
    if offer.current_id != request.offer_version_id or offer.status != OfferStatus.AWAITING_APPROVAL:
        return  # a later version replaced it
    offer.status = OfferStatus.APPROVED if request.status == ApprovalStatus.APPROVED else OfferStatus.DRAFT
    offer.save(update_fields=["status"])


register_outcome(ApprovalSubject.OFFER, _offer_decided)


# --- The letter ------------------------------------------------------------------------------------


DEFAULT_LETTER = (
    "Dear {{ candidate_name }},\n\n"
    "We are delighted to offer you the position of {{ job_title }} at {{ company_name }}.\n\n"
    "Salary: {{ salary }}\n"
    "{% if bonus %}Bonus: {{ bonus }}\n{% endif %}"
    "{% if equity %}Equity: {{ equity }}\n{% endif %}"
    "Contract: {{ contract_type }}\n"
    "Start date: {{ start_date }}\n"
    "{% if location %}Location: {{ location }}\n{% endif %}\n"
    "This offer is open until {{ expires_on }}. You can accept or decline it in your candidate "
    "portal.\n\n"
    "We look forward to working with you.\n\n"
    "{{ company_name }}"
)


def offer_letter_template(offer: Offer) -> str:
    if offer.letter_template_id:
        return offer.letter_template.body
    chosen = OfferLetterTemplate.objects.filter(company_id=offer.company_id, is_default=True).first()
    return chosen.body if chosen else DEFAULT_LETTER


def offer_letter_html(offer: Offer, version: OfferVersion) -> str:
    """The letter's body as HTML: the company's template rendered in the sandbox (plain text), then
    escaped and cut into paragraphs."""
    from .notifications.rendering import render

    text = render(offer_letter_template(offer), offer_context(offer, version))
    return linebreaks(escape(text))


# --- Sending, answering, expiring --------------------------------------------------------------------


@transaction.atomic
def offer_send(*, offer: Offer, actor) -> Offer:
    """Send an approved offer: its letter is rendered from the company's template and kept with
    the offer as sent, and the candidate is told by email (the outbox, after commit)."""
    locked = _locked(offer)
    _may_send(actor, locked.company_id)
    if locked.status != OfferStatus.APPROVED or not offer_approved_version(locked):
        raise ValidationError("Only an approved offer is sent: ask for its approval first.")
    app = Application.objects.select_related("candidate", "job", "stage", "company").get(
        pk=locked.application_id
    )
    if app.status != ApplicationStatus.ACTIVE:
        raise ValidationError(
            f"The application is {app.get_status_display().lower()}: the offer cannot go out."
        )
    if locked.current.expires_on < _today(locked.company_id):
        raise ValidationError("The last day to answer has passed: revise the offer with a new date.")
    locked.application = app
    locked.letter_html = offer_letter_html(locked, locked.current)
    locked.status = OfferStatus.SENT
    locked.sent_at = timezone.now()
    locked.save(update_fields=["letter_html", "status", "sent_at"])
    from .notifications.offers import offer_sent_notify

    offer_sent_notify(offer=locked)
    offer.status, offer.sent_at = locked.status, locked.sent_at
    return locked


def _same_name(typed: str, name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


def offer_expired(offer: Offer) -> bool:
    """Past the end of its last day, in the company's zone."""
    return offer.current.expires_on < _today(offer.company_id)


def _answer_locked(offer: Offer, candidate_id: int, *, done: str, verb: str) -> tuple[Offer, bool]:
    """The candidate's own offer, locked, and whether it already has this answer (a replay);
    refused when it is not theirs or no longer waits for an answer."""
    try:
        locked = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("current", "application__candidate")
            .get(pk=offer.pk, application__candidate_id=candidate_id)
        )
    except Offer.DoesNotExist:
        raise ValidationError("This offer is not yours.") from None
    if locked.status == done:
        return locked, True
    if locked.status != OfferStatus.SENT:
        raise ValidationError(
            f"This offer is {locked.get_status_display().lower()}; it can no longer be {verb}."
        )
    return locked, False


@transaction.atomic
def offer_accept(*, offer: Offer, candidate_id: int, typed_name: str, ip: str | None) -> tuple[Offer, bool]:
    """The candidate accepts, signing with their full name: recorded with the time and address,
    and the application is hired through the pipeline's service (moved to the plan's last stage
    first if the offer stage is not the last). A second accept (a double click, a replayed form)
    changes nothing and returns False."""
    locked, answered = _answer_locked(offer, candidate_id, done=OfferStatus.ACCEPTED, verb="accepted")
    if answered:
        return locked, False
    if offer_expired(locked):
        raise ValidationError("This offer expired; write to the hiring team if you still wish to accept.")
    name = locked.application.candidate.name
    if not _same_name(typed_name, name):
        raise ValidationError({"typed_name": f"Type your full name as it appears on the offer: {name}."})
    now = timezone.now()
    locked.status = OfferStatus.ACCEPTED
    locked.accepted_name = " ".join(typed_name.split())[:300]
    locked.accepted_ip = ip
    locked.answered_at = now
    locked.save(update_fields=["status", "accepted_name", "accepted_ip", "answered_at"])
    application = locked.application
    last = _plan(application.job_id)[-1]
    note = f"Accepted offer #{locked.pk} in the candidate portal"
    if application.stage_id != last.pk:
        application_move(application=application, to_stage=last, actor=None, note=note)
        application.refresh_from_db()
    application_hire(application=application, actor=None, note=note)
    from .notifications.offers import offer_answered_notify

    offer_answered_notify(offer=locked, answer="accepted")
    return locked, True


@transaction.atomic
def offer_decline(
    *, offer: Offer, candidate_id: int, reason: OfferDeclineReason | None, note: str = ""
) -> tuple[Offer, bool]:
    """The candidate declines with a reason from the company's list; the team is told. The
    application stays as it is: the team may revise the offer or close the application. A second
    decline changes nothing and returns False."""
    locked, answered = _answer_locked(offer, candidate_id, done=OfferStatus.DECLINED, verb="declined")
    if answered:
        return locked, False
    if reason is None or reason.company_id != locked.company_id or not reason.is_active:
        raise ValidationError({"reason": "Choose a reason from the list."})
    locked.status = OfferStatus.DECLINED
    locked.decline_reason = reason
    locked.decline_note = note.strip()[:2000]
    locked.answered_at = timezone.now()
    locked.save(update_fields=["status", "decline_reason", "decline_note", "answered_at"])
    from .notifications.offers import offer_answered_notify

    offer_answered_notify(offer=locked, answer="declined")
    return locked, True


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor, note: str) -> Offer:
    """The company withdraws an offer not yet answered (with a note for the record)."""
    locked = _locked(offer)
    _may_send(actor, locked.company_id)
    if locked.status in OFFER_CLOSED:
        raise ValidationError(f"The offer is already {locked.get_status_display().lower()}.")
    if not note.strip():
        raise ValidationError({"note": "Say why the offer is withdrawn."})
    approval_requests_cancel(pending=ApprovalRequest.objects.filter(offer_version__offer=locked))
    locked.status = OfferStatus.WITHDRAWN
    locked.withdrawn_note = note.strip()[:2000]
    locked.save(update_fields=["status", "withdrawn_note"])
    return locked


def offers_expire(*, now: datetime.datetime | None = None) -> list[int]:
    """Expire every sent offer past the end of its last day (in its company's zone); the team of
    each is told. Idempotent: an offer expires once. Returns the ids expired."""
    now = now or timezone.now()
    # No zone is a whole day ahead of UTC: an offer whose last day is after today's UTC date is
    # not over anywhere. The rest are read by index, then checked in their company's zone.
    horizon = now.date() + datetime.timedelta(days=1)
    expired = []
    for pk in Offer.objects.filter(status=OfferStatus.SENT, current__expires_on__lt=horizon).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            offer = Offer.objects.select_for_update(of=("self",)).select_related("current").get(pk=pk)
            zone = zoneinfo.ZoneInfo(company_time_zone(offer.company_id))
            if offer.status != OfferStatus.SENT or offer.current.expires_on >= now.astimezone(zone).date():
                continue
            offer.status = OfferStatus.EXPIRED
            offer.answered_at = now
            offer.save(update_fields=["status", "answered_at"])
            from .notifications.offers import offer_answered_notify

            offer_answered_notify(offer=offer, answer="expired")
            expired.append(pk)
    return expired
