"""The manager dashboard at /admin/dashboard/: filters, then one panel per question a hiring
manager asks. Figures come from `selectors`; this module only shapes them into charts, tables and
links to the admin lists behind them.
"""

import datetime
import functools
import html
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from hiring.admin_scoping import company_ids_for, request_roles
from hiring.models import ApplicationStatus, Source, StageKind
from hiring.roles import READERS
from interviews.models import ScorecardStatus

from . import selectors as s
from .svg import COLORS, Bar, bar_chart, diverging_chart, grid_chart, legend

DEFAULT_DAYS = 90
# The job <select> has at most 100 options ("All jobs" included); a job of the user's companies
# outside it still works.
MAX_JOB_CHOICES = 100
MAX_JOB_SECTIONS = 30  # per-job panels shown at once; choose a company or a job to see the others

# Filter parameters of the admin lists the figures link to. The application list's filters are
# hiring.admin.applications's JobFilter, StageFilter, OverdueFilter and CompanyFilter, plus "status" and
# "source" list filters; dates and the rejection reason are plain field lookups.
APPLICATION_LIST = ("hiring", "application")
SCORECARD_LIST = ("interviews", "scorecard")
INTERVIEW_LIST = ("interviews", "interview")
P_COMPANY = "company"
P_JOB = "job"
P_STAGE = "stage"
P_STATUS = "status__exact"
P_OVERDUE = "overdue"
OVERDUE_YES = "yes"
P_SOURCE = "source__exact"
P_REASON = "rejection_reason__id__exact"
P_APPLIED_FROM = "applied_at__gte"
P_APPLIED_BEFORE = "applied_at__lt"
P_INTERVIEWER = "interviewer__id__exact"
P_SCORECARD_STATUS = "status__exact"
P_INTERVIEW_INTERVIEWER = "interviewers__id__exact"
P_STARTS_FROM = "starts_at__gte"
P_STARTS_BEFORE = "starts_at__lt"
P_ENDS_BEFORE = "ends_at__lt"


def may_see_dashboard(request) -> bool:
    """Company admins, hiring managers and recruiters of some company, and superusers."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or bool(company_ids_for(request, READERS))


def _list_base(app_model: tuple[str, str]) -> str:
    app_label, model = app_model
    try:
        return reverse(f"admin:{app_label}_{model}_changelist")
    except NoReverseMatch:
        return f"{reverse('admin:index')}{app_label}/{model}/"


@functools.lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    return quote_plus(text)


class _Links:
    """The admin list URLs of one page: a page links a thousand figures to a handful of lists, each
    list's URL is reversed once."""

    def __init__(self):
        self.bases: dict[tuple[str, str], str] = {}

    def __call__(self, app_model: tuple[str, str], **params) -> str:
        base = self.bases.get(app_model)
        if base is None:
            base = self.bases[app_model] = _list_base(app_model)
        return _with_query(base, params)


def _with_query(base: str, params: dict) -> str:
    # urlencode(), with each key and value quoted once: the same ids, dates and statuses recur
    # across the page's thousand links.
    query = "&".join(f"{_quoted(str(k))}={_quoted(str(v))}" for k, v in params.items() if v not in (None, ""))
    return f"{base}?{query}" if query else base


