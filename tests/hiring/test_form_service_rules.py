"""One home per rule: the admin forms ask the service's check, so a form and its service refuse the
same input with the same message (the form shows it on the field at fault)."""

import pytest
from django.core.exceptions import ValidationError

from hiring.admin.applications import ApplicationAddForm
from hiring.admin.jobs import JobAddForm, JobChangeForm
from hiring.admin.setup import InvitationForm
from hiring.memberships import invitation_create
from hiring.models import JobStatus, Role, Source
from hiring.services import application_create
from interviews.plans import job_create_from_template
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    ProcessTemplateFactory,
    TemplateStageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _service_messages(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _application_cases(company, other_company):
    candidate = CandidateFactory(company=company)
    closed = JobFactory(company=company, status=JobStatus.CLOSED)
    JobStageFactory(job=closed)
    applied = JobFactory(company=company)
    JobStageFactory(job=applied)
    ApplicationFactory(candidate=candidate, job=applied, company=company, stage=applied.stages.first())
    foreign = JobFactory(company=other_company)
    JobStageFactory(job=foreign)
    return {
        "another company's job": (candidate, foreign),
        "a closed job": (candidate, closed),
        "a job without stages": (candidate, JobFactory(company=company)),
        "a second application": (candidate, applied),
    }


@pytest.mark.parametrize(
    "case", ["another company's job", "a closed job", "a job without stages", "a second application"]
)
def test_application_form_and_service_refuse_alike(case, company, other_company, recruiter):
    candidate, job = _application_cases(company, other_company)[case]

    form = ApplicationAddForm(data={"candidate": candidate.pk, "job": job.pk, "source": Source.REFERRAL})
    service = _service_messages(
        lambda: application_create(candidate=candidate, job=job, source=Source.REFERRAL, actor=recruiter)
    )

    assert not form.is_valid()
    assert form.errors["job"] == service["__all__"]


def _job_data(company, template, manager=None):
    return {
        "company": company.pk,
        "template": template.pk,
        "title": "Backend engineer",
        "hiring_manager": manager.pk if manager else "",
        "status": JobStatus.OPEN,
        "headcount": 1,
    }


def test_job_forms_and_service_refuse_another_companys_template_and_manager(company, other_company):
    foreign_template = ProcessTemplateFactory(company=other_company)
    TemplateStageFactory(template=foreign_template)
    template = ProcessTemplateFactory(company=company)
    TemplateStageFactory(template=template)
    empty = ProcessTemplateFactory(company=company)
    stranger = MembershipFactory(company=other_company, role=Role.HIRING_MANAGER)

    for chosen, manager, field in [
        (foreign_template, None, "template"),
        (empty, None, "template"),
        (template, stranger, "hiring_manager"),
    ]:
        form = JobAddForm(data=_job_data(company, chosen, manager))
        service = _service_messages(
            lambda chosen=chosen, manager=manager: job_create_from_template(
                company=company, template=chosen, title="Backend engineer", hiring_manager=manager
            )
        )
        # the form's queryset may not offer another company's rows; the service's check decides
        form.fields["template"].queryset = type(chosen).objects.all()
        form.fields["hiring_manager"].queryset = type(stranger).objects.all()
        assert not form.is_valid()
        assert form.errors[field] == service[field]

    job = JobFactory(company=company)
    change = JobChangeForm(data={**_job_data(company, template, stranger), "title": job.title}, instance=job)
    change.fields["hiring_manager"].queryset = type(stranger).objects.all()
    assert not change.is_valid()
    assert change.errors["hiring_manager"] == service["hiring_manager"]


def test_invitation_form_and_service_refuse_a_member_alike(company):
    member = MembershipFactory(company=company, user=UserFactory(email="ann@example.com"))

    form = InvitationForm(data={"company": company.pk, "email": member.user.email, "role": Role.RECRUITER})
    service = _service_messages(
        lambda: invitation_create(company=company, email=member.user.email, role=Role.RECRUITER)
    )

    assert not form.is_valid()
    assert form.errors["__all__"] == service["__all__"]


def test_interview_form_and_service_refuse_an_unknown_time_zone_alike():
    from interviews.admin.interviews import InterviewForm
    from interviews.services import interview_time_zone

    form = InterviewForm(data={"timezone": "Mars/Olympus_Mons"})
    service = _service_messages(lambda: interview_time_zone("Mars/Olympus_Mons"))

    assert not form.is_valid()
    assert form.errors["timezone"] == service["__all__"]
    assert "Unknown time zone 'Mars/Olympus_Mons'" in service["__all__"][0]


def test_scorecard_form_and_service_refuse_a_score_without_evidence_alike(company, interviewer):
    import datetime

    from django.utils import timezone

    from interviews.forms import ScorecardForm
    from interviews.selectors import scorecard_sheet
    from interviews.services import RatingInput, interview_schedule, scorecard_submit
    from tests.interviews.factories import interview_setup

    application, kits = interview_setup(company, competencies=1)
    start = timezone.now() - datetime.timedelta(hours=2)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=[interviewer.memberships.get()],
    )
    card = interview.scorecards.get()
    [competency] = card.interview.kit.rubric.competencies.all()

    form = ScorecardForm(
        {"recommendation": "", "summary": "", f"score_{competency.pk}": "4", f"evidence_{competency.pk}": ""},
        sheet=scorecard_sheet(scorecard_id=card.pk),
        amend=False,
    )
    service = _service_messages(
        lambda: scorecard_submit(
            scorecard=card, ratings=[RatingInput(competency.pk, 4, "")], recommendation=""
        )
    )

    assert not form.check_complete()
    assert form.errors[f"evidence_{competency.pk}"] == ["Write the evidence behind this score."]
    assert form.errors["recommendation"] == ["Choose an overall recommendation."]
    assert service["__all__"] == [
        f"{competency}: Write the evidence behind this score.",
        "Choose an overall recommendation.",
    ]


@pytest.mark.parametrize("case", ["no reason", "another company's reason", "a withdrawal reason"])
def test_decision_form_and_service_refuse_a_rejection_reason_alike(
    case, company, other_company, interviewer, hiring_manager
):
    from hiring.models import RejectionKind, RejectionReason
    from interviews.admin.decisions import DecisionForm
    from interviews.models import Decision
    from interviews.services import decision_record
    from tests.hiring.factories import RejectionReasonFactory
    from tests.interviews.test_services import _submitted_panel

    application, _ = _submitted_panel(company, [interviewer], 2)
    reason = {
        "no reason": None,
        "another company's reason": RejectionReasonFactory(company=other_company),
        "a withdrawal reason": RejectionReasonFactory(company=company, kind=RejectionKind.CANDIDATE),
    }[case]

    data = {"outcome": "reject", "reason": "", "rejection_reason": reason.pk if reason else ""}
    form = DecisionForm(data=data, application=application, verdicts=[], actor=hiring_manager)
    # the form's queryset may not offer such a reason; the service's check decides
    form.fields["rejection_reason"].queryset = RejectionReason.objects.all()
    service = _service_messages(
        lambda: decision_record(
            application=application, outcome="reject", actor=hiring_manager, rejection_reason=reason
        )
    )

    assert not form.is_valid()
    assert form.errors["rejection_reason"] == service["__all__"]
    assert not Decision.objects.exists()
