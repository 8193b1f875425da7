"""Admin search that indexes can answer on tables of millions of rows.

Django's default admin search looks for every word anywhere in every search field
(`UPPER(name) LIKE '%WORD%'`), which no ordinary index can serve: on a big table each search reads
the whole table. Recruiters search for a person they know, so this search is:

- a term with an ``@``: email addresses that start with it, in any case, so a whole address
  finds that person and "grace@example" finds grace@example.org;
- any other term: names (and emails) that start with the term, in any case: "ada lov" finds
  "Ada Lovelace", "lovelace" does not.

Both are answered by the expression indexes on UPPER(name) and UPPER(email) (text_pattern_ops) that
the hiring migrations create on PostgreSQL.
"""

from django.db.models import Q

from .admin_pagination import LookaheadPaginator


def _field(name: str) -> str:
    return name.lstrip("^=@")


class IndexedSearchMixin:
    """For ModelAdmins of big tables whose `search_fields` are names and email addresses."""

    def get_search_results(self, request, queryset, search_term):
        term = " ".join(search_term.split())
        if not term:
            return queryset, False
        fields = [_field(f) for f in self.get_search_fields(request)]
        emails = [f for f in fields if f.split("__")[-1] == "email"]
        others = [f for f in fields if f not in emails]
        condition = Q()
        if "@" in term and emails:
            for name in emails:
                condition |= Q(**{f"{name}__istartswith": term})
        else:
            for name in others + emails:
                condition |= Q(**{f"{name}__istartswith": term})
        # Only forward foreign keys are followed, so no row can come back twice.
        return queryset.filter(condition), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            return LookaheadPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
