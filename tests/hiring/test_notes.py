"""Notes on candidates and applications: mentions told through the outbox, private notes never
shown to interviewers, company boundaries, the page's one read, and erasure."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import Note, Role
from hiring.note_services import application_notes, mention_handles, note_create, notes_readable
from hiring.privacy import candidate_anonymise, candidates_delete
from interviews.models import Notification
from interviews.notifications.events import NotificationEvent
from tests.hiring.factories import ApplicationFactory, CandidateFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(company):
    return ApplicationFactory(company=company, job__title="Backend engineer", candidate__name="Sabas Soria")


def _member(company, role, username, email=None):
    user = UserFactory(username=username, email=email or f"{username}@example.com")
    return MembershipFactory(user=user, company=company, role=role)


def _mention_rows():
    return Notification.objects.filter(event=NotificationEvent.NOTE_MENTION)


def test_mention_handles_are_usernames_or_emails_once_each_and_not_inside_an_address():
    body = "Ask @Amelie and @bob@example.com. Not ops@example.com; @amelie again, @carl."
    assert mention_handles(body) == ["amelie", "bob@example.com", "carl"]


def test_a_mentioned_member_is_told_once_through_the_outbox_after_commit(
    company, recruiter, application, django_capture_on_commit_callbacks
):
    amelie = _member(company, Role.HIRING_MANAGER, "amelie")
    bob = _member(company, Role.RECRUITER, "bob", "Bob.Roux@example.com")
    with django_capture_on_commit_callbacks() as callbacks:
        written = note_create(
            author=recruiter,
            candidate=application.candidate,
            application=application,
            body="Strong on systems. @amelie please read; @bob.roux@example.com and @AMELIE too.",
        )
    assert set(written.mentioned) == {amelie, bob} and written.unknown == []
    assert set(written.note.mentions.all()) == {amelie, bob}
    rows = _mention_rows()
    assert sorted(rows.values_list("recipient", flat=True)) == ["Bob.Roux@example.com", "amelie@example.com"]
    row = rows.get(recipient="amelie@example.com")
    assert row.application_id == application.pk and "mentioned you in a note" in row.subject
    assert (
        "Backend engineer" in row.body and "Strong on systems" not in row.body
    )  # the text stays in Hireloop
    assert callbacks, "the rows are handed to the send task after commit"


def test_members_of_another_company_and_unknown_handles_stay_plain_text(
    company, other_company, recruiter, application
):
    _member(other_company, Role.RECRUITER, "globex-bob")
    written = note_create(
        author=recruiter,
        candidate=application.candidate,
        application=application,
        body="@globex-bob @nobody hi",
    )
    assert written.mentioned == [] and written.unknown == ["globex-bob", "nobody"]
    assert not _mention_rows().exists() and written.note.body == "@globex-bob @nobody hi"


def test_a_private_note_does_not_tell_an_interviewer_it_mentions(company, recruiter, application):
    ivan = _member(company, Role.INTERVIEWER, "ivan")
    manager = _member(company, Role.HIRING_MANAGER, "maud")
    written = note_create(
        author=recruiter,
        candidate=application.candidate,
        application=application,
        body="@ivan @maud salary talk",
        private_to_hiring_team=True,
    )
    assert written.mentioned == [manager] and written.not_told == [ivan.display_name]
    assert list(_mention_rows().values_list("recipient", flat=True)) == ["maud@example.com"]


def test_an_interviewer_is_told_of_a_note_that_is_not_private(company, recruiter, application):
    ivan = _member(company, Role.INTERVIEWER, "ivan")
    written = note_create(
        author=recruiter, candidate=application.candidate, application=application, body="@ivan"
    )
    assert written.mentioned == [ivan] and _mention_rows().count() == 1


def test_private_notes_are_never_readable_by_interviewers(
    company, recruiter, interviewer, hiring_manager, application
):
    note_create(author=recruiter, candidate=application.candidate, application=application, body="open")
    note_create(
        author=recruiter,
        candidate=application.candidate,
        application=application,
        body="secret",
        private_to_hiring_team=True,
    )
    bodies = lambda user: sorted(notes_readable(Note.objects.all(), user=user).values_list("body", flat=True))  # noqa: E731
    assert bodies(hiring_manager) == ["open", "secret"]
    assert bodies(interviewer) == ["open"]
    assert [n.body for n in application_notes(application=application, user=interviewer)] == ["open"]


def test_notes_of_another_company_are_not_readable(
    company, other_company, recruiter, other_recruiter, application
):
    note_create(author=recruiter, candidate=application.candidate, application=application, body="ours")
    assert not notes_readable(Note.objects.all(), user=other_recruiter).exists()


def test_a_note_refuses_an_application_of_another_candidate_an_empty_or_too_long_body_and_interviewers(
    company, recruiter, interviewer, application
):
    other = CandidateFactory(company=company)
    with pytest.raises(ValidationError, match="not the candidate's"):
        note_create(author=recruiter, candidate=other, application=application, body="x")
    with pytest.raises(ValidationError, match="empty"):
        note_create(author=recruiter, candidate=application.candidate, body="   ")
    with pytest.raises(ValidationError, match="at most 5000"):
        note_create(author=recruiter, candidate=application.candidate, body="x" * 5001)
    with pytest.raises(ValidationError, match="hiring team"):
        note_create(author=interviewer, candidate=application.candidate, body="x")
    assert not Note.objects.exists()


def test_notes_are_deleted_when_the_candidate_is_erased(company, recruiter, company_admin, application):
    note_create(
        author=recruiter, candidate=application.candidate, application=application, body="about Sabas"
    )
    note_create(author=recruiter, candidate=application.candidate, body="on the candidate")
    kept = note_create(
        author=recruiter, candidate=ApplicationFactory(company=company).candidate, body="other"
    )
    log = candidate_anonymise(candidate=application.candidate, actor=company_admin)
    assert list(Note.objects.all()) == [kept.note] and log.summary["notes"] == 2
    candidates_delete(candidates=[kept.note.candidate], actor=company_admin)
    assert not Note.objects.exists()


# --- the admin ----------------------------------------------------------------------------------


def _page(client, application):
    url = reverse("admin:hiring_application_change", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    notes_reads = [q for q in ctx.captured_queries if 'FROM "hiring_note"' in q["sql"]]
    assert len(notes_reads) == 1, "the panel and the timeline share one read of the notes"
    return response.content.decode(), len(ctx.captured_queries)


def test_the_application_page_shows_notes_and_emails_in_the_panel_and_timeline_with_one_read(
    company, recruiter, recruiter_client, application
):
    _, before = _page(recruiter_client, application)
    for i in range(3):
        note_create(
            author=recruiter, candidate=application.candidate, application=application, body=f"note {i} <b>"
        )
    html, three = _page(recruiter_client, application)
    for i in range(3, 6):
        note_create(author=recruiter, candidate=application.candidate, body=f"note {i}")
    html, six = _page(recruiter_client, application)
    assert three == six == before
    assert 'id="notes"' in html and "note 0 &lt;b&gt;" in html and "note 5" in html
    assert 'class="timeline-note"' in html and "Write to the candidate" in html


def test_a_note_posted_from_the_application_page_mentions_and_reports_who_was_not_found(
    company, recruiter_client, application
):
    _member(company, Role.RECRUITER, "amelie")
    url = reverse("admin:hiring_note_add_to_application", args=[application.pk])
    response = recruiter_client.post(url, {"body": "@amelie @ghost look"}, follow=True)
    html = response.content.decode()
    assert Note.objects.get().application_id == application.pk
    assert "Told by email" in html and "@ghost" in html and _mention_rows().count() == 1
    assert recruiter_client.get(url).status_code == 403  # notes are posted


def test_a_note_cannot_be_posted_on_another_companys_application_or_by_an_interviewer(
    other_company, recruiter_client, interviewer_client, application
):
    theirs = ApplicationFactory(company=other_company)
    url = reverse("admin:hiring_note_add_to_application", args=[theirs.pk])
    assert recruiter_client.post(url, {"body": "hi"}).status_code == 404
    ours = reverse("admin:hiring_note_add_to_application", args=[application.pk])
    assert interviewer_client.post(ours, {"body": "hi"}).status_code in (403, 404)
    candidate_url = reverse("admin:hiring_note_add_to_candidate", args=[theirs.candidate_id])
    assert recruiter_client.post(candidate_url, {"body": "hi"}).status_code == 404
    assert not Note.objects.exists()


def test_the_candidate_page_shows_its_notes_and_adds_one(recruiter, recruiter_client, application):
    note_create(author=recruiter, candidate=application.candidate, application=application, body="on the job")
    url = reverse("admin:hiring_note_add_to_candidate", args=[application.candidate_id])
    recruiter_client.post(url, {"body": "on the person", "private_to_hiring_team": "on"})
    html = recruiter_client.get(
        reverse("admin:hiring_candidate_change", args=[application.candidate_id])
    ).content.decode()
    assert "on the job" in html and "on the person" in html and "private to the hiring team" in html
    assert Note.objects.get(body="on the person").private_to_hiring_team


def test_the_notes_list_is_scoped_and_interviewers_have_none(
    company, other_company, recruiter, other_recruiter, recruiter_client, interviewer_client, application
):
    note_create(author=recruiter, candidate=application.candidate, body="ours")
    theirs = ApplicationFactory(company=other_company)
    note_create(author=other_recruiter, candidate=theirs.candidate, body="theirs")
    url = reverse("admin:hiring_note_changelist")
    html = recruiter_client.get(url).content.decode()
    assert "ours" in html and "theirs" not in html
    assert interviewer_client.get(url).status_code == 403


def test_a_mention_in_a_note_on_the_candidate_links_to_the_candidate(company, recruiter, application):
    _member(company, Role.RECRUITER, "amelie")
    note_create(author=recruiter, candidate=application.candidate, body="@amelie")
    row = _mention_rows().get()
    assert row.application_id is None and f"/admin/hiring/candidate/{application.candidate_id}/" in row.body
    assert "on a candidate" in row.body and application.candidate.name not in row.body


def test_another_companys_note_page_does_not_exist_for_a_recruiter(
    other_company, other_recruiter, recruiter_client
):
    theirs = ApplicationFactory(company=other_company)
    note = note_create(author=other_recruiter, candidate=theirs.candidate, body="theirs").note
    assert recruiter_client.get(reverse("admin:hiring_note_change", args=[note.pk])).status_code == 404
