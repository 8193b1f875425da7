"""Reads for a job's pipeline board: a column per stage, its count, and one page of cards each.

A job may hold tens of thousands of applications, so nothing here grows with them: the counts are
one GROUP BY, the ids of one page of every column one query (a LIMIT per stage, or ROW_NUMBER()
OVER (PARTITION BY stage) where compound queries cannot be limited), the cards and their candidates
one query each, by id.
What a card shows beyond the application row (scorecards, recommendation) comes as annotations
from the caller, computed in SQL for the cards of the page only.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Value, When, Window
from django.db.models.functions import RowNumber

from .models import Application, ApplicationStatus, Candidate, Stage
from .selectors import applications_with_time_in_stage, is_past_sla
from .tagging import tag_names_for

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
        .annotate(n=Count("*"))  # COUNT(*): answered from the (job, stage, status) index alone
        .values_list("status", "stage_id", "n")
    )
    counts: dict[str, dict[int, int]] = {status: {} for status in ApplicationStatus.values}
    for status, stage_id, n in rows:
        counts.setdefault(status, {})[stage_id] = n
    return counts


def card_tag_names(cards: Iterable[Application]) -> None:
    """Set `tag_names` (a list of strings, by name) on each card, from its candidate's tags, in one
    query for the whole board."""
    cards = list(cards)
    tags = tag_names_for(card.candidate_id for card in cards)
    for card in cards:
        card.tag_names = [tag.name for tag in tags.get(card.candidate_id, ())]


CARD_ORDER = ("stage_entered_at", "id")  # longest in the stage first


def _page_ids(
    *, company_id: int, job_id: int, status: str, stages: list[Stage], skips: dict[int, int]
) -> list[int]:
    """Ids of one page of cards per stage (skipping `skips[stage id]` cards), in one query.

    On PostgreSQL, one LIMIT per stage joined by UNION ALL: each part reads its page from the
    index on (company, status, stage, stage_entered_at, id) in the card order, so the cost is
    the page, not the job's size.
    Elsewhere (SQLite), ROW_NUMBER() OVER (PARTITION BY stage) numbers the job's applications
    and keeps each stage's page.
    """
    if not stages:
        return []
    base = Application.objects.filter(company_id=company_id, status=status)
    if connection.features.supports_slicing_ordering_in_compound:
        # The stages are the job's own, so the job is not repeated in the parts: with it, the
        # planner prefers the (job, stage, status) index and sorts the whole column for its page.
        parts = [
            base.filter(stage_id=s.pk)
            .order_by(*CARD_ORDER)
            .values_list("pk", flat=True)[skips.get(s.pk, 0) : skips.get(s.pk, 0) + BOARD_PAGE_SIZE]
            for s in stages
        ]
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        return list(query)
    skip = Case(
        *(When(stage_id=stage_id, then=Value(n)) for stage_id, n in skips.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    numbered = (
        base.filter(job_id=job_id)
        .annotate(
            number=Window(
                RowNumber(), partition_by=[F("stage_id")], order_by=[F(f).asc() for f in CARD_ORDER]
            ),
            skip=skip,
        )
        .filter(number__gt=F("skip"), number__lte=F("skip") + BOARD_PAGE_SIZE)
        .values_list("pk", flat=True)
    )
    return list(numbered)


def board_columns(
    *,
    company_id: int,
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
    are read in three queries whatever the number of applications (the ids of each page, the
    cards by id, their candidates by id); `annotations` are computed for the cards read only.
    """
    columns = {s.pk: BoardColumn(stage=s, count=counts.get(s.pk, 0)) for s in stages}
    skips = {}
    if column in columns:
        last_page = max(1, -(-columns[column].count // BOARD_PAGE_SIZE))
        columns[column].page = max(1, min(page, last_page))
        skips[column] = (columns[column].page - 1) * BOARD_PAGE_SIZE
    ids = _page_ids(company_id=company_id, job_id=job_id, status=status, stages=stages, skips=skips)
    cards = (
        applications_with_time_in_stage(Application.objects.filter(pk__in=ids))
        .only("id", "company_id", "candidate_id", "job_id", "stage_id", "status", "stage_entered_at")
        .annotate(**(annotations or {}))
        .order_by()  # sorted here: an ORDER BY would tempt the planner into walking a date index
    )
    cards = sorted(cards, key=lambda card: (card.stage_entered_at, card.pk))
    # The candidates by id, apart: joined to a page of cards, the planner would rather hash the
    # whole candidate table than look up a few hundred rows by their primary key.
    candidates = Candidate.objects.filter(pk__in=[card.candidate_id for card in cards]).only("id", "name")
    by_id = {candidate.pk: candidate for candidate in candidates.order_by()}
    for card in cards:
        card.candidate = by_id[card.candidate_id]
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
