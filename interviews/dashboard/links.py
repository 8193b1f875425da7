"""Links from the dashboard's figures to the admin lists behind them.

The filter parameters are those of the admin lists: the application list's filters are
hiring.admin.applications's JobFilter, StageFilter, OverdueFilter and CompanyFilter, plus "status"
and "source" list filters; dates and the rejection reason are plain field lookups.
"""

import datetime
import functools
from urllib.parse import quote_plus

from django.urls import NoReverseMatch, reverse

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


def _list_base(app_model: tuple[str, str]) -> str:
    app_label, model = app_model
    try:
        return reverse(f"admin:{app_label}_{model}_changelist")
    except NoReverseMatch:
        return f"{reverse('admin:index')}{app_label}/{model}/"


@functools.lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    return quote_plus(text)


class Links:
    """The admin list URLs of one page: a page links a thousand figures to a handful of lists, each
    list's URL is reversed once. `company` (the company chosen in the filter, if any) is added to
    every application list link: the list's company filter only matters when one was chosen."""

    def __init__(self, *, company_id: int | None = None):
        self.bases: dict[tuple[str, str], str] = {}
        self.company = {P_COMPANY: company_id} if company_id else {}

    def __call__(self, app_model: tuple[str, str], **params) -> str:
        base = self.bases.get(app_model)
        if base is None:
            base = self.bases[app_model] = _list_base(app_model)
        return _with_query(base, params)

    def applications(self, **params) -> str:
        return self(APPLICATION_LIST, **self.company, **params)

    def scorecards_of(self, member, **params) -> str:
        return self(SCORECARD_LIST, **{P_INTERVIEWER: member.pk, **params})


def _with_query(base: str, params: dict) -> str:
    # urlencode(), with each key and value quoted once: the same ids, dates and statuses recur
    # across the page's thousand links.
    query = "&".join(f"{_quoted(str(k))}={_quoted(str(v))}" for k, v in params.items() if v not in (None, ""))
    return f"{base}?{query}" if query else base


def applied_in(filters) -> dict:
    """The application list's parameters for "applied within the dashboard's range"."""
    return {
        P_APPLIED_FROM: filters.date_from.isoformat(),
        P_APPLIED_BEFORE: (filters.date_to + datetime.timedelta(days=1)).isoformat(),
    }