class DashboardFilterForm(forms.Form):
    company = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    job = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, jobs, companies):
        super().__init__(data)
        self.jobs = {job.pk: job for job in jobs}
        self.fields["company"].choices = [("", "All my companies")] + [(c.pk, c.name) for c in companies]

        def label(job):
            return f"{job.title} ({job.company.name})" if len(companies) > 1 else job.title

        # Every job of the user's companies is a valid choice; the list offers MAX_JOB_CHOICES - 1
        # of them, those of the chosen company first, the chosen job always.
        self.fields["job"].choices = [("", "All jobs")] + [(job.pk, label(job)) for job in jobs]
        company, chosen = str(self.data.get("company", "")), str(self.data.get("job", ""))
        offered = sorted(jobs, key=lambda job: str(job.company_id) != company)[: MAX_JOB_CHOICES - 1]
        if chosen.isdigit() and int(chosen) in self.jobs and self.jobs[int(chosen)] not in offered:
            offered[-1:] = [self.jobs[int(chosen)]]  # the chosen job takes the last place
        self.fields["job"].widget.choices = [("", "All jobs")] + [(job.pk, label(job)) for job in offered]

    def clean(self):
        data = super().clean()
        job_id, company_id = data.get("job"), data.get("company")
        if job_id and company_id and self.jobs[job_id].company_id != company_id:
            self.add_error("job", "This job belongs to another company than the one chosen.")
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the range is before its start.")
        return data


@dataclass
class Panel:
    title: str
    note: str = ""
    chart: str = ""
    legend: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # cells: text or (text, href)
    empty: str = "Nothing in this range."
    anchor: str = ""

    @property
    def body(self) -> SafeString:
        """The table's rows as HTML, built here rather than in the template: the page has thousands
        of cells. Values read as the template would show them (localized, escaped)."""
        rows = ("".join(_cell_html(cell) for cell in row) for row in self.rows)
        return mark_safe("".join(f"<tr>{row}</tr>" for row in rows))  # noqa: S308 (cells are escaped)

    @property
    def html(self) -> SafeString:
        """The whole panel as HTML. A page has about a hundred panels; a template include each cost
        more than their content. Texts are escaped; chart and legend are already safe HTML."""
        esc = conditional_escape
        parts = [
            f'<section class="module dashboard-panel" id="{esc(self.anchor)}">',
            f"<h2>{esc(self.title)}</h2>",
        ]
        if self.note:
            parts.append(f'<p class="help">{esc(self.note)}</p>')
        if self.rows:
            parts.append('<div class="dashboard-figure">')
            if self.chart:
                legend = f'<p class="dashboard-legend">{esc(self.legend)}</p>' if self.legend else ""
                parts.append(f'<div class="dashboard-chart-box">{esc(self.chart)}{legend}</div>')
            headers = "".join(f'<th scope="col">{esc(h)}</th>' for h in self.headers)
            parts.append(
                f'<table class="dashboard-table"><thead><tr>{headers}</tr></thead>'
                f"<tbody>{self.body}</tbody></table></div>"
            )
        else:
            parts.append(f'<p class="dashboard-empty">{esc(self.empty)}</p>')
        parts.append("</section>")
        return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)


def _cell(text, href=""):
    return {"text": text, "href": href}


def _cell_html(cell) -> str:
    # As the template would show the value (localized, then escaped), with a shortcut for the
    # common cases: plain text, and whole numbers when no thousand separator is used.
    value = cell["text"]
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        text = str(value)
    elif type(value) is str:
        text = html.escape(value)
    else:
        text = conditional_escape(localize(value))
    if cell["href"]:
        return f'<td><a href="{html.escape(cell["href"])}">{text}</a></td>'
    return f"<td>{text}</td>"


def _num(value, digits=1):
    if value is None:
        return "–"
    return f"{value:.{digits}f}"


def _pct(part, whole):
    return f"{100 * part / whole:.0f}%" if whole else "–"


