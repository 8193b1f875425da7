"""Reads for interviews and scorecards: who may see which rows, and the panel's verdict.

Independence is enforced here, in querysets, so that every list, change page, panel and export
that reads through these selectors applies it:

- an interviewer sees the interviews they are on, and the scorecards of an application they
  interview only once they owe no scorecard on that application any more (their own always);
- recruiters, hiring managers and company admins see submitted scorecards of their companies,
  never somebody else's draft; while they owe a scorecard on an application themselves, the same
  rule as for interviewers applies to that application.

The rule is one condition, `scorecard_visibility`. Every figure computed from scorecards reads only
the rows it admits: the application page's matrix and verdicts (`application_scores`), the decision
form's verdict (`stage_verdict`), the decisions that keep a verdict (`decisions_visible_to`) and the
dashboard's interviewer figures (`interviews.dashboard.selectors`).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from hiring.display import valid_zone
from hiring.models import Application, Membership, Stage
from hiring.roles import READERS
from hiring.selectors import company_time_zone, roles_by_company
from rubrics.models import Competency, HireBarClause, LevelAnchor, Question, RedFlag, Rubric
from rubrics.verdicts import (
    A_PANELIST,
    LoopVerdict,
    PanelCard,
    PanelItem,
    PanelRating,
    StageVerdict,
    anchor_table,
    level_anchors,
    loop_verdict,
    rubric_bar,
    stage_verdicts,
)

from .models import (
    CheckResult,
    Decision,
    GateResult,
    Interview,
    InterviewStatus,
    Rating,
    Scorecard,
    ScorecardAmendment,
    ScorecardStatus,
)

# Interviews whose scorecards are still expected: a cancelled or missed interview owes nothing.
OWING_STATUSES = (InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED)


def _interviews_of_applications_of(scorecards: QuerySet) -> QuerySet:
    """Ids of every interview of the applications these scorecards were written on."""
    return Interview.objects.filter(application_id__in=scorecards.values("interview__application_id")).values(
        "pk"
    )


def scorecards_owed_by(user) -> QuerySet:
    """The user's drafts that are still expected: on their applications, independence applies."""
    return Scorecard.objects.filter(
        interviewer__user_id=user.pk, status=ScorecardStatus.DRAFT, interview__status__in=OWING_STATUSES
    )


def user_owes_scorecard(*, user, application_id: int) -> bool:
    """Whether the user still owes a scorecard on the application (independence applies to them)."""
    return scorecards_owed_by(user).filter(interview__application_id=application_id).exists()


def user_interviews_candidate(*, user, candidate) -> bool:
    """Whether the user is on the panel of one of the candidate's interviews (in the candidate's
    company): such interviewers may read the candidate's files (hiring.uploads)."""
    return Scorecard.objects.filter(
        interviewer__user_id=user.pk,
        interviewer__company_id=candidate.company_id,
        interview__application__candidate_id=candidate.pk,
    ).exists()


