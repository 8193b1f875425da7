"""Two candidates booking the same interviewer at the same moment on PostgreSQL: one interview is
created, the other candidate is told the time is no longer available."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from interviews.booking import SLOT_TAKEN, interview_book
from interviews.models import Interview, InterviewKit
from tests.interviews.booking_setup import booking_setup, next_monday, second_application

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (select_for_update) need PostgreSQL"
    ),
]


def _race(bookings):
    """Run every (application, kit, start) booking at the same instant, each on its own connection."""
    start, outcomes = threading.Barrier(len(bookings)), [None] * len(bookings)

    def book(i, application, kit, starts_at):
        try:
            start.wait(10)
            outcomes[i] = interview_book(
                application=application,
                kit=InterviewKit.objects.get(pk=kit.pk),
                starts_at=starts_at,
                now=next_monday(),
            )
        except Exception as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i, *b)) for i, b in enumerate(bookings)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


def test_two_candidates_racing_for_one_slot_get_one_interview(company):
    application, kit, _ = booking_setup(company, panel=4)
    for trial in range(4):
        # two new candidates each time, racing for the same hour of the same 4-interviewer panel
        one, two = (second_application(company, application) for _ in range(2))
        starts_at = next_monday(9 + 2 * trial)
        outcomes = _race([(one, kit, starts_at), (two, kit, starts_at)])
        booked = [o for o in outcomes if isinstance(o, Interview)]
        refused = [o for o in outcomes if isinstance(o, ValidationError)]
        assert len(booked) == 1 and len(refused) == 1, outcomes
        assert refused[0].error_list[0].code == SLOT_TAKEN
    assert Interview.objects.filter(kit=kit).count() == 4


def test_overlapping_panels_racing_for_overlapping_times_never_double_book_the_shared_interviewer(company):
    # two kits of the stage share one interviewer; the candidates pick 09:00 and 09:30
    application, kit, members = booking_setup(company, panel=2)
    other_kit = InterviewKit.objects.create(
        company=company,
        stage=kit.stage,
        name="Second session",
        rubric=kit.rubric,
        self_scheduling=True,
        min_notice_hours=0,
        booking_window_days=28,
    )
    other_kit.default_interviewers.set([members[1]])
    rival = second_application(company, application)
    outcomes = _race([(application, kit, next_monday(9)), (rival, other_kit, next_monday(9.5))])
    assert sum(isinstance(o, Interview) for o in outcomes) == 1, outcomes
    shared = Interview.objects.filter(scorecards__interviewer=members[1])
    assert shared.count() == 1
