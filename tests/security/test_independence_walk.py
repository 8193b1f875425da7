"""Independence through derived figures, proven by walking every admin page as a user who still
owes a scorecard on an application.

Two co-panelists' submitted scorecards carry a distinctive evidence text and a rating pattern;
the figures computed from them (hire-bar verdicts on the application page and the decision pages,
the verdict kept with a decision, the score matrix, the dashboard's calibration, the candidate
export) are searched for in every page the admin registers (from its URL patterns, as the
isolation walk does). None may show while the user owes their scorecard; each must show somewhere
once they have submitted it, which proves the walk reaches the pages that show them.
"""

import datetime
import html

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.models import Decision, Interview, Scorecard
from interviews.services import RatingInput, decision_record, interview_schedule, scorecard_submit
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup
from tests.security.walker import AdminWalker

pytestmark = pytest.mark.django_db

PATTERN = (5, 4, 4)  # one score per competency, the critical one first
EVIDENCE = "Quokka-evidence-7731"


class FigureWalker(AdminWalker):
    """GET every admin page (and POST only the export actions), recording which pages show which
    marker. Nothing is posted that could change the data between two walks."""

    def __init__(self, client, objects, markers, *, application):
        super().__init__(client, objects, markers)
        self.application = application
        self.shown: dict[str, set[str]] = {m: set() for m in markers}
        self._markers = list(markers)

    def request(self, method, url, data=None, *, object_url, exporting=False, **extra):
        if method != "GET" and not exporting:
            return None
        before = len(self.result.findings)
        response = super().request(method, url, data, object_url=False, **extra)
        for finding in self.result.findings[before:]:
            for marker in self._markers:
                if finding.problem == f"shows {marker.lower()!r}":
                    self.shown[marker].add(f"{method} {url}")
        return response

    def _query_for_other_company(self) -> dict:
        # Pages that take an application in their query (the decision form) get this one.
        return {"application": self.application.pk}

    def _post_actions(self, changelist: str, model, model_admin) -> None:
        rows = self.objects.get(model, [])
        for _func, name, _desc in model_admin._get_base_actions():
            if rows and "export" in name:
                data = {"action": name, "_selected_action": [str(o.pk) for o in rows], "index": "0"}
                self.request("POST", changelist, data, object_url=False, exporting=True)


def _submit(card, evidence):
    competencies = list(card.interview.kit.rubric.competencies.order_by("position", "id"))
    scorecard_submit(
        scorecard=card,
        ratings=[RatingInput(c.pk, s, evidence) for c, s in zip(competencies, PATTERN, strict=True)],
        recommendation="strong_yes",
    )


def _interview(application, kit, panel, hours_ago):
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    return interview_schedule(
        application=application,
        kit=kit,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=45),
        interviewers=panel,
    )


@pytest.fixture
def owed(company):
    """An application decided at its first stage on a co-panelist's scorecard, now in its second
    stage where a co-panelist has submitted and `user` (set by the test) owes a scorecard."""
    application, kits = interview_setup(company, competencies=len(PATTERN), stages=3)
    first, second = (
        MembershipFactory(company=company, role=Role.INTERVIEWER, display_name=f"Panelist {n}")
        for n in (1, 2)
    )
    decider = MembershipFactory(company=company, role=Role.HIRING_MANAGER).user
    round_0 = _interview(application, kits[0], [first], hours_ago=30)
    _submit(round_0.scorecards.get(), EVIDENCE)
    decision = decision_record(application=application, outcome="advance", actor=decider)
    application.refresh_from_db()
    return {"application": application, "kit": kits[1], "second": second, "decision": decision}


def _markers(owed) -> list[str]:
    decision = owed["decision"]
    mean = sum(PATTERN) / len(PATTERN)
    return [
        EVIDENCE,  # a co-panelist's scorecard itself (page, export)
        *(html.escape(row["reason"]) for row in decision.verdict_snapshot),  # verdicts
        '<td class="hl-score">5</td>',  # the score matrix
        f"<td>{mean:.2f}</td>",  # the co-panelist's mean score on the dashboard (calibration)
        reverse("admin:interviews_decision_change", args=[decision.pk]),  # the verdict kept with it
    ]


def _objects(application):
    interviews = list(Interview.objects.filter(application=application).order_by("-starts_at"))
    scorecards = Scorecard.objects.filter(interview__application=application, status="submitted")
    return {
        type(application): [application],
        type(application.candidate): [application.candidate],
        type(application.job): [application.job],
        Interview: interviews,
        Scorecard: list(scorecards.order_by("-interview__starts_at")),
        Decision: list(Decision.objects.filter(application=application)),
    }


def _walk(client, owed, markers):
    application = owed["application"]
    walker = FigureWalker(client, _objects(application), markers, application=application)
    result = walker.walk()
    errors = [str(f) for f in result.findings if f.problem == "server error"]
    assert not errors, errors
    assert result.requests > 100
    return walker.shown


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER, Role.COMPANY_ADMIN])
def test_no_page_shows_a_figure_derived_from_a_scorecard_the_user_may_not_read(
    role, all_roles, owed, admin_client_for
):
    # given a user of the company who sits on the second stage's panel with a co-panelist who has
    # submitted, and has not submitted their own scorecard
    user = all_roles[role]
    round_1 = _interview(
        owed["application"], owed["kit"], [owed["second"], user.memberships.get()], hours_ago=3
    )
    _submit(round_1.scorecards.get(interviewer=owed["second"]), EVIDENCE)
    mine = round_1.scorecards.get(interviewer__user=user)
    markers = _markers(owed)
    client = admin_client_for(user)
    # when they open every page the admin registers
    shown = _walk(client, owed, markers)
    # then no page shows a figure computed from the co-panelists' scorecards
    leaks = {marker: sorted(urls) for marker, urls in shown.items() if urls}
    assert not leaks, leaks
    # and once they have submitted theirs (the same scores: the figures stay the same), every
    # figure shows again on some page, so the walk above did reach the pages that show them
    _submit(mine, "My own evidence")
    shown = _walk(client, owed, markers)
    missing = [marker for marker, urls in shown.items() if not urls]
    assert not missing, missing
    pages = {url.split("?")[0] for urls in shown.values() for url in urls}
    application_page = reverse("admin:hiring_application_change", args=[owed["application"].pk])
    assert {f"GET {application_page}", f"GET {reverse('admin:dashboard')}"} <= pages, pages


def test_the_walk_covers_every_admin_that_shows_scorecards_or_decisions(owed):
    # The figures come from scorecards and decisions; every admin of them is walked with rows.
    objects = _objects(owed["application"])
    for model in (Scorecard, Decision, Interview, type(owed["application"])):
        assert model in admin.site._registry and objects[model], model
