"""What each role reaches through the admin URLs of interviews and scorecards, in and across companies."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def member(user):
    return user.memberships.get()


def _submit(card):
    scorecard_submit(
        scorecard=card,
        ratings=[RatingInput(c.pk, 4, "ok") for c in card.interview.kit.rubric.competencies.all()],
        recommendation="yes",
    )


def _interview(company, members, *, hours_ago=2):
    application, kits = interview_setup(company)
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    return interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=members,
    )


@pytest.fixture
def world(company, other_company, interviewer, other_company_admin):
    colleague = MembershipFactory(company=company, role=Role.INTERVIEWER)
    mine = _interview(company, [member(interviewer), colleague])
    _submit(mine.scorecards.get(interviewer=colleague))
    not_mine = _interview(company, [colleague])
    _submit(not_mine.scorecards.get())
    foreign = _interview(other_company, [member(other_company_admin)])
    _submit(foreign.scorecards.get())
    return {"mine": mine, "not_mine": not_mine, "foreign": foreign, "colleague": colleague}


def urls_of(interview):
    return {
        "change": reverse("admin:interviews_interview_change", args=[interview.pk]),
        "ics": reverse("admin:interviews_interview_ics", args=[interview.pk]),
    }


def card_url(card):
    return reverse("admin:interviews_scorecard_change", args=[card.pk])


def test_interviewer_reaches_only_their_interviews(world, interviewer_client):
    for key in ("not_mine", "foreign"):
        for name, url in urls_of(world[key]).items():
            assert interviewer_client.get(url).status_code == 404, (key, name)
        for card in world[key].scorecards.all():
            assert interviewer_client.get(card_url(card)).status_code == 404, key
    mine = urls_of(world["mine"])
    assert interviewer_client.get(mine["change"]).status_code == 200
    ics = interviewer_client.get(mine["ics"])
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content


def test_interviewer_lists_show_only_their_rows(world, interviewer, interviewer_client):
    # the interview list sends people who only interview to "My interviews"
    response = interviewer_client.get(reverse("admin:interviews_interview_changelist"))
    assert response.status_code == 302 and response["Location"] == reverse("admin:interviews_interview_my")
    listing = interviewer_client.get(reverse("admin:interviews_scorecard_changelist"))
    assert list(listing.context["cl"].queryset) == [
        world["mine"].scorecards.get(interviewer=member(interviewer))
    ]


def test_interviewer_reads_colleagues_scorecard_only_after_submitting(world, interviewer, interviewer_client):
    theirs = world["mine"].scorecards.get(interviewer=world["colleague"])
    assert interviewer_client.get(card_url(theirs)).status_code == 404
    _submit(world["mine"].scorecards.get(interviewer=member(interviewer)))
    assert interviewer_client.get(card_url(theirs)).status_code == 200


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "manager_client", "company_admin_client"])
def test_readers_open_submitted_scorecards_but_no_drafts_and_nothing_foreign(request, client_fixture, world):
    client = request.getfixturevalue(client_fixture)
    draft = world["mine"].scorecards.get(status="draft")
    submitted = world["mine"].scorecards.get(status="submitted")
    assert client.get(card_url(draft)).status_code == 404
    assert client.get(card_url(submitted)).status_code == 200
    listing = client.get(reverse("admin:interviews_scorecard_changelist"))
    shown = set(listing.context["cl"].queryset.values_list("pk", flat=True))
    assert draft.pk not in shown and submitted.pk in shown
    assert world["foreign"].scorecards.get().pk not in shown
    for url in urls_of(world["foreign"]).values():
        assert client.get(url).status_code == 404
    assert client.get(card_url(world["foreign"].scorecards.get())).status_code == 404
    assert client.get(urls_of(world["not_mine"])["ics"]).status_code == 200


def test_other_company_admin_sees_nothing_of_ours(world, admin_client_for, other_company_admin):
    client = admin_client_for(other_company_admin)
    for key in ("mine", "not_mine"):
        for url in urls_of(world[key]).values():
            assert client.get(url).status_code == 404
        for card in world[key].scorecards.all():
            assert client.get(card_url(card)).status_code == 404
    listing = client.get(reverse("admin:interviews_interview_changelist"))
    assert set(listing.context["cl"].queryset) == {world["foreign"]}