def dashboard_view(request, *, admin_site):
    """The dashboard page; interviewers and users without a reading role get 403."""
    if not may_see_dashboard(request):
        raise PermissionDenied("The dashboard is for company admins, hiring managers and recruiters.")
    allowed = None if request.user.is_superuser else tuple(sorted(company_ids_for(request, READERS)))
    jobs = s.dashboard_jobs(allowed)
    companies = list({job.company_id: job.company for job in jobs}.values())
    today = timezone.localdate()
    params = request.GET.copy()
    params.setdefault("date_to", today.isoformat())
    params.setdefault("date_from", (today - datetime.timedelta(days=DEFAULT_DAYS - 1)).isoformat())
    form = DashboardFilterForm(params, jobs=jobs, companies=companies)
    # Invalid values (another company's job, a bad date) are reported on the form and ignored.
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if date_from > date_to:
        date_from = date_to
    company_ids = (data["company"],) if data.get("company") else allowed
    filters = s.DashboardFilters(
        company_ids=company_ids,
        job_id=data.get("job"),
        date_from=date_from,
        date_to=date_to,
        now=timezone.now(),
    )
    jobs_in_view = [
        job
        for job in jobs
        if (company_ids is None or job.company_id in company_ids)
        and (filters.job_id is None or job.pk == filters.job_id)
    ]
    shown = jobs_in_view[:MAX_JOB_SECTIONS]
    panels = _panels(
        filters,
        shown,
        multi_company=len(companies) > 1,
        company_id=data.get("company"),
        user=request.user,
        roles=request_roles(request),
    )
    context = {
        **admin_site.each_context(request),
        "title": "Dashboard",
        "form": form,
        "filters": filters,
        "job_sections": panels["jobs"],
        "panels": panels["panels"],
        "multi_company": len(companies) > 1,
        "jobs_not_shown": len(jobs_in_view) - len(shown),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)


