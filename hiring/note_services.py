"""Notes on candidates and applications: writing one (with its @mentions), reading the notes a user
may read, recording an email written to a candidate, and forgetting them all with the candidate.

Mentions: `@` followed by a company member's username or email address (`@amelie`,
`@amelie.roux@example.com`). Only members of the note's company are mentioned; any other handle
stays plain text and is reported back. A note private to the hiring team never mentions an
interviewer (interviewers never read such notes, and the email would tell them it exists): the
handle stays plain text, nobody is told, and the writer is told so.

Each mentioned member is told by email: the hiring app hands the note to the registered note
handlers (the interviews app's notification outbox) inside the note's transaction, like moves.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from .models import Application, Candidate, Membership, Role
from .notes import NOTE_MAX_CHARS, Note, NoteKind
from .roles import READERS
from .selectors import roles_by_company

MAX_MENTIONS = 20
MENTION_HELP = (
    "Mention a colleague with @ and their username or email, e.g. @amelie or @amelie@example.com; "
    "they are told by email. Interviewers cannot be mentioned in a note private to the hiring team."
)

# `@handle` not preceded by a word character (so an email address in the text is not a mention);
# a handle is a username (letters, digits, . _ + -) or an email address. A trailing dot ends a sentence.
MENTION_RE = re.compile(r"(?<![\w@.])@([\w.+-]+(?:@[\w-]+(?:\.[\w-]+)+)?)")


def mention_handles(body: str) -> list[str]:
    """The handles mentioned in a text, lower-cased, in order, each once."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(body):
        handle = match.group(1).rstrip(".-").lower()
        if handle:
            seen.setdefault(handle, None)
    return list(seen)


# Note handlers: how the mentioned members are told (the notification outbox, in the interviews
# app) without the hiring app importing it. Called INSIDE the note's transaction with the note and
# the memberships to tell; they write their outbox rows there and enqueue with on_commit only.
NOTE_HANDLERS: list[Callable[[Note, list[Membership]], object]] = []


def register_note_handler(handler: Callable[[Note, list[Membership]], object]) -> Callable:
    """Call `handler(note, mentioned)` for every note that mentions someone. Registering twice is a no-op."""
    if handler not in NOTE_HANDLERS:
        NOTE_HANDLERS.append(handler)
    return handler


@dataclass
class NoteWritten:
    note: Note
    mentioned: list[Membership] = field(default_factory=list)
    # Handles that name no member of the company: left as plain text.
    unknown: list[str] = field(default_factory=list)
    # Interviewers named in a private note: left as plain text, not told.
    not_told: list[str] = field(default_factory=list)


def _mentioned_members(company_id: int, handles: list[str]) -> dict[str, Membership]:
    """The company's members named by the handles (username or email, any case), in one query."""
    if not handles:
        return {}
    named = Q()
    for handle in handles:
        named |= Q(user__username__iexact=handle) | Q(user__email__iexact=handle)
    found = {}
    for member in (
        Membership.objects.filter(named, company_id=company_id).select_related("user").order_by("pk")
    ):
        found.setdefault(member.user.username.lower(), member)
        if member.user.email:
            found.setdefault(member.user.email.lower(), member)
    return {h: found[h] for h in handles if h in found}


def note_write_check(*, author, candidate: Candidate, application: Application | None) -> None:
    """Refuse a note its author may not write: on another company's candidate, on an application of
    another candidate, on an erased candidate, or by someone outside the hiring team."""
    if application is not None and (
        application.candidate_id != candidate.pk or application.company_id != candidate.company_id
    ):
        raise ValidationError("This application is not the candidate's: the note was not saved.")
    if candidate.anonymised_at is not None:
        raise ValidationError("This candidate's data was erased: notes can no longer be added.")
    if not getattr(author, "is_superuser", False):
        role = roles_by_company(author).get(candidate.company_id)
        if role not in READERS:
            raise ValidationError("Only the hiring team (admins, recruiters, hiring managers) writes notes.")


@transaction.atomic
def note_create(
    *,
    author,
    candidate: Candidate,
    application: Application | None = None,
    body: str,
    private_to_hiring_team: bool = False,
) -> NoteWritten:
    """Write a note on a candidate or one of their applications and tell the members it mentions."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("The note is empty.")
    if len(body) > NOTE_MAX_CHARS:
        raise ValidationError(f"A note holds at most {NOTE_MAX_CHARS} characters; this one has {len(body)}.")
    note_write_check(author=author, candidate=candidate, application=application)
    handles = mention_handles(body)
    if len(handles) > MAX_MENTIONS:
        raise ValidationError(
            f"A note mentions at most {MAX_MENTIONS} people; this one names {len(handles)}."
        )
    members = _mentioned_members(candidate.company_id, handles)
    written = NoteWritten(
        note=Note.objects.create(
            company_id=candidate.company_id,
            candidate=candidate,
            application=application,
            author=author,
            body=body,
            private_to_hiring_team=private_to_hiring_team,
        ),
        unknown=[h for h in handles if h not in members],
    )
    seen = set()
    for handle, member in members.items():
        if member.pk in seen:
            continue  # named by username and by email
        seen.add(member.pk)
        if private_to_hiring_team and member.role == Role.INTERVIEWER:
            written.not_told.append(member.display_name or handle)
        elif member.user_id != getattr(author, "pk", None):
            written.mentioned.append(member)
    if written.mentioned:
        written.note.mentions.add(*written.mentioned)
        for handler in NOTE_HANDLERS:
            handler(written.note, written.mentioned)
    return written


def application_email_record(*, application: Application, actor, subject: str) -> Note:
    """Record, in the application's timeline, an email written to its candidate (call inside the
    transaction that writes it to the outbox)."""
    return Note.objects.create(
        company_id=application.company_id,
        candidate_id=application.candidate_id,
        application=application,
        author=actor,
        kind=NoteKind.EMAIL,
        body=subject[:NOTE_MAX_CHARS],
    )


def notes_readable(queryset: QuerySet, *, user) -> QuerySet:
    """Of these notes, those the user may read: none outside their companies; for a user who is only
    an interviewer in a company, that company's notes not private to the hiring team."""
    if user.is_superuser:
        return queryset
    roles = roles_by_company(user)
    team = [cid for cid, role in roles.items() if role in READERS]
    others = [cid for cid, role in roles.items() if role not in READERS]
    return queryset.filter(Q(company_id__in=team) | Q(company_id__in=others, private_to_hiring_team=False))


def application_notes(*, application: Application, user) -> list[Note]:
    """The notes a user may read on an application page: the application's own and the notes on
    its candidate, with their authors and email records, oldest first, in one query."""
    notes = Note.objects.filter(
        Q(application_id=application.pk) | Q(candidate_id=application.candidate_id, application__isnull=True)
    )
    return list(notes_readable(notes, user=user).select_related("author").order_by("created_at", "id"))


def candidate_notes(*, candidate: Candidate, user) -> list[Note]:
    """Every note a user may read on a candidate (theirs and their applications'), in one query."""
    notes = Note.objects.filter(candidate_id=candidate.pk, kind=NoteKind.NOTE)
    return list(
        notes_readable(notes, user=user)
        .select_related("author", "application__job")
        .order_by("created_at", "id")
    )


def notes_forget(erasure) -> int:
    """Erasure hook: delete the candidate's notes and email records (see hiring.personal_data)."""
    return Note.objects.filter(candidate_id=erasure.candidate_id).delete()[1].get(Note._meta.label, 0)
