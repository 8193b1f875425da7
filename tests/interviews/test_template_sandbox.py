"""Notification templates: shown as text in the admin, {% filter %} as documented, bounded size."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils.safestring import SafeData

from hiring.services import application_advance, application_create
from interviews.models import Notification, NotificationTemplate
from interviews.notifications import delivery
from interviews.notifications.models import NotificationStatus
from interviews.notifications.rendering import TemplateTooLarge, render, template_errors
from tests.hiring.factories import ApplicationFactory, CandidateFactory, JobFactory, JobStageFactory
from tests.interviews.factories import NotificationFactory, NotificationTemplateFactory

MARKUP = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
LIMIT = 2_000


def _preview(client, template):
    return client.get(reverse("admin:interviews_notificationtemplate_preview", args=[template.pk]))


# --- shown as text -------------------------------------------------------------------------------


def test_rendered_text_is_plain_not_marked_safe():
    body = render("Dear {{ candidate_name }}", {"candidate_name": MARKUP})
    assert body == f"Dear {MARKUP}"  # mail is plain text: nothing escaped in the email
    assert not isinstance(body, SafeData)  # ... and nothing a page would print unescaped


def test_the_preview_shows_markup_from_a_candidate_name_as_text(company_admin_client, company):
    ApplicationFactory(company=company, candidate=CandidateFactory(company=company, name=MARKUP))
    template = NotificationTemplateFactory(
        company=company, subject="Hi {{ candidate_name }}", body="Dear {{ candidate_name }},\n<b>bold</b>"
    )
    page = _preview(company_admin_client, template).content.decode()
    assert "<img src=x" not in page and "<script>alert(2)" not in page and "<b>bold</b>" not in page
    assert "Dear &quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_an_application_panel_returning_plain_text_is_escaped(company_admin_client, company, monkeypatch):
    from hiring.admin import extensions

    application = ApplicationFactory(company=company)
    monkeypatch.setattr(
        extensions, "APPLICATION_PANELS", [*extensions.APPLICATION_PANELS, lambda request, app: MARKUP]
    )
    page = company_admin_client.get(reverse("admin:hiring_application_change", args=[application.pk]))
    assert page.status_code == 200
    assert b"<img src=x" not in page.content
    assert b"&lt;img src=x onerror=alert(1)&gt;" in page.content
    assert b'id="interviews-panel"' in page.content  # the panels built as HTML still are HTML


# --- {% filter %} --------------------------------------------------------------------------------


def test_the_filter_tag_of_the_documented_sandbox_is_accepted():
    source = "{% filter upper %}Dear {{ candidate_name }}{% endfilter %}"
    assert template_errors(source, event="rejected") == []
    assert render(source, {"candidate_name": "Ada"}) == "DEAR ADA"


def test_the_filter_tag_still_checks_its_variables_and_arguments():
    errors = template_errors(
        "{% filter default:secret %}{{ candidate_name }}{% endfilter %}", event="rejected"
    )
    assert errors and "Unknown variable: secret" in errors[0]
    assert template_errors("{% filter safe %}x{% endfilter %}", event="rejected")


# --- size ----------------------------------------------------------------------------------------


@override_settings(HIRELOOP_TEMPLATE_MAX_CHARS=LIMIT)
@pytest.mark.parametrize(
    "source",
    [
        '{{ candidate_name|ljust:"999999999" }}',  # one filter, a huge width (no memory is spent)
        '{{ candidate_name|stringformat:"999999999s" }}',
        '{% with n="999999999" %}{{ candidate_name|center:n }}{% endwith %}',  # the width in a variable
        "{% for a in tracks %}{% for b in tracks %}{% for c in tracks %}{{ stage_instructions }}"
        "{% endfor %}{% endfor %}{% endfor %}",  # loops multiplying the output
        "{% with a=stage_instructions|add:stage_instructions %}{% with b=a|add:a %}{{ b|add:b }}"
        "{% endwith %}{% endwith %}",  # a value doubled until it is large
        '{% filter center:"1500" %}x{% endfilter %}{% filter center:"1500" %}x{% endfilter %}',
    ],
)
def test_a_template_rendering_more_than_the_limit_is_refused_while_it_renders(source):
    values = {"candidate_name": "Ada", "tracks": ["a", "b", "c", "d"], "stage_instructions": "x" * 300}
    with pytest.raises(TemplateTooLarge, match="HIRELOOP_TEMPLATE_MAX_CHARS"):
        render(source, values)


@override_settings(HIRELOOP_TEMPLATE_MAX_CHARS=LIMIT)
def test_a_template_within_the_limit_renders():
    source = (
        "{% for t in tracks %}{{ t|ljust:'300' }}{% endfor %}"
        "{% filter upper %}{{ candidate_name }}{% endfilter %}"
    )
    assert len(render(source, {"tracks": ["a", "b", "c"], "candidate_name": "ada"})) == 903


@override_settings(HIRELOOP_TEMPLATE_MAX_CHARS=LIMIT)
def test_a_template_too_large_is_refused_on_save(company_admin_client, company):
    add = reverse("admin:interviews_notificationtemplate_add")
    form = {"company": company.pk, "event": "hired", "enabled": "on", "subject": "Hi {{ candidate_name }}"}
    huge_width = company_admin_client.post(add, {**form, "body": '{{ candidate_name|ljust:"10000000" }}'})
    assert huge_width.status_code == 200
    assert b"The filter ljust asks for more than 2,000 characters" in huge_width.content
    too_long = company_admin_client.post(add, {**form, "body": "x" * (LIMIT + 1)})
    assert b"The template holds more than 2,000 characters" in too_long.content
    assert not NotificationTemplate.objects.exists()
    with pytest.raises(ValidationError):
        NotificationTemplate(
            company=company, event="hired", subject="{{ job_title|rjust:'99999' }}", body="x"
        ).clean()


@override_settings(HIRELOOP_TEMPLATE_MAX_CHARS=LIMIT)
def test_the_preview_of_a_template_too_large_shows_the_reason(company_admin_client, company):
    # A template saved before the limit (or under a larger one) is not checked again until it renders.
    template = NotificationTemplateFactory(company=company, body='{{ candidate_name|ljust:"5000" }}')
    page = _preview(company_admin_client, template)
    assert page.status_code == 200
    assert b"more than 2,000 characters (HIRELOOP_TEMPLATE_MAX_CHARS)" in page.content


@override_settings(HIRELOOP_TEMPLATE_MAX_CHARS=LIMIT)
def test_an_email_too_large_to_render_is_a_failed_row_and_the_move_goes_on(
    company, recruiter, django_capture_on_commit_callbacks
):
    job = JobFactory(company=company)
    JobStageFactory(job=job, position=0, name="Review")
    onsite = JobStageFactory(job=job, position=1, name="Onsite")
    NotificationTemplate.objects.create(
        company=company,
        event="stage_entered",
        subject="{{ job_title }}",
        body='{{ stage_name|ljust:"9000" }}',
    )
    candidate = CandidateFactory(company=company, email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        application = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
    mail.outbox.clear()
    # when the application moves to a stage whose email renders too much
    with django_capture_on_commit_callbacks(execute=True):
        application_advance(application=application, actor=recruiter)
    # then the move happened, nothing was sent, and the outbox says why
    application.refresh_from_db()
    assert application.stage_id == onsite.pk
    assert mail.outbox == []
    row = Notification.objects.get(event="stage_entered")
    assert row.status == NotificationStatus.FAILED
    assert (row.subject, row.body) == ("", "")
    assert "too large to render: body" in row.last_error
    assert "more than 2,000 characters (HIRELOOP_TEMPLATE_MAX_CHARS)" in row.last_error
    # and sending it again is refused: there is nothing to send
    assert delivery.notifications_retry(notification_ids=[row.pk]) == 0
    row.refresh_from_db()
    assert row.status == NotificationStatus.FAILED


@override_settings(HIRELOOP_TEMPLATE_MAX_CHARS=LIMIT)
def test_a_row_larger_than_the_limit_fails_on_send_with_the_reason(company):
    # A row written before the limit, or under a larger one.
    row = NotificationFactory(company=company, body="x" * (LIMIT + 1))
    mail.outbox.clear()
    assert delivery.notifications_deliver(notification_ids=[row.pk]).outcomes[row.pk] == delivery.FAILED
    row.refresh_from_db()
    assert mail.outbox == []
    assert row.status == NotificationStatus.FAILED
    assert "the body holds 2,001 characters, more than HIRELOOP_TEMPLATE_MAX_CHARS (2,000)" in row.last_error