def _panels(f: s.DashboardFilters, jobs, *, multi_company: bool, company_id: int | None, user, roles) -> dict:
    pipeline = s.pipeline_figures(f, job_ids=[job.pk for job in jobs])
    stages, durations, counts = pipeline.stages, pipeline.durations, pipeline.breakdowns
    people = s.interviewer_figures(f, user=user, roles=roles)
    members, calibration, means = people.members, people.calibration, people.means
    agreement = people.agreement

    applied = {
        P_APPLIED_FROM: f.date_from.isoformat(),
        P_APPLIED_BEFORE: (f.date_to + datetime.timedelta(days=1)).isoformat(),
    }

    # The list's company filter only matters when a company was chosen here.
    company = {P_COMPANY: company_id} if company_id else {}
    links = _Links()

    def apps_url(**params):
        return links(APPLICATION_LIST, **company, **params)

    by_job: dict[int, list] = {job.pk: [] for job in jobs}
    for stage in stages:
        if stage.job_id in by_job:
            by_job[stage.job_id].append(stage)
    outcomes = {row[0]: row[1:] for row in counts[s.OUTCOMES]}

    sections = []
    stuck_rows = []
    for job in jobs:
        plan = by_job[job.pk]
        if not plan:
            continue
        name = f"{job.title} ({job.company.name})" if multi_company else job.title
        funnel = Panel(
            title="Funnel",
            note="Applications of the range that reached each stage; in stage now counts every open one.",
            headers=["Stage", "Reached", "On to next", "In stage now", "On hold", "Stuck"],
            anchor=f"funnel-{job.pk}",
        )
        velocity = Panel(
            title="Velocity (days)",
            note="Days in each stage: median and 90th percentile of the finished stays of the range's "
            "applications.",
            headers=["Stage", "Stays", "Median", "90th pct"],
            anchor=f"velocity-{job.pk}",
        )
        funnel_bars, velocity_bars = [], []
        for i, stage in enumerate(plan):
            nxt = plan[i + 1] if i + 1 < len(plan) else None
            # The application list has no "passed through this stage" filter: flow figures link to
            # the job's applications of the range, "now" figures to the stage's applications.
            cohort_url = apps_url(**{P_JOB: job.pk, **applied})
            in_stage = {P_JOB: job.pk, P_STAGE: stage.pk}
            stuck_url = apps_url(**in_stage, **{P_OVERDUE: OVERDUE_YES})
            funnel_bars.append(Bar(stage.name, stage.reached, cohort_url))
            funnel.rows.append(
                [
                    _cell(stage.name),
                    _cell(stage.reached, cohort_url),
                    _cell(_pct(nxt.reached, stage.reached) if nxt else "–"),
                    _cell(stage.active, apps_url(**in_stage, **{P_STATUS: ApplicationStatus.ACTIVE})),
                    _cell(stage.on_hold, apps_url(**in_stage, **{P_STATUS: ApplicationStatus.ON_HOLD})),
                    _cell(stage.stuck, stuck_url),
                ]
            )
            n, p50, p90 = durations.get((s.STAGE_DAYS, stage.pk), (0, None, None))
            velocity_bars.append(
                Bar(stage.name, p50, cohort_url, text=f"{_num(p50)} / {_num(p90)}", secondary=p90)
            )
            velocity.rows.append(
                [_cell(stage.name), _cell(n, cohort_url), _cell(_num(p50)), _cell(_num(p90))]
            )
            if stage.stuck:
                stuck_rows.append((name, stage, stuck_url))
        n, p50, p90 = durations.get((s.HIRE_DAYS, job.pk), (0, None, None))
        hired_url = apps_url(**{P_JOB: job.pk, P_STATUS: ApplicationStatus.HIRED, **applied})
        velocity.rows.append(
            [_cell("Application to hire"), _cell(n, hired_url), _cell(_num(p50)), _cell(_num(p90))]
        )
        velocity_bars.append(
            Bar("Application to hire", p50, hired_url, text=f"{_num(p50)} / {_num(p90)}", secondary=p90)
        )
        funnel.chart = bar_chart(funnel_bars, label=f"Funnel of {name}")
        velocity.chart = bar_chart(velocity_bars, label=f"Days per stage of {name}", color=COLORS[1])
        velocity.legend = legend([(COLORS[1], "median"), ("#d6e7f0", "90th percentile")])
        total, active, on_hold, rejected, withdrawn, hired = outcomes.get(job.pk, (0,) * 6)
        offers = sum(st.reached for st in plan if st.kind == StageKind.OFFER)
        outcome_cells = [
            ("Applications", total, {}),
            ("Offers (reached an offer stage)", offers, None),
            ("Hired", hired, {P_STATUS: ApplicationStatus.HIRED}),
            ("Withdrawn", withdrawn, {P_STATUS: ApplicationStatus.WITHDRAWN}),
            ("Rejected", rejected, {P_STATUS: ApplicationStatus.REJECTED}),
            ("Active", active, {P_STATUS: ApplicationStatus.ACTIVE}),
            ("On hold", on_hold, {P_STATUS: ApplicationStatus.ON_HOLD}),
        ]
        outcome_panel = Panel(
            title="Outcomes", headers=["Outcome", "Applications"], anchor=f"outcomes-{job.pk}"
        )
        bars = []
        for label, value, params in outcome_cells:
            url = apps_url(**{P_JOB: job.pk, **applied, **params}) if params is not None else ""
            outcome_panel.rows.append([_cell(label), _cell(value, url)])
            bars.append(Bar(label, value, url))
        outcome_panel.chart = bar_chart(bars, label=f"Outcomes of {name}", color=COLORS[4])
        j_alpha = agreement.get(job.pk)
        sections.append(
            {
                "job": job,
                "name": name,
                "panels": [funnel, velocity, outcome_panel],
                "agreement": j_alpha,
                # The scorecard list has no job filter: the job's applications carry their panels.
                "agreement_url": apps_url(**{P_JOB: job.pk, **applied}),
            }
        )

    panels = [
        _stuck_panel(stuck_rows),
        _feedback_panel(f, members, people.feedback, links),
        _load_panel(f, members, links),
        _calibration_panel(members, calibration, means, links),
        _agreement_panel(sections),
        _sources_panel(counts[s.SOURCES], applied, apps_url),
        _reasons_panel(counts[s.REASONS], applied, apps_url),
    ]
    return {"jobs": sections, "panels": panels}


