"""The rubric library in the admin: competencies, anchors, questions, red flags, hire bar; locking
a used rubric and releasing a new version."""

from decimal import Decimal

import pytest
from django.utils import timezone

from interviews.models import InterviewKit
from interviews.selectors import scorecard_sheet
from rubrics.models import (
    Check,
    ClauseKind,
    Competency,
    Gate,
    HireBarClause,
    LevelAnchor,
    Question,
    RedFlag,
    Rubric,
)
from rubrics.services import rubric_lock
from tests.hiring.factories import JobStageFactory
from tests.interviews.factories import ScorecardFactory
from tests.rubrics.builders import build_library, changeform_data, inline_prefix

pytestmark = pytest.mark.django_db


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _rows(prefix, rows):
    data = _management(prefix, len(rows))
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def _add_form_data(client, company, *, anchor_levels=(1, 2, 3, 4, 5)):
    response = client.get("/admin/rubrics/rubric/add/")
    models = (Competency, LevelAnchor, RedFlag, HireBarClause, Gate, Check)
    prefixes = {model: inline_prefix(response, model) for model in models}
    data = {"company": company.pk, "name": "System design", "description": "", "scale_min": 1, "scale_max": 5}
    data |= _rows(
        prefixes[Competency],
        [
            {"position": "1", "name": "Trade-offs", "weight": "2.00", "is_critical": "on"},
            {"position": "2", "name": "Communication", "weight": "1.00"},
        ],
    )
    data |= _rows(prefixes[LevelAnchor], [{"score": str(s), "text": f"Level {s}"} for s in anchor_levels])
    data |= _rows(
        prefixes[RedFlag],
        [{"description": "Hand-waves every number", "is_blocking": "on"}, {"description": "Rambles"}],
    )
    data |= _rows(
        prefixes[HireBarClause],
        [
            {"kind": ClauseKind.MIN_AVERAGE, "score": "3.5"},
            {"kind": ClauseKind.MIN_COUNT_AT_OR_ABOVE, "score": "4", "count": "1"},
            {"kind": ClauseKind.NO_BLOCKING_RED_FLAG},
        ],
    )
    data |= _rows(prefixes[Gate], [{"position": "1", "name": "Level 1", "unlocks_next": "on"}])
    data |= _rows(prefixes[Check], [{"position": "0", "name": "Tests stayed green"}])
    return data


