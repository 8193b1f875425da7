"""Every list and change page of the set-up admin runs the same number of queries for N and 2N rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hiring.models import Role
from interviews.models import AIPolicy, KitFormat
from tests.hiring.factories import (
    CompanyFactory,
    MembershipFactory,
    ProcessTemplateFactory,
    TemplateStageFactory,
    TrackFactory,
)
from tests.interviews.factories import InterviewKitFactory
from tests.rubrics.factories import (
    CompetencyFactory,
    HireBarClauseFactory,
    LevelAnchorFactory,
    QuestionFactory,
    RedFlagFactory,
    RubricFactory,
)

pytestmark = pytest.mark.django_db

N = 3


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _same_for_n_and_2n(client, url_of, grow):
    """Grow to N rows, count; grow to 2N rows, count again."""
    grow(N)
    client.get(url_of())  # warm-up: per-process caches (content types, sessions) fill once
    first = _queries(client, url_of())
    grow(N)
    second = _queries(client, url_of())
    assert first == second, f"{url_of()}: {first} queries for N rows, {second} for 2N"


def _kit(stage, rubric, member, track=None, **extra):
    kit = InterviewKitFactory(stage=stage, track=track, rubric=rubric, **extra)
    kit.default_interviewers.add(member)
    return kit


@pytest.fixture(params=["company_admin", "superuser", "recruiter"])
def viewer(request, company, company_admin, superuser, admin_client_for):
    # the superuser sees every company, a company admin only theirs, a recruiter reads pages
    # without forms: each must stay constant
    return admin_client_for(request.getfixturevalue(request.param))


# --- lists ---------------------------------------------------------------------------------


def test_company_list(company, superuser, admin_client_for):
    client = admin_client_for(superuser)

    def grow(n):
        for _ in range(n):
            MembershipFactory(company=CompanyFactory())

    _same_for_n_and_2n(client, lambda: "/admin/hiring/company/", grow)


def test_company_list_of_a_member_of_many_companies(company, company_admin, admin_client_for):
    client = admin_client_for(company_admin)

    def grow(n):
        for _ in range(n):
            MembershipFactory(company=CompanyFactory(), user=company_admin, role=Role.RECRUITER)

    _same_for_n_and_2n(client, lambda: "/admin/hiring/company/", grow)


def test_membership_list(viewer, company):
    def grow(n):
        MembershipFactory.create_batch(n, company=company, role=Role.INTERVIEWER)

    _same_for_n_and_2n(viewer, lambda: "/admin/hiring/membership/", grow)


def test_template_list(viewer, company):
    def grow(n):
        for _ in range(n):
            stage = TemplateStageFactory(template=ProcessTemplateFactory(company=company))
            InterviewKitFactory(stage=stage)

    _same_for_n_and_2n(viewer, lambda: "/admin/hiring/processtemplate/", grow)


def test_stage_list(viewer, company):
    template = ProcessTemplateFactory(company=company)

    def grow(n):
        TemplateStageFactory.create_batch(n, template=template)

    _same_for_n_and_2n(viewer, lambda: "/admin/hiring/stage/", grow)


def test_rubric_list(viewer, company):
    def grow(n):
        for _ in range(n):
            CompetencyFactory(rubric=RubricFactory(company=company))

    _same_for_n_and_2n(viewer, lambda: "/admin/rubrics/rubric/", grow)


def test_competency_list(viewer, company):
    rubric = RubricFactory(company=company)

    def grow(n):
        CompetencyFactory.create_batch(n, rubric=rubric)

    _same_for_n_and_2n(viewer, lambda: "/admin/rubrics/competency/", grow)


# --- change forms --------------------------------------------------------------------------


def test_company_change_form(viewer, company):
    def grow(n):
        MembershipFactory.create_batch(n, company=company)

    _same_for_n_and_2n(viewer, lambda: f"/admin/hiring/company/{company.pk}/change/", grow)


def test_membership_change_form(viewer, company):
    member = MembershipFactory(company=company, role=Role.INTERVIEWER)
    rubric = RubricFactory(company=company)
    stage = TemplateStageFactory(template=ProcessTemplateFactory(company=company))

    def grow(n):
        for _ in range(n):
            _kit(stage, rubric, member)

    _same_for_n_and_2n(viewer, lambda: f"/admin/hiring/membership/{member.pk}/change/", grow)


def test_template_change_form(viewer, company):
    template = ProcessTemplateFactory(company=company)
    rubric = RubricFactory(company=company)
    member = MembershipFactory(company=company)

    def grow(n):
        for _ in range(n):
            stage = TemplateStageFactory(template=template)
            track = TrackFactory(stage=stage)
            _kit(stage, rubric, member, track=track)

    _same_for_n_and_2n(viewer, lambda: f"/admin/hiring/processtemplate/{template.pk}/change/", grow)


def test_stage_change_form(viewer, company):
    stage = TemplateStageFactory(template=ProcessTemplateFactory(company=company))
    rubrics = RubricFactory.create_batch(2, company=company)

    def grow(n):
        for i in range(n):
            track = TrackFactory(stage=stage)
            members = MembershipFactory.create_batch(2, company=company)
            kit = _kit(
                stage,
                rubrics[i % 2],
                members[0],
                track=track,
                format=KitFormat.TAKE_HOME,
                window_days=3,
                ai_policy=AIPolicy.NO_AI_BLOCK,
                no_ai_minutes=20,
            )
            kit.default_interviewers.add(members[1])

    _same_for_n_and_2n(viewer, lambda: f"/admin/hiring/stage/{stage.pk}/change/", grow)


def test_rubric_change_form(viewer, company):
    rubric = RubricFactory(company=company)
    for score in range(1, 6):
        LevelAnchorFactory(rubric=rubric, score=score)

    def grow(n):
        for _ in range(n):
            competency = CompetencyFactory(rubric=rubric)
            QuestionFactory(competency=competency)
            LevelAnchorFactory(rubric=rubric, competency=competency, score=competency.pk % 5 + 1)
            RedFlagFactory(rubric=rubric)
            HireBarClauseFactory(rubric=rubric)

    _same_for_n_and_2n(viewer, lambda: f"/admin/rubrics/rubric/{rubric.pk}/change/", grow)


def test_locked_rubric_change_form(viewer, company):
    from django.utils import timezone

    rubric = RubricFactory(company=company, locked_at=timezone.now())

    def grow(n):
        for _ in range(n):
            competency = CompetencyFactory(rubric=rubric)
            LevelAnchorFactory(rubric=rubric, competency=competency, score=competency.pk % 5 + 1)
            RedFlagFactory(rubric=rubric)

    _same_for_n_and_2n(viewer, lambda: f"/admin/rubrics/rubric/{rubric.pk}/change/", grow)


def test_competency_change_form(viewer, company):
    competency = CompetencyFactory(rubric=RubricFactory(company=company))

    def grow(n):
        QuestionFactory.create_batch(n, competency=competency)

    _same_for_n_and_2n(viewer, lambda: f"/admin/rubrics/competency/{competency.pk}/change/", grow)


@pytest.mark.parametrize(
    "url",
    ["/admin/hiring/processtemplate/", "/admin/rubrics/rubric/", "/admin/hiring/membership/"],
)
def test_lists_read_by_a_recruiter(recruiter, company, admin_client_for, url):
    client = admin_client_for(recruiter)

    def grow(n):
        for _ in range(n):
            CompetencyFactory(rubric=RubricFactory(company=company))
            TemplateStageFactory(template=ProcessTemplateFactory(company=company))
            MembershipFactory(company=company)

    _same_for_n_and_2n(client, lambda: url, grow)