def _stuck_panel(rows) -> Panel:
    panel = Panel(
        title="Stuck",
        note="Active applications longer in their stage than the stage's SLA, now.",
        headers=["Job", "Stage", "SLA (days)", "Stuck"],
        empty="No application is past its stage's SLA.",
        anchor="stuck",
    )
    bars = []
    for job_name, stage, url in sorted(rows, key=lambda r: -r[1].stuck):
        panel.rows.append(
            [_cell(job_name), _cell(stage.name), _cell(stage.sla_days), _cell(stage.stuck, url)]
        )
        bars.append(Bar(f"{job_name}: {stage.name}", stage.stuck, url))
    if bars:
        panel.chart = bar_chart(bars, label="Stuck applications", color=COLORS[2])
    return panel


def _member_url(links, member, **params):
    return links(SCORECARD_LIST, **{P_INTERVIEWER: member.pk, **params})


def _feedback_panel(f: s.DashboardFilters, members, feedback, links) -> Panel:
    panel = Panel(
        title="Feedback health",
        note=(
            f"Overdue: draft scorecards of interviews that ended more than {s.FEEDBACK_DUE_HOURS} hours ago. "
            "Hours from the end of an interview to the submitted scorecard, interviews of the range."
        ),
        headers=["Interviewer", "Overdue", "Submitted", "Median hours", "90th pct hours"],
        empty="No scorecards in this range.",
        anchor="feedback",
    )
    bars = []
    due = timezone.localtime(f.now - datetime.timedelta(hours=s.FEEDBACK_DUE_HOURS))
    for m in members:
        n, p50, p90 = feedback.get(m.pk, (0, None, None))
        if not (n or m.overdue):
            continue
        # Drafts are private to their author, so the overdue figure links to the interviewer's
        # interviews that ended before the due time rather than to the scorecards themselves.
        overdue_url = links(
            INTERVIEW_LIST,
            **{P_INTERVIEW_INTERVIEWER: m.pk, P_ENDS_BEFORE: due.strftime("%Y-%m-%d %H:%M:%S")},
        )
        submitted_url = _member_url(links, m, **{P_SCORECARD_STATUS: ScorecardStatus.SUBMITTED})
        panel.rows.append(
            [
                _cell(m.display_name),
                _cell(m.overdue, overdue_url),
                _cell(n, submitted_url),
                _cell(_num(p50)),
                _cell(_num(p90)),
            ]
        )
        bars.append(Bar(m.display_name, m.overdue, overdue_url))
    if bars:
        panel.chart = bar_chart(bars, label="Overdue scorecards per interviewer", color=COLORS[3])
    return panel


def _load_panel(f: s.DashboardFilters, members, links) -> Panel:
    weeks = f.weeks()
    labels = [w.strftime("%b %d") for w in weeks]
    panel = Panel(
        title="Interviewer load",
        note="Interviews per interviewer per week (weeks start on Monday): four weeks back, this week and "
        "two ahead. Cancelled interviews and no-shows are left out.",
        headers=["Interviewer", *[f"Week of {label}" for label in labels]],
        empty="No interviews in these six weeks.",
        anchor="load",
    )
    names, values, hrefs = [], [], []
    for m in members:
        row = [getattr(m, f"load_{k}") for k in range(len(weeks))]
        if not any(row):
            continue
        week_links = [
            links(
                INTERVIEW_LIST,
                **{
                    P_INTERVIEW_INTERVIEWER: m.pk,
                    P_STARTS_FROM: w.date().isoformat(),
                    P_STARTS_BEFORE: (w + datetime.timedelta(weeks=1)).date().isoformat(),
                },
            )
            for w in weeks
        ]
        names.append(m.display_name)
        values.append(row)
        hrefs.append(week_links)
        cells = [_cell(v, u) for v, u in zip(row, week_links, strict=True)]
        panel.rows.append([_cell(m.display_name), *cells])
    if names:
        panel.chart = grid_chart(names, labels, values, hrefs, label="Interviews per interviewer per week")
    return panel


