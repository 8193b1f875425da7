"""Tags on candidates: the services that add and remove them, one at a time or in bulk, and the
one read the lists, the application page and the board use to show them.

A tag belongs to one company and only tags candidates of that company: every service checks it,
so that a tag of company B never reaches a candidate of company A whatever ids are posted.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Aggregate, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat, Lower

from .models import Candidate, Tag
from .personal_data import Erasure

TAG_NAME_MAX = Tag._meta.get_field("name").max_length
Link = Candidate.tags.through


def tag_names_split(text: str) -> list[str]:
    """The tag names of a comma-separated text (the "tags" column of files), trimmed (and cut to
    TAG_NAME_MAX characters), each once whatever its case, in the order given."""
    names, seen = [], set()
    for part in (text or "").split(","):
        name = " ".join(part.split())[:TAG_NAME_MAX].strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


def tag_names_join(names: Iterable[str]) -> str:
    """The comma-separated text of tag names, as files carry it."""
    return ", ".join(names)


@transaction.atomic
def tags_get_or_create(*, company_id: int, names: Iterable[str]) -> list[Tag]:
    """The company's tags of these names (any case), the missing ones created; in the given order."""
    wanted = tag_names_split(",".join(names))
    too_long = [n for n in wanted if len(n) > TAG_NAME_MAX]
    if too_long:
        raise ValidationError(f"A tag name has at most {TAG_NAME_MAX} characters: {too_long[0]!r}.")
    if not wanted:
        return []
    lowered = [n.lower() for n in wanted]

    def existing() -> dict[str, Tag]:
        rows = Tag.objects.annotate(lower=Lower("name")).filter(company_id=company_id, lower__in=lowered)
        return {tag.lower: tag for tag in rows}

    found = existing()
    missing = [Tag(company_id=company_id, name=n) for n in wanted if n.lower() not in found]
    if missing:
        # Another request may create the same name meanwhile: its row is then used.
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        found = existing()
    return [found[n] for n in lowered]


@transaction.atomic
def tags_apply(*, candidate_ids: Iterable[int], tags: Iterable[Tag], add: bool, company_ids=None) -> int:
    """Add (or, with add=False, remove) the tags to the candidates, each tag only to candidates of
    its own company (and of `company_ids`, when given). Returns the number of links added or
    removed; a candidate who already had (or never had) a tag counts for nothing."""
    candidate_ids = sorted(set(candidate_ids))
    tags = list(tags)
    if not candidate_ids or not tags:
        return 0
    candidates = Candidate.objects.filter(pk__in=candidate_ids)
    if company_ids is not None:
        candidates = candidates.filter(company_id__in=list(company_ids))
    by_company: dict[int, list[int]] = defaultdict(list)
    for pk, company_id in candidates.values_list("pk", "company_id"):
        by_company[company_id].append(pk)
    changed = 0
    for tag in tags:
        owners = by_company.get(tag.company_id, [])
        if not owners:
            continue
        if add:
            had = set(
                Link.objects.filter(tag_id=tag.pk, candidate_id__in=owners).values_list(
                    "candidate_id", flat=True
                )
            )
            new = [Link(candidate_id=pk, tag_id=tag.pk) for pk in owners if pk not in had]
            Link.objects.bulk_create(new, ignore_conflicts=True)
            changed += len(new)
        else:
            changed += Link.objects.filter(tag_id=tag.pk, candidate_id__in=owners).delete()[0]
    return changed


@transaction.atomic
def tags_add_by_name(*, company_id: int, names_by_candidate: dict[int, list[str]]) -> int:
    """Give each candidate of the company the tags of these names, creating the names the company
    does not have yet (an import's "tags" column). Returns the number of links added."""
    names = sorted({n for names in names_by_candidate.values() for n in names}, key=str.lower)
    tags = {tag.name.lower(): tag for tag in tags_get_or_create(company_id=company_id, names=names)}
    candidates = set(
        Candidate.objects.filter(pk__in=list(names_by_candidate), company_id=company_id).values_list(
            "pk", flat=True
        )
    )
    links = [
        Link(candidate_id=pk, tag_id=tags[name.lower()].pk)
        for pk, wanted in names_by_candidate.items()
        if pk in candidates
        for name in wanted
    ]
    return len(Link.objects.bulk_create(links, ignore_conflicts=True))


def tags_add_from_text(*, texts: dict[tuple[int, int], str]) -> int:
    """An import's "tags" column: for each (company id, candidate id), the comma-separated names
    of tags to add (see tags_add_by_name). Returns the number of links added."""
    by_company: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for (company_id, candidate_id), text in texts.items():
        by_company[company_id][candidate_id] = tag_names_split(text)
    return sum(
        tags_add_by_name(company_id=company_id, names_by_candidate=names)
        for company_id, names in sorted(by_company.items())
    )


def tag_names_for(candidate_ids: Iterable[int]) -> dict[int, list[Tag]]:
    """The tags of each candidate, by name, in one query: for the lists, the application page and
    the board (`tags_by_candidate[application.candidate_id]`)."""
    ids = sorted(set(candidate_ids))
    found: dict[int, list[Tag]] = {pk: [] for pk in ids}
    if not ids:
        return found
    links = Link.objects.filter(candidate_id__in=ids).select_related("tag").order_by("tag__name", "tag_id")
    for link in links:
        found[link.candidate_id].append(link.tag)
    return found


# The labels of a list's rows, read with the rows themselves (no query of their own): the
# candidate's tags as "colour<US>name" pairs, aggregated in a correlated subquery.
_UNIT = "\x1f"
_PAIR = "\x1e"


class _TagLabelsAgg(Aggregate):
    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, '\x1e')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def tag_labels_annotation(candidate_ref: str) -> Subquery:
    """An annotation of the tags of the candidate named by `candidate_ref` ("pk", "candidate_id"),
    read back with `tag_labels_parse`."""
    pairs = (
        Link.objects.filter(candidate_id=OuterRef(candidate_ref))
        .order_by()
        .values("candidate_id")
        .annotate(labels=_TagLabelsAgg(Concat("tag__colour", Value(_UNIT), "tag__name")))
        .values("labels")
    )
    return Subquery(pairs, output_field=TextField())


def tag_labels_parse(text: str | None) -> list[Tag]:
    """The tags of a `tag_labels_annotation` value (unsaved Tag objects: name and colour), by name."""
    tags = []
    for pair in (text or "").split(_PAIR):
        colour, _, name = pair.partition(_UNIT)
        if name:
            tags.append(Tag(name=name, colour=colour))
    return sorted(tags, key=lambda t: t.name.lower())


def candidate_tags_forget(erasure: Erasure) -> int:
    """Erasure: unlink the candidate's tags. Returns how many links were removed."""
    return Link.objects.filter(candidate_id=erasure.candidate_id).delete()[0]
