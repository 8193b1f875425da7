"""An offer's terms as plain strings for templates: the offer email and the letter."""

from decimal import Decimal

from .offer_models import ContractType, Offer, OfferVersion, PayPeriod


def _money(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"


def offer_context(offer: Offer, version: OfferVersion) -> dict:
    """The offer's terms as plain strings for templates (emails and letters)."""
    app = offer.application
    salary = f"{_money(version.base_salary)} {version.currency} {PayPeriod(version.pay_period).label}"
    return {
        "company_name": app.company.name,
        "candidate_name": app.candidate.name,
        "job_title": app.job.title,
        "stage_name": app.stage.name,
        "salary": salary,
        "base_salary": _money(version.base_salary),
        "currency": version.currency,
        "pay_period": PayPeriod(version.pay_period).label,
        "bonus": version.bonus,
        "equity": version.equity,
        "start_date": f"{version.start_date:%A %d %B %Y}",
        "location": version.location,
        "contract_type": ContractType(version.contract_type).label,
        "expires_on": f"{version.expires_on:%A %d %B %Y}",
        "extra": dict(version.extra),
        "offer_version": str(version.number),
    }
