"""Reads for a job's pipeline board: a column per stage, its count, and one page of cards each.

A job may hold tens of thousands of applications, so nothing here grows with them: the counts are
one GROUP BY, the cards of every column one query that numbers each stage's applications with
ROW_NUMBER() OVER (PARTITION BY stage) and keeps one page of each. What a card shows beyond the
application row (scorecards, recommendation) comes as annotations from the caller, computed in SQL
for the cards of the page only.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber

from .models import Application, ApplicationStatus, Stage
from .selectors import applications_with_time_in_stage, is_past_sla

BOARD_PAGE_SIZE = 50
# The statuses a board shows, one at a time; active first (the default).
BOARD_STATUSES = (
    ApplicationStatus.ACTIVE,
    ApplicationStatus.ON_HOLD,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.HIRED,
)


@dataclass
class BoardColumn:
    stage: Stage
    count: int = 0
    page: int = 1
    cards: list = field(default_factory=list)

    @property
    def has_more(self) -> bool:
        return self.page * BOARD_PAGE_SIZE < self.count

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * BOARD_PAGE_SIZE + 1 if self.count else 0

    @property
    def last_shown(self) -> int:
        return min(self.page * BOARD_PAGE_SIZE, self.count)


def board_counts(*, job_id: int) -> dict[str, dict[int, int]]:
    """For each status, the number of the job's applications in each stage (one GROUP BY)."""
    rows = (
        Application.objects.filter(job_id=job_id)
        .order_by()
        .values("status", "stage_id")
        .annotate(n=Count("pk"))
        .values_list("status", "stage_id", "n")
    )
    counts: dict[str, dict[int, int]] = {status: {} for status in ApplicationStatus.values}
    for status, stage_id, n in rows:
        counts.setdefault(status, {})[stage_id] = n
    return counts


def card_tag_names(cards: Iterable[Application]) -> None:
    """Set `tag_names` (a list of strings) on each card, from its candidate's comma-separated
    tags. The one place the board reads tags: swap it when tags become objects of their own."""
    for card in cards:
        raw = card.candidate.tags or ""
        card.tag_names = [name.strip() for name in raw.split(",") if name.strip()]


def board_columns(
    *,
    job_id: int,
    stages: list[Stage],
    status: str,
    counts: dict[int, int],
    column: int | None = None,
    page: int = 1,
    annotations: dict | None = None,
) -> list[BoardColumn]:
    """The board's columns in plan order, each with one page of its cards, longest in stage first.

    Every column shows its first page except `column` (a stage id), which shows `page`. The cards
    are read in one query whatever the number of applications; `annotations` are computed for
    the cards read only (they are applied outside the numbering query).
    """
    columns = {s.pk: BoardColumn(stage=s, count=counts.get(s.pk, 0)) for s in stages}
    if column in columns:
        last_page = max(1, -(-columns[column].count // BOARD_PAGE_SIZE))
        columns[column].page = max(1, min(page, last_page))
        skip = (columns[column].page - 1) * BOARD_PAGE_SIZE
    else:
        column, skip = None, 0
    numbered = (
        Application.objects.filter(job_id=job_id, status=status)
        .annotate(
            number=Window(
                RowNumber(),
                partition_by=[F("stage_id")],
                order_by=[F("stage_entered_at").asc(), F("id").asc()],
            ),
            skip=Case(When(stage_id=column, then=Value(skip)), default=Value(0), output_field=IntegerField())
            if column
            else Value(0, output_field=IntegerField()),
        )
        .filter(number__gt=F("skip"), number__lte=F("skip") + BOARD_PAGE_SIZE)
        .values("pk")
    )
    cards = (
        applications_with_time_in_stage(Application.objects.filter(pk__in=numbered))
        .select_related("candidate")
        .only(
            "id",
            "company_id",
            "job_id",
            "stage_id",
            "status",
            "stage_entered_at",
            "candidate__id",
            "candidate__name",
            "candidate__tags",
        )
        .annotate(**(annotations or {}))
        .order_by("stage_entered_at", "id")
    )
    cards = list(cards)
    card_tag_names(cards)
    for card in cards:
        col = columns.get(card.stage_id)
        if col is None:  # a stage added meanwhile: shown on the next load
            continue
        card.stage = col.stage
        card.days_in_stage = card.time_in_stage.days if card.time_in_stage is not None else 0
        card.past_sla = is_past_sla(card)
        col.cards.append(card)
    return [columns[s.pk] for s in stages]
