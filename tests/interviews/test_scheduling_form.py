"""The scheduling form: the application picked by a search scoped to the user's companies, the
time zone from a list defaulting to the company's, and the interviewers' other interviews shown
before saving (a scoped JSON view)."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring.models import Company, Role
from interviews.models import Interview
from interviews.services import interview_schedule
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db

ADD = "admin:interviews_interview_add"


def member(user):
    return user.memberships.get()


def _autocomplete(client, term=""):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "interviews", "model_name": "interview", "field_name": "application", "term": term},
    )


def _conflicts(client, members, start, end, zone="UTC", **extra):
    params = {
        "interviewers": ",".join(str(m.pk) for m in members),
        "start": f"{start:%Y-%m-%d %H:%M}",
        "end": f"{end:%Y-%m-%d %H:%M}" if end else "",
        "timezone": zone,
        **extra,
    }
    return client.get(reverse("admin:interviews_interview_conflicts"), params)


def test_the_application_is_searched_among_the_users_companies_only(company, other_company, recruiter_client):
    mine, _ = interview_setup(company)
    theirs, _ = interview_setup(other_company)
    mine.candidate.name, theirs.candidate.name = "Sabas Soria", "Sabine Other"
    mine.candidate.save()
    theirs.candidate.save()
    response = _autocomplete(recruiter_client, "Sab")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [str(mine.pk)]
    assert results[0]["text"] == f"Sabas Soria — {mine.job.title}"
    # The form names the prefilled application the same way, and offers no raw id box.
    html = recruiter_client.get(reverse(ADD) + f"?application={mine.pk}").content.decode()
    assert f"Sabas Soria — {mine.job.title}" in html and "vForeignKeyRawIdAdminField" not in html
    assert "admin-autocomplete" in html


def test_another_companys_application_is_refused_by_the_form(company, other_company, recruiter_client):
    _, kits = interview_setup(company)
    theirs, _ = interview_setup(other_company)
    response = recruiter_client.post(
        reverse(ADD),
        {
            "application": theirs.pk,
            "kit": kits[0].pk,
            "starts_at_0": "2031-05-06",
            "starts_at_1": "10:00",
            "timezone": "UTC",
            "panel": [],
        },
    )
    assert response.status_code == 200 and "application" in response.context["adminform"].form.errors
    assert not Interview.objects.exists()


def test_the_time_zone_is_a_list_defaulting_to_the_applications_company(company, recruiter_client):
    application, _ = interview_setup(company)
    Company.objects.filter(pk=company.pk).update(time_zone="Europe/Paris")
    page = recruiter_client.get(reverse(ADD) + f"?application={application.pk}")
    form = page.context["adminform"].form
    assert form.initial["timezone"] == "Europe/Paris"
    html = page.content.decode()
    assert '<select name="timezone"' in html and '<option value="Europe/Paris" selected>' in html
    assert '<option value="America/New_York">' in html
    # Without an application, the zone of the user's only company.
    assert recruiter_client.get(reverse(ADD)).context["adminform"].form.initial["timezone"] == "Europe/Paris"


def test_the_time_zone_defaults_to_the_sites_without_company_settings(company, recruiter_client, settings):
    application, _ = interview_setup(company)
    page = recruiter_client.get(reverse(ADD) + f"?application={application.pk}")
    assert page.context["adminform"].form.initial["timezone"] == settings.TIME_ZONE


def test_a_time_zone_outside_the_list_is_refused(company, recruiter_client, interviewer):
    application, kits = interview_setup(company)
    response = recruiter_client.post(
        reverse(ADD) + f"?application={application.pk}",
        {
            "application": application.pk,
            "kit": kits[0].pk,
            "starts_at_0": "2031-05-06",
            "starts_at_1": "10:00",
            "timezone": "Mars/Olympus",
            "panel": [member(interviewer).pk],
        },
    )
    assert response.status_code == 200 and "timezone" in response.context["adminform"].form.errors
    assert not Interview.objects.exists()


def test_the_form_loads_the_conflicts_script_from_the_projects_static_files(company, recruiter_client):
    application, _ = interview_setup(company)
    html = recruiter_client.get(reverse(ADD) + f"?application={application.pk}").content.decode()
    assert 'src="/static/interviews/interview_conflicts.js"' in html
    assert f'data-conflicts-url="{reverse("admin:interviews_interview_conflicts")}"' in html


def test_conflicts_lists_the_overlapping_interviews_of_the_interviewers(
    company, other_company, recruiter_client, interviewer, hiring_manager
):
    application, kits = interview_setup(company)
    start = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=2)
    interview_schedule(
        application=application, kit=kits[0], starts_at=start, interviewers=[member(interviewer)]
    )
    # Another company's interview at the same time, with its own interviewer: not this form's business.
    theirs, their_kits = interview_setup(other_company)
    interview_schedule(
        application=theirs,
        kit=their_kits[0],
        starts_at=start,
        interviewers=[MembershipFactory(company=other_company, role=Role.INTERVIEWER)],
    )
    local = timezone.localtime(start + datetime.timedelta(minutes=15), datetime.UTC).replace(tzinfo=None)
    response = _conflicts(
        recruiter_client,
        [member(interviewer), member(hiring_manager)],
        local,
        local + datetime.timedelta(hours=1),
    )
    assert response.status_code == 200
    conflicts = response.json()["conflicts"]
    assert [c["interviewer"] for c in conflicts] == [member(interviewer).display_name]
    assert conflicts[0]["starts_at"] == f"{start:%Y-%m-%d %H:%M}" and conflicts[0]["kit"] == kits[0].name
    # Times are read in the zone chosen: the UTC wall-clock time typed as Paris time is an hour or
    # two earlier, before the interview; the Paris wall-clock time finds it.
    short = datetime.timedelta(minutes=10)
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    assert _conflicts(
        recruiter_client, [member(interviewer)], local, local + short, "Europe/Paris"
    ).json() == {"conflicts": []}
    in_paris = timezone.localtime(start + datetime.timedelta(minutes=15), paris).replace(tzinfo=None)
    found = _conflicts(recruiter_client, [member(interviewer)], in_paris, in_paris + short, "Europe/Paris")
    assert found.json()["conflicts"][0]["time_zone"] == "Europe/Paris"
    # No end typed: the kit's duration.
    no_end = _conflicts(recruiter_client, [member(interviewer)], local, None, kit=kits[0].pk)
    assert len(no_end.json()["conflicts"]) == 1


def test_conflicts_leave_out_the_interview_being_changed(company, recruiter_client, interviewer):
    application, kits = interview_setup(company)
    start = timezone.now().replace(microsecond=0, second=0) + datetime.timedelta(days=2)
    interview = interview_schedule(
        application=application, kit=kits[0], starts_at=start, interviewers=[member(interviewer)]
    )
    local = start.astimezone(datetime.UTC).replace(tzinfo=None)
    end = local + datetime.timedelta(minutes=30)
    assert len(_conflicts(recruiter_client, [member(interviewer)], local, end).json()["conflicts"]) == 1
    assert (
        _conflicts(recruiter_client, [member(interviewer)], local, end, interview=interview.pk).json()[
            "conflicts"
        ]
        == []
    )


def test_conflicts_refuse_another_companys_interviewers(company, other_company, recruiter_client):
    theirs = MembershipFactory(company=other_company, role=Role.INTERVIEWER)
    now = datetime.datetime(2031, 5, 6, 10, 0)
    assert _conflicts(recruiter_client, [theirs], now, None).status_code == 403
    mine = MembershipFactory(company=company, role=Role.INTERVIEWER)
    assert _conflicts(recruiter_client, [mine, theirs], now, None).status_code == 403
    assert _conflicts(recruiter_client, [mine], now, None).status_code == 200


def test_conflicts_are_for_schedulers_only(company, interviewer_client, interviewer):
    now = datetime.datetime(2031, 5, 6, 10, 0)
    assert _conflicts(interviewer_client, [member(interviewer)], now, None).status_code == 403
    anonymous = _conflicts(Client(), [member(interviewer)], now, None)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_conflicts_refuse_malformed_input(company, recruiter_client, interviewer):
    url = reverse("admin:interviews_interview_conflicts")
    assert recruiter_client.get(url, {"interviewers": "1;drop"}).status_code == 400
    nothing = recruiter_client.get(
        url, {"interviewers": member(interviewer).pk, "start": "soon", "timezone": "UTC"}
    )
    assert nothing.status_code == 200 and nothing.json() == {"conflicts": []}
    too_long = recruiter_client.get(
        url, {"interviewers": member(interviewer).pk, "start": "2031-05-06 10:00", "timezone": "0" * 300}
    )
    assert too_long.status_code == 200 and too_long.json() == {"conflicts": []}
