"""What offers write to the outbox: the offer to the candidate, and the
answer (accepted, declined, expired) to the team (the company's recruiters and the job's hiring
manager). Called inside the transaction of the send, the answer or the expiry."""

from hiring.models import Application
from interviews.offer_terms import offer_context

from .candidate_links import candidate_link
from .context import admin_link, application_context
from .events import NotificationEvent as E
from .outbox import outbox_enqueue_on_commit, outbox_write, recipient_candidate
from .portal import _team
from .templates import STAFF_LANGUAGE, notification_templates_resolve


def _loaded(offer) -> Application:
    return Application.objects.select_related("company", "candidate", "job", "stage").get(
        pk=offer.application_id
    )


def offer_sent_notify(*, offer) -> list[int]:
    """The offer email to the candidate, in their language."""
    application = _loaded(offer)
    offer.application = application
    event = E.OFFER_SENT
    template = notification_templates_resolve(
        application.company_id, [event], application.candidate.language or STAFF_LANGUAGE
    )[event]
    version = offer.current
    ids = outbox_write(
        company_id=application.company_id,
        event=event,
        template=template,
        recipients=[recipient_candidate(application)],
        context={**offer_context(offer, version), "portal_link": candidate_link(application.candidate)},
        subject_of=f"offer-{offer.pk}",
        occurrence=f"v{version.number}-{offer.sent_at:%Y%m%d%H%M%S}",
        application_id=application.pk,
    )
    return outbox_enqueue_on_commit(ids)


def offer_answered_notify(*, offer, answer: str) -> list[int]:
    """Tell the team the offer was accepted, declined (with the reason) or expired."""
    application = _loaded(offer)
    event = E.OFFER_ANSWERED_TEAM
    template = notification_templates_resolve(application.company_id, [event], STAFF_LANGUAGE)[event]
    context = {
        **application_context(application),
        "answer": answer,
        "reason": offer.decline_reason.name if offer.decline_reason_id else "",
        "note": offer.decline_note,
        "link": admin_link("admin:hiring_application_change", application.pk),
    }
    ids = outbox_write(
        company_id=application.company_id,
        event=event,
        template=template,
        recipients=_team(application),
        context=context,
        subject_of=f"offer-{offer.pk}",
        occurrence=answer,
        application_id=application.pk,
    )
    return outbox_enqueue_on_commit(ids)
