"""Process templates in the admin: stages inline and reorderable, kits with format and AI policy,
tracks scored with one rubric, default interviewers from the company, and "Duplicate template"."""

import pytest

from hiring.models import ProcessTemplate, Role, Stage, StageKind, Track
from interviews.models import AIPolicy, InterviewKit, KitFormat
from interviews.plans import process_template_duplicate
from tests.hiring.factories import MembershipFactory, ProcessTemplateFactory, TemplateStageFactory
from tests.rubrics.builders import build_library, changeform_data, inline_prefix
from tests.rubrics.factories import RubricFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(company):
    return build_library(company, "Acme")


def _stage_rows(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_company_admin_creates_a_template_with_every_stage_field_inline(company_admin_client, company):
    # given the add form
    response = company_admin_client.get("/admin/hiring/processtemplate/add/")
    prefix = inline_prefix(response, Stage)
    body = response.content.decode()
    for field in (
        "name",
        "kind",
        "sla_days",
        "is_optional",
        "is_paid",
        "pay_amount",
        "instructions",
        "position",
    ):
        assert f'name="{prefix}-__prefix__-{field}"' in body, field
    # when a template is posted with two stages
    data = {"company": company.pk, "name": "Backend loop", "description": "Our loop"}
    data |= _stage_rows(
        prefix,
        [
            {"position": "1", "name": "Screen", "kind": StageKind.RECRUITER_SCREEN, "sla_days": "3"},
            {
                "position": "2",
                "name": "SuperDay",
                "kind": StageKind.PANEL,
                "sla_days": "7",
                "is_optional": "on",
                "is_paid": "on",
                "pay_amount": "400",
                "pay_currency": "EUR",
                "pay_unit": "day",
                "instructions": "A paid day of real work.",
            },
        ],
    )
    data |= _stage_rows("questions", [])  # the questionnaire inline, left empty
    response = company_admin_client.post("/admin/hiring/processtemplate/add/", data)
    # then it is saved with its stages in order, in the company
    assert response.status_code == 302, response.context["errors"] if response.context else response
    template = ProcessTemplate.objects.get(name="Backend loop")
    stages = list(template.stages.all())
    assert [s.name for s in stages] == ["Screen", "SuperDay"]
    superday = stages[1]
    assert (superday.kind, superday.sla_days, superday.is_optional, superday.is_paid) == (
        StageKind.PANEL,
        7,
        True,
        True,
    )
    assert superday.instructions == "A paid day of real work."
    assert {s.company_id for s in stages} == {company.pk}


def test_stages_are_reordered_inline(company_admin_client, company):
    template = ProcessTemplateFactory(company=company, name="Loop")
    first = TemplateStageFactory(template=template, name="First", position=1)
    second = TemplateStageFactory(template=template, name="Second", position=2)
    url = f"/admin/hiring/processtemplate/{template.pk}/change/"
    response = company_admin_client.get(url)
    assert "sortable" in response.content.decode()  # the drag handle of django-admin-sortable2
    data = changeform_data(response)
    prefix = inline_prefix(response, Stage)
    # when the positions are swapped
    for i in range(2):
        if data[f"{prefix}-{i}-id"] == str(first.pk):
            data[f"{prefix}-{i}-position"] = "2"
        else:
            data[f"{prefix}-{i}-position"] = "1"
    response = company_admin_client.post(url, data)
    assert response.status_code == 302
    # then the stages come back in the new order
    assert [s.pk for s in template.stages.all()] == [second.pk, first.pk]


def _post_kit(client, ours, **changes):
    url = ours.urls()["stage change"]
    response = client.get(url)
    data = changeform_data(response)
    prefix = inline_prefix(response, InterviewKit)
    for key, value in changes.items():
        data[f"{prefix}-0-{key}"] = value
    return client.post(url, data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format": KitFormat.TAKE_HOME, "window_days": ""}, "number of days the candidate has"),
        ({"format": KitFormat.VIDEO, "window_days": "3"}, "Only a take-home or a work trial has a window"),
        ({"ai_policy": AIPolicy.NO_AI_BLOCK, "no_ai_minutes": ""}, "how many minutes the no-AI block lasts"),
        (
            {"ai_policy": AIPolicy.NO_AI_BLOCK, "no_ai_minutes": "90", "duration_minutes": "60"},
            "cannot be longer than the session (60 minutes)",
        ),
        ({"ai_policy": AIPolicy.NOT_ALLOWED, "no_ai_minutes": "20"}, "Only the policy"),
    ],
)
def test_kit_format_and_ai_policy_rules_are_explained(company_admin_client, ours, changes, message):
    response = _post_kit(company_admin_client, ours, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    ours.kit.refresh_from_db()
    assert (ours.kit.format, ours.kit.ai_policy) == (KitFormat.VIDEO, AIPolicy.ALLOWED)


def test_kit_take_home_and_no_ai_block_are_saved(company_admin_client, ours):
    response = _post_kit(
        company_admin_client,
        ours,
        format=KitFormat.TAKE_HOME,
        window_days="5",
        duration_minutes="120",
        ai_policy=AIPolicy.NO_AI_BLOCK,
        no_ai_minutes="30",
        ai_note="Use any tool, except for the first half hour.",
    )
    assert response.status_code == 302
    ours.kit.refresh_from_db()
    assert ours.kit.window_days == 5
    assert ours.kit.ai_policy_text() == "AI tools allowed except a 30-minute block without AI"
    assert ours.kit.ai_note.startswith("Use any tool")


def test_default_interviewers_are_members_of_the_company_only(
    company_admin_client, ours, other_company, other_company_admin
):
    outsider = MembershipFactory(company=other_company, role=Role.INTERVIEWER)
    response = _post_kit(company_admin_client, ours, default_interviewers=[str(outsider.pk)])
    assert response.status_code == 200
    assert "belongs to another company" in response.content.decode()
    assert list(ours.kit.default_interviewers.all()) == [ours.member]
    # a colleague is accepted
    colleague = MembershipFactory(company=ours.template.company, role=Role.INTERVIEWER)
    response = _post_kit(
        company_admin_client, ours, default_interviewers=[str(ours.member.pk), str(colleague.pk)]
    )
    assert response.status_code == 302
    assert set(ours.kit.default_interviewers.all()) == {ours.member, colleague}


def test_tracks_of_a_stage_are_scored_with_the_same_rubric(company_admin_client, ours, company):
    # given a second track whose kit uses another rubric
    other_track = Track.objects.create(company=company, stage=ours.stage, name="Take-home", position=2)
    other_rubric = RubricFactory(company=company, name="Other rubric")
    InterviewKit.objects.create(
        company=company, stage=ours.stage, track=other_track, name="Take-home kit", rubric=ours.rubric
    )
    url = ours.urls()["stage change"]
    response = company_admin_client.get(url)
    data = changeform_data(response)
    prefix = inline_prefix(response, InterviewKit)
    # when one kit is moved to the other rubric
    data[f"{prefix}-1-rubric"] = str(other_rubric.pk)
    response = company_admin_client.post(url, data)
    # then the stage is refused with the reason
    assert response.status_code == 200
    assert "same rubric" in response.content.decode()
    assert set(ours.stage.kits.values_list("rubric_id", flat=True)) == {ours.rubric.pk}
    # and a kit without a track in a stage with tracks is refused too
    data[f"{prefix}-1-rubric"] = str(ours.rubric.pk)
    data[f"{prefix}-1-track"] = ""
    response = company_admin_client.post(url, data)
    assert response.status_code == 200
    assert "every kit belongs to one of its tracks" in response.content.decode()


def test_duplicate_template_action_makes_an_independent_deep_copy(company_admin_client, ours, company):
    # given a template with a stage, a track and a kit with a default interviewer
    response = company_admin_client.post(
        "/admin/hiring/processtemplate/",
        {"action": "duplicate", "_selected_action": [ours.template.pk]},
    )
    assert response.status_code == 302
    copy = ProcessTemplate.objects.get(name="Acme Template (copy)")
    assert copy.company_id == company.pk
    stage = copy.stages.get()
    track = stage.tracks.get()
    kit = stage.kits.get()
    # then everything is copied
    assert (stage.name, stage.instructions, stage.kind) == (
        ours.stage.name,
        ours.stage.instructions,
        ours.stage.kind,
    )
    assert track.name == "Acme Track" and kit.track_id == track.pk
    assert kit.rubric_id == ours.rubric.pk
    assert list(kit.default_interviewers.all()) == [ours.member]
    assert {stage.pk, track.pk, kit.pk}.isdisjoint({ours.stage.pk, ours.track.pk, ours.kit.pk})
    # when the copy is edited and trimmed
    Stage.objects.filter(pk=stage.pk).update(name="Changed")
    kit.default_interviewers.clear()
    InterviewKit.objects.filter(pk=kit.pk).update(name="Changed kit")
    track.delete()
    # then the original is untouched
    ours.stage.refresh_from_db()
    assert ours.stage.name == "Acme Stage"
    assert list(ours.template.stages.get().tracks.values_list("name", flat=True)) == ["Acme Track"]
    ours.kit.refresh_from_db()
    assert ours.kit.name == "Acme Kit"
    assert list(ours.kit.default_interviewers.all()) == [ours.member]
    # and a second copy gets a free name
    company_admin_client.post(
        "/admin/hiring/processtemplate/",
        {"action": "duplicate", "_selected_action": [ours.template.pk]},
    )
    assert ProcessTemplate.objects.filter(name="Acme Template (copy 2)").exists()


def test_duplicate_keeps_stage_order_and_every_kit(company):
    template = ProcessTemplateFactory(company=company, name="Onsite")
    rubric = RubricFactory(company=company)
    for position in (3, 1, 2):
        stage = TemplateStageFactory(template=template, position=position, name=f"Stage {position}")
        for n in range(position):
            InterviewKit.objects.create(
                company=company, stage=stage, rubric=rubric, name=f"Round {n}", position=n
            )
    copy = process_template_duplicate(template=template, name="Onsite B")
    assert [s.name for s in copy.stages.all()] == ["Stage 1", "Stage 2", "Stage 3"]
    assert [s.kits.count() for s in copy.stages.all()] == [1, 2, 3]


# --- members ---------------------------------------------------------------------------------


def test_company_admin_changes_a_members_role(company_admin_client, company, recruiter):
    membership = recruiter.memberships.get()
    url = f"/admin/hiring/membership/{membership.pk}/change/"
    response = company_admin_client.post(url, {"role": Role.HIRING_MANAGER})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.HIRING_MANAGER


def test_the_last_company_admin_cannot_be_demoted_or_removed(company_admin_client, company_admin):
    membership = company_admin.memberships.get()
    url = f"/admin/hiring/membership/{membership.pk}/change/"
    response = company_admin_client.post(url, {"role": Role.RECRUITER}, follow=True)
    assert "keeps at least one company admin" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.COMPANY_ADMIN
    response = company_admin_client.post(
        f"/admin/hiring/membership/{membership.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "keeps at least one company admin" in response.content.decode()
    assert type(membership).objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "manager_client"])
def test_recruiters_and_managers_do_not_manage_members(request, client_fixture, company, interviewer):
    client = request.getfixturevalue(client_fixture)
    membership = interviewer.memberships.get()
    assert client.get("/admin/hiring/membership/add/").status_code == 403
    url = f"/admin/hiring/membership/{membership.pk}/change/"
    assert client.post(url, {"role": Role.COMPANY_ADMIN}).status_code == 403
    delete_url = f"/admin/hiring/membership/{membership.pk}/delete/"
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.INTERVIEWER


def test_a_member_invited_again_is_refused_with_the_reason(company_admin_client, company, recruiter):
    response = company_admin_client.post(
        "/admin/hiring/invitation/add/",
        {"company": company.pk, "email": recruiter.email.upper(), "role": Role.INTERVIEWER},
    )
    assert response.status_code == 200
    assert "already a member of Acme Robotics" in response.content.decode()
