"""Every portal URL that takes an id, walked by each of two candidates of two companies against
the other's objects: always 404. Built from careers.portal.urls, so a page added later (by the
track choice, the booking or the hand-in features) is walked without this file changing; a
parameter the walk cannot fill fails the test instead of being skipped."""

import re

import pytest
from django.urls import URLPattern, get_resolver, reverse

from careers.portal import urls as portal_urls
from tests.portal.conftest import scenario
from tests.portal.helpers import portal_client

pytestmark = pytest.mark.django_db

# Token URLs take a token, not an id: a token of the other candidate is their link (tested apart).
TOKEN_PARAMS = {"token"}


def _patterns():
    for pattern in portal_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        yield pattern


def _take_home(world):
    """A take-home of the world's current stage with a brief file (made once per world)."""
    if "take_home" not in world:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from interviews.handins import KitBriefFile
        from interviews.models import KitFormat
        from tests.hiring.documents import PDF
        from tests.interviews.factories import InterviewKitFactory

        stage = world["application"].stage
        kit = InterviewKitFactory(
            stage=stage, company=world["company"], name="Exercise", format=KitFormat.TAKE_HOME, window_days=5
        )
        brief = KitBriefFile(company=world["company"], kit=kit, title="Brief")
        brief.file.save("brief.pdf", SimpleUploadedFile("brief.pdf", PDF))
        world["take_home"], world["brief"] = kit, brief
        # the booking pages take a self-scheduled kit; the hand-in pages the take-home
        world["bookable"] = InterviewKitFactory(
            stage=stage, company=world["company"], name="Call", self_scheduling=True
        )
        kit_of_interview = world["interview"].kit  # rescheduled and cancelled online: self-scheduled
        kit_of_interview.self_scheduling = True
        kit_of_interview.save(update_fields=["self_scheduling"])
    return world["take_home"], world["brief"]


def _ids_of(world) -> dict[str, int]:
    """What the walk fills a URL's parameter with, by name: the world's own object of that kind."""
    kit, brief = _take_home(world)
    return {
        "application_id": world["application"].pk,
        "interview_id": world["interview"].pk,
        "kit_id": kit.pk,
        "file_id": brief.pk,
    }


def _urls(world):
    values = _ids_of(world)
    for pattern in _patterns():
        params = set(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)))
        if not params or params & TOKEN_PARAMS:
            continue
        missing = params - set(values)
        assert not missing, f"the walk cannot fill {missing} of {pattern.name}: add them to _ids_of"
        kwargs = {p: values[p] for p in params}
        if pattern.name == "book":
            kwargs["kit_id"] = world["bookable"].pk
        yield pattern.name, reverse(f"portal:{pattern.name}", kwargs=kwargs)


@pytest.mark.usefixtures("private_root")
def test_every_portal_url_with_an_id_is_404_for_another_candidate_both_ways():
    ada = scenario(name="Ada Lovelace", email="ada@example.org")
    bob = scenario(name="Bob Other", email="ada@example.org")  # same address, another company
    assert ada["company"] != bob["company"]
    walked = set()
    for me, other in ((ada, bob), (bob, ada)):
        client = portal_client(me["candidate"])
        for name, url in _urls(me):
            assert client.get(url).status_code in (200, 302, 405), url  # my own opens
        for name, url in _urls(other):
            walked.add(name)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (404, 405), f"{method.upper()} {url}: {response.status_code}"
                assert other["candidate"].name.encode() not in response.content
    assert {"application", "withdraw", "interview_ics"} <= walked
    assert {
        "track_choose",
        "handin_submit",
        "handin_more_time",
        "handin_brief_file",
        "survey_answer",
        "book",
        "booked",
        "reschedule",
        "cancel_interview",
    } <= walked


def test_the_same_person_at_two_companies_has_two_separate_portals():
    ada = scenario(name="Ada Lovelace", email="ada@example.org")
    other = scenario(name="Ada Lovelace", email="ada@example.org")
    page = portal_client(ada["candidate"]).get(reverse("portal:home")).content.decode()
    assert ada["job"].title in page and other["job"].title not in page


def test_the_walk_covers_the_portal_urls_mounted_in_the_site():
    names = {p.name for p in _patterns()}
    resolver = get_resolver()
    assert "portal" in resolver.namespace_dict
    assert {"start", "home", "application", "sign_in"} <= names
