"""One home for the rules of a kit and of a stage's pay: the admin forms, the demo and the database
refuse the same input, with the same message; windows and pay reach the candidate's emails, the
careers page and the data export."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hiring.admin.setup import KitForm
from hiring.admin.shared import PAY_FIELDS
from hiring.models import Stage, StageKind
from hiring.pay import stage_pay_errors
from hiring.privacy import candidate_export
from hiring.services import application_advance, application_create
from interviews.kits import kit_check, kit_deadline, kit_errors
from interviews.models import AIPolicy, InterviewKit, KitFormat, Notification
from tests.careers.factories import job_with_loop, published_job
from tests.hiring.factories import CandidateFactory, JobStageFactory
from tests.interviews.factories import InterviewKitFactory

pytestmark = pytest.mark.django_db

KIT_FIELDS = ["name", "format", "duration_minutes", "window_days", "ai_policy", "no_ai_minutes", "rubric"]

# (changes to a valid video kit, field at fault, words of the message, refused by the database too)
KIT_CASES = [
    ({"format": KitFormat.TAKE_HOME, "window_days": None}, "window_days", "number of days", True),
    ({"format": KitFormat.TRIAL, "window_days": None}, "window_days", "work trial needs", True),
    ({"format": KitFormat.VIDEO, "window_days": 3}, "window_days", "Leave the window empty", True),
    ({"duration_minutes": 3}, "duration_minutes", "at least 5 minutes", True),
    ({"ai_policy": AIPolicy.NO_AI_BLOCK, "no_ai_minutes": None}, "no_ai_minutes", "how many minutes", True),
    (
        {"ai_policy": AIPolicy.NO_AI_BLOCK, "no_ai_minutes": 90, "duration_minutes": 60},
        "no_ai_minutes",
        "longer than the session (60 minutes)",
        True,
    ),
    ({"ai_policy": AIPolicy.NOT_ALLOWED, "no_ai_minutes": 20}, "no_ai_minutes", "Only the policy", False),
]


def _kit_values(**changes):
    values = {
        "format": KitFormat.VIDEO,
        "duration_minutes": 60,
        "window_days": None,
        "ai_policy": AIPolicy.ALLOWED,
        "no_ai_minutes": None,
    }
    return values | changes


@pytest.mark.parametrize(("changes", "field", "words", "in_db"), KIT_CASES)
def test_the_kit_form_the_demo_check_and_the_database_refuse_the_same_kit(changes, field, words, in_db):
    kit = InterviewKitFactory(name="Live coding")
    values = _kit_values(**changes)
    # the rule
    errors = kit_errors(**values)
    assert words in errors[field]
    # the admin form (the stage page's kit inline) shows that message on that field
    form_class = forms.modelform_factory(InterviewKit, form=KitForm, fields=KIT_FIELDS)
    data = {"name": kit.name, "rubric": kit.rubric_id} | {
        k: "" if v is None else v for k, v in values.items()
    }
    form = form_class(data=data, instance=kit)
    assert not form.is_valid()
    assert errors[field] in form.errors[field]
    # the check the demo loader calls raises it on the same field
    for name, value in values.items():
        setattr(kit, name, value)
    with pytest.raises(ValidationError) as caught:
        kit_check(kit)
    assert caught.value.message_dict[field] == [errors[field]]
    # and the database refuses the row as well, where a constraint can say it
    if in_db:
        with pytest.raises(IntegrityError), transaction.atomic():
            InterviewKit.objects.filter(pk=kit.pk).update(**values)
    kit.refresh_from_db()
    assert (kit.format, kit.ai_policy, kit.window_days) == (KitFormat.VIDEO, AIPolicy.ALLOWED, None)


def test_a_valid_take_home_and_trial_pass_every_rule():
    for fmt in (KitFormat.TAKE_HOME, KitFormat.TRIAL):
        assert kit_errors(**_kit_values(format=fmt, window_days=5)) == {}
        InterviewKitFactory(format=fmt, window_days=5)
    assert kit_errors(**_kit_values(ai_policy=AIPolicy.NO_AI_BLOCK, no_ai_minutes=20)) == {}


def test_the_deadline_is_the_stage_entry_plus_the_window():
    entered = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    take_home = InterviewKit(format=KitFormat.TAKE_HOME, window_days=5)
    assert kit_deadline(take_home, entered) == entered + datetime.timedelta(days=5)
    assert kit_deadline(InterviewKit(format=KitFormat.VIDEO), entered) is None
    assert kit_deadline(take_home, None) is None


# --- Pay --------------------------------------------------------------------------------------------

PAY_CASES = [
    ({"is_paid": True}, "pay_amount", "amount above zero"),
    (
        {"is_paid": True, "pay_amount": Decimal("0"), "pay_currency": "EUR", "pay_unit": "day"},
        "pay_amount",
        "above",
    ),
    (
        {"is_paid": True, "pay_amount": Decimal("100"), "pay_currency": "", "pay_unit": "day"},
        "pay_currency",
        "EUR",
    ),
    (
        {"is_paid": True, "pay_amount": Decimal("100"), "pay_currency": "EUR", "pay_unit": ""},
        "pay_unit",
        "per hour",
    ),
    ({"is_paid": False, "pay_amount": Decimal("100")}, "is_paid", "tick 'paid'"),
]


@pytest.mark.parametrize(("changes", "field", "words"), PAY_CASES)
def test_the_stage_form_and_the_database_refuse_incomplete_pay(changes, field, words):
    stage = JobStageFactory(name="Trial day")
    values = {"is_paid": False, "pay_amount": None, "pay_currency": "", "pay_unit": "", "pay_expenses": False}
    values |= changes
    errors = stage_pay_errors(
        is_paid=values["is_paid"],
        amount=values["pay_amount"],
        currency=values["pay_currency"],
        unit=values["pay_unit"],
        expenses=values["pay_expenses"],
    )
    assert words in errors[field]
    form_class = forms.modelform_factory(Stage, fields=["name", "kind", "sla_days", *PAY_FIELDS])
    data = {"name": stage.name, "kind": stage.kind, "sla_days": stage.sla_days}
    data |= {k: ("" if v is None else v) for k, v in values.items() if v is not False}
    form = form_class(data=data, instance=stage)
    assert not form.is_valid()
    assert errors[field] in form.errors[field]
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.filter(pk=stage.pk).update(**values)
    stage.refresh_from_db()
    assert (stage.is_paid, stage.pay_amount) == (False, None)


def test_a_lowercase_currency_is_refused_with_the_example():
    errors = stage_pay_errors(is_paid=True, amount=Decimal("10"), currency="eur", unit="hour", expenses=False)
    assert list(errors) == ["pay_currency"]


def test_the_careers_page_shows_the_pay_and_the_trial_window_in_english_and_french(client):
    job = job_with_loop()
    trial = job.stages.get(name="Trial day")
    InterviewKitFactory(
        stage=trial, company=job.company, name="Trial week", format=KitFormat.TRIAL, window_days=3
    )
    url = reverse("careers:job", args=[job.company.slug, job.pk])
    page = client.get(url).content.decode()
    assert "Paid: 450 EUR per day, expenses reimbursed" in page
    assert "Work trial, over several days" in page and "over 3 days" in page
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rémunéré : 450 EUR par jour, frais remboursés" in french
    assert "sur 3 jours" in french


def test_the_stage_email_gives_the_window_the_deadline_and_the_pay(
    company, recruiter, django_capture_on_commit_callbacks
):
    job = published_job(company, title="Backend engineer")
    JobStageFactory(job=job, position=0, name="Screen")
    trial = JobStageFactory(
        job=job,
        position=1,
        name="Paid trial",
        kind=StageKind.PANEL,
        is_paid=True,
        pay_amount=Decimal("400"),
        pay_currency="EUR",
        pay_unit="project",
        pay_expenses=True,
    )
    InterviewKitFactory(
        stage=trial, company=company, name="Trial project", format=KitFormat.TRIAL, window_days=14
    )
    candidate = CandidateFactory(company=company, email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        app = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
        application_advance(application=app, actor=recruiter)
    app.refresh_from_db()
    body = Notification.objects.get(recipient="ada@example.org", event="stage_entered").body
    due = app.stage_entered_at + datetime.timedelta(days=14)
    assert "Trial project: Work trial (days), 2 weeks." in body
    assert f"Due by {timezone.localtime(due, datetime.UTC):%a %d %b %Y, %H:%M}" in body
    assert "This step is paid: 400 EUR for the whole project, expenses reimbursed." in body
    # and the candidate's data export carries the terms of the paid stage
    export = candidate_export(candidate=candidate)
    assert export["paid_stages"] == [
        {
            "job": job.pk,
            "stage": "Paid trial",
            "amount": Decimal("400.00"),
            "currency": "EUR",
            "unit": "project",
            "expenses_reimbursed": True,
        }
    ]
