"""Reads for the hiring app: who belongs where, scoped querysets."""

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Now
from django.utils import timezone

from .display import valid_zone
from .json_rows import json_rows, own_fields, rows_from_json
from .models import ApplicationStatus, Company, Invitation, Membership, StageChange
from .roles import READERS
from .uploads import CANDIDATE_FILE_READERS


def company_path_of(model: type[Model]) -> str | None:
    """The ORM path from a model to its Company, or None for data that belongs to no company."""
    if model is Company:
        return "pk"
    if model is get_user_model():
        return "memberships__company"
    path = getattr(model, "company_path", None)
    if path:
        return path
    if any(f.name == "company" for f in model._meta.get_fields()):
        return "company"
    return None


def company_id_of(obj: Model) -> int | None:
    """The company id an object belongs to, following its model's company path."""
    path = company_path_of(type(obj))
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def roles_by_company(user) -> dict[int, str]:
    """Map company id to the user's role there (one role per company)."""
    if not user.is_authenticated:
        return {}
    preloaded = getattr(user, "preloaded_roles", None)  # read with the request's user (hiring.auth)
    if preloaded is not None:
        return dict(preloaded)
    return dict(Membership.objects.filter(user_id=user.pk).values_list("company_id", "role"))


# The columns, read from the user, that say which zone their admin pages are shown in: their own,
# then each company's (one row per membership, earliest first). hiring.auth reads them with the user.
TIME_ZONE_LOOKUPS = ("staff_profile__time_zone", "memberships__company__time_zone")


def time_zone_from_rows(rows: Iterable[tuple[str | None, str | None]]) -> str:
    """The zone of a staff user from (own zone, company zone) rows: their own, else their first
    company's that has one, else the site's."""
    rows = list(rows)
    for candidate in [rows[0][0] if rows else None, *(company for _own, company in rows)]:
        zone = valid_zone(candidate)
        if zone:
            return zone
    return settings.TIME_ZONE


def staff_time_zone(user) -> str:
    """The IANA zone every time of the admin is shown in for this user (see time_zone_from_rows);
    read with the request's user (hiring.auth), else in one query."""
    preloaded = getattr(user, "preloaded_time_zone", None)
    if preloaded is not None:
        return preloaded
    rows = (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .order_by("memberships__id")
        .values_list(*TIME_ZONE_LOOKUPS)
    )
    user.preloaded_time_zone = time_zone_from_rows(rows)
    return user.preloaded_time_zone


def company_time_zone(company_id: int) -> str:
    """The time zone a company works in (`Company.time_zone`, on the company's page), else the
    site's: the default of the scheduling form, and the zone of candidates who chose none."""
    zone = Company.objects.filter(pk=company_id).values_list("time_zone", flat=True)
    return zone.first() or settings.TIME_ZONE


def company_time_zone_of(user) -> str:
    """The zone a staff user's pages are shown in when they have not chosen theirs."""
    zones = (
        Membership.objects.filter(user_id=user.pk).order_by("id").values_list("company__time_zone", flat=True)
    )
    return time_zone_from_rows([(None, zone) for zone in zones])


def candidate_files_readable_by(*, user, candidate) -> bool:
    """Whether the user may read the candidate's files: active staff who are superusers, or who
    are company admin, recruiter or hiring manager of the candidate's company, or whom a
    registered rule grants access (interviewers on that candidate's interviews)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    role = roles_by_company(user).get(candidate.company_id)
    if role is None:
        return False
    if role in READERS:
        return True
    return any(rule(user=user, candidate=candidate) for rule in CANDIDATE_FILE_READERS)


def invitation_token_hash(token: str) -> str:
    """The digest an invitation row keeps of its link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_open_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, or None when it was used, revoked, replaced or expired."""
    return (
        Invitation.objects.select_related("company")
        .filter(
            token_hash=invitation_token_hash(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def invitation_account_exists(invitation: Invitation) -> bool:
    """Whether the invited address already has an account (asked by the link's holder only)."""
    User = get_user_model()
    email = invitation.email
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def scope_to_companies(queryset: QuerySet, company_ids: Iterable[int]) -> QuerySet:
    """Restrict any queryset of company data to the given companies; other data is returned as is."""
    path = company_path_of(queryset.model)
    if path is None:
        return queryset
    ids = company_ids if isinstance(company_ids, QuerySet) else list(company_ids)
    scoped = queryset.filter(**{f"{path}__in": ids})
    if queryset.model is get_user_model():
        scoped = scoped.distinct()
    return scoped


# --- Pipeline reads -----------------------------------------------------------------------------


class Days(Func):
    """A whole number of days as a duration, in SQL (PostgreSQL interval, SQLite microseconds)."""

    output_field = DurationField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s * INTERVAL '1 day')", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="(%(expressions)s * 86400000000)", **extra)


def _stage_sla():
    return Days(F("stage__sla_days"))


# The past-SLA rule, the one home of it: an application is past its stage's SLA when it is active
# and has been in its stage longer than the stage's `sla_days`. `application_overdue_q` says it in
# SQL (list filters, the dashboard), `is_past_sla` in Python (a row already read); a test keeps the
# two in step at the boundary.


def application_overdue_q(*, now: datetime.datetime | None = None) -> Q:
    """Active applications that have stayed in their stage longer than the stage's SLA (in SQL).

    `now` is the database's clock unless given (the dashboard passes the moment it shows)."""
    current = Now() if now is None else Value(now, output_field=DateTimeField())
    deadline = ExpressionWrapper(current - _stage_sla(), output_field=DateTimeField())
    return Q(status=ApplicationStatus.ACTIVE, stage_entered_at__lt=deadline)


def applications_with_time_in_stage(queryset: QuerySet) -> QuerySet:
    """Annotate `time_in_stage`, a duration computed in SQL. It needs no join, so counting the
    rows of an annotated list stays on the applications table (see `is_past_sla`)."""
    return queryset.annotate(
        time_in_stage=ExpressionWrapper(Now() - F("stage_entered_at"), output_field=DurationField()),
    )


def is_past_sla(application) -> bool:
    """For an application annotated by `applications_with_time_in_stage`, with its stage loaded:
    active and longer in the stage than the stage's SLA (the rule of `application_overdue_q`)."""
    if application.status != ApplicationStatus.ACTIVE or application.time_in_stage is None:
        return False
    return application.time_in_stage > datetime.timedelta(days=application.stage.sla_days)


def application_timeline_rows(request=None):
    """The stage changes of the outer query's application as JSON rows (hiring.json_rows), for
    `application_timeline` to read without a query of its own."""
    people = ["actor__first_name", "actor__last_name", "actor__username"]
    return json_rows(
        StageChange.objects.filter(application_id=OuterRef("pk")),
        group="application_id",
        fields=[*own_fields(StageChange), "from_stage__name", "to_stage__name", *people],
    )


def application_timeline(application_id: int, *, rows: list | None = None) -> list[StageChange]:
    """The stage changes of one application, oldest first, in one query (none from the `rows`
    read with the application by `application_timeline_rows`)."""
    if rows is not None:
        return sorted(rows_from_json(StageChange, rows), key=lambda c: (c.created_at, c.pk))
    return list(
        StageChange.objects.filter(application_id=application_id)
        .select_related("from_stage", "to_stage", "actor")
        .order_by("created_at", "id")
    )
