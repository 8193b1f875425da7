"""A move posted from a page that no longer shows the application's state (a stale tab) is refused.

Every move form carries the stage and status it showed; the move services refuse, under their
row lock, a move whose expectation no longer holds. One move, one clear refusal, one history row.
"""

import re

import pytest
from django.urls import reverse

from hiring.models import Application, ApplicationStatus, RejectionKind, StageChange
from hiring.services import (
    MoveError,
    application_advance,
    application_check_expected,
    application_create,
    application_hire,
    application_hold,
    application_move,
    application_reject,
    application_resume,
    application_withdraw,
)
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory, RejectionReasonFactory

pytestmark = pytest.mark.django_db

MEANWHILE = "Someone else moved this application meanwhile"


@pytest.fixture
def job(company):
    job = JobFactory(company=company, title="Backend engineer")
    for i in range(4):
        JobStageFactory(job=job, position=i, name=f"S{i}")
    return job


@pytest.fixture
def application(job, recruiter):
    return application_create(
        candidate=CandidateFactory(company=job.company), job=job, source="referral", actor=recruiter
    )


@pytest.fixture
def reasons(company):
    return {
        "reject": RejectionReasonFactory(
            company=company, name="Not enough depth", kind=RejectionKind.COMPANY
        ),
        "withdraw": RejectionReasonFactory(
            company=company, name="Took another offer", kind=RejectionKind.CANDIDATE
        ),
    }


def page(client, application) -> str:
    url = reverse("admin:hiring_application_change", args=[application.pk])
    return client.get(url).content.decode()


def seen_state(html: str) -> dict:
    """The hidden fields of the move form, as a tab that loaded the page would post them."""
    form = html.split('class="move-form"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="(expected_[a-z_]+)" value="([^"]*)">', form))


def post_move(client, application, seen, **data):
    url = reverse("admin:hiring_application_move", args=[application.pk])
    # Followed, as a browser does: the application page shows (and uses up) the messages.
    response = client.post(url, {**seen, **data}, follow=True)
    return response, [str(m) for m in response.context["messages"]]


def moves_of(application) -> int:
    return StageChange.objects.filter(application=application).exclude(from_stage=None).count()


def test_the_move_form_carries_the_stage_and_status_it_shows(recruiter_client, application):
    assert seen_state(page(recruiter_client, application)) == {
        "expected_stage_id": str(application.stage_id),
        "expected_status": "active",
    }


def test_two_stale_tabs_advancing_make_one_move_and_one_clear_refusal(recruiter_client, application):
    # given two tabs showing the application in S0
    tab_a = seen_state(page(recruiter_client, application))
    tab_b = seen_state(page(recruiter_client, application))

    # when both click "Advance", one after the other
    _, said_a = post_move(recruiter_client, application, tab_a, move="advance")
    _, said_b = post_move(recruiter_client, application, tab_b, move="advance")

    # then the candidate moved one stage, the second tab was told why nothing happened
    application.refresh_from_db()
    assert application.stage.name == "S1"
    assert said_a == [f"{application.candidate.name}: active, now in S1."]
    assert said_b == [f"{MEANWHILE} (it is now active in S1). Reload and try again."]
    assert moves_of(application) == 1


def _someone_else(move, application, recruiter, reasons):
    """The move another person makes while the stale tab stays open."""
    if move == "hold":
        application_hold(application=application, actor=recruiter)
    elif move == "reject":
        application_reject(application=application, reason=reasons["reject"], actor=recruiter)
    else:
        application_advance(application=application, actor=recruiter)


# (what the other person did, what the stale tab then posts, extra fields of the stale post):
# each post would be accepted in the application's new state, so only the expectation refuses it.
STALE_POSTS = [
    ("advance", "advance", {}),
    ("advance", "move", {"to_stage": 2}),
    ("hold", "reject", {"reason": "reject"}),
    ("advance", "withdraw", {"reason": "withdraw"}),
    ("advance", "hold", {}),
]


