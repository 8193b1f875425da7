"""The dashboard page: who may see it, company scoping, links, and a constant query count."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.dashboard import views
from tests.hiring.factories import JobFactory, MembershipFactory, UserFactory
from tests.interviews.dashboard_data import DATE_FROM, DATE_TO, NOW, build_interviews, build_pipeline

URL = "/admin/dashboard/"
RANGE = {"date_from": DATE_FROM.isoformat(), "date_to": DATE_TO.isoformat()}


@pytest.fixture
def pipeline(company):
    return build_pipeline(company)


@pytest.fixture
def interviews(company, pipeline):
    return build_interviews(company, pipeline)


@pytest.fixture
def other(other_company):
    pipeline = build_pipeline(other_company, title="Globex Secret Job")
    members = [
        MembershipFactory(
            company=other_company,
            role=Role.INTERVIEWER,
            user=UserFactory(),
            display_name=f"Globex Person {i}",
        )
        for i in range(3)
    ]
    build_interviews(other_company, pipeline, members)
    return pipeline


def test_url_is_named_in_the_admin():
    assert reverse("admin:dashboard") == URL


@pytest.mark.parametrize("client_fixture", ["company_admin_client", "recruiter_client", "manager_client"])
def test_readers_see_the_dashboard(request, client_fixture, pipeline):
    client = request.getfixturevalue(client_fixture)

    response = client.get(URL, RANGE)

    assert response.status_code == 200
    assert "Backend" in response.content.decode()


def test_interviewer_gets_403(interviewer_client, pipeline):
    assert interviewer_client.get(URL).status_code == 403


def test_staff_without_a_company_gets_403(admin_client_for, db):
    assert admin_client_for(UserFactory(username="loner")).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_superuser_sees_every_company(superuser_client, pipeline, other):
    content = superuser_client.get(URL, RANGE).content.decode()

    assert "Backend" in content
    assert "Globex Secret Job" in content


def test_admin_index_links_to_the_dashboard(manager_client, interviewer_client):
    assert URL in manager_client.get("/admin/").content.decode()
    assert URL not in interviewer_client.get("/admin/").content.decode()


def test_manager_of_one_company_sees_nothing_of_another(manager_client, pipeline, interviews, other):
    content = manager_client.get(URL, RANGE).content.decode()

    assert "Backend" in content
    assert "Globex" not in content
    assert f"job={other.job.pk}&" not in content


def test_another_companys_job_in_the_filter_is_refused(manager_client, pipeline, interviews, other):
    response = manager_client.get(URL, {**RANGE, "job": other.job.pk})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in content
    assert "Globex" not in content
    # The refused value is ignored: the manager's own figures are shown.
    assert [s.name for s in response.context["job_sections"]] == ["Backend"]


def test_another_company_in_the_filter_is_refused(manager_client, other_company, pipeline, other):
    response = manager_client.get(URL, {**RANGE, "company": other_company.pk})

    assert "Select a valid choice" in response.content.decode()
    assert "Globex" not in response.content.decode()


def test_job_filter_choices_are_scoped(manager_client, pipeline, other):
    choices = dict(manager_client.get(URL).context["form"].fields["job"].choices)

    assert pipeline.job.pk in choices
    assert other.job.pk not in choices


def test_figures_on_the_page_link_to_the_filtered_lists(manager_client, pipeline, interviews):
    response = manager_client.get(URL, RANGE)

    section = response.context["job_sections"][0]
    funnel, velocity, outcomes = section.panels
    review = funnel.rows[0]
    assert [str(c["text"]) for c in review] == ["Review", "6", "50%", "1", "1", "1"]
    stuck_link = review[5]["href"]
    assert stuck_link.startswith("/admin/hiring/application/?")
    assert f"job={pipeline.job.pk}&" in stuck_link
    assert f"stage={pipeline.review.pk}&" in stuck_link
    assert stuck_link.endswith("overdue=yes")
    assert [str(c["text"]) for c in velocity.rows[0]] == ["Review", "4", "1.5", "3.4"]
    assert [str(c["text"]) for c in velocity.rows[-1]] == ["Application to hire", "1", "7.0", "7.0"]
    hired = next(r for r in outcomes.rows if r[0]["text"] == "Hired")
    assert hired[1]["text"] == 1
    assert "status__exact=hired" in hired[1]["href"]
    assert "applied_at__gte=2026-03-01" in hired[1]["href"]
    assert section.agreement == (6, pytest.approx(0.5))
    content = response.content.decode()
    assert "<svg" in content
    assert "Krippendorff" in content


def test_panels_show_interviewers_and_reasons(manager_client, pipeline, interviews):
    response = manager_client.get(URL, RANGE)

    panels = {p.title: p for p in response.context["panels"]}
    calibration = {r[0]["text"]: [str(c["text"]) for c in r] for r in panels["Calibration"].rows}
    assert calibration["Ida One"] == ["Ida One", "2", "3.67", "+1.00", "2", "50%", "0%"]
    feedback = {r[0]["text"]: [c["text"] for c in r] for r in panels["Feedback health"].rows}
    assert feedback["Ivo Two"][:3] == ["Ivo Two", 1, 1]
    reasons = {r[0]["text"] for r in panels["Rejection and withdrawal reasons"].rows}
    assert reasons == {"Not enough experience", "Took another offer"}
    sources = {r[0]["text"]: r[1]["text"] for r in panels["Sources"].rows}
    assert sources == {"Referral": 2, "LinkedIn": 2, "Careers site": 2}


def test_load_panel_links_every_interviewers_weeks(manager_client, pipeline, interviews, monkeypatch):
    # given the page seen at the dataset's "now" (Wednesday 2026-03-18)
    class Clock:
        now = staticmethod(lambda: NOW)
        localdate = staticmethod(lambda: NOW.date())
        localtime = staticmethod(timezone.localtime)

    monkeypatch.setattr(views, "timezone", Clock)

    response = manager_client.get(URL, RANGE)

    # then each interviewer with interviews in the six weeks has a row, each week a link
    load = {p.title: p for p in response.context["panels"]}["Interviewer load"]
    rows = {r[0]["text"]: r[1:] for r in load.rows}
    assert len(rows) == 3
    assert [c["text"] for c in rows["Ida One"]] == [0, 0, 2, 0, 1, 0, 0]
    assert all("interviewers__id__exact=" in c["href"] for cells in rows.values() for c in cells)


def _queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, RANGE)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _dashboard_own(queries: list[str]) -> list[str]:
    """Leave out the session, the user and the admin sidebar's permission look-ups."""
    framework = ('FROM "django_session"', 'FROM "auth_user"', 'FROM "auth_permission"')
    return [q for q in queries if not any(t in q for t in framework)]


