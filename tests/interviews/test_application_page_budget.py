"""The application page with everything on it stays within its query budget (scale target: at most
15 queries, the session and the user included), and what the budget rests on keeps working."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from hiring.models import AccessLog, ApplicationTrack, Membership
from interviews.models import Decision, Notification
from tests.hiring.factories import TemplateStageFactory, TrackFactory
from tests.interviews.test_panel_and_decision import _application_page as _page
from tests.interviews.test_panel_and_decision import _decide, _panel

pytestmark = pytest.mark.django_db

BUDGET = 15  # the cap: the page with every panel filled, the notes panel and the header's tags


def _full_application(company, manager_client, scorecards):
    application = _panel(company, scorecards, score=2, flag=True)
    track = TrackFactory(stage=TemplateStageFactory(template__company=company), name="Take-home track")
    ApplicationTrack.objects.create(application=application, stage=application.stage, track=track)
    response = _decide(manager_client, application, outcome="advance", reason="Strong take-home; retest.")
    assert response.status_code == 302 and Decision.objects.filter(application=application).exists()
    assert Notification.objects.filter(application=application).exists()
    return application


@pytest.mark.parametrize("scorecards", [2, 8])
def test_application_page_with_every_panel_filled_stays_within_the_budget(
    company, manager_client, scorecards
):
    application = _full_application(company, manager_client, scorecards)
    html, queries = _page(manager_client, application)
    assert 'id="interviews-panel"' in html and "Score matrix" in html  # scorecards
    assert "Blamed the team" in html  # red flags
    assert "Strong take-home; retest." in html  # the decision
    assert "track chosen: Take-home track" in html  # the plan with the chosen track
    assert "<h2>Emails</h2>" in html and 'id="application-timeline"' in html
    assert len(queries) <= BUDGET, "\n".join(q["sql"][:120] for q in queries)
    # The user's roles come with the user (hiring.auth); the access log reuses the page's object.
    assert not [q for q in queries if q["sql"].startswith('SELECT "hiring_membership"')]
    log = AccessLog.objects.filter(object_type="hiring.application", object_id=str(application.pk)).last()
    assert log is not None and log.company_id == company.pk


def test_the_page_reads_the_application_once(company, manager_client):
    application = _full_application(company, manager_client, 2)
    _, queries = _page(manager_client, application)
    reads = [q for q in queries if q["sql"].startswith('SELECT "hiring_application"."id"')]
    assert len(reads) == 1, [q["sql"][:200] for q in reads]


def test_a_removed_membership_counts_at_the_next_request(company, hiring_manager, manager_client):
    application = _panel(company, 2)
    url = reverse("admin:hiring_application_change", args=[application.pk])
    assert manager_client.get(url).status_code == 200
    Membership.objects.filter(user=hiring_manager).delete()
    assert manager_client.get(url).status_code in (302, 403, 404)


@pytest.mark.parametrize(
    ("codename", "url_name"),
    [
        ("view_periodictask", "admin:django_celery_beat_periodictask_changelist"),
        ("change_user", "admin:auth_user_changelist"),
        ("view_accessattempt", "admin:axes_accessattempt_changelist"),
    ],
)
def test_platform_pages_are_for_superusers_whatever_permissions_a_company_user_holds(
    company_admin, company_admin_client, superuser_client, codename, url_name
):
    company_admin.user_permissions.add(Permission.objects.get(codename=codename))
    url = reverse(url_name)
    assert company_admin_client.get(url).status_code == 403
    assert url not in company_admin_client.get(reverse("admin:index")).content.decode()
    assert superuser_client.get(url).status_code == 200
