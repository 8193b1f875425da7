"""What search reads beside the candidate row: a company's tags and the text of each résumé.

Tags are the company's own labels for people ("Python", "Strong referral"): they belong to the
candidate (so every application of that person shows them) and are filtered on, bulk applied and
shown on the application and candidate lists. A résumé's text is extracted once, at upload
(hiring/resume_text.py), and kept in a table of its own so that the lists, which read candidate
rows by the hundred, never carry it.

Like records.py, this module names the core models by label and imports nothing of models.py.
"""

from django.db import models
from django.db.models.functions import Lower

from .personal_data import CandidateRows, ErasureHook


class TagColour(models.TextChoices):
    """A small fixed palette, each a CSS class of the admin's stylesheet (no inline styles)."""

    GREY = "grey", "Grey"
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    PURPLE = "purple", "Purple"


class Tag(models.Model):
    """A company's label for candidates; its name is unique in the company, whatever the case."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=60)
    colour = models.CharField(max_length=10, choices=TagColour.choices, default=TagColour.GREY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company_id", "name"]
        constraints = [
            models.UniqueConstraint("company", Lower("name"), name="tag_name_unique_per_company"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def css_class(self) -> str:
        return f"tag tag-{self.colour}"


# Résumés are cut to this many characters of text: enough for every word a recruiter looks for.
RESUME_TEXT_MAX_CHARS = 100_000


class ResumeText(models.Model):
    """The words of a candidate's résumé, for search (PostgreSQL full-text index, migration 0016).

    `company` is the candidate's (a candidate never changes company), kept here so that a company's
    search drops the other companies' résumés as it reads them by the words' index (migration
    0023), instead of joining every matching résumé to its candidate. It has no index of its own,
    on purpose: with one, the planner may read all of a company's résumés by it and compute each
    one's words again (to_tsvector is far dearer than it assumes), slower than the words' index by
    an order of magnitude at a few thousand résumés."""

    candidate = models.OneToOneField(
        "hiring.Candidate", on_delete=models.CASCADE, primary_key=True, related_name="resume_text"
    )
    company = models.ForeignKey(
        "hiring.Company", on_delete=models.CASCADE, related_name="+", editable=False, db_index=False
    )
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField()

    class Meta:
        verbose_name = "résumé text"

    def __str__(self) -> str:
        return f"Résumé text of candidate #{self.pk}"

    def save(self, *args, **kwargs):
        if self.company_id is None:
            self.company_id = self.candidate.company_id
        super().save(*args, **kwargs)


# Read with hiring.models.PERSONAL_DATA: the résumé's words are cleared, the candidate's tags
# unlinked (the company's tags stay, with their other candidates).
SEARCH_PERSONAL_DATA = (
    CandidateRows(ResumeText, candidate="candidate_id", clear=("text",)),
    ErasureHook("tag links", "hiring.tagging.candidate_tags_forget"),
)
