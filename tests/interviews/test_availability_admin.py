"""The availability admin: an interviewer sees and edits only their own availability, a company
admin their company's, nobody another company's; the list costs the same at N and 2N rows; the
forms say what is wrong (hours, time zone, kit settings)."""

import pytest
from django.urls import reverse

from hiring.models import Membership
from interviews.models import Availability, InterviewKit, SchedulingSettings
from tests.interviews.booking_setup import available, booking_setup, panel_member

pytestmark = pytest.mark.django_db
LIST = reverse("admin:interviews_availability_changelist")


def _change(availability):
    return reverse("admin:interviews_availability_change", args=[availability.pk])


def _form(availability, **extra):
    data = {
        "time_zone": availability.time_zone,
        "weekly_hours-TOTAL_FORMS": "1",
        "weekly_hours-INITIAL_FORMS": "0",
        "weekly_hours-MIN_NUM_FORMS": "0",
        "weekly_hours-MAX_NUM_FORMS": "1000",
        "weekly_hours-0-weekday": "2",
        "weekly_hours-0-starts_at": "09:00",
        "weekly_hours-0-ends_at": "12:00",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
    }
    return {**data, **extra}


def test_an_interviewer_edits_their_own_availability_only(company, interviewer, admin_client_for):
    mine = available(Membership.objects.get(user=interviewer))
    theirs = available(panel_member(company, "colleague"))
    client = admin_client_for(interviewer)
    listed = client.get(LIST).content.decode()
    assert interviewer.memberships.get().display_name in listed and "colleague" not in listed
    assert client.get(_change(theirs)).status_code == 404
    assert client.post(_change(theirs), _form(theirs, time_zone="Asia/Tokyo")).status_code == 404
    response = client.post(_change(mine), _form(mine, time_zone="Europe/Paris"))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.time_zone == "Europe/Paris" and mine.weekly_hours.filter(weekday=2).exists()
    theirs.refresh_from_db()
    assert theirs.time_zone == "UTC"


def test_an_interviewer_adds_their_own_but_not_a_colleagues(company, interviewer, admin_client_for):
    colleague = panel_member(company, "colleague")
    client = admin_client_for(interviewer)
    add = reverse("admin:interviews_availability_add")
    page = client.get(add).content.decode()
    assert "colleague" not in page
    refused = client.post(add, {**_form(Availability(time_zone="UTC")), "membership": colleague.pk})
    assert refused.status_code == 200 and not Availability.objects.filter(membership=colleague).exists()
    own = Membership.objects.get(user=interviewer)
    assert client.post(add, {**_form(Availability(time_zone="UTC")), "membership": own.pk}).status_code == 302
    assert Availability.objects.get(membership=own).company_id == company.pk


def test_a_company_admin_edits_their_companys_not_another(
    company, other_company, company_admin, admin_client_for
):
    ours = available(panel_member(company, "ours"))
    theirs = available(panel_member(other_company, "theirs"))
    client = admin_client_for(company_admin)
    assert client.post(_change(ours), _form(ours, time_zone="Europe/Paris")).status_code == 302
    assert client.get(_change(theirs)).status_code == 404
    assert "theirs" not in client.get(LIST).content.decode()


def test_the_forms_say_what_is_wrong(company, interviewer, admin_client_for):
    mine = available(Membership.objects.get(user=interviewer))
    client = admin_client_for(interviewer)
    bad = client.post(
        _change(mine),
        _form(
            mine,
            time_zone="Mars/Olympus",
            **{"weekly_hours-0-starts_at": "12:00", "weekly_hours-0-ends_at": "09:00"},
        ),
    ).content.decode()
    assert "Unknown time zone" in bad and "must end after they start" in bad


def test_the_list_costs_the_same_queries_at_n_and_2n_rows(company, company_admin, admin_client_for):
    client = admin_client_for(company_admin)

    def count(n_more):
        for i in range(n_more):
            available(panel_member(company, f"m{Availability.objects.count()}-{i}"))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    assert count(3) == count(3)


def test_kit_self_scheduling_settings_are_refused_in_words():
    from interviews.kits import self_scheduling_errors

    common = {"format": "video", "is_internal": False, "buffer_minutes": 0}
    assert (
        self_scheduling_errors(self_scheduling=True, booking_window_days=14, min_notice_hours=24, **common)
        == {}
    )
    take_home = {**common, "format": "take_home"}
    assert "self_scheduling" in self_scheduling_errors(
        self_scheduling=True, booking_window_days=14, min_notice_hours=24, **take_home
    )
    internal = {**common, "is_internal": True}
    assert "self_scheduling" in self_scheduling_errors(
        self_scheduling=True, booking_window_days=14, min_notice_hours=24, **internal
    )
    errors = self_scheduling_errors(
        self_scheduling=True, booking_window_days=2, min_notice_hours=48, **common
    )
    assert "no slot is left" in errors["min_notice_hours"]
    assert "booking_window_days" in self_scheduling_errors(
        self_scheduling=False, booking_window_days=0, min_notice_hours=0, **common
    )


def test_the_stage_page_shows_the_kits_self_scheduling_settings(company, company_admin, admin_client_for):
    application, kit, _ = booking_setup(company)
    page = admin_client_for(company_admin).get(reverse("admin:hiring_stage_change", args=[kit.stage_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Self-scheduling" in body and "candidates book their slot" in body.lower()
    assert InterviewKit.objects.get(pk=kit.pk).self_scheduling


def test_the_company_page_edits_the_self_scheduling_settings(company, company_admin, admin_client_for):
    page = admin_client_for(company_admin).get(reverse("admin:hiring_company_change", args=[company.pk]))
    assert page.status_code == 200 and "change_notice_hours" in page.content.decode()
    assert not SchedulingSettings.objects.exists()