def scorecard_visibility(user, *, roles=None) -> Q:
    """The independence rule as a condition on scorecard rows (see the module docstring).

    The one definition of who reads which scorecard: `scorecards_visible_to` filters with it, and
    every figure computed from scorecards (verdicts, averages, matrices, the dashboard) reads only
    the rows it admits.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    # Each condition reads columns of the scorecard row and sets computed once (no join, no
    # per-row subquery), so a list can walk an index in its order and stop after one page.
    own = Q(interviewer__in=Membership.objects.filter(user_id=user.pk).values("pk"))
    mine = Scorecard.objects.filter(interviewer__user_id=user.pk)
    not_owing = ~Q(interview__in=_interviews_of_applications_of(scorecards_owed_by(user)))
    submitted = Q(status=ScorecardStatus.SUBMITTED)
    if user.is_superuser:
        if roles is not None and not roles:
            # A superuser who belongs to no company owns no scorecard and owes none.
            return submitted
        return own | (submitted & not_owing)
    roles = roles_by_company(user) if roles is None else roles
    readers = [cid for cid, role in roles.items() if role in READERS]
    members = list(roles)
    readable = submitted & Q(company_id__in=members) & not_owing
    if set(readers) != set(members):
        # Where they only interview, the applications they interview (left out when the user reads
        # in every company: the planner would cost that set for nothing).
        readable &= Q(company_id__in=readers) | Q(interview__in=_interviews_of_applications_of(mine))
    return own | readable


def scorecards_visible_to(user, queryset: QuerySet | None = None, *, roles=None) -> QuerySet:
    """The scorecards a user may read, by the independence rule (`scorecard_visibility`)."""
    qs = Scorecard.objects.all() if queryset is None else queryset
    return qs.filter(scorecard_visibility(user, roles=roles))


def decisions_visible_to(user, queryset: QuerySet | None = None, *, roles=None) -> QuerySet:
    """Decisions a user may read: those of their reading companies, except on an application where
    they still owe a scorecard. A decision keeps the verdict of the stage's submitted scorecards,
    which the independence rule hides from them there (as it hides every scorecard of it)."""
    qs = Decision.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    owed = ~Q(application_id__in=scorecards_owed_by(user).values("interview__application_id"))
    if user.is_superuser:
        return qs.filter(owed)
    roles = roles_by_company(user) if roles is None else roles
    readers = [cid for cid, role in roles.items() if role in READERS]
    return qs.filter(Q(company_id__in=readers) & owed)


def interviews_visible_to(user, queryset: QuerySet | None = None, *, roles=None) -> QuerySet:
    """Interviews a user may see: all of their companies' for readers, their own for interviewers."""
    qs = Interview.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    roles = roles_by_company(user) if roles is None else roles
    readers = [cid for cid, role in roles.items() if role in READERS]
    on_panel = Exists(Scorecard.objects.filter(interview_id=OuterRef("pk"), interviewer__user_id=user.pk))
    return qs.filter(Q(company_id__in=readers) | (Q(company_id__in=list(roles)) & on_panel))


def interviewer_upcoming_interviews(user, *, now=None) -> QuerySet:
    """The user's scheduled interviews that have not ended yet, soonest first."""
    now = now or timezone.now()
    return (
        Interview.objects.filter(
            scorecards__interviewer__user_id=user.pk,
            status=InterviewStatus.SCHEDULED,
            ends_at__gte=now,
        )
        .select_related("kit", "application__candidate", "application__job", "application__stage")
        .prefetch_related("kit__no_ai_blocks")
        .annotate(
            my_scorecard_id=Scorecard.objects.filter(
                interview_id=OuterRef("pk"), interviewer__user_id=user.pk
            ).values("pk")[:1]
        )
        .order_by("starts_at", "id")
    )


def interviewer_owed_scorecards(user, *, now=None) -> QuerySet:
    """Drafts of interviews that have started (or were completed): the scorecards the user owes."""
    now = now or timezone.now()
    return (
        Scorecard.objects.filter(
            interviewer__user_id=user.pk,
            status=ScorecardStatus.DRAFT,
            interview__status__in=OWING_STATUSES,
            interview__starts_at__lte=now,
        )
        .select_related("interview__kit", "interview__application__candidate", "interview__application__job")
        .order_by("interview__starts_at", "id")
    )


def interview_conflicts(*, interview: Interview) -> list[tuple[Membership, Interview]]:
    """Other scheduled interviews that overlap this one, for each of its interviewers."""
    return interviewer_conflicts(
        interviewers=Scorecard.objects.filter(interview=interview).values("interviewer_id"),
        starts_at=interview.starts_at,
        ends_at=interview.ends_at,
        exclude_interview_id=interview.pk,
    )


