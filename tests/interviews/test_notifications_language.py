"""Candidate emails in the candidate's language, the team's in English; French defaults complete."""

import pytest

from interviews.notifications.defaults import DEFAULTS
from interviews.notifications.defaults_fr import DEFAULTS_FR
from interviews.notifications.events import CANDIDATE_EVENTS
from interviews.notifications.rendering import template_errors
from interviews.notifications.templates import notification_templates_resolve
from tests.interviews.factories import NotificationTemplateFactory


def test_every_candidate_event_has_a_french_default_that_renders():
    assert set(DEFAULTS_FR) == set(CANDIDATE_EVENTS) and CANDIDATE_EVENTS <= set(DEFAULTS)
    for event, (subject, body) in DEFAULTS_FR.items():
        assert template_errors(subject, event=event) == [] and template_errors(body, event=event) == []


@pytest.mark.django_db
def test_resolve_gives_the_candidate_french_and_the_team_english(company):
    events = ["application_received", "stage_entered_team"]
    resolved = notification_templates_resolve(company.pk, events, "fr")
    assert resolved["application_received"] == DEFAULTS_FR["application_received"]
    assert resolved["stage_entered_team"] == DEFAULTS["stage_entered_team"]
    NotificationTemplateFactory(company=company, event="application_received", language="fr", subject="Salut")
    assert notification_templates_resolve(company.pk, events, "fr")["application_received"][0] == "Salut"
    assert notification_templates_resolve(company.pk, events, "en")["application_received"][0] != "Salut"


@pytest.mark.django_db
def test_a_disabled_template_switches_the_event_off_in_every_language(company):
    NotificationTemplateFactory(company=company, event="rejected", language="en", enabled=False)
    assert notification_templates_resolve(company.pk, ["rejected"], "fr")["rejected"] is None