def test_query_count_is_the_same_for_n_and_2n(company, manager_client):
    # given N jobs worth of applications, interviews and scorecards
    build_interviews(company, build_pipeline(company, title="Job 1"))
    n = _queries(manager_client)

    # when the data doubles (jobs, applications, interviews, interviewers)
    build_interviews(company, build_pipeline(company, title="Job 2"))
    two_n = _queries(manager_client)

    # then the page runs the same statements: the jobs, one for the summary, trends and stuck list,
    # one for the application figures, one for the interviewer figures, one for the gate pass rates
    # and one for the candidate survey's (the user's roles come with the user);
    # nine at most with the session, the user and the sidebar
    assert len(two_n) == len(n) <= 9
    assert len(_dashboard_own(two_n)) == len(_dashboard_own(n)) == 6


def test_a_reading_role_in_one_company_does_not_open_another_where_the_user_interviews(
    admin_client_for, company, other_company, pipeline, other
):
    # given a recruiter of A who is only an interviewer in B
    user = UserFactory(username="two-hats")
    MembershipFactory(user=user, company=company, role=Role.RECRUITER)
    MembershipFactory(user=user, company=other_company, role=Role.INTERVIEWER)

    response = admin_client_for(user).get(URL, RANGE)

    assert [s.name for s in response.context["job_sections"]] == ["Backend"]
    assert "Globex" not in response.content.decode()