@pytest.mark.parametrize(("meanwhile", "stale_move", "extra"), STALE_POSTS)
def test_a_stale_tab_is_refused_for_every_move(
    recruiter_client, recruiter, application, job, reasons, meanwhile, stale_move, extra
):
    # given a tab opened while the application was active in S0
    seen = seen_state(page(recruiter_client, application))
    # and someone else's move since
    _someone_else(meanwhile, Application.objects.get(pk=application.pk), recruiter, reasons)
    before = Application.objects.get(pk=application.pk)
    data = {"move": stale_move}
    if "to_stage" in extra:
        data["to_stage"] = job.stages.get(position=extra["to_stage"]).pk
    if "reason" in extra:
        data["reason"] = reasons[extra["reason"]].pk

    # when the stale tab posts its move
    _, said = post_move(recruiter_client, application, seen, **data)

    # then it is refused in words and the application stays where the other move left it
    assert len(said) == 1 and said[0].startswith(MEANWHILE), said
    after = Application.objects.get(pk=application.pk)
    assert (after.stage_id, after.status) == (before.stage_id, before.status)
    assert moves_of(application) == 1


def test_a_stale_tab_resuming_an_application_held_again_elsewhere_is_refused(
    recruiter_client, recruiter, application
):
    # given a tab showing the application on hold in S0
    application_hold(application=application, actor=recruiter)
    seen = seen_state(page(recruiter_client, application))
    assert seen["expected_status"] == "on_hold"
    # and someone who resumed it, advanced it and held it again in S1
    application_resume(application=application, actor=recruiter)
    application_advance(application=application, actor=recruiter)
    application_hold(application=application, actor=recruiter)

    _, said = post_move(recruiter_client, application, seen, move="resume")

    assert said[0].startswith(MEANWHILE)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ON_HOLD and application.stage.name == "S1"


def test_a_tab_that_is_up_to_date_still_moves(recruiter_client, recruiter, application):
    application_advance(application=application, actor=recruiter)
    seen = seen_state(page(recruiter_client, application))
    _, said = post_move(recruiter_client, application, seen, move="advance")
    application.refresh_from_db()
    assert application.stage.name == "S2" and said == [f"{application.candidate.name}: active, now in S2."]


@pytest.mark.parametrize("service", ["advance", "move", "reject", "withdraw", "hold", "resume", "hire"])
def test_every_move_service_refuses_a_stale_expectation_and_writes_nothing(
    recruiter, application, job, reasons, service
):
    # given an application in a state where the move is allowed
    stages = list(job.stages.order_by("position"))
    if service == "resume":
        application_hold(application=application, actor=recruiter)
    if service == "hire":
        application_move(application=application, to_stage=stages[-1], actor=recruiter, note="Fast track")
    fresh = Application.objects.get(pk=application.pk)
    count = StageChange.objects.filter(application=application).count()
    calls = {
        "advance": lambda **kw: application_advance(**kw),
        "move": lambda **kw: application_move(to_stage=stages[2], note="skip", **kw),
        "reject": lambda **kw: application_reject(reason=reasons["reject"], **kw),
        "withdraw": lambda **kw: application_withdraw(reason=reasons["withdraw"], **kw),
        "hold": lambda **kw: application_hold(**kw),
        "resume": lambda **kw: application_resume(**kw),
        "hire": lambda **kw: application_hire(**kw),
    }
    other_stage = next(s for s in stages if s.pk != fresh.stage_id)
    other_status = "active" if fresh.status != "active" else "on_hold"

    # when the caller expects another stage, or another status, than the application's
    for expected in ({"expected_stage_id": other_stage.pk}, {"expected_status": other_status}):
        with pytest.raises(MoveError, match=MEANWHILE):
            calls[service](application=fresh, actor=recruiter, **expected)

    # then nothing moved; with the right expectation the move is made
    assert StageChange.objects.filter(application=application).count() == count
    calls[service](
        application=fresh, actor=recruiter, expected_stage_id=fresh.stage_id, expected_status=fresh.status
    )
    assert StageChange.objects.filter(application=application).count() == count + 1


def test_check_expected_accepts_a_partial_expectation(application):
    application_check_expected(application=application)
    application_check_expected(application=application, expected_stage_id=application.stage_id)
    application_check_expected(application=application, expected_status="active")
    with pytest.raises(MoveError, match=r"it is now active in S0"):
        application_check_expected(application=application, expected_status="on_hold")