def interviewer_conflicts(
    *, interviewers, starts_at, ends_at, exclude_interview_id: int | None = None
) -> list[tuple[Membership, Interview]]:
    """The scheduled interviews of these interviewers (membership ids, or a query of them) that
    overlap the time from `starts_at` to `ends_at`, earliest first, each with the interviewer (one
    query; the scheduling form asks before saving, the save warns after)."""
    overlapping = (
        Scorecard.objects.filter(
            interviewer_id__in=interviewers,
            interview__status=InterviewStatus.SCHEDULED,
            interview__starts_at__lt=ends_at,
            interview__ends_at__gt=starts_at,
        )
        .exclude(interview_id=exclude_interview_id)
        .select_related("interviewer", "interview__kit")
        .order_by("interview__starts_at", "interview_id", "interviewer_id")
    )
    return [(sc.interviewer, sc.interview) for sc in overlapping]


# --- The panel's scores and the hire-bar verdict ---------------------------------------------


@dataclass
class ApplicationScores:
    """Everything the application page shows about the panel: read in a fixed number of queries."""

    scorecards: list[Scorecard]
    interviews: list[Interview]
    competencies: list[Competency]  # of every rubric used by the application's interviews
    # One score matrix per rubric: {"rubric", "competencies", "rows": [{"scorecard", "cells"}]},
    # a row per submitted scorecard scored with that rubric, a cell (rating or None) per competency.
    matrices: list[dict]
    red_flags: list[tuple[RedFlag, list[Scorecard]]]
    not_covered: list[Competency]
    stages: list[StageVerdict]
    loop: LoopVerdict | None = None
    # The user still owes a scorecard here: the others' scores, verdicts and decisions are hidden.
    owes_scorecard: bool = False


def _panel_cards(scorecards: list[Scorecard], *, named: set[int] | None = None) -> list[PanelCard]:
    """The verdict builder's view of scorecards read with their kit's stage and their ratings and
    red flags (`_read_panel`). An explanation names the author of the scorecards in `named` (those
    the viewer may read by the independence rule; all when None), "a panelist" for the others."""
    return [
        PanelCard(
            key=sc.pk,
            stage_id=sc.interview.kit.stage_id,
            stage_name=sc.interview.kit.stage.name,
            stage_position=sc.interview.kit.stage.position,
            rubric_id=sc.interview.kit.rubric_id,
            who=sc.interviewer.display_name if named is None or sc.pk in named else A_PANELIST,
            ratings=tuple(PanelRating(r.competency_id, r.score, r.evidence) for r in sc.ratings.all()),
            flags=tuple((f.description, f.is_blocking) for f in sc.panel_flags),
            gates=tuple(sc.panel_gates),
            checks=tuple(sc.panel_checks),
        )
        for sc in scorecards
    ]


def _stage_verdicts(rubrics: dict[int, Rubric], scorecards: list[Scorecard]) -> list[StageVerdict]:
    """Verdicts of scorecards the viewer may read (every caller reads them through the
    independence rule), so their explanations name the panelists."""
    bars = {pk: rubric_bar(r) for pk, r in rubrics.items()}
    return stage_verdicts(bars=bars, cards=_panel_cards(scorecards, named={sc.pk for sc in scorecards}))


def _rubrics_loaded(rubrics) -> dict[int, Rubric]:
    """The distinct rubrics among already-read instances, with competencies and hire bar (2 queries)."""
    distinct = {r.pk: r for r in rubrics}
    prefetch_related_objects(
        list(distinct.values()),
        Prefetch("competencies", queryset=Competency.objects.order_by("position", "id")),
        Prefetch("hire_bar", queryset=HireBarClause.objects.order_by("id")),
    )
    return distinct


