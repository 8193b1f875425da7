"""The demo data command: idempotent, complete, realistic and consistent across companies."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Avg, Count, F, Max, Min, Q
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Company,
    Job,
    JobStatus,
    Membership,
    ProcessTemplate,
    RejectionKind,
    RejectionReason,
    Role,
    StageChange,
)
from interviews.models import (
    Decision,
    DecisionOutcome,
    Interview,
    InterviewStatus,
    Rating,
    Scorecard,
    ScorecardStatus,
)
from rubrics.models import Competency, LevelAnchor, Rubric
from tools.demo.loader import LoadedCompany
from tools.demo.people import COMPANIES, DEMO_PASSWORD, PEOPLE
from tools.demo.pipeline import PipelineGenerator
from tools.demo.rubric import BEHAVIORAL, RUBRICS
from tools.demo.templates import TEMPLATES

pytestmark = pytest.mark.django_db


def _load() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


# --- data modules -------------------------------------------------------------------------


def test_behavioral_rubric_data_is_complete():
    # given the behavioral rubric as data
    names = [c.name for c in BEHAVIORAL.competencies]
    # then it has the six competencies, each anchored on every level with questions and probes
    assert len(names) == 6
    assert "Responsible AI" in names
    for comp in BEHAVIORAL.competencies:
        assert sorted(comp.anchors) == [1, 2, 3, 4, 5], comp.name
        assert comp.questions, comp.name
        assert all(q.follow_ups for q in comp.questions), comp.name
    assert any(blocking for _, blocking in BEHAVIORAL.red_flags)
    assert {kind for kind, *_ in BEHAVIORAL.hire_bar} == {
        "min_average",
        "min_count_at_or_above",
        "no_critical_at_or_below",
        "no_blocking_red_flag",
    }
    # "no critical 2s" reads every panelist: one panelist's 2 is not averaged away
    assert ("no_critical_at_or_below", "2", None, "any") in BEHAVIORAL.hire_bar


def test_every_rubric_anchors_every_level_and_has_questions():
    for rubric in RUBRICS:
        levels = list(range(rubric.scale_min, rubric.scale_max + 1))
        assert sorted(rubric.anchors) == levels, rubric.name
        for comp in rubric.competencies:
            assert comp.questions, f"{rubric.name}: {comp.name}"
        assert rubric.hire_bar, rubric.name


def test_kits_refer_to_known_rubrics():
    keys = {r.key for r in RUBRICS}
    for template in TEMPLATES.values():
        for stage in template.stages:
            kits = list(stage.kits) + [k for t in stage.tracks for k in t.kits]
            assert {k.rubric for k in kits} <= keys, template.name


# --- the command ---------------------------------------------------------------------------


def test_second_run_changes_nothing():
    # given a first load
    _load()
    before = _row_counts()
    passwords = dict(get_user_model().objects.values_list("username", "password"))
    # when the command runs again
    output = _load()
    # then no table gained or lost a row and no password was reset
    assert _row_counts() == before
    assert dict(get_user_model().objects.values_list("username", "password")) == passwords
    assert "nothing to do" in output
    assert before["hiring.Application"] >= 600


def test_demo_logins_exist_with_their_roles():
    output = _load()
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password(DEMO_PASSWORD)
    first, second = Company.objects.get(slug="larkspur"), Company.objects.get(slug="brightwave")
    expected = {
        "recruiter": (first, Role.RECRUITER),
        "manager": (first, Role.HIRING_MANAGER),
        "interviewer": (first, Role.INTERVIEWER),
        "companyadmin": (first, Role.COMPANY_ADMIN),
        "recruiter2": (second, Role.RECRUITER),
    }
    for username, (company, role) in expected.items():
        user = User.objects.get(username=username)
        assert user.is_staff and not user.is_superuser
        assert user.check_password(DEMO_PASSWORD), username
        assert list(Membership.objects.filter(user=user).values_list("company", "role")) == [
            (company.pk, role)
        ]
        assert username in output
    # colleagues exist for panels but cannot log in
    assert not User.objects.get(username="larkspur.sofia").has_usable_password()
    # the manager is the hiring manager of every job of the first company
    assert set(
        Job.objects.filter(company=first).values_list("hiring_manager__user__username", flat=True)
    ) == {"manager"}


def test_demo_careers_sites_publish_the_open_jobs_and_the_printed_links_work(client):
    # given the demo loaded
    output = _load()
    # then every open job is published with a description, and a job on hold is not
    jobs = Job.objects.select_related("company")
    assert jobs.filter(status=JobStatus.OPEN).exists()
    for job in jobs:
        assert job.is_published == (job.status == JobStatus.OPEN), job.title
        assert job.description.startswith("## About the team"), job.title
    assert jobs.filter(status=JobStatus.ON_HOLD, is_published=False).exists()
    # and each company's careers link is printed, and serves its published jobs only
    for data in COMPANIES:
        company = Company.objects.get(slug=data.slug)
        assert company.privacy_notice and company.accent_color != "#1f5fbf"
        url = f"http://127.0.0.1:8000/careers/{data.slug}/"
        assert url in output
        page = client.get(f"/careers/{data.slug}/").content.decode()
        for job in jobs.filter(company=company):
            assert (f"/careers/{data.slug}/jobs/{job.pk}/" in page) == job.is_published, job.title


def test_demo_prints_a_portal_link_per_company_that_signs_the_candidate_in(client):
    # given the demo loaded
    output = _load()
    # then each company prints one candidate's sign-in link
    links = re.findall(r"as (.+?) <[^>]+>: http://127\.0\.0\.1:8000(/portal/sign-in/[^/\s]+/)", output)
    assert len(links) == len(COMPANIES)
    # and the link opens that candidate's own portal
    name, path = links[0]
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert f"Hello {name}" in client.get("/portal/").content.decode()
    # and a second run writes no link (the demo stays idempotent) but prints the command
    again = StringIO()
    call_command("demo", stdout=again)
    assert "/portal/sign-in/" not in again.getvalue()
    assert "python manage.py portal_link " in again.getvalue()


def test_templates_reproduce_the_published_processes():
    _load()
    names = list(ProcessTemplate.objects.values_list("name", flat=True))
    for company in ("Doctolib", "XBOW", "PostHog", "FlowFuse", "Monarch Money", "P-1 AI"):
        assert any(company in name for name in names), company
    assert len(set(names)) >= 6
    posthog = ProcessTemplate.objects.filter(name__contains="PostHog").first()
    superday = posthog.stages.get(name__contains="SuperDay")
    assert superday.is_paid
    flowfuse = ProcessTemplate.objects.get(name__contains="FlowFuse")
    take_home = flowfuse.stages.get(kind="take_home").kits.get()
    assert take_home.format == "take_home" and take_home.ai_policy == "allowed"
    assert "encourage" in take_home.ai_note
    assert [s.kind for s in flowfuse.stages.all()][-1] == "offer"
    assert flowfuse.stages.count() == 7
    monarch = ProcessTemplate.objects.filter(name__contains="Monarch Money").first()
    assert monarch.stages.get(name="Virtual onsite").kits.count() == 3
    phare = ProcessTemplate.objects.get(name__contains="Phare")
    assert phare.stages.get(name="Technical deep-dive").tracks.count() == 3
    # every company has its own templates, rubrics and both kinds of rejection reasons
    for company in Company.objects.all():
        assert ProcessTemplate.objects.filter(company=company).count() >= 3
        assert Rubric.objects.filter(company=company).count() == len(RUBRICS)
        kinds = set(RejectionReason.objects.filter(company=company).values_list("kind", flat=True))
        assert kinds == {RejectionKind.COMPANY, RejectionKind.CANDIDATE}
    assert Company.objects.count() >= 3


def test_rubrics_in_the_database_anchor_every_level_of_every_competency():
    _load()
    for competency in Competency.objects.select_related("rubric"):
        rubric = competency.rubric
        own = set(competency.anchors.values_list("score", flat=True))
        shared = set(
            LevelAnchor.objects.filter(rubric=rubric, competency__isnull=True).values_list("score", flat=True)
        )
        assert own | shared == set(rubric.scores), competency.name
        assert competency.questions.exists(), competency.name
    behavioral = Rubric.objects.filter(name=BEHAVIORAL.name).first()
    assert behavioral.competencies.count() == 6
    assert LevelAnchor.objects.filter(rubric=behavioral, competency__isnull=False).count() == 30
    assert behavioral.hire_bar.count() == 4
    assert behavioral.hire_bar.get(kind="no_critical_at_or_below").aggregation == "any"
    assert behavioral.red_flags.filter(is_blocking=True).exists()


def test_pipeline_volume_spread_and_history():
    _load()
    now = timezone.now()
    for company in Company.objects.all():
        apps_qs = Application.objects.filter(company=company)
        assert apps_qs.count() >= 150, company
        statuses = set(apps_qs.values_list("status", flat=True))
        assert {"active", "rejected", "withdrawn", "hired"} <= statuses, company
        assert apps_qs.values("stage").distinct().count() >= 8
        assert apps_qs.values("source").distinct().count() >= 5
    assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    # closed applications carry a reason of the right kind
    assert (
        not Application.objects.filter(status="rejected").exclude(rejection_reason__kind="company").exists()
    )
    assert (
        not Application.objects.filter(status="withdrawn")
        .exclude(rejection_reason__kind="candidate")
        .exists()
    )
    # stage histories span the last 90 days and end where the application is now
    span = StageChange.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    assert span["first"] >= now - timedelta(days=91)
    assert span["first"] <= now - timedelta(days=60)
    assert span["last"] <= now
    last_changes = {}
    for change in StageChange.objects.order_by("created_at", "id"):
        last_changes[change.application_id] = change
    applications = list(Application.objects.all())
    assert len(last_changes) == len(applications)
    for app in applications:
        last = last_changes[app.pk]
        assert (last.to_stage_id, last.to_status) == (app.stage_id, app.status), app.pk
        assert app.stage.job_id == app.job_id
    firsts = StageChange.objects.filter(from_stage__isnull=True)
    assert firsts.count() == len(applications)
    assert not firsts.exclude(created_at=F("application__applied_at")).exists()
    # hires only from the offer stage, and never more than the job's headcount
    assert not Application.objects.filter(status="hired").exclude(stage__kind="offer").exists()
    hires = Job.objects.annotate(hires=Count("applications", filter=Q(applications__status="hired")))
    assert not hires.filter(hires__gt=F("headcount")).exists()
    # some active applications are past their stage's SLA
    overdue = [
        a
        for a in Application.objects.filter(status="active").select_related("stage")
        if now - a.stage_entered_at > timedelta(days=a.stage.sla_days)
    ]
    assert overdue


def test_interviews_and_scorecards_are_consistent():
    _load()
    now = timezone.now()
    # interviews stay inside one company and run kits of the application's own job
    assert not Interview.objects.exclude(company=F("application__company")).exists()
    assert not Interview.objects.exclude(kit__stage__job=F("application__job")).exists()
    assert not Scorecard.objects.exclude(interviewer__company=F("company")).exists()
    assert not Scorecard.objects.exclude(interview__company=F("company")).exists()
    # submitted scorecards rate every competency of the kit's rubric, on its scale, with evidence
    submitted = Scorecard.objects.filter(status=ScorecardStatus.SUBMITTED)
    assert submitted.count() >= 300
    assert not submitted.filter(recommendation="").exists()
    for sc in submitted.select_related("interview__kit").prefetch_related("ratings")[:200]:
        rubric_competencies = set(
            Competency.objects.filter(rubric_id=sc.interview.kit.rubric_id).values_list("pk", flat=True)
        )
        assert {r.competency_id for r in sc.ratings.all()} == rubric_competencies
        for r in sc.ratings.all():
            assert r.score is None or (r.scale_min <= r.score <= r.scale_max and r.evidence)
    assert not Rating.objects.exclude(competency__rubric=F("scorecard__interview__kit__rubric")).exists()
    # scores follow the outcome: hired candidates scored higher than those rejected after interviews
    hired = Rating.objects.filter(scorecard__interview__application__status="hired").aggregate(a=Avg("score"))
    rejected = Rating.objects.filter(scorecard__interview__application__status="rejected").aggregate(
        a=Avg("score")
    )
    assert hired["a"] > rejected["a"] + 0.5
    # lenient and severe interviewers differ, so calibration has something to show
    by_interviewer = dict(
        Rating.objects.filter(scorecard__interviewer__user__username__in=["larkspur.theo", "larkspur.sofia"])
        .values_list("scorecard__interviewer__user__username")
        .annotate(a=Avg("score"))
    )
    assert by_interviewer["larkspur.theo"] > by_interviewer["larkspur.sofia"] + 0.8
    # some scorecards are overdue: the interview ended, the scorecard is still a draft
    assert Scorecard.objects.filter(status=ScorecardStatus.DRAFT, interview__ends_at__lt=now).exists()
    # used rubrics are locked
    assert not Rubric.objects.filter(
        kits__interviews__scorecards__status="submitted", locked_at__isnull=True
    ).exists()
    # completed interviews are in the past, scheduled ones in the future
    assert not Interview.objects.filter(status=InterviewStatus.COMPLETED, ends_at__gt=now).exists()
    assert not Interview.objects.filter(status=InterviewStatus.SCHEDULED, starts_at__lt=now).exists()


def test_demo_interviewer_has_upcoming_interviews_and_a_scorecard_to_write():
    _load()
    now = timezone.now()
    member = Membership.objects.get(user__username="interviewer")
    upcoming = Interview.objects.filter(scorecards__interviewer=member, starts_at__gt=now)
    assert upcoming.count() >= 2
    owed = Scorecard.objects.filter(
        interviewer=member, status=ScorecardStatus.DRAFT, interview__ends_at__lt=now
    )
    assert owed.exists()
    assert member.scorecards.filter(status=ScorecardStatus.SUBMITTED).count() >= 10


def test_stage_decisions_sit_next_to_the_hire_bar_verdict():
    _load()
    decisions = list(Decision.objects.select_related("application", "stage"))
    assert len(decisions) >= 200
    for decision in decisions:
        assert decision.stage.job_id == decision.application.job_id
        assert decision.verdict_snapshot
        assert decision.verdict_passed == all(c["passed"] for c in decision.verdict_snapshot)
        assert decision.against_verdict == (
            (decision.outcome == DecisionOutcome.ADVANCE) != decision.verdict_passed
        )
        assert not decision.against_verdict or decision.reason
    # most decisions follow the verdict, a few go against it with a written reason
    against = sum(d.against_verdict for d in decisions)
    assert 0 < against < len(decisions) * 0.25
    # decisions are dated when the stage ended, not when the demo was loaded
    assert Decision.objects.aggregate(m=Min("decided_at"))["m"] < timezone.now() - timedelta(days=30)


def test_generation_is_deterministic():
    # given a loaded company and a fixed moment
    _load()
    company = Company.objects.get(slug=COMPANIES[0].slug)
    members = {m.user.username: m for m in company.memberships.select_related("user")}
    members = {p.username: members[p.username] for p in PEOPLE if p.username in members}
    jobs_by_title = {j.title: j for j in Job.objects.filter(company=company).select_related("hiring_manager")}
    jobs = [(jobs_by_title[jd.title], jd) for jd in COMPANIES[0].jobs]
    reasons = list(RejectionReason.objects.filter(company=company).order_by("pk"))
    loaded = LoadedCompany(company, COMPANIES[0], members, jobs, reasons)
    now = timezone.now()

    def generate():
        rows = PipelineGenerator(loaded, now=now, seed=7, focus=members["interviewer"]).generate()
        return (
            [(c.name, c.email) for c in rows.candidates],
            [(a.job_id, a.stage_id, a.status, a.applied_at) for a in rows.applications],
            [r.score for r in rows.ratings],
        )

    # when the pipeline is generated twice with the same seed, then it is the same
    assert generate() == generate()


def test_demo_templates_and_jobs_carry_the_questionnaire():
    from hiring.models import Job, KnockoutAction, Question

    _load()
    job = Job.objects.filter(template__isnull=False).first()
    questions = list(Question.objects.filter(job=job))
    assert [q.kind for q in questions] == ["yes_no", "number", "single_choice", "url", "long_text"]
    assert questions[0].knockout_answer == "no" and questions[0].knockout_action == KnockoutAction.FLAG
    rejecting = questions[2]
    assert rejecting.knockout_action == KnockoutAction.REJECT and rejecting.rejection_reason is not None
    assert rejecting.choices.filter(is_knockout=True).count() == 1
    assert Question.objects.filter(template=job.template).count() == 5
