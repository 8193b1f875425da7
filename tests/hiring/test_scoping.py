"""Company scoping and roles in the set-up admin: templates, stages, kits, rubrics, members.

Company A ("Acme") is the company under test; company B ("Globex") holds a library whose every
name starts with "Zebulon", so any response can be searched for a leak.
"""

import json

import pytest

from hiring.models import Membership, ProcessTemplate, Role
from rubrics.models import Rubric
from tests.hiring.factories import MembershipFactory, UserFactory
from tests.rubrics.builders import build_library

pytestmark = pytest.mark.django_db

LEAKS = ("Zebulon", "Globex")

INDEX_LINKS = {
    "templates": "/admin/hiring/processtemplate/",
    "rubrics": "/admin/rubrics/rubric/",
    "members": "/admin/hiring/membership/",
}


@pytest.fixture
def ours(company):
    return build_library(company, "Acme")


@pytest.fixture
def theirs(other_company, other_company_admin):
    return build_library(other_company, "Zebulon")


def _no_leak(response):
    body = response.content.decode()
    for word in LEAKS:
        assert word not in body, f"{word} leaked into {response.request['PATH_INFO']}"


def _autocomplete(client, app_label, model_name, field_name, term="", **extra):
    params = {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term}
    params.update(extra)
    return client.get("/admin/autocomplete/", params)


def _autocomplete_texts(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [r["text"] for r in json.loads(response.content)["results"]]


# --- roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        (Role.COMPANY_ADMIN, {"templates", "rubrics", "members"}),
        (Role.RECRUITER, {"templates", "rubrics", "members"}),
        (Role.HIRING_MANAGER, {"templates", "rubrics", "members"}),
        (Role.INTERVIEWER, set()),
    ],
)
def test_admin_index_shows_the_modules_of_the_role(all_roles, admin_client_for, role, visible):
    # when each role opens the admin index
    body = admin_client_for(all_roles[role]).get("/admin/").content.decode()
    # then exactly the modules its role allows are listed
    shown = {name for name, link in INDEX_LINKS.items() if link in body}
    assert shown == visible