def test_member_of_two_companies_can_narrow_to_one(admin_client_for, company, other_company, pipeline, other):
    user = UserFactory(username="two-companies")
    MembershipFactory(user=user, company=company, role=Role.HIRING_MANAGER)
    MembershipFactory(user=user, company=other_company, role=Role.COMPANY_ADMIN)
    client = admin_client_for(user)

    both = client.get(URL, RANGE).context["job_sections"]
    only_b = client.get(URL, {**RANGE, "company": other_company.pk}).context["job_sections"]

    assert [s.job.pk for s in both] == [pipeline.job.pk, other.job.pk]
    assert [s.job.pk for s in only_b] == [other.job.pk]


def test_a_range_ending_before_it_starts_is_refused(manager_client, pipeline):
    response = manager_client.get(URL, {"date_from": "2026-03-18", "date_to": "2026-03-01"})

    assert "The end of the range is before its start." in response.content.decode()


def test_the_range_defaults_to_the_last_90_days(manager_client, pipeline):
    filters = manager_client.get(URL).context["filters"]

    assert (filters.date_to - filters.date_from).days == 89


def test_names_are_escaped_in_charts_and_tables(manager_client, company):
    build_pipeline(company, title="<script>alert(1)</script>")

    content = manager_client.get(URL, RANGE).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_job_select_offers_at_most_100_jobs_but_accepts_any_of_the_users(manager_client, company):
    jobs = [JobFactory(company=company, title=f"Job {i:03}") for i in range(105)]

    response = manager_client.get(URL, {"job": jobs[-1].pk})

    widget = response.context["form"].fields["job"].widget
    assert len(widget.choices) == 100  # "All jobs", 98 jobs and the chosen one
    assert response.context["form"].errors == {}
    assert response.context["filters"].job_id == jobs[-1].pk
    job_select = re.search(r'<select name="job".*?</select>', response.content.decode(), re.S).group(0)
    assert job_select.count("<option") == 100
    assert f'<option value="{jobs[-1].pk}" selected>' in job_select


def test_the_page_loads_nothing_from_outside(manager_client, pipeline, interviews):
    content = manager_client.get(URL, RANGE).content.decode()

    assert not re.search(r'(src|href)="(https?:)?//', content)
    assert "/static/interviews/dashboard.css" in content


def test_every_link_opens_its_admin_list(manager_client, pipeline, interviews):
    content = manager_client.get(URL, RANGE).content.decode()

    links = {html.unescape(h) for h in re.findall(r'href="(/admin/[^"]*\?[^"]*)"', content)}

    assert links
    for link in sorted(links):
        response = manager_client.get(link)
        # 302 to ?e=1 means the list refused the parameters, 400 a lookup it does not allow
        assert response.status_code == 200, link


def test_a_stuck_figure_opens_the_stuck_applications(manager_client, pipeline):
    response = manager_client.get(URL, RANGE)
    review = response.context["job_sections"][0].panels[0].rows[0]

    listed = manager_client.get(review[5]["href"]).context["cl"].result_list

    # "Now" is today: of Review's applications only a5 is active (a6 is on hold).
    assert review[5]["text"] == 1
    assert [a.pk for a in listed] == [pipeline.apps[4].pk]


def test_hostile_names_are_escaped_inside_the_charts(manager_client, company, pipeline, interviews):
    # given: a job, a stage, a rejection reason and an interviewer named with markup
    names = {
        "job": "<script>j()</script>",
        "stage": '<img src=x onerror="s()">',
        "reason": "'><i>r</i>",
        "member": "<u>Ida</u> & co",
    }
    pipeline.job.title = names["job"]
    pipeline.job.save(update_fields=["title"])
    pipeline.review.name = names["stage"]
    pipeline.review.save(update_fields=["name"])
    pipeline.not_enough.name = names["reason"]
    pipeline.not_enough.save(update_fields=["name"])
    member = interviews.members[0]
    member.display_name = names["member"]
    member.save(update_fields=["display_name"])

    # when
    content = manager_client.get(URL, RANGE).content.decode()

    # then: none is in the page as markup, and each is in a chart (label or tooltip), escaped
    charts = "".join(re.findall(r"<svg.*?</svg>", content, flags=re.S))
    for name in names.values():
        assert name not in content
        assert html.escape(name) in charts
