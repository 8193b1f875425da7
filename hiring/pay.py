"""The pay of a paid stage (a paid trial, a paid work day): its units and the one rule of its terms.

Plain values only, no model: hiring.models imports it (Stage.clean) and the admin forms, the
services and the demo reach the same rule through it."""

from django.db import models


class PayUnit(models.TextChoices):
    HOUR = "hour", "Per hour"
    DAY = "day", "Per day"
    PROJECT = "project", "For the whole project"


def stage_pay_errors(*, is_paid: bool, amount, currency: str, unit: str, expenses: bool) -> dict[str, str]:
    """The one rule of a stage's pay, by field, in a recruiter's words (the database holds the
    same): a paid stage says how much, in which currency and per what; an unpaid one says none."""
    errors = {}
    if is_paid:
        if amount is None or amount <= 0:
            errors["pay_amount"] = "A paid stage needs an amount above zero."
        if not (
            len(currency or "") == 3 and currency.isascii() and currency.isalpha() and currency.isupper()
        ):
            errors["pay_currency"] = "Give the currency as a three-letter code in capitals, e.g. EUR."
        if unit not in PayUnit.values:
            errors["pay_unit"] = "Say whether the pay is per hour, per day or for the whole project."
    else:
        if amount is not None or currency or unit or expenses:
            errors["is_paid"] = (
                "Pay terms are for paid stages: tick 'paid' or clear the amount, currency and unit."
            )
    return errors
