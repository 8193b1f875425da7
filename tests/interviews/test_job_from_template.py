"""Opening a job from a process template: the job gets its own copy of the plan."""

import pytest
from django.core.exceptions import ValidationError

from hiring.models import Job, JobStatus, Role, Stage
from interviews.models import InterviewKit
from interviews.plans import job_create_from_template
from tests.hiring.factories import (
    MembershipFactory,
    ProcessTemplateFactory,
    TemplateStageFactory,
    TrackFactory,
)
from tests.interviews.factories import InterviewKitFactory


@pytest.fixture
def template(company):
    template = ProcessTemplateFactory(company=company, name="Backend loop")
    screen = TemplateStageFactory(template=template, position=0, name="Screen")
    tech = TemplateStageFactory(template=template, position=1, name="Technical")
    live = TrackFactory(stage=tech, name="Live coding")
    InterviewKitFactory(stage=screen, name="Recruiter call")
    InterviewKitFactory(stage=tech, track=live, name="Pairing")
    return template


def test_job_gets_its_own_copy_of_the_plan(template, company, recruiter):
    manager = MembershipFactory(company=company, role=Role.HIRING_MANAGER)
    job = job_create_from_template(
        company=company,
        template=template,
        title="Backend engineer",
        actor=recruiter,
        hiring_manager=manager,
        status=JobStatus.OPEN,
        team="Platform",
    )
    stages = list(job.stages.order_by("position"))
    assert [s.name for s in stages] == ["Screen", "Technical"]
    assert all(s.template_id is None and s.company_id == company.pk for s in stages)
    assert [t.name for t in stages[1].tracks.all()] == ["Live coding"]
    kit = InterviewKit.objects.get(stage=stages[1])
    assert kit.track.stage == stages[1]
    assert job.opened_on is not None
    assert job.template == template
    assert job.history.get().history_user == recruiter


def test_editing_the_template_later_leaves_the_job_unchanged(template, company):
    job = job_create_from_template(company=company, template=template, title="Backend engineer")
    template.stages.filter(name="Screen").update(name="Phone screen", sla_days=9)
    TemplateStageFactory(template=template, position=5, name="Founder chat")
    assert list(job.stages.values_list("name", "sla_days")) == [("Screen", 5), ("Technical", 5)]


def test_template_of_another_company_is_refused(template, other_company):
    with pytest.raises(ValidationError, match="another company"):
        job_create_from_template(company=other_company, template=template, title="Spy")
    assert not Job.objects.exists()


def test_hiring_manager_must_belong_to_the_company(template, company, other_company):
    outsider = MembershipFactory(company=other_company)
    with pytest.raises(ValidationError, match="member of the job's company"):
        job_create_from_template(company=company, template=template, title="X", hiring_manager=outsider)
    assert not Job.objects.exists()


def test_template_without_stages_is_refused(company):
    empty = ProcessTemplateFactory(company=company)
    with pytest.raises(ValidationError, match="no stages"):
        job_create_from_template(company=company, template=empty, title="X")
    assert not Job.objects.exists()


def test_invalid_job_fields_write_nothing(template, company):
    with pytest.raises(ValidationError):
        job_create_from_template(company=company, template=template, title="", headcount=0)
    assert not Job.objects.exists()
    assert not Stage.objects.filter(job__isnull=False).exists()