def _read_panel(scorecards: list[Scorecard]) -> None:
    """Read the ratings of scorecards already read with their interview's kit, and in one more
    statement their red flags, gate readings and check readings (2 queries): set as
    `panel_flags` (RedFlag), `panel_gates` and `panel_checks` (PanelItem) on each scorecard."""
    prefetch_related_objects(scorecards, Prefetch("ratings", queryset=Rating.objects.order_by()))
    ids = [sc.pk for sc in scorecards]
    text, number = CharField(), IntegerField()

    def columns(qs, kind, item, name, position, state, evidence):
        return (
            qs.filter(scorecard_id__in=ids)
            .order_by()
            .annotate(k=Value(kind, text), i=F(item), n=F(name), p=position, s=state, e=evidence)
            .values_list("k", "scorecard_id", "i", "n", "p", "s", "e")
        )

    blocking = Case(
        When(redflag__is_blocking=True, then=Value("blocking")), default=Value(""), output_field=text
    )
    flags = columns(
        Scorecard.red_flags.through.objects,
        "flag",
        "redflag_id",
        "redflag__description",
        Value(0, number),
        blocking,
        Value("", text),
    )
    gates = columns(
        GateResult.objects, "gate", "gate_id", "gate__name", F("gate__position"), F("status"), F("evidence")
    )
    check_state = Case(When(passed=True, then=Value("passed")), default=Value("failed"), output_field=text)
    checks = columns(
        CheckResult.objects,
        "check",
        "check_item_id",
        "check_item__name",
        F("check_item__position"),
        check_state,
        F("evidence"),
    )
    by_card = {sc.pk: sc for sc in scorecards}
    for sc in scorecards:
        sc.panel_flags, sc.panel_gates, sc.panel_checks = [], [], []
    if not ids:
        return
    for kind, card_id, item, name, position, state, evidence in flags.union(gates, checks, all=True):
        sc = by_card[card_id]
        if kind == "flag":
            sc.panel_flags.append(RedFlag(pk=item, description=name, is_blocking=state == "blocking"))
        else:
            target = sc.panel_gates if kind == "gate" else sc.panel_checks
            target.append(PanelItem(item, name, position, state, evidence))
    for sc in scorecards:
        sc.panel_flags.sort(key=lambda f: f.pk)


def application_scores(*, application: Application, user, roles=None, plan=None) -> ApplicationScores:
    """The panel's scores on one application as the user may see them (constant query count).

    Six queries whatever the panel's size: the interviews, every scorecard the page shows (those
    of the visible interviews and the submitted ones the user may read, marked), the ratings of the
    readable ones with the panel's mean per competency computed by the database (a window), their
    red flags, and the rubrics' competencies and hire bar (two prefetches of rubrics already joined);
    a seventh for the loop's stages unless `plan` (the job's stages annotated `has_hire_bar`, as
    the application page reads them) is given.
    """
    roles = roles_by_company(user) if roles is None else roles
    # Whether the user may read a scorecard of the outer query (the independence rule), tested row
    # by row on the application's few scorecards.
    readable = scorecards_visible_to(
        user,
        Scorecard.objects.filter(pk=OuterRef("pk"), status=ScorecardStatus.SUBMITTED),
        roles=roles,
    )
    interviews = list(
        interviews_visible_to(user, Interview.objects.filter(application_id=application.pk), roles=roles)
        .select_related("kit__stage", "kit__rubric")
        .order_by("starts_at", "id")
    )
    by_interview: dict[int, list[Scorecard]] = {i.pk: [] for i in interviews}
    cards = list(
        # Every scorecard shown is one of the application's: those of the interviews the user sees,
        # and the submitted ones the independence rule lets them read (marked `readable`).
        Scorecard.objects.filter(interview__application_id=application.pk)
        .annotate(readable=Exists(readable))
        .filter(Q(interview_id__in=list(by_interview)) | Q(readable=True))
        .select_related("interviewer", "interview__kit__stage", "interview__kit__rubric")
        .order_by("interview__kit__stage__position", "interview__starts_at", "interview_id", "id")
    )
    for sc in sorted(cards, key=lambda sc: sc.pk):
        if sc.interview_id in by_interview:
            by_interview[sc.interview_id].append(sc)
    for interview in interviews:
        interview.panel_scorecards = by_interview[interview.pk]
    scorecards = [sc for sc in cards if sc.readable]
    owes = any(
        sc.interviewer.user_id == user.pk
        and sc.status == ScorecardStatus.DRAFT
        and sc.interview.status in OWING_STATUSES
        for sc in cards
    )
    _read_panel(scorecards)
    rubrics = _rubrics_loaded(
        [i.kit.rubric for i in interviews] + [sc.interview.kit.rubric for sc in scorecards]
    )
    competencies = [c for r in sorted(rubrics.values(), key=lambda r: r.pk) for c in r.competencies.all()]
    # Score matrices: per rubric, one row per scorecard and one column per competency.
    matrices: dict[int, dict] = {}
    covered: set[int] = set()
    for sc in scorecards:
        rubric = rubrics[sc.interview.kit.rubric_id]
        matrix = matrices.setdefault(
            rubric.pk, {"rubric": rubric, "competencies": list(rubric.competencies.all()), "rows": []}
        )
        by_competency = {r.competency_id: r for r in sc.ratings.all()}
        covered |= {cid for cid, r in by_competency.items() if r.score is not None}
        matrix["rows"].append(
            {"scorecard": sc, "cells": [by_competency.get(c.pk) for c in matrix["competencies"]]}
        )
    raised: dict[int, tuple[RedFlag, list[Scorecard]]] = {}
    for sc in scorecards:
        for flag in sc.panel_flags:
            raised.setdefault(flag.pk, (flag, []))[1].append(sc)
    stages = _stage_verdicts(rubrics, scorecards)
    loop = loop_verdict(stages=loop_stages(application=application, plan=plan), verdicts=stages)
    return ApplicationScores(
        scorecards=scorecards,
        interviews=interviews,
        competencies=competencies,
        matrices=list(matrices.values()),
        red_flags=list(raised.values()),
        not_covered=[c for c in competencies if c.pk not in covered],
        stages=stages,
        loop=loop,
        owes_scorecard=owes,
    )


