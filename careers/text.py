"""The plan in a candidate's words, translatable (careers/locale). One home for every label the
careers site shows of a stage, a kit, a job or a company's retention period."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hiring.models import PayUnit, RemoteOption, StageKind
from interviews.models import AIPolicy, KitFormat

STAGE_KINDS = {
    StageKind.APPLICATION_REVIEW: gettext_lazy("We read your application"),
    StageKind.RECRUITER_SCREEN: gettext_lazy("A first conversation with a recruiter"),
    StageKind.TECHNICAL: gettext_lazy("A technical interview"),
    StageKind.SYSTEM_DESIGN: gettext_lazy("A system design interview"),
    StageKind.BEHAVIORAL: gettext_lazy("A conversation about how you work"),
    StageKind.TAKE_HOME: gettext_lazy("A take-home exercise"),
    StageKind.FOUNDER: gettext_lazy("A conversation with a founder"),
    StageKind.PANEL: gettext_lazy("Meeting the team"),
    StageKind.REFERENCE_CHECK: gettext_lazy("We speak to your references"),
    StageKind.OFFER: gettext_lazy("An offer"),
    StageKind.OTHER: gettext_lazy("Another step"),
}

FORMATS = {
    KitFormat.VIDEO: gettext_lazy("Video call"),
    KitFormat.ONSITE: gettext_lazy("In person"),
    KitFormat.PHONE: gettext_lazy("Phone call"),
    KitFormat.ASYNC_CHAT: gettext_lazy("Written chat, in your own time"),
    KitFormat.TAKE_HOME: gettext_lazy("Take-home, in your own time"),
    KitFormat.TRIAL: gettext_lazy("Work trial, over several days"),
}

REMOTE = {
    RemoteOption.ONSITE: gettext_lazy("On-site"),
    RemoteOption.HYBRID: gettext_lazy("Hybrid"),
    RemoteOption.REMOTE: gettext_lazy("Remote"),
}


def stage_kind_text(kind: str) -> str:
    return str(STAGE_KINDS.get(kind, STAGE_KINDS[StageKind.OTHER]))


def format_text(kit) -> str:
    return str(FORMATS.get(kit.format, kit.format))


def remote_text(value: str) -> str:
    return str(REMOTE.get(value, value))


def days_text(days: int) -> str:
    if days >= 7 and days % 7 == 0:
        weeks = days // 7
        return ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def duration_text(kit) -> str:
    """Minutes for a live session; the time to hand it in for a take-home or a trial."""
    if kit.format == KitFormat.TRIAL and kit.window_days:
        return _("over %(window)s") % {"window": days_text(kit.window_days)}
    if kit.window_days:
        return _("%(window)s to hand it in") % {"window": days_text(kit.window_days)}
    minutes = kit.duration_minutes
    return ngettext("about %(count)d minute", "about %(count)d minutes", minutes) % {"count": minutes}


def ai_policy_text(kit, blocks=None) -> str:
    """The kit's AI policy for the candidate; `blocks` (the kit's placed NoAIBlock rows, when the
    page read them) names the minutes without AI, else only the block's length is said."""
    if kit.ai_policy == AIPolicy.NOT_ALLOWED:
        return _("No AI tools")
    if kit.ai_policy == AIPolicy.REQUIRED:
        return _("AI required")
    placed = [b for b in blocks or () if b.start_minute is not None]
    if kit.ai_policy == AIPolicy.NO_AI_BLOCK and placed:
        ranges = ", ".join(f"{b.start_minute}–{b.end_minute}" for b in placed)
        return _("AI tools welcome, except minutes %(ranges)s of %(minutes)d without AI") % {
            "ranges": ranges,
            "minutes": kit.duration_minutes,
        }
    if kit.ai_policy == AIPolicy.NO_AI_BLOCK:
        return _("AI tools welcome, except a %(minutes)d-minute block without AI") % {
            "minutes": kit.no_ai_minutes or 0
        }
    return _("AI tools welcome")


PAY = {
    PayUnit.HOUR: gettext_lazy("Paid: %(amount)s %(currency)s per hour"),
    PayUnit.DAY: gettext_lazy("Paid: %(amount)s %(currency)s per day"),
    PayUnit.PROJECT: gettext_lazy("Paid: %(amount)s %(currency)s for the whole project"),
}


def amount_text(value) -> str:
    """150.00 -> '150', 37.50 -> '37.50', in the active language's number format."""
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, places)


def paid_text(stage) -> str:
    """'Paid: 150 EUR per day, expenses reimbursed', or 'Unpaid'."""
    if not stage.is_paid:
        return _("Unpaid")
    if stage.pay_amount is None or stage.pay_unit not in PAY:
        return _("Paid")
    text = PAY[stage.pay_unit] % {"amount": amount_text(stage.pay_amount), "currency": stage.pay_currency}
    if stage.pay_expenses:
        text = _("%(pay)s, expenses reimbursed") % {"pay": text}
    return text


def retention_text(days: int) -> str:
    """A company's retention period in words: days or weeks under two months, then months, then years."""
    if days < 60:
        return days_text(days)
    if days < 730:
        months = round(days / 30.4375)
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    years = round(days / 365.25)
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
