"""The AI policy inside a session: no-AI blocks placed in a kit (rules, migration of the old length,
texts for the interviewer and the candidate in English and French) and the scorecard's reading of
how AI was used and whether the policy was respected."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone, translation

from careers.text import ai_policy_text
from hiring.admin.setup import KitForm
from interviews.ai_policy import NoAIBlock, ScorecardAIUse
from interviews.ai_use import AIUseInput, kit_set_no_ai_blocks
from interviews.kits import no_ai_blocks_errors, no_ai_blocks_parse
from interviews.models import AIPolicy, InterviewKit
from interviews.notifications.context import interview_context, stage_context
from interviews.services import RatingInput, interview_schedule, scorecard_save_draft, scorecard_submit
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def _kit(company, **fields):
    _, kits = interview_setup(company, competencies=1)
    kit = kits[0]
    for name, value in {
        "duration_minutes": 90,
        "ai_policy": AIPolicy.NO_AI_BLOCK,
        "no_ai_minutes": 20,
        **fields,
    }.items():
        setattr(kit, name, value)
    kit.save()
    return kit


def _fresh(kit):
    return InterviewKit.objects.prefetch_related("no_ai_blocks").get(pk=kit.pk)


# --- Blocks: rules and storage ---------------------------------------------------------------


def test_blocks_are_written_as_minute_ranges_and_must_fit_without_overlapping():
    assert no_ai_blocks_parse("70-80, 30–50") == [(30, 20), (70, 10)]
    assert no_ai_blocks_parse("  ") == []
    with pytest.raises(ValidationError, match="is not a block"):
        no_ai_blocks_parse("half time")
    with pytest.raises(ValidationError, match="ends after it starts"):
        no_ai_blocks_parse("50-30")
    assert no_ai_blocks_errors(duration_minutes=90, blocks=[(30, 20), (70, 20)]) == []
    assert "run past the end" in no_ai_blocks_errors(duration_minutes=90, blocks=[(80, 20)])[0]
    assert "overlap" in no_ai_blocks_errors(duration_minutes=90, blocks=[(30, 20), (40, 5)])[0]


def test_setting_blocks_keeps_their_total_as_the_no_ai_minutes_and_says_when(company):
    kit = _kit(company)
    kit_set_no_ai_blocks(kit=kit, blocks=[(30, 20), (60, 10)])
    kit = _fresh(kit)
    assert kit.no_ai_minutes == 30
    assert [(b.start_minute, b.end_minute) for b in kit.no_ai_blocks.all()] == [(30, 50), (60, 70)]
    assert kit.ai_policy_text() == "AI tools allowed except minutes 30–50 and 60–70 of 90 (no AI then)"
    with pytest.raises(ValidationError, match="overlap"):
        kit_set_no_ai_blocks(kit=kit, blocks=[(30, 20), (40, 5)])
    assert kit.no_ai_blocks.count() == 2  # nothing changed


def test_a_kit_without_placed_blocks_keeps_one_of_its_length_and_other_policies_none(company):
    kit = _kit(company)
    kit_set_no_ai_blocks(kit=kit, blocks=[])
    assert [(b.start_minute, b.length_minutes) for b in kit.no_ai_blocks.all()] == [(None, 20)]
    assert _fresh(kit).ai_policy_text() == "AI tools allowed except a 20-minute block without AI"
    kit.ai_policy, kit.no_ai_minutes = AIPolicy.ALLOWED, None
    kit.save()
    with pytest.raises(ValidationError, match="Only the policy"):
        kit_set_no_ai_blocks(kit=kit, blocks=[(0, 10)])
    kit_set_no_ai_blocks(kit=kit, blocks=[])
    assert not kit.no_ai_blocks.exists()


def test_the_migration_turns_each_no_ai_length_into_a_block_and_keeps_the_length(company):
    kit = _kit(company, no_ai_minutes=25)
    allowed = _kit(company, ai_policy=AIPolicy.ALLOWED, no_ai_minutes=None)
    NoAIBlock.objects.all().delete()
    migration = importlib.import_module("interviews.migrations.0018_no_ai_blocks_ai_use_and_references")
    migration.no_ai_minutes_to_blocks(apps, None)
    assert list(NoAIBlock.objects.values_list("kit_id", "start_minute", "length_minutes")) == [
        (kit.pk, None, 25)
    ]
    kit.refresh_from_db()
    assert kit.no_ai_minutes == 25 and not allowed.no_ai_blocks.exists()


def test_the_kit_form_takes_ranges_and_refuses_blocks_outside_the_session(company):
    kit = _kit(company)
    Form = modelform_factory(
        InterviewKit,
        form=KitForm,
        fields=["name", "format", "duration_minutes", "ai_policy", "no_ai_minutes"],
    )
    base = {"name": kit.name, "format": "video", "duration_minutes": "90", "ai_policy": "no_ai_block"}
    form = Form({**base, "no_ai_minutes": "", "no_ai_ranges": "30-50"}, instance=kit)
    assert form.is_valid(), form.errors
    form.save()
    kit = _fresh(kit)
    assert kit.no_ai_minutes == 20 and [b.start_minute for b in kit.no_ai_blocks.all()] == [30]
    assert Form(instance=kit).initial["no_ai_ranges"] == "30-50"
    refused = Form({**base, "no_ai_minutes": "", "no_ai_ranges": "80-100"}, instance=kit)
    assert not refused.is_valid() and "run past the end" in str(refused.errors["no_ai_ranges"])
    refused = Form({**base, "ai_policy": "allowed", "no_ai_ranges": "10-20"}, instance=kit)
    assert not refused.is_valid() and "Only the policy" in str(refused.errors["no_ai_ranges"])


# --- The candidate's texts: emails and the careers pages -------------------------------------


def test_the_candidate_emails_and_pages_name_the_minutes_without_ai_in_english_and_french(company):
    kit = _kit(company)
    kit_set_no_ai_blocks(kit=kit, blocks=[(30, 20)])
    kit = _fresh(kit)
    session = stage_context(kit.stage, [kit], [])["sessions"][0]
    assert session["ai_policy"] == "AI tools allowed except minutes 30–50 of 90 (no AI then)"
    assert session["no_ai_blocks"] == "30–50"
    blocks = list(kit.no_ai_blocks.all())
    with translation.override("fr"):
        assert ai_policy_text(kit, blocks) == "Outils d’IA bienvenus, sauf aux minutes 30–50 sur 90, sans IA"
        assert ai_policy_text(kit) == "Outils d’IA bienvenus, sauf un bloc de 20 minutes sans IA"
    assert ai_policy_text(kit, blocks) == "AI tools welcome, except minutes 30–50 of 90 without AI"


def test_the_invite_email_context_names_the_blocks(company, interviewer):
    kit = _kit(company)
    kit_set_no_ai_blocks(kit=kit, blocks=[(30, 20)])
    interview = _schedule(kit, interviewer)
    context = interview_context(interview, [])
    assert context["no_ai_blocks"] == "30–50" and "minutes 30–50 of 90" in context["ai_policy"]


# --- The interviewer's pages and the AI reading on the scorecard -----------------------------


def _schedule(kit, user, *, hours_ago=2):
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    application = kit.stage.job.applications.get()
    return interview_schedule(
        application=application,
        kit=kit,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=90),
        interviewers=[user.memberships.get()],
    )


def _card(company, interviewer, **kit_fields):
    kit = _kit(company, **kit_fields)
    if kit.ai_policy == AIPolicy.NO_AI_BLOCK:
        kit_set_no_ai_blocks(kit=kit, blocks=[(30, 20)])
    return _schedule(kit, interviewer).scorecards.get()


def test_the_scorecard_page_and_my_interviews_show_the_blocks(company, interviewer, interviewer_client):
    card = _card(company, interviewer)
    html = interviewer_client.get(
        reverse("admin:interviews_scorecard_change", args=[card.pk])
    ).content.decode()
    assert "No AI from minute 30 to minute 50 of 90" in html
    assert "How AI was used" in html and "Explained the generated code" in html
    assert "Was the AI policy respected? (including the no-AI blocks)" in html
    _schedule(card.interview.kit, interviewer, hours_ago=-24)  # an upcoming one
    html = interviewer_client.get(reverse("admin:interviews_interview_my")).content.decode()
    assert "minutes 30–50 of 90" in html


def test_a_no_ai_session_asks_only_whether_the_policy_was_respected(company, interviewer, interviewer_client):
    card = _card(company, interviewer, ai_policy=AIPolicy.NOT_ALLOWED, no_ai_minutes=None)
    html = interviewer_client.get(
        reverse("admin:interviews_scorecard_change", args=[card.pk])
    ).content.decode()
    assert "How AI was used" not in html and "Was the AI policy respected?" in html
    with pytest.raises(ValidationError, match="does not allow AI"):
        scorecard_save_draft(scorecard=card, ratings=[], ai_use=AIUseInput(uses=["verified"]))


def test_the_ai_reading_is_saved_with_drafts_and_submits_and_shown_read_only(
    company, interviewer, interviewer_client, hiring_manager
):
    card = _card(company, interviewer)
    competency = card.interview.kit.rubric.competencies.get()
    url = reverse("admin:interviews_scorecard_change", args=[card.pk])
    data = {
        f"score_{competency.pk}": "4",
        f"evidence_{competency.pk}": "Clear",
        "recommendation": "yes",
        "ai_uses": ["verified", "explained"],
        "ai_policy_respected": "yes",
        "ai_note": "Closed the assistant at minute 30.",
        "_save_draft": "1",
    }
    assert interviewer_client.post(url, data).status_code == 302
    reading = ScorecardAIUse.objects.get(scorecard=card)
    assert (reading.uses, reading.policy_respected) == (["verified", "explained"], "yes")
    assert "Closed the assistant at minute 30." in interviewer_client.get(url).content.decode()
    data.pop("_save_draft")
    data.update({"_submit": "1", "ai_uses": ["reprompted"], "ai_policy_respected": "not_observed"})
    assert interviewer_client.post(url, data).status_code == 302
    reading.refresh_from_db()
    assert (reading.uses, reading.policy_respected) == (["reprompted"], "not_observed")
    html = interviewer_client.get(url).content.decode()
    assert "Re-prompted when the output was wrong" in html and "Not observed" in html


def test_the_ai_reading_refuses_unknown_or_contradictory_answers(company, interviewer):
    card = _card(company, interviewer)
    competency = card.interview.kit.rubric.competencies.get()
    ratings = [RatingInput(competency.pk, 4, "ok")]
    for given, message in [
        (AIUseInput(uses=["magic"]), "from the list"),
        (AIUseInput(uses=["not_used", "verified"]), "cannot go with"),
        (AIUseInput(policy_respected="maybe"), "yes, no or not observed"),
    ]:
        with pytest.raises(ValidationError, match=message):
            scorecard_submit(scorecard=card, ratings=ratings, recommendation="yes", ai_use=given)
    assert not ScorecardAIUse.objects.exists()
