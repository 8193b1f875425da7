"""Gate pass rates per job for the dashboard: for each gate of the rubrics used in a job's
interviews, how many submitted readings passed it, did not, or did not reach it. One aggregate
statement, read only from the scorecards the viewer may read (`scorecard_visibility`)."""

from typing import NamedTuple

from django.db.models import Count, Q

from interviews.models import GateResult, GateStatus, Scorecard, ScorecardStatus
from interviews.selectors import scorecard_visibility

from .panels import Panel, cell, pct
from .selectors import DashboardFilters


class GateRate(NamedTuple):
    job_id: int
    job_title: str
    gate_position: int
    gate_name: str
    readings: int
    passed: int
    not_passed: int
    not_reached: int


def gate_pass_rates(filters: DashboardFilters, *, user, roles=None) -> list[GateRate]:
    """Gate readings of submitted scorecards of interviews that ended in the range, by job and gate."""
    readable = Scorecard.objects.filter(scorecard_visibility(user, roles=roles)).values("pk")
    results = GateResult.objects.filter(
        scorecard__status=ScorecardStatus.SUBMITTED,
        scorecard__interview__ends_at__gte=filters.start,
        scorecard__interview__ends_at__lt=filters.end,
        scorecard__in=readable,
    )
    if filters.company_ids is not None:
        results = results.filter(scorecard__company_id__in=filters.company_ids)
    if filters.job_id is not None:
        results = results.filter(scorecard__interview__application__job_id=filters.job_id)
    rows = (
        results.order_by()
        .values(
            "scorecard__interview__application__job_id",
            "scorecard__interview__application__job__title",
            "gate__position",
            "gate__name",
        )
        .annotate(
            readings=Count("id"),
            passed=Count("id", filter=Q(status=GateStatus.PASSED)),
            not_passed=Count("id", filter=Q(status=GateStatus.NOT_PASSED)),
            not_reached=Count("id", filter=Q(status=GateStatus.NOT_REACHED)),
        )
        .order_by(
            "scorecard__interview__application__job__title",
            "scorecard__interview__application__job_id",
            "gate__position",
            "gate__name",
        )
    )
    return [
        GateRate(
            r["scorecard__interview__application__job_id"],
            r["scorecard__interview__application__job__title"],
            r["gate__position"],
            r["gate__name"],
            r["readings"],
            r["passed"],
            r["not_passed"],
            r["not_reached"],
        )
        for r in rows
    ]


def gates_panel(rates: list[GateRate]) -> Panel:
    panel = Panel(
        title="Gate pass rates",
        note=(
            "Submitted gate readings of interviews that ended in the range, per job and gate (a progressive "
            "round's levels): the share passed, not passed and not reached."
        ),
        headers=["Job", "Gate", "Readings", "Passed", "Not passed", "Not reached"],
        empty="No gate was read in this range.",
        anchor="gates",
    )
    for r in rates:
        panel.rows.append(
            [
                cell(r.job_title),
                cell(f"{r.gate_position}. {r.gate_name}"),
                cell(r.readings),
                cell(pct(r.passed, r.readings)),
                cell(pct(r.not_passed, r.readings)),
                cell(pct(r.not_reached, r.readings)),
            ]
        )
    return panel
