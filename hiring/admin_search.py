"""Admin search that finds people, answered by indexes on tables of millions of rows.

Django's default admin search looks for every word anywhere in every search field
(`UPPER(name) LIKE '%WORD%'`), which no ordinary index can serve: on a big table each search reads
the whole table. Recruiters search for a person they know, so this search (hiring/search.py) is:

- a term with an ``@``: email addresses that start with it, in any case, so a whole address
  finds that person and "grace@example" finds grace@example.org;
- any other term: people with every word of the term starting a word of their name, email, a tag
  or (on PostgreSQL) their résumé: "soria", "sor" and "sabas sor" find Sabas Soria.

PostgreSQL answers with the prefix index on UPPER(email) and the full-text (GIN) indexes of the
hiring migrations, each together with the company index for a company's lists; the lists join the
matching people to their rows by candidate id.
"""

from .admin_pagination import LookaheadPaginator
from .admin_scoping import autocomplete_company_hint, company_ids_for
from .search import people_filter


class IndexedSearchMixin:
    """For ModelAdmins of candidates (`person_path = "pk"`) or of rows of a candidate
    (`person_path = "candidate_id"`)."""

    person_path = "pk"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        condition = people_filter(self.person_path, search_term, self.search_companies(request))
        if condition is None:
            return queryset.none(), False
        # One row per listed object: the people are a set of ids, never a join that repeats rows.
        return queryset.filter(condition), False

    def search_companies(self, request) -> set[int] | None:
        """The companies whose people the search reads: those the list is scoped to (the user's,
        narrowed to the company an autocomplete names), None for a superuser's (every company).
        The list keeps its own scoping; this only spares the search the other companies' matches."""
        user = getattr(request, "user", None)
        if not hasattr(self, "view_roles") or user is None or user.is_superuser:
            return None
        companies = company_ids_for(request, self.view_roles | self.manage_roles)
        hint = autocomplete_company_hint(request)
        return companies & {hint} if hint is not None else companies

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            return LookaheadPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
