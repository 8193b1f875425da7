import importlib

import pytest
from django.apps import apps

from interviews.notifications import defaults
from interviews.notifications.models import NotificationTemplate
from tests.hiring.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_unedited_installed_templates_get_the_portal_link_and_edited_ones_stay():
    migration = importlib.import_module("interviews.migrations.0014_portal_events")
    company = CompanyFactory()
    subject, body = defaults.DEFAULTS["hired"]
    old = body.replace(defaults.PORTAL + defaults.SIGNATURE, defaults.SIGNATURE)
    unedited = NotificationTemplate.objects.create(company=company, event="hired", subject=subject, body=old)
    edited = NotificationTemplate.objects.create(
        company=company, event="rejected", subject="Edited", body="Our own words"
    )
    migration._portal_link_in_unedited_templates(apps, None)
    unedited.refresh_from_db()
    edited.refresh_from_db()
    assert "portal_link" in unedited.body and edited.body == "Our own words"