def loop_stages(*, application: Application, plan=None) -> list[tuple[int, str, bool]]:
    """(id, name, optional) of the job's stages with a bar (interview kits) up to the application's
    current stage, in order (1 query; none from a `plan` read with `has_hire_bar`)."""
    if plan is not None:
        current = next((s.position for s in plan if s.pk == application.stage_id), None)
        return [
            (s.pk, s.name, s.is_optional)
            for s in plan
            if s.has_hire_bar and current is not None and s.position <= current
        ]
    return list(
        Stage.objects.filter(
            job_id=application.job_id,
            position__lte=Stage.objects.filter(pk=application.stage_id).values("position")[:1],
            kits__isnull=False,
        )
        .distinct()
        .order_by("position", "id")
        .values_list("id", "name", "is_optional")
    )


def application_stage_verdicts(*, application: Application, user, roles=None) -> list[StageVerdict]:
    """The verdict of every stage of the application, from the submitted scorecards the user may
    read, in stage order (5 queries whatever the panel's size)."""
    scorecards = list(
        scorecards_visible_to(
            user,
            Scorecard.objects.filter(
                interview__application_id=application.pk, status=ScorecardStatus.SUBMITTED
            ),
            roles=roles,
        ).select_related("interviewer", "interview__kit__stage", "interview__kit__rubric")
    )
    if not scorecards:
        return []
    _read_panel(scorecards)
    return _stage_verdicts(_rubrics_loaded(sc.interview.kit.rubric for sc in scorecards), scorecards)


def stage_verdict(*, application: Application, stage_id: int, user, roles=None) -> StageVerdict | None:
    """The hire-bar verdict of the submitted scorecards of one stage that the user may read (for a
    decider who owes no scorecard on the application, every submitted one).

    None when no such scorecard has been submitted.
    """
    scorecards = list(
        scorecards_visible_to(
            user,
            Scorecard.objects.filter(
                interview__application_id=application.pk,
                interview__kit__stage_id=stage_id,
                status=ScorecardStatus.SUBMITTED,
            ),
            roles=roles,
        ).select_related("interviewer", "interview__kit__stage", "interview__kit__rubric")
    )
    if not scorecards:
        return None
    _read_panel(scorecards)
    return _stage_verdicts(_rubrics_loaded(sc.interview.kit.rubric for sc in scorecards), scorecards)[0]


# --- One scorecard with its rubric, for the form and the read-only page ------------------------