def test_company_admin_builds_a_rubric_in_one_form(company_admin_client, company):
    data = _add_form_data(company_admin_client, company)
    response = company_admin_client.post("/admin/rubrics/rubric/add/", data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    rubric = Rubric.objects.get(name="System design")
    assert (rubric.company_id, rubric.version, rubric.scale_min, rubric.scale_max) == (company.pk, 1, 1, 5)
    competencies = list(rubric.competencies.all())
    assert [(c.name, c.weight, c.is_critical) for c in competencies] == [
        ("Trade-offs", Decimal("2.00"), True),
        ("Communication", Decimal("1.00"), False),
    ]
    assert sorted(rubric.anchors.values_list("score", flat=True)) == [1, 2, 3, 4, 5]
    assert list(rubric.red_flags.values_list("description", "is_blocking")) == [
        ("Hand-waves every number", True),
        ("Rambles", False),
    ]
    assert [c.kind for c in rubric.hire_bar.all()] == [
        ClauseKind.MIN_AVERAGE,
        ClauseKind.MIN_COUNT_AT_OR_ABOVE,
        ClauseKind.NO_BLOCKING_RED_FLAG,
    ]


def test_every_level_of_the_scale_needs_an_anchor(company_admin_client, company):
    data = _add_form_data(company_admin_client, company, anchor_levels=(1, 2, 4))
    response = company_admin_client.post("/admin/rubrics/rubric/add/", data)
    assert response.status_code == 200
    assert "Missing: 3, 5." in response.content.decode()
    assert not Rubric.objects.filter(name="System design").exists()


def test_widening_the_scale_asks_for_the_new_levels(company_admin_client, company):
    lib = build_library(company, "Acme")
    url = lib.urls()["rubric change"]
    data = changeform_data(company_admin_client.get(url))
    data["scale_max"] = "7"
    response = company_admin_client.post(url, data)
    assert response.status_code == 200
    assert "Missing: 6, 7." in response.content.decode()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": ClauseKind.MIN_COUNT_AT_OR_ABOVE, "score": "4", "count": ""}, "Say how many competencies"),
        ({"kind": ClauseKind.MIN_AVERAGE, "score": ""}, "needs a score to compare against"),
        ({"kind": ClauseKind.MIN_AVERAGE, "score": "6"}, "on the rubric&#x27;s scale, 1 to 5"),
    ],
)
def test_hire_bar_clauses_are_checked(company_admin_client, company, row, message):
    data = _add_form_data(company_admin_client, company)
    prefix = inline_prefix(company_admin_client.get("/admin/rubrics/rubric/add/"), HireBarClause)
    data |= _rows(prefix, [row])
    response = company_admin_client.post("/admin/rubrics/rubric/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_anchor_off_the_scale_is_refused(company_admin_client, company):
    data = _add_form_data(company_admin_client, company)
    prefix = inline_prefix(company_admin_client.get("/admin/rubrics/rubric/add/"), LevelAnchor)
    data[f"{prefix}-TOTAL_FORMS"] = "6"
    data |= {f"{prefix}-5-score": "7", f"{prefix}-5-text": "Beyond"}
    response = company_admin_client.post("/admin/rubrics/rubric/add/", data)
    assert response.status_code == 200
    assert "Choose a score on the rubric&#x27;s scale, 1 to 5." in response.content.decode()


def test_a_competency_overrides_the_anchor_of_a_level(company_admin_client, company):
    lib = build_library(company, "Acme")
    other = Competency.objects.create(rubric=lib.rubric, name="Other", position=9)
    url = lib.urls()["rubric change"]
    response = company_admin_client.get(url)
    data = changeform_data(response)
    prefix = inline_prefix(response, LevelAnchor)
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data |= {
        f"{prefix}-{n}-competency": str(lib.competency.pk),
        f"{prefix}-{n}-score": "3",
        f"{prefix}-{n}-text": "Weighs two options with numbers",
    }
    response = company_admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    # then the scorecard form shows the competency's own text for that level, the rubric's elsewhere
    scorecard = ScorecardFactory(interview__application__company=company, interview__kit__rubric=lib.rubric)
    sheet = scorecard_sheet(scorecard_id=scorecard.pk)
    table = {c.pk: dict(c.level_anchors) for c in sheet.competencies}
    assert table[lib.competency.pk][3] == "Weighs two options with numbers"
    assert table[lib.competency.pk][2] == "Acme anchor 2"
    assert table[other.pk][3] == "Acme anchor 3"


def test_competencies_are_ordered_and_reordered(company_admin_client, company):
    lib = build_library(company, "Acme")
    second = Competency.objects.create(rubric=lib.rubric, name="Second", position=lib.competency.position + 1)
    url = lib.urls()["rubric change"]
    response = company_admin_client.get(url)
    data = changeform_data(response)
    prefix = inline_prefix(response, Competency)
    assert [c.pk for c in lib.rubric.competencies.all()] == [lib.competency.pk, second.pk]
    for i in range(2):
        first_row = data[f"{prefix}-{i}-id"] == str(lib.competency.pk)
        data[f"{prefix}-{i}-position"] = "2" if first_row else "1"
    assert company_admin_client.post(url, data).status_code == 302
    assert [c.pk for c in lib.rubric.competencies.all()] == [second.pk, lib.competency.pk]


def test_the_question_bank_is_edited_on_the_competency_page(company_admin_client, company):
    lib = build_library(company, "Acme")
    url = lib.urls()["competency change"]
    response = company_admin_client.get(url)
    data = changeform_data(response)
    prefix = inline_prefix(response, Question)
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    data |= {
        f"{prefix}-{n}-position": "9",
        f"{prefix}-{n}-text": "Walk me through a design you would change today.",
        f"{prefix}-{n}-follow_ups": "What broke first?\nWhat did it cost?",
    }
    assert company_admin_client.post(url, data).status_code == 302
    texts = list(lib.competency.questions.values_list("text", flat=True))
    assert texts == ["Acme question", "Walk me through a design you would change today."]


# --- a used rubric is locked; changes go into a new version -----------------------------------


def test_locking_is_idempotent(company):
    lib = build_library(company, "Acme")
    rubric_lock(rubric=lib.rubric)
    first = Rubric.objects.get(pk=lib.rubric.pk).locked_at
    assert first is not None
    rubric_lock(rubric=lib.rubric)
    assert Rubric.objects.get(pk=lib.rubric.pk).locked_at == first


def test_a_locked_rubric_cannot_be_edited_in_place(company_admin_client, company):
    lib = build_library(company, "Acme")
    url = lib.urls()["rubric change"]
    data = changeform_data(company_admin_client.get(url))
    rubric_lock(rubric=lib.rubric)
    # the page is read-only and says how to change it
    response = company_admin_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="_save"' not in body
    assert "Create a new version" in body
    # no write gets through: rubric, inline rows, competency page, deletes
    data["name"] = "Edited"
    assert company_admin_client.post(url, data).status_code == 403
    competency_url = lib.urls()["competency change"]
    assert 'name="_save"' not in company_admin_client.get(competency_url).content.decode()
    assert company_admin_client.post(competency_url, {"name": "Edited"}).status_code == 403
    assert company_admin_client.post(lib.urls()["rubric delete"], {"post": "yes"}).status_code == 403
    assert company_admin_client.post(lib.urls()["competency delete"], {"post": "yes"}).status_code == 403
    lib.rubric.refresh_from_db()
    lib.competency.refresh_from_db()
    assert (lib.rubric.name, lib.competency.name) == ("Acme Rubric", "Acme Competency")


def test_a_new_version_is_an_editable_copy_and_templates_move_to_it(company_admin_client, company):
    # given a locked rubric used by a template's kit and by a running job's kit
    lib = build_library(company, "Acme")
    job_stage = JobStageFactory(job__company=company)
    job_kit = InterviewKit.objects.create(company=company, stage=job_stage, name="Job kit", rubric=lib.rubric)
    rubric_lock(rubric=lib.rubric)
    # when the company admin creates a new version
    response = company_admin_client.post(
        "/admin/rubrics/rubric/", {"action": "new_version", "_selected_action": [lib.rubric.pk]}
    )
    assert response.status_code == 302
    new = Rubric.objects.get(previous_version=lib.rubric)
    # then it is version 2, unlocked, with every row copied
    assert (new.version, new.is_locked, str(new)) == (2, False, "Acme Rubric (v2)")
    assert list(new.competencies.values_list("name", "is_critical", "weight")) == [
        ("Acme Competency", True, Decimal("1.00"))
    ]
    assert new.anchors.count() == 5
    assert list(Question.objects.filter(competency__rubric=new).values_list("text", "follow_ups")) == [
        ("Acme question", "Acme probe")
    ]
    assert list(new.red_flags.values_list("description", "is_blocking")) == [("Acme red flag", True)]
    assert list(new.hire_bar.values_list("kind", "score")) == [(ClauseKind.MIN_AVERAGE, Decimal("3.00"))]
    # the template's kit moved, the job's kit kept the version its scores refer to
    lib.kit.refresh_from_db()
    job_kit.refresh_from_db()
    assert (lib.kit.rubric_id, job_kit.rubric_id) == (new.pk, lib.rubric.pk)
    # and version 2 can be edited while version 1 keeps its meaning
    url = f"/admin/rubrics/rubric/{new.pk}/change/"
    data = changeform_data(company_admin_client.get(url))
    data["description"] = "Sharper anchors"
    assert company_admin_client.post(url, data).status_code == 302
    assert Rubric.objects.get(pk=lib.rubric.pk).description == "Acme rubric text"
    # a second new version of version 1 is refused with the reason
    response = company_admin_client.post(
        "/admin/rubrics/rubric/",
        {"action": "new_version", "_selected_action": [lib.rubric.pk]},
        follow=True,
    )
    assert "already has a newer version" in response.content.decode()
    assert Rubric.objects.filter(name="Acme Rubric").count() == 2


def test_an_unused_rubric_is_edited_in_place(company_admin_client, company):
    lib = build_library(company, "Acme")
    url = lib.urls()["rubric change"]
    data = changeform_data(company_admin_client.get(url))
    data["description"] = "Edited"
    assert company_admin_client.post(url, data).status_code == 302
    lib.rubric.refresh_from_db()
    assert (lib.rubric.description, lib.rubric.version, Rubric.objects.count()) == ("Edited", 1, 1)


def test_locked_rubrics_are_filterable(company_admin_client, company):
    lib = build_library(company, "Acme")
    Rubric.objects.filter(pk=lib.rubric.pk).update(locked_at=timezone.now())
    unlocked = build_library(company, "Fresh").rubric
    body = company_admin_client.get("/admin/rubrics/rubric/?locked_at__isnull=True").content.decode()
    assert unlocked.name in body and "Acme Rubric" not in body
