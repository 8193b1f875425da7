"""Notes and comments the hiring team writes on a candidate or one of their applications, and the
record of each email written to a candidate from the product (shown in the application's timeline).

Kept apart from the domain core in `models.py`, which imports this module so that `Note` stays
`hiring.Note`. The writes are in `hiring.note_services`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .personal_data import CandidateRows, ErasureHook

# A note is read on a page, not a document: long enough for an interview debrief.
NOTE_MAX_CHARS = 5000


class NoteKind(models.TextChoices):
    NOTE = "note", "Note"
    EMAIL = "email", "Email sent"


class Note(models.Model):
    """A note on a candidate (application empty) or on one of their applications. A note private to
    the hiring team is never shown to interviewers; an email record holds the subject sent."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("hiring.Candidate", on_delete=models.CASCADE, related_name="notes")
    application = models.ForeignKey(
        "hiring.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=NoteKind.choices, default=NoteKind.NOTE)
    body = models.TextField(max_length=NOTE_MAX_CHARS)
    private_to_hiring_team = models.BooleanField(
        "private to the hiring team",
        default=False,
        help_text="Ticked: company admins, recruiters and hiring managers read it; interviewers never do.",
    )
    mentions = models.ManyToManyField(
        "hiring.Membership",
        blank=True,
        related_name="+",
        help_text="The company members mentioned (and told by email).",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["candidate", "created_at"], name="note_candidate_created"),
            models.Index(fields=["application", "created_at"], name="note_application_created"),
            models.Index(fields=["company", "-created_at"], name="note_company_created"),
        ]

    def __str__(self) -> str:
        return f"Note #{self.pk}"


# Notes about the candidate and the records of emails written to them are theirs; an erasure
# deletes them (their text is overwritten first, like every candidate row, then the rows go).
NOTES_PERSONAL_DATA = (
    CandidateRows(Note, candidate="candidate_id", text=("body",)),
    ErasureHook("notes", "hiring.note_services.notes_forget"),
)
