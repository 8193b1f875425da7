import re

import pytest
from django.urls import reverse

from interviews.ai_use import kit_set_no_ai_blocks
from interviews.models import AIPolicy
from interviews.notifications.models import Notification
from tests.portal.helpers import portal_client

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def test_home_lists_the_applications_with_the_step_and_upcoming_interviews(ada):
    client = portal_client(ada["candidate"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "Hello Ada Lovelace" in page
    assert ada["job"].title in page and reverse("portal:application", args=[ada["application"].pk]) in page
    assert "Current step: Technical round" in page
    assert "Pairing session" in page and "https://meet.example.com/ada" in page
    assert reverse("portal:interview_ics", args=[ada["interview"].pk]) in page
    for hidden in ("Secret debrief", "Private scorecard summary"):
        assert hidden not in page


def test_the_application_page_shows_the_loop_in_the_candidates_words(ada):
    client = portal_client(ada["candidate"])
    page = client.get(reverse("portal:application", args=[ada["application"].pk])).content.decode()
    # done, current, next, each with what it involves
    assert re.search(r"Intro call\s*<span class=\"state\">\(done\)", page)
    assert re.search(r"Technical round\s*<span class=\"state\">\(you are here\)", page)
    assert re.search(r"Trial day\s*<span class=\"state\">\(next\)", page)
    assert "Phone call" in page and "about 90 minutes" in page and "No AI tools" in page
    assert "Paid: 450 EUR per day, expenses reimbursed" in page and "Unpaid" in page
    assert "Live pairing" in page and "Take-home" in page
    for hidden in ("Secret debrief", "Private scorecard summary"):
        assert hidden not in page


def test_interview_times_follow_the_candidates_time_zone(ada):
    client = portal_client(ada["candidate"])
    url = reverse("portal:application", args=[ada["application"].pk])
    assert "2:00" in client.get(url).content.decode() or "14:00" in client.get(url).content.decode()
    response = client.post(reverse("portal:time_zone"), {"time_zone": "Asia/Tokyo", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    ada["candidate"].refresh_from_db()
    assert ada["candidate"].time_zone == "Asia/Tokyo"
    page = client.get(url).content.decode()
    assert "(Asia/Tokyo)" in page and ("11 p.m." in page or "23:00" in page)
    # an unknown zone is refused, and an outside "next" is not followed
    client.post(reverse("portal:time_zone"), {"time_zone": "Mars/Olympus", "next": "https://evil.example/"})
    ada["candidate"].refresh_from_db()
    assert ada["candidate"].time_zone == "Asia/Tokyo"


def test_the_ics_download_is_the_interviews_invite(ada):
    client = portal_client(ada["candidate"])
    response = client.get(reverse("portal:interview_ics", args=[ada["interview"].pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and f"interview-{ada['interview'].pk}@hireloop" in body
    # an internal session's invite is not the candidate's
    assert client.get(reverse("portal:interview_ics", args=[ada["debrief"].pk])).status_code == 404


def test_the_emails_sent_to_the_candidate_are_listed_with_sign_in_links_hidden(ada):
    client = portal_client(ada["candidate"])
    received = Notification.objects.get(event="application_received", recipient=ada["candidate"].email)
    assert "/portal/sign-in/" in received.body  # the email itself carries a working link
    page = client.get(reverse("portal:home")).content.decode()
    assert received.subject in page
    assert "/portal/sign-in/" not in page and "/portal/(personal link, hidden)/" in page
    # the interviewers' emails about the candidate are not the candidate's
    assert "stage_entered_team" not in page
    team = Notification.objects.filter(recipient__endswith="@example.com")
    for email in team:
        assert email.subject not in page or email.subject == received.subject


def test_portal_pages_have_no_inline_script_and_a_strict_policy(ada):
    client = portal_client(ada["candidate"])
    urls = [
        reverse("portal:home"),
        reverse("portal:application", args=[ada["application"].pk]),
        reverse("portal:withdraw", args=[ada["application"].pk]),
        reverse("portal:data"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        for script in SCRIPT.finditer(response.content.decode()):
            assert "src=" in script["attrs"] and not script["body"].strip(), url
        assert " on" not in re.sub(r"<[^>]*>", lambda m: "", "")  # no handler attributes below
        assert not re.search(r"<[^>]+\son[a-z]+=", response.content.decode()), url
    start = portal_client(ada["candidate"])
    start.post(reverse("portal:sign_out"))
    for script in SCRIPT.finditer(start.get(reverse("portal:start")).content.decode()):
        assert not script["body"].strip()


def test_the_portal_speaks_french(ada):
    client = portal_client(ada["candidate"])
    page = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in page and "Vos candidatures" in page
    page = client.get(
        reverse("portal:application", args=[ada["application"].pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Vos étapes" in page and "Pas d’outils d’IA" in page


def test_the_loop_names_the_minutes_of_a_no_ai_block(ada):
    # given a 90-minute pairing session with AI tools welcome except minutes 30-50
    kit = ada["interview"].kit
    kit.ai_policy, kit.duration_minutes, kit.no_ai_minutes = AIPolicy.NO_AI_BLOCK, 90, 20
    kit.save()
    kit_set_no_ai_blocks(kit=kit, blocks=[(30, 20)])
    # when the candidate reads the loop in the portal, then the block's minutes are named
    client = portal_client(ada["candidate"])
    page = client.get(reverse("portal:application", args=[ada["application"].pk])).content.decode()
    assert "except minutes 30–50 of 90 without AI" in page