def test_superuser_sees_every_company(superuser_client, ours, theirs):
    for url in ("/admin/hiring/processtemplate/", "/admin/rubrics/rubric/", "/admin/hiring/membership/"):
        body = superuser_client.get(url).content.decode()
        assert "Acme" in body and "Zebulon" in body, url
    assert superuser_client.get(theirs.urls()["template change"]).status_code == 200


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER])
def test_recruiters_and_managers_read_templates_and_rubrics_only(all_roles, admin_client_for, ours, role):
    client = admin_client_for(all_roles[role])
    for changelist, obj in (
        ("/admin/hiring/processtemplate/", ours.template),
        ("/admin/rubrics/rubric/", ours.rubric),
    ):
        # the list opens, without an add button or actions
        response = client.get(changelist)
        assert response.status_code == 200
        body = response.content.decode()
        assert obj.name in body
        assert f"{changelist}add/" not in body
        assert 'name="action"' not in body
        # the change page shows the object read-only
        response = client.get(f"{changelist}{obj.pk}/change/")
        assert response.status_code == 200
        assert 'name="_save"' not in response.content.decode()
        # and every write is refused
        assert client.post(f"{changelist}{obj.pk}/change/", {"name": "Renamed"}).status_code == 403
        assert client.get(f"{changelist}add/").status_code == 403
        assert client.post(f"{changelist}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    # a duplicate action posted anyway copies nothing
    client.post(
        "/admin/hiring/processtemplate/",
        {"action": "duplicate", "_selected_action": [ours.template.pk]},
    )
    assert ProcessTemplate.objects.count() == 1
    ours.template.refresh_from_db()
    assert ours.template.name == "Acme Template"


def test_interviewers_do_not_see_templates_rubrics_or_members(interviewer_client, ours):
    urls = [
        "/admin/hiring/processtemplate/",
        "/admin/rubrics/rubric/",
        "/admin/hiring/membership/",
        "/admin/hiring/stage/",
        "/admin/rubrics/competency/",
        "/admin/hiring/processtemplate/add/",
        *ours.urls().values(),
    ]
    for url in urls:
        assert interviewer_client.get(url).status_code in (403, 404), url
    # nor through autocomplete
    response = _autocomplete(interviewer_client, "interviews", "interviewkit", "rubric")
    assert response.status_code == 403


def test_company_admin_manages_templates_rubrics_and_members(company_admin_client, ours):
    for url in ("/admin/hiring/processtemplate/", "/admin/rubrics/rubric/", "/admin/hiring/invitation/"):
        body = company_admin_client.get(url).content.decode()
        assert f"{url}add/" in body, url
    for key in ("template change", "rubric change", "stage change", "competency change"):
        response = company_admin_client.get(ours.urls()[key])
        assert 'name="_save"' in response.content.decode(), key
    # invite a member by email; once they accepted, remove them
    response = company_admin_client.post(
        "/admin/hiring/invitation/add/",
        {"company": ours.template.company_id, "email": "new@acme.test", "role": Role.RECRUITER},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Membership.objects.filter(user__email="new@acme.test").exists()
    added = MembershipFactory(
        user=UserFactory(username="new", email="new@acme.test"), company=ours.template.company
    )
    response = company_admin_client.post(f"/admin/hiring/membership/{added.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=added.pk).exists()


def test_a_user_gets_each_companys_role_in_that_company(company, other_company, ours, theirs):
    # given a user who manages company A and only recruits for company B
    user = UserFactory(username="two-hats")
    MembershipFactory(user=user, company=company, role=Role.COMPANY_ADMIN)
    MembershipFactory(user=user, company=other_company, role=Role.RECRUITER)
    from django.test import Client

    client = Client()
    client.force_login(user)
    # then A's template can be changed, B's only read
    assert 'name="_save"' in client.get(ours.urls()["template change"]).content.decode()
    response = client.get(theirs.urls()["template change"])
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(theirs.urls()["template change"], {"name": "Hijacked"}).status_code == 403
    assert client.post(theirs.urls()["rubric delete"], {"post": "yes"}).status_code == 403
    # and an action posted with B's ids does nothing to B
    client.post(
        "/admin/hiring/processtemplate/",
        {"action": "duplicate", "_selected_action": [theirs.template.pk]},
    )
    assert ProcessTemplate.objects.filter(company=other_company).count() == 1
    # the add form does not ask: the one company the user manages is set, the other never offered
    body = client.get("/admin/hiring/processtemplate/add/").content.decode()
    assert f'type="hidden" name="company" value="{company.pk}"' in body and "Globex Labs" not in body


def test_an_interviewer_of_another_company_sees_nothing_of_its_library(company, other_company, ours, theirs):
    user = UserFactory(username="admin-here-interviewer-there")
    MembershipFactory(user=user, company=company, role=Role.COMPANY_ADMIN)
    MembershipFactory(user=user, company=other_company, role=Role.INTERVIEWER)
    from django.test import Client

    client = Client()
    client.force_login(user)
    for url in ("/admin/hiring/processtemplate/", "/admin/rubrics/rubric/", "/admin/hiring/membership/"):
        response = client.get(url)
        assert "Acme" in response.content.decode()
        _no_leak_except_company(response)
    for key, url in theirs.urls().items():
        assert client.get(url).status_code in (403, 404), key


def _no_leak_except_company(response):
    # the user belongs to Globex, so the company's name may show; its library must not
    assert "Zebulon" not in response.content.decode()


# --- the boundary between companies ---------------------------------------------------------


@pytest.fixture(params=[Role.COMPANY_ADMIN, Role.RECRUITER, Role.HIRING_MANAGER, Role.INTERVIEWER])
def staff_of_a(request, all_roles, admin_client_for):
    return admin_client_for(all_roles[request.param])


def test_objects_of_another_company_do_not_exist(staff_of_a, ours, theirs):
    for key, url in theirs.urls().items():
        response = staff_of_a.get(url)
        assert response.status_code in (403, 404), key
        response = staff_of_a.post(url, {"post": "yes", "name": "Hijacked"})
        assert response.status_code in (403, 404), key
    theirs.template.refresh_from_db()
    assert theirs.template.name == "Zebulon Template"
    assert Rubric.objects.filter(pk=theirs.rubric.pk).exists()


def test_lists_filters_and_searches_show_nothing_of_another_company(staff_of_a, ours, theirs):
    urls = [
        "/admin/",
        "/admin/hiring/processtemplate/",
        "/admin/hiring/processtemplate/?q=Zebul",
        f"/admin/hiring/processtemplate/?company__id__exact={theirs.template.company_id}",
        "/admin/hiring/stage/",
        "/admin/hiring/membership/",
        "/admin/hiring/membership/?q=zebul",
        "/admin/hiring/company/",
        "/admin/rubrics/rubric/",
        "/admin/rubrics/rubric/?q=Zebul",
        "/admin/rubrics/competency/",
        "/admin/hiring/processtemplate/add/",
        "/admin/rubrics/rubric/add/",
        "/admin/hiring/membership/add/",
    ]
    for url in urls:
        response = staff_of_a.get(url)
        if response.status_code == 302:  # a filter on a company the user cannot see
            continue
        _no_leak(response)


def test_change_forms_offer_nothing_of_another_company(company_admin_client, ours, theirs):
    for key in ("template change", "stage change", "rubric change", "competency change", "membership change"):
        response = company_admin_client.get(ours.urls()[key])
        assert response.status_code == 200, key
        _no_leak(response)


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [("interviewkit", "rubric"), ("interviewkit", "default_interviewers")],
)
def test_autocomplete_offers_nothing_of_another_company(
    company_admin_client, ours, theirs, model_name, field_name
):
    texts = _autocomplete_texts(_autocomplete(company_admin_client, "interviews", model_name, field_name))
    assert texts
    assert not [t for t in texts if "Zebulon" in t]
    assert not _autocomplete_texts(
        _autocomplete(company_admin_client, "interviews", model_name, field_name, term="Zebulon")
    )


def test_actions_posted_with_another_companys_ids_do_nothing(company_admin_client, ours, theirs):
    before_templates = ProcessTemplate.objects.count()
    before_rubrics = Rubric.objects.count()
    company_admin_client.post(
        "/admin/hiring/processtemplate/", {"action": "duplicate", "_selected_action": [theirs.template.pk]}
    )
    company_admin_client.post(
        "/admin/rubrics/rubric/", {"action": "new_version", "_selected_action": [theirs.rubric.pk]}
    )
    for url, pk in (
        ("/admin/hiring/processtemplate/", theirs.template.pk),
        ("/admin/rubrics/rubric/", theirs.rubric.pk),
        ("/admin/hiring/membership/", theirs.member.pk),
    ):
        company_admin_client.post(url, {"action": "delete_selected", "_selected_action": [pk], "post": "yes"})
    assert ProcessTemplate.objects.count() == before_templates
    assert Rubric.objects.count() == before_rubrics
    assert Membership.objects.filter(pk=theirs.member.pk).exists()


# --- a user in two companies: choices follow the object's company -----------------------------


@pytest.fixture
def admin_of_both(company, other_company, admin_client_for):
    user = UserFactory(username="admin-of-both")
    MembershipFactory(user=user, company=company, role=Role.COMPANY_ADMIN)
    MembershipFactory(user=user, company=other_company, role=Role.COMPANY_ADMIN)
    return admin_client_for(user)


def test_autocomplete_narrows_to_the_company_of_the_object(admin_of_both, ours, theirs, company):
    # without a hint both companies' rubrics are offered (the user manages both)
    texts = _autocomplete_texts(_autocomplete(admin_of_both, "interviews", "interviewkit", "rubric"))
    assert "Acme Rubric" in texts and "Zebulon Rubric" in texts
    # with the company of the kit being edited, only that company's rows
    for field_name, ours_text in (("rubric", "Acme Rubric"), ("default_interviewers", "Acme Member")):
        texts = _autocomplete_texts(
            _autocomplete(admin_of_both, "interviews", "interviewkit", field_name, company=company.pk)
        )
        assert any(ours_text in t for t in texts), field_name
        assert not [t for t in texts if "Zebulon" in t], field_name


def test_the_kit_widgets_of_a_stage_ask_for_its_company(admin_of_both, ours, company):
    body = admin_of_both.get(ours.urls()["stage change"]).content.decode()
    assert f"/admin/autocomplete/?company={company.pk}" in body


def test_a_kit_cannot_use_another_companys_rubric_or_members(admin_of_both, ours, theirs):
    from interviews.models import InterviewKit
    from tests.rubrics.builders import changeform_data, inline_prefix

    url = ours.urls()["stage change"]
    response = admin_of_both.get(url)
    data = changeform_data(response)
    prefix = inline_prefix(response, InterviewKit)
    # when the kit is pointed at company B's rubric and member
    data[f"{prefix}-0-rubric"] = str(theirs.rubric.pk)
    data[f"{prefix}-0-default_interviewers"] = [str(theirs.member.pk)]
    response = admin_of_both.post(url, data)
    # then the form is refused with a clear error and nothing changes
    assert response.status_code == 200
    body = response.content.decode()
    assert "belongs to another company" in body
    ours.kit.refresh_from_db()
    assert ours.kit.rubric_id == ours.rubric.pk
    assert list(ours.kit.default_interviewers.all()) == [ours.member]


def test_autocomplete_pages_are_in_a_stable_order(company_admin_client, company):
    from tests.rubrics.factories import RubricFactory

    for name in ("Charlie", "Alpha", "Bravo"):
        RubricFactory(company=company, name=name)
    texts = _autocomplete_texts(_autocomplete(company_admin_client, "interviews", "interviewkit", "rubric"))
    assert texts == ["Alpha", "Bravo", "Charlie"]
