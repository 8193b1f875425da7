"""Reads of the careers site: one company's published open jobs and one job's candidate-facing loop.

Query budget (tests/careers/test_queries.py, `manage.py bench`): the list page costs four queries
(the company, the filter choices, the count, the page) and the job page four (the job with its
company, the stages, their tracks, their kits), whatever the number of jobs and applications.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from hiring.models import Company, Job, JobStatus, RemoteOption, Stage, Track
from interviews.kits import kit_is_candidate_facing, stage_is_candidate_facing
from interviews.models import InterviewKit


def is_candidate_facing(item) -> bool:
    """What a candidate may see of a plan (the rule lives with the kits, in interviews.kits): a kit
    unless it is internal; a stage unless every one of its kits is internal (read from the
    prefetched kits, no query of its own)."""
    if isinstance(item, Stage):
        return stage_is_candidate_facing(item.kits.all())
    return kit_is_candidate_facing(item)


def published_jobs(company: Company | None = None) -> QuerySet:
    """Jobs the careers site shows: published and open."""
    jobs = Job.objects.filter(is_published=True, status=JobStatus.OPEN)
    return jobs.filter(company=company) if company is not None else jobs


def careers_company(slug: str) -> Company:
    """The company of a careers URL, or 404."""
    company = (
        Company.objects.filter(slug=slug)
        .only("id", "name", "slug", "logo", "accent_color", "privacy_notice", "retention_days")
        .first()
    )
    if company is None:
        raise Http404("No such company.")
    return company


@dataclass(frozen=True)
class JobFilters:
    q: str = ""
    team: str = ""
    location: str = ""
    remote: str = ""

    MAX = 100

    @classmethod
    def from_query(cls, query) -> "JobFilters":
        def read(name):
            return (query.get(name) or "").strip()[: cls.MAX]

        remote = read("remote")
        return cls(
            q=read("q"),
            team=read("team"),
            location=read("location"),
            remote=remote if remote in RemoteOption.values else "",
        )

    def apply(self, jobs: QuerySet) -> QuerySet:
        if self.q:
            words = self.q.split()[:8]
            for word in words:
                jobs = jobs.filter(
                    Q(title__icontains=word) | Q(team__icontains=word) | Q(location__icontains=word)
                )
        if self.team:
            jobs = jobs.filter(team=self.team)
        if self.location:
            jobs = jobs.filter(location=self.location)
        if self.remote:
            jobs = jobs.filter(remote=self.remote)
        return jobs

    def any(self) -> bool:
        return bool(self.q or self.team or self.location or self.remote)


@dataclass(frozen=True)
class FilterChoices:
    teams: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)


def job_filter_choices(company: Company) -> FilterChoices:
    """The teams and locations of the company's published open jobs (one query)."""
    pairs = set(published_jobs(company).values_list("team", "location").distinct())
    return FilterChoices(
        teams=sorted({t for t, _ in pairs if t}, key=str.casefold),
        locations=sorted({loc for _, loc in pairs if loc}, key=str.casefold),
    )


LIST_FIELDS = ("id", "company_id", "title", "team", "location", "level", "remote", "opened_on")


def careers_job_list(company: Company, filters: JobFilters) -> QuerySet:
    return filters.apply(published_jobs(company)).only(*LIST_FIELDS).order_by("title", "id")


def careers_job_by_slug(slug: str, job_id: int) -> Job:
    """The job page's read: the job with its company in one query, or 404."""
    job = published_jobs().select_related("company").filter(company__slug=slug, pk=job_id).first()
    if job is None:
        raise Http404("No such job.")
    return job


@dataclass
class LoopStage:
    stage: Stage
    kits: list[InterviewKit]
    tracks: list[Track]


def job_loop(job: Job) -> list[LoopStage]:
    """The job's plan in order as a candidate sees it: internal stages and kits left out, and each
    track with the kits of that track (three queries: stages, tracks, kits)."""
    return jobs_loops([job.pk]).get(job.pk, [])


def jobs_loops(job_ids, *, blocks: bool = False) -> dict[int, list[LoopStage]]:
    """`job_loop` of several jobs at once, by job id: three queries whatever their number (the
    candidate portal shows the loop of every job a candidate applied to); with `blocks`, a fourth
    reads the kits' no-AI blocks, so the loop names their minutes."""
    kit_rows = InterviewKit.objects.order_by("position", "id")
    if blocks:
        kit_rows = kit_rows.prefetch_related("no_ai_blocks")
    kits = Prefetch("kits", queryset=kit_rows)
    tracks = Prefetch("tracks", queryset=Track.objects.order_by("position", "id"))
    stages = (
        Stage.objects.filter(job_id__in=list(job_ids))
        .order_by("job_id", "position", "id")
        .prefetch_related(tracks, kits)
    )
    loops: dict[int, list[LoopStage]] = {job_id: [] for job_id in job_ids}
    for stage in stages:
        if not is_candidate_facing(stage):
            continue  # every session of it is internal
        kits = [k for k in stage.kits.all() if is_candidate_facing(k)]
        loops[stage.job_id].append(LoopStage(stage=stage, kits=kits, tracks=list(stage.tracks.all())))
    return loops
