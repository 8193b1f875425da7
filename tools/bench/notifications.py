"""Notification rows of the benchmark dataset, streamed with COPY when the outbox model exists."""

import datetime

from django.apps import apps

from .companies import SLUG_PREFIX
from .copy_rows import CopyTable, reset_sequence


def notification_model():
    """The notification outbox model, when this version of Hireloop has one."""
    for model in apps.get_app_config("interviews").get_models():
        if model.__name__ == "Notification":
            return model
    return None


def notifications_load(n, companies, setups, app_base, app_applied, now, out) -> int | None:
    """One or two sent notifications per application, to the candidate, if the outbox exists."""
    model = notification_model()
    if model is None:
        out.write("  notifications: not available (no outbox model in this version)\n")
        return None
    names = {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields}
    wanted = [
        "company_id",
        "application_id",
        "event",
        "recipient",
        "recipient_name",
        "subject",
        "body",
        "status",
        "attempts",
        "sent_at",
        "created_at",
        "updated_at",
        "idempotency_key",
    ]
    fields = [name for name in wanted if name in names]
    table = CopyTable(model, fields, now=now)
    events = _choices(model, "event") or ["application_received", "stage_moved"]
    statuses = _choices(model, "status") or ["sent"]
    sent = "sent" if "sent" in statuses else statuses[0]

    def rows():
        for g in range(n):
            setup = setups[g % companies]
            count = 1 + g % 2
            for i in range(count):
                at = datetime.datetime.fromtimestamp(app_applied[g] + i * 86400, tz=datetime.UTC)
                event = events[i % len(events)]
                values = {
                    "company_id": setup.company.pk,
                    "application_id": app_base + g,
                    "event": event,
                    "recipient": f"candidate{g}@{SLUG_PREFIX}example.com",
                    "recipient_name": "Candidate",
                    "subject": "Your application",
                    "body": "Thank you for applying.",
                    "status": sent,
                    "attempts": 1,
                    "sent_at": at,
                    "created_at": at,
                    "updated_at": at,
                    "idempotency_key": f"bench:{event}:{app_base + g}:{i}",
                }
                yield tuple(values[name] for name in fields)

    written = table.load(rows(), label="notifications", expected=int(1.5 * n), out=out)
    reset_sequence(model)
    return written


def _choices(model, name) -> list[str]:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return []
    return [value for value, _ in (field.choices or [])]