def scorecard_version(*, amendment_count: int) -> int:
    """A submitted scorecard's version: 1 as submitted, one more with each amendment."""
    return 1 + amendment_count


@dataclass
class ScorecardSheet:
    """A scorecard with everything its form shows, read in a fixed number of queries."""

    scorecard: Scorecard
    rubric: Rubric
    competencies: list[Competency]  # each with .level_anchors [(score, text)] and .question_list
    red_flags: list[RedFlag]
    ratings: dict[int, Rating]
    flag_ids: set[int]
    amendments: list
    gates: list = field(default_factory=list)  # Gate rows, each with .result (GateResult or None)
    checks: list = field(default_factory=list)  # Check rows, each with .result (CheckResult or None)
    ai_use: object = None  # ScorecardAIUse or None
    reference: object = None  # ReferenceCheck or None (a reference check's referee)
    reference_answers: dict = field(default_factory=dict)  # question id -> ReferenceAnswer

    @property
    def version(self) -> int:
        """The version an amendment written on this page amends."""
        return scorecard_version(amendment_count=len(self.amendments))


def scorecard_sheet(*, scorecard_id: int) -> ScorecardSheet:
    """Load a scorecard, its ratings and red flags, and its rubric's competencies, anchors and
    questions (rubric-wide anchors apply where a competency has no text of its own)."""
    scorecard = (
        Scorecard.objects.select_related(
            "interviewer",
            "interview__kit__rubric",
            "interview__kit__stage",
            "interview__application__candidate",
            "interview__application__job",
        )
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.order_by()),
            Prefetch("red_flags", queryset=RedFlag.objects.order_by("id").only("pk")),
            Prefetch("gate_results", queryset=GateResult.objects.order_by()),
            Prefetch("check_results", queryset=CheckResult.objects.order_by()),
            "interview__kit__no_ai_blocks",
            "ai_use",
            "reference",
            "reference_answers",
            Prefetch(
                "amendments",
                queryset=ScorecardAmendment.objects.select_related("amended_by").order_by("created_at", "id"),
            ),
        )
        .get(pk=scorecard_id)
    )
    rubric = scorecard.interview.kit.rubric
    competencies = list(
        rubric.competencies.order_by("position", "id").prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position", "id"))
        )
    )
    anchors = anchor_table(LevelAnchor.objects.filter(rubric=rubric).order_by("score"))
    for c in competencies:
        c.level_anchors = level_anchors(anchors, c.pk, rubric.scores)
        c.question_list = list(c.questions.all())
    gate_results = {r.gate_id: r for r in scorecard.gate_results.all()}
    check_results = {r.check_item_id: r for r in scorecard.check_results.all()}
    gates = list(rubric.gates.order_by("position", "id"))
    checks = list(rubric.checks.order_by("position", "id"))
    for g in gates:
        g.result = gate_results.get(g.pk)
    for c in checks:
        c.result = check_results.get(c.pk)
    return ScorecardSheet(
        scorecard=scorecard,
        rubric=rubric,
        competencies=competencies,
        red_flags=list(rubric.red_flags.order_by("id")),
        ratings={r.competency_id: r for r in scorecard.ratings.all()},
        flag_ids={f.pk for f in scorecard.red_flags.all()},
        amendments=list(scorecard.amendments.all()),
        gates=gates,
        checks=checks,
        ai_use=getattr(scorecard, "ai_use", None),
        reference=getattr(scorecard, "reference", None),
        reference_answers={a.question_id: a for a in scorecard.reference_answers.all()},
    )


def candidate_time_zone(candidate) -> str:
    """The time zone a candidate's times are shown in (portal pages and their emails): the one
    they chose, else their company's (`Company.time_zone`), else the site's. No query when the
    candidate comes with their company."""
    chosen = valid_zone(candidate.time_zone)
    if chosen:
        return chosen
    if type(candidate).company.is_cached(candidate):
        return candidate.company.time_zone or settings.TIME_ZONE
    return company_time_zone(candidate.company_id)
