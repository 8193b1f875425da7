"""Search that finds people: the candidates a recruiter's words name.

A term with an ``@`` is an email address or its start ("grace@example" finds grace@example.org),
answered by the UPPER(email) prefix index as before. Any other term is split into words, and a
candidate matches when every word starts a word of their name, their email, one of their tags or
(on PostgreSQL) their résumé: "soria", "sor" and "sabas sor" all find Sabas Soria.

On PostgreSQL each of those is a full-text match with the 'simple' configuration (no stemming, no
stop words: names are not English), prefix queries (`'sor':*`) answered by the GIN indexes of
migration 0016 over the same expressions; the three sets of people are one UNION, so the lists
join it to their rows by candidate id, with indexes only. Elsewhere (SQLite, for development) a
plain fallback: names that start with the word or have a word that does, emails that start with
it, tags that do; résumés are not searched.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import BooleanField, Expression, F, Q, QuerySet, Subquery

from .models import Candidate, ResumeText, Tag

Link = Candidate.tags.through
# Characters that separate words in a term (everything but letters, digits and . - _ + @).
_SEPARATORS = re.compile(r"[^\w.@+-]+")
MAX_WORDS = 8

NAME_WORDS = SearchVector("name", "email", config="simple")
RESUME_WORDS = SearchVector("text", config="simple")
TAG_WORDS = SearchVector("name", config="simple")


def search_words(term: str) -> list[str]:
    """The words of a search term, lower-cased, at most MAX_WORDS."""
    words = [w.strip(".-+_") for w in _SEPARATORS.split(term.lower())]
    return [w for w in words if w][:MAX_WORDS]


def _prefix_query(words: list[str]) -> SearchQuery:
    # Each word quoted (it holds no quote or backslash) and matched as the start of a lexeme.
    return SearchQuery(" & ".join(f"'{w}':*" for w in words), search_type="raw", config="simple")


def _in_companies(queryset: QuerySet, companies) -> QuerySet:
    return queryset if companies is None else queryset.filter(company_id__in=list(companies))


def people_matching(term: str, companies=None) -> QuerySet | None:
    """The ids of the candidates the term names, as a queryset of one column to filter by
    (`candidate_id__in=`); None when the term holds no word to search for.

    `companies` (ids), when given, limits the people to those companies' from the start: each
    source is read through its company index together with its search index, so a company's search
    never reads the matches of the other companies (at 50 companies, 49 in 50 of them) only to drop
    them afterwards. None searches every company (a superuser's lists)."""
    term = " ".join(term.split())
    if "@" in term:
        emails = Candidate.objects.filter(email__istartswith=term)
        return _in_companies(emails, companies).order_by().values("pk")
    words = search_words(term)
    if not words:
        return None
    if connection.vendor == "postgresql":
        query = _prefix_query(words)
        names = Candidate.objects.annotate(words=NAME_WORDS).filter(words=query)
        resumes = ResumeText.objects.annotate(words=RESUME_WORDS).filter(words=query)
        tags = Tag.objects.annotate(words=TAG_WORDS).filter(words=query)
        names, resumes, tags = (_in_companies(qs, companies) for qs in (names, resumes, tags))
        tagged = Link.objects.filter(tag__in=tags).values("candidate_id")
        return names.order_by().values("pk").union(resumes.values("candidate_id"), tagged)
    names = Q()
    tags = Q()
    for word in words:
        names &= Q(name__istartswith=word) | Q(name__icontains=f" {word}") | Q(email__istartswith=word)
        tags &= Q(name__istartswith=word) | Q(name__icontains=f" {word}")
    tags = _in_companies(Tag.objects.filter(tags), companies)
    tagged = Link.objects.filter(tag__in=tags).values("candidate_id")
    people = Candidate.objects.filter(names | Q(pk__in=tagged))
    return _in_companies(people, companies).order_by().values("pk")


class _IdInArray(Expression):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): the people are found first (an InitPlan over
    the search indexes), then the rows by the index of `column`. With `IN (subquery)` the planner
    guesses the size of the set from the union's estimates and may hash-join whole tables."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, people: QuerySet):
        super().__init__()
        self.column, self.people = F(column), Subquery(people)

    def get_source_expressions(self):
        return [self.column, self.people]

    def set_source_expressions(self, exprs):
        self.column, self.people = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        people, people_params = compiler.compile(self.people)
        return f"{column} = ANY(ARRAY{people})", (*column_params, *people_params)


def rows_of_people(path: str, people: QuerySet):
    """A filter for rows whose candidate (`path`) is one of `people` (a queryset of candidate
    ids): on PostgreSQL the people first, then their rows by index (_IdInArray)."""
    if connection.vendor == "postgresql":
        return _IdInArray(path, people)
    return Q(**{f"{path}__in": people})


def people_filter(path: str, term: str, companies=None):
    """A filter for rows whose candidate (`path`: "pk" on candidates, "candidate_id" on their
    applications) the term names, among the people of `companies` when given (see
    people_matching); None when the term holds no word to search for."""
    people = people_matching(term, companies)
    return None if people is None else rows_of_people(path, people)
