"""The application page as a recruiter reads it: titled with the candidate and the job, a header
with the contact details, links, résumé, source, tags and days in stage against the SLA, the next
step (moves, scheduling, decision) right under it, then the panels in reading order; empty facts
hidden; a constant and small number of queries with every panel filled."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.admin.applications import header_tags
from hiring.models import Application
from hiring.tagging import tags_add_by_name
from tests.hiring.factories import ApplicationFactory
from tests.interviews.application_page_data import full_application
from tests.interviews.test_panel_and_decision import _application_page

pytestmark = pytest.mark.django_db

# At most 15: the page itself, then the notes panel's read and the header's tags (one query each).
PAGE_BUDGET = 15


def _page(client, application):
    response = client.get(reverse("admin:hiring_application_change", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _header(html):
    return html[html.index('id="application-header"') : html.index('id="application-moves"')]


@pytest.mark.parametrize("size", [2, 4])
def test_the_full_page_stays_within_its_budget(company, manager_client, private_root, size):
    application = full_application(company, size)
    html, queries = _application_page(manager_client, application)
    # Every panel is filled: scores, track choices, hand-ins, time asked, answers, emails, timeline.
    assert html.count('<td class="hl-score">4</td>') == size * 3
    assert f"f{size - 1}.pdf" in html and f"https://example.org/{size - 1}" in html
    assert "Take-home (chosen)" in html and "Accept (new deadline)" in html
    assert f"Question number {size - 1}" in html and f"Reason {size - 1}" in html
    assert "<h2>Emails</h2>" in html and "Waiting for the budget" in html
    assert len(queries) <= PAGE_BUDGET, "\n".join(q["sql"][:150] for q in queries)


def test_the_full_page_costs_the_same_for_n_and_2n_rows(company, manager_client, private_root):
    _, small = _application_page(manager_client, full_application(company, 2, email="a@example.org"))
    _, large = _application_page(manager_client, full_application(company, 4, email="b@example.org"))
    assert len(small) == len(large), (len(small), len(large))


def test_the_page_is_titled_with_the_candidate_and_the_job(company, recruiter_client, private_root):
    application = full_application(company, 2)
    html = _page(recruiter_client, application)
    title = f"Sabas Soria — {application.job.title}"
    assert f"<h1>{title}</h1>" in html and f"<title>{title} | Hireloop</title>" in html
    assert "Application #" not in html.split("</h1>")[0]
    assert f"&rsaquo; {title}\n</div>" in html  # the breadcrumbs


def test_the_header_shows_every_contact_detail_link_and_fact(company, recruiter_client, private_root):
    application = full_application(company, 2)
    header = _header(_page(recruiter_client, application))
    assert '<a href="mailto:sabas@example.org">sabas@example.org</a>' in header
    assert "+33 6 12 34 56 78" in header and "Lyon, France" in header
    assert 'href="https://www.linkedin.com/in/sabas"' in header and ">LinkedIn<" in header
    assert 'href="https://github.com/sabas"' in header and ">GitHub<" in header
    assert 'href="https://sabas.example.org"' in header and ">Website<" in header
    download = reverse("admin:hiring_candidate_download_resume", args=[application.candidate_id])
    assert f'href="{download}"' in header and recruiter_client.get(download).status_code == 200
    assert application.get_source_display() in header
    assert '<span class="hl-tag">python</span><span class="hl-tag">remote</span>' in header
    assert "<strong>Technical</strong>" in header and "1 of 5 days (SLA)" in header
    assert "hl-overdue" not in header and "style=" not in header


def test_empty_details_are_left_out(company, recruiter_client):
    application = ApplicationFactory(company=company)
    html = _page(recruiter_client, application)
    header = _header(html)
    assert "mailto:" in header  # the email is required
    for absent in ("hl-phone", "hl-location", "LinkedIn", "GitHub", "Website", "résumé", "Tags"):
        assert absent not in header, absent
    # The form below keeps the editable source and the facts that have a value, no blank rows.
    assert 'name="source"' in html and "field-applied_at" in html
    for empty in ("rejection_reason", "rejection_note", "decided_at", "hired_at"):
        assert f"field-{empty}" not in html, empty
    for shown_above in ("candidate", "job", "stage", "status"):
        assert f"field-{shown_above} " not in html and f'field-{shown_above}"' not in html


def test_a_closed_application_shows_its_rejection_and_no_days_in_stage(company, recruiter, recruiter_client):
    from hiring.services import application_reject
    from tests.hiring.factories import RejectionReasonFactory

    application = ApplicationFactory(company=company)
    application_reject(
        application=application, reason=RejectionReasonFactory(company=company), actor=recruiter
    )
    html = _page(recruiter_client, application)
    assert "field-rejection_reason" in html and "field-decided_at" in html
    assert "Days in stage" not in _header(html)


def test_days_past_the_stage_sla_are_highlighted(company, recruiter_client):
    application = ApplicationFactory(company=company)
    sla = application.stage.sla_days
    Application.objects.filter(pk=application.pk).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=sla + 2, hours=1)
    )
    header = _header(_page(recruiter_client, application))
    assert f'<span class="hl-days hl-overdue">{sla + 2} of {sla} days (SLA) · past the SLA</span>' in header


def test_the_resume_is_offered_only_to_those_who_may_read_it(
    company, recruiter_client, interviewer_client, private_root
):
    application = full_application(company, 2)
    download = reverse("admin:hiring_candidate_download_resume", args=[application.candidate_id])
    assert download in _header(_page(recruiter_client, application))
    # Interviewers do not get the application page, nor (off the panel) the file.
    page = interviewer_client.get(reverse("admin:hiring_application_change", args=[application.pk]))
    assert page.status_code != 200 and interviewer_client.get(download).status_code == 404


def test_the_next_step_comes_before_the_panels_in_reading_order(company, manager_client, private_root):
    application = full_application(company, 2)
    html = _page(manager_client, application)
    order = [
        'id="application-header"',
        'id="application-actions"',
        'name="move" value="hold"',
        'id="application-plan"',
        'id="interviews-panel"',
        "Application questions",
        'id="portal-panel"',
        "<h2>Emails</h2>",
        'id="application-timeline"',
        'name="source"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    actions = html[html.index('id="application-actions"') : html.index('id="application-plan"')]
    schedule = reverse("admin:interviews_interview_add") + f"?application={application.pk}"
    decide = reverse("admin:interviews_decision_add") + f"?application={application.pk}"
    assert f'href="{schedule}"' in actions and f'href="{decide}"' in actions


def test_header_tags_are_the_candidates_tags_trimmed(company):
    application = ApplicationFactory(company=company)
    tags_add_by_name(
        company_id=company.pk, names_by_candidate={application.candidate_id: ["remote", "python"]}
    )
    assert header_tags(application) == ["python", "remote"]


def test_only_web_addresses_become_links(company, recruiter_client):
    application = ApplicationFactory(
        company=company,
        candidate__github_url="javascript:alert(1)",
        candidate__website_url="https://ok.example",
    )
    header = _header(_page(recruiter_client, application))
    assert "javascript:" not in header and "GitHub" not in header and 'href="https://ok.example"' in header