def _calibration_panel(members, calibration, means, links) -> Panel:
    panel = Panel(
        title="Calibration",
        note=(
            "Submitted scorecards of interviews in the range. Difference: the interviewer's mean score in a "
            "panel (one application in one stage) minus the other panelists' mean there, averaged over the "
            "panels they share (above zero lenient, below zero severe)."
        ),
        headers=[
            "Interviewer",
            "Scorecards",
            "Mean score",
            "Difference",
            "Shared",
            "Strong yes",
            "Strong no",
        ],
        empty="No submitted scorecards in this range.",
        anchor="calibration",
    )
    bars = []
    for m in members:
        if not m.scored:
            continue
        shared, diff = calibration.get(m.pk, (0, None))
        url = _member_url(links, m, **{P_SCORECARD_STATUS: ScorecardStatus.SUBMITTED})
        panel.rows.append(
            [
                _cell(m.display_name),
                _cell(m.scored, url),
                _cell(_num(means.get(m.pk), 2)),
                _cell(f"{diff:+.2f}" if diff is not None else "–"),
                _cell(shared),
                _cell(_pct(m.strong_yes, m.scored)),
                _cell(_pct(m.strong_no, m.scored)),
            ]
        )
        if diff is not None:
            bars.append(Bar(m.display_name, diff, url))
    if bars:
        panel.chart = diverging_chart(bars, label="Mean difference from the other panelists")
        panel.legend = legend([(COLORS[0], "lenient"), (COLORS[2], "severe")])
    return panel


def _agreement_panel(sections) -> Panel:
    panel = Panel(
        title="Panel agreement",
        note=(
            "Krippendorff's alpha (interval) per job: the scores panelists of the same interview gave the "
            "same competency. 1 is perfect agreement, 0 no better than chance; below 0.67 is usually read as "
            "unreliable."
        ),
        headers=["Job", "Scores compared", "Alpha"],
        empty="No interview in this range had two panelists scoring the same competency.",
        anchor="agreement",
    )
    bars = []
    for section in sections:
        if not section["agreement"]:
            continue
        n, alpha = section["agreement"]
        panel.rows.append([_cell(section["name"]), _cell(n, section["agreement_url"]), _cell(_num(alpha, 2))])
        bars.append(Bar(section["name"], alpha, section["agreement_url"], text=_num(alpha, 2)))
    if bars:
        panel.chart = diverging_chart(bars, label="Krippendorff's alpha per job")
    return panel


def _sources_panel(rows, applied, apps_url) -> Panel:
    panel = Panel(
        title="Sources",
        note="Where the range's applications came from, and how many of them were hired.",
        headers=["Source", "Applications", "Hired"],
        anchor="sources",
    )
    bars = []
    for source, total, hired in sorted(rows, key=lambda r: (-r[1], r[0])):
        label = Source(source).label if source in Source.values else source
        url = apps_url(**{P_SOURCE: source, **applied})
        hired_url = apps_url(**{P_SOURCE: source, P_STATUS: ApplicationStatus.HIRED, **applied})
        panel.rows.append([_cell(label), _cell(total, url), _cell(hired, hired_url)])
        bars.append(Bar(label, total, url))
    if bars:
        panel.chart = bar_chart(bars, label="Applications per source")
    return panel


def _reasons_panel(rows, applied, apps_url) -> Panel:
    panel = Panel(
        title="Rejection and withdrawal reasons",
        note="Why the range's applications closed without a hire.",
        headers=["Reason", "Who", "Applications"],
        empty="No application of the range was rejected or withdrawn.",
        anchor="reasons",
    )
    bars = []
    for reason_id, name, kind, total in sorted(rows, key=lambda r: (-r[3], r[1], r[0])):
        url = apps_url(**{P_REASON: reason_id, **applied})
        who = "Candidate" if kind == "candidate" else "Company"
        panel.rows.append([_cell(name), _cell(who), _cell(total, url)])
        bars.append(Bar(name, total, url))
    if bars:
        panel.chart = bar_chart(bars, label="Applications per reason", color=COLORS[2])
    return panel
