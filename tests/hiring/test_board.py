"""The pipeline board of a job: columns, cards, the status switch, pages, moves and who may do what."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Application, ApplicationStatus, Candidate, StageChange
from hiring.tagging import tag_names_split, tags_add_by_name
from interviews.models import InterviewStatus, Recommendation, ScorecardStatus
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    RejectionReasonFactory,
)
from tests.interviews.factories import InterviewFactory, ScorecardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(company):
    job = JobFactory(company=company, title="Backend engineer")
    for position, name in enumerate(["Screen", "Technical", "Offer"]):
        JobStageFactory(job=job, position=position, name=name, sla_days=5)
    return job


def stages(job):
    return list(job.stages.order_by("position", "id"))


def board_url(job, **query):
    url = reverse("admin:hiring_job_board", args=[job.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def move_url(job):
    return reverse("admin:hiring_job_board_move", args=[job.pk])


def apply(job, stage, *, name=None, days=0, status=ApplicationStatus.ACTIVE, tags="", **extra):
    entered = timezone.now() - datetime.timedelta(days=days)
    candidate = CandidateFactory(company=job.company, name=name or "Some One")
    tags_add_by_name(company_id=job.company_id, names_by_candidate={candidate.pk: tag_names_split(tags)})
    if status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
        extra.setdefault("rejection_reason", RejectionReasonFactory(company=job.company))
    if status == ApplicationStatus.HIRED:
        extra.setdefault("hired_at", entered)
    return ApplicationFactory(
        company=job.company,
        job=job,
        candidate=candidate,
        stage=stage,
        status=status,
        applied_at=entered,
        stage_entered_at=entered,
        **extra,
    )


def many(job, stage, count, *, start=0):
    """`count` applications in `stage`, in bulk, entered one minute apart (oldest first)."""
    base = timezone.now() - datetime.timedelta(days=1)
    candidates = Candidate.objects.bulk_create(
        Candidate(
            company=job.company,
            name=f"Bulk {stage.pk}-{start + i:03d}",
            email=f"b{stage.pk}-{start + i}@x.org",
        )
        for i in range(count)
    )
    Application.objects.bulk_create(
        Application(
            company=job.company,
            job=job,
            candidate=c,
            stage=stage,
            applied_at=base,
            stage_entered_at=base + datetime.timedelta(minutes=start + i),
        )
        for i, c in enumerate(candidates)
    )


def card(html: str, application) -> str:
    match = re.search(
        rf'<li class="board-card[^"]*" id="card-{application.pk}".*?(?=<li class="board-card|</ol>)',
        html,
        re.S,
    )
    assert match, f"no card for application {application.pk}"
    return match.group(0)


def column(html: str, stage) -> str:
    match = re.search(rf'<section class="board-column" id="column-{stage.pk}".*?</section>', html, re.S)
    assert match
    return match.group(0)


# --- the page -----------------------------------------------------------------------------------


def test_columns_follow_the_plan_with_their_counts(recruiter_client, job):
    screen, technical, offer = stages(job)
    apply(job, technical, name="Ada Lovelace")
    apply(job, technical, name="Alan Turing")
    apply(job, screen, name="Grace Hopper")
    apply(job, screen, name="Rejected Person", status=ApplicationStatus.REJECTED)

    html = recruiter_client.get(board_url(job)).content.decode()

    titles = re.findall(
        r'<h2 id="column-title-\d+">\d+\. (\w+) <span class="board-count" data-count="(\d+)"', html
    )
    assert titles == [("Screen", "1"), ("Technical", "2"), ("Offer", "0")]
    assert "Ada Lovelace" in column(html, technical) and "Grace Hopper" in column(html, screen)
    assert "Rejected Person" not in html  # active applications by default


def test_the_switch_shows_the_other_statuses(recruiter_client, job):
    screen, technical, _ = stages(job)
    apply(job, screen, name="Still Active")
    apply(job, technical, name="Was Rejected", status=ApplicationStatus.REJECTED)
    apply(job, technical, name="On Hold", status=ApplicationStatus.ON_HOLD)
    apply(job, technical, name="Got Hired", status=ApplicationStatus.HIRED)

    active = recruiter_client.get(board_url(job)).content.decode()
    rejected = recruiter_client.get(board_url(job, status="rejected")).content.decode()
    on_hold = recruiter_client.get(board_url(job, status="on_hold")).content.decode()

    assert "Still Active" in active and "Was Rejected" not in active and "On Hold" not in active
    assert "Was Rejected" in column(rejected, technical) and "Still Active" not in rejected
    assert "On Hold" in on_hold and "Got Hired" not in on_hold
    assert '<strong aria-current="page">Rejected (1)</strong>' in rejected
    assert f'href="{board_url(job, status="hired")}">Hired (1)</a>' in active
    # an unknown status shows the active board
    assert "Still Active" in recruiter_client.get(board_url(job, status="nonsense")).content.decode()


def test_each_column_shows_fifty_cards_and_the_next_page_the_51st(recruiter_client, job):
    screen, technical, _ = stages(job)
    many(job, screen, 51)
    many(job, technical, 3)

    first = recruiter_client.get(board_url(job)).content.decode()
    col = column(first, screen)
    assert col.count('id="card-') == 50
    assert f"Bulk {screen.pk}-049" in col and f"Bulk {screen.pk}-050" not in col  # oldest first
    more = f"{board_url(job)}?status=active&amp;column={screen.pk}&amp;page=2"
    assert more in col and "cards 1–50 of 51" in col
    assert "Show more" not in column(first, technical)

    second = recruiter_client.get(board_url(job, status="active", column=screen.pk, page=2)).content.decode()
    col = column(second, screen)
    assert col.count('id="card-') == 1 and f"Bulk {screen.pk}-050" in col
    assert "Show the previous page" in col
    assert column(second, technical).count('id="card-') == 3  # other columns stay on page 1
    # a page past the end shows the last one
    past = recruiter_client.get(board_url(job, status="active", column=screen.pk, page=9)).content.decode()
    assert f"Bulk {screen.pk}-050" in column(past, screen)


def test_a_card_past_its_stage_sla_is_marked_in_words_and_class(recruiter_client, job):
    screen = stages(job)[0]
    late = apply(job, screen, name="Late Card", days=8)
    fresh = apply(job, screen, name="Fresh Card", days=2)

    html = recruiter_client.get(board_url(job)).content.decode()

    late_card, fresh_card = card(html, late), card(html, fresh)
    assert "board-card-late" in late_card and "past the 5-day SLA" in late_card
    assert "8 days in stage" in late_card
    assert "board-card-late" not in fresh_card and "SLA" not in fresh_card
    assert "2 days in stage" in fresh_card


def test_a_card_counts_scorecards_done_and_owed_and_shows_the_latest_recommendation(recruiter_client, job):
    technical = stages(job)[1]
    application = apply(job, technical, name="Scored Card", tags="python, remote ,, senior")
    other = apply(job, technical, name="Unscored Card")
    held = InterviewFactory(
        application=application,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        status=InterviewStatus.COMPLETED,
    )
    now = timezone.now()
    ScorecardFactory(
        interview=held,
        status=ScorecardStatus.SUBMITTED,
        recommendation=Recommendation.NO,
        submitted_at=now - datetime.timedelta(hours=5),
    )
    ScorecardFactory(
        interview=held,
        status=ScorecardStatus.SUBMITTED,
        recommendation=Recommendation.STRONG_YES,
        submitted_at=now - datetime.timedelta(hours=1),
    )
    ScorecardFactory(interview=held)  # a draft of a held interview: owed
    upcoming = InterviewFactory(application=application, starts_at=now + datetime.timedelta(days=2))
    ScorecardFactory(interview=upcoming)  # not held yet: not owed
    cancelled = InterviewFactory(
        application=application, starts_at=now - datetime.timedelta(days=3), status=InterviewStatus.CANCELLED
    )
    ScorecardFactory(interview=cancelled)  # a cancelled interview owes nothing

    html = recruiter_client.get(board_url(job)).content.decode()

    scored = card(html, application)
    assert "Scorecards: 2 done, 1 owed" in scored
    assert "Latest recommendation: <strong>Strong yes</strong>" in scored
    assert re.findall(r"<li>([^<]+)</li>", scored) == ["python", "remote", "senior"]
    unscored = card(html, other)
    assert "Scorecards: 0 done, 0 owed" in unscored and "Latest recommendation" not in unscored


def test_the_latest_recommendation_is_hidden_from_a_reader_who_still_owes_a_scorecard(
    recruiter, recruiter_client, job, company
):
    technical = stages(job)[1]
    application = apply(job, technical, name="Independent Card")
    held = InterviewFactory(application=application, starts_at=timezone.now() - datetime.timedelta(hours=3))
    ScorecardFactory(
        interview=held,
        status=ScorecardStatus.SUBMITTED,
        recommendation=Recommendation.YES,
        submitted_at=timezone.now(),
    )
    ScorecardFactory(
        interview=held, interviewer=recruiter.memberships.get(company=company)
    )  # theirs, a draft

    html = recruiter_client.get(board_url(job)).content.decode()

    assert "Latest recommendation" not in card(html, application)
    assert "Scorecards: 1 done, 1 owed" in card(html, application)


def test_the_page_keeps_the_csp_strict_and_links_the_application_page(recruiter_client, job):
    application = apply(job, stages(job)[0], name="Linked Card")

    html = recruiter_client.get(board_url(job)).content.decode()

    assert reverse("admin:hiring_application_change", args=[application.pk]) in card(html, application)
    assert "style=" not in html.split('id="content-main"', 1)[1]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "/static/hireloop/board.js" in html and "/static/hireloop/board.css" in html


def test_the_job_list_and_the_job_page_link_the_board(recruiter_client, job):
    url = board_url(job)
    assert url in recruiter_client.get(reverse("admin:hiring_job_changelist")).content.decode()
    assert url in recruiter_client.get(reverse("admin:hiring_job_change", args=[job.pk])).content.decode()


# --- query count --------------------------------------------------------------------------------


def _board_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_board_runs_the_same_queries_for_n_and_2n_applications_per_stage(recruiter_client, job):
    plan = stages(job)

    def grow(start):
        for stage in plan:
            many(job, stage, 30, start=start)
            first = Application.objects.filter(stage=stage).order_by("id").first()
            interview = InterviewFactory(
                application=first, starts_at=timezone.now() - datetime.timedelta(days=1)
            )
            ScorecardFactory(
                interview=interview,
                status=ScorecardStatus.SUBMITTED,
                recommendation=Recommendation.YES,
                submitted_at=timezone.now(),
            )
            ScorecardFactory(interview=interview)

    grow(0)
    recruiter_client.get(board_url(job))  # warm-up
    n = _board_queries(recruiter_client, board_url(job))
    grow(30)  # 60 per stage: more than a page in every column
    two_n = _board_queries(recruiter_client, board_url(job))
    assert n == two_n, f"{n} queries for N, {two_n} for 2N"
    assert _board_queries(recruiter_client, board_url(job, column=plan[0].pk, page=2)) == n


# --- moves --------------------------------------------------------------------------------------


def post_move(client, job, application, *, json=True, **fields):
    data = {
        "application": application.pk,
        "expected_stage_id": application.stage_id,
        "expected_status": application.status,
        **fields,
    }
    headers = {"Accept": "application/json"} if json else {}
    return client.post(move_url(job), data, headers=headers)


def test_a_drag_moves_the_card_through_the_move_service(recruiter, recruiter_client, job):
    screen, technical, _ = stages(job)
    application = apply(job, screen, name="Dragged Card")

    response = post_move(recruiter_client, job, application, move="move", to_stage=technical.pk)

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "application": application.pk,
        "stage_id": technical.pk,
        "stage_name": "Technical",
        "status": "active",
        "message": "Dragged Card: active, now in Technical.",
    }
    application.refresh_from_db()
    assert application.stage_id == technical.pk
    change = StageChange.objects.get(application=application)
    assert (change.from_stage_id, change.to_stage_id, change.actor_id) == (
        screen.pk,
        technical.pk,
        recruiter.pk,
    )


def test_advance_and_reject_buttons_without_javascript_redirect_to_the_board(recruiter_client, job):
    screen, technical, _ = stages(job)
    advanced = apply(job, screen, name="Advanced Card")
    rejected = apply(job, screen, name="Rejected Card")
    reason = RejectionReasonFactory(company=job.company, name="Not enough experience")

    response = post_move(
        recruiter_client, job, advanced, json=False, move="advance", next=board_url(job, status="active")
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(job, status='active')}#card-{advanced.pk}"
    response = post_move(recruiter_client, job, rejected, json=False, move="reject", reason=reason.pk)
    assert response["Location"] == f"{board_url(job)}#card-{rejected.pk}"

    advanced.refresh_from_db()
    rejected.refresh_from_db()
    assert advanced.stage_id == technical.pk
    assert (rejected.status, rejected.rejection_reason_id) == (ApplicationStatus.REJECTED, reason.pk)
    html = recruiter_client.get(board_url(job)).content.decode()
    assert "Rejected Card: rejected, now in Screen." in html


def test_a_refused_move_answers_its_reason_as_json(recruiter_client, job):
    screen, technical, offer = stages(job)
    last = apply(job, offer, name="Last Stage Card")
    skipping = apply(job, screen, name="Skipping Card")
    stale = apply(job, screen, name="Stale Card")
    seen = Application.objects.get(pk=stale.pk)
    post_move(recruiter_client, job, stale, move="advance")  # someone else moved it meanwhile

    cases = [
        (
            post_move(recruiter_client, job, last, move="advance"),
            "Offer is the last stage: hire or reject from here.",
        ),
        (
            post_move(recruiter_client, job, skipping, move="move", to_stage=offer.pk),
            "Moving to Offer skips Technical: add a note saying why.",
        ),
        (
            post_move(recruiter_client, job, seen, move="move", to_stage=technical.pk),
            "Someone else moved this application meanwhile (it is now active in Technical).",
        ),
        (post_move(recruiter_client, job, skipping, move="reject"), "Choose a reason"),
    ]
    for response, reason in cases:
        assert response.status_code in (400, 409)
        assert response.json()["ok"] is False
        assert reason in response.json()["error"]
    last.refresh_from_db()
    skipping.refresh_from_db()
    assert (last.stage_id, skipping.stage_id, skipping.status) == (offer.pk, screen.pk, "active")


def test_a_refused_move_without_javascript_shows_its_reason_on_the_board(recruiter_client, job):
    offer = stages(job)[2]
    last = apply(job, offer, name="Last Stage Card")

    response = post_move(recruiter_client, job, last, json=False, move="advance")

    assert response.status_code == 302 and response["Location"].endswith(f"#card-{last.pk}")
    html = recruiter_client.get(response["Location"]).content.decode()
    assert (
        "Last Stage Card: the move was not made. Offer is the last stage: hire or reject from here." in html
    )


def test_a_next_address_off_the_board_is_ignored(recruiter_client, job):
    application = apply(job, stages(job)[0])
    response = post_move(
        recruiter_client, job, application, json=False, move="advance", next="https://evil.example/"
    )
    assert response["Location"] == f"{board_url(job)}#card-{application.pk}"


# --- who may see and move -----------------------------------------------------------------------


def test_another_companys_user_finds_neither_the_board_nor_its_moves(
    admin_client_for, other_company_admin, job
):
    application = apply(job, stages(job)[0])
    client = admin_client_for(other_company_admin)

    assert client.get(board_url(job)).status_code == 404
    assert post_move(client, job, application, move="advance").status_code == 404
    application.refresh_from_db()
    assert application.stage_id == stages(job)[0].pk


def test_an_application_of_another_job_or_company_cannot_be_moved_from_this_board(
    recruiter_client, job, other_company
):
    mine_elsewhere = apply(
        JobFactory(company=job.company), JobStageFactory(company=job.company), name="Other Job"
    )
    other_job = JobFactory(company=other_company)
    theirs = apply(other_job, JobStageFactory(job=other_job))

    assert post_move(recruiter_client, job, mine_elsewhere, move="advance").status_code == 404
    assert post_move(recruiter_client, job, theirs, move="advance").status_code == 404
    assert recruiter_client.post(move_url(job), {"application": "x"}).status_code == 404


def test_an_interviewer_neither_sees_the_board_nor_moves(interviewer_client, job):
    application = apply(job, stages(job)[0])

    assert interviewer_client.get(board_url(job)).status_code in (403, 404)
    assert post_move(interviewer_client, job, application, move="advance").status_code in (403, 404)
    application.refresh_from_db()
    assert application.stage_id == stages(job)[0].pk


def test_a_hiring_manager_of_the_company_moves_from_the_board(manager_client, job):
    screen, technical, _ = stages(job)
    application = apply(job, screen, name="Managed Card")

    html = manager_client.get(board_url(job)).content.decode()
    assert 'draggable="true"' in card(html, application)
    response = post_move(manager_client, job, application, move="advance")

    assert response.status_code == 200 and response.json()["stage_id"] == technical.pk


def test_moving_needs_a_post(recruiter_client, job):
    assert recruiter_client.get(move_url(job)).status_code == 403


def test_a_card_escapes_what_the_candidate_wrote(recruiter_client, job):
    application = apply(job, stages(job)[0], name='<img src=x onerror="alert(1)">', tags='<b>bold</b>, x"y')

    html = card(recruiter_client.get(board_url(job)).content.decode(), application)

    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "<li>&lt;b&gt;bold&lt;/b&gt;</li><li>x&quot;y</li>" in html
