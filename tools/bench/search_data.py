"""The benchmark's search data: surnames as varied as a real pipeline's, each company's tags on a
share of its candidates, and a résumé's text for another share (COPY); and the search measures
(a common surname, a tag, a rare résumé word) of the application list."""

from urllib.parse import urlencode

from hiring.models import Candidate, ResumeText, Tag

from .copy_rows import CopyTable

# Each company's tags; a share of candidates carries one or two (TAGGED_EVERY: one in so many).
BENCH_TAGS = [
    "Python",
    "Go",
    "Rust",
    "Remote",
    "Senior",
    "Referral",
    "Relocation",
    "Visa",
    "Leadership",
    "Returner",
]
TAGGED_EVERY = 4
# A share of candidates has a résumé's text (RESUME_EVERY: one in so many), from these words.
RESUME_EVERY = 5
RESUME_WORDS = (
    "engineer developer platform backend distributed systems postgres kubernetes terraform python golang "
    "rust typescript react observability latency payments fintech healthcare logistics mentoring hiring "
    "migration monolith services streaming kafka analytics warehouse security compliance oncall"
).split()
# One of these in each résumé: a skill one résumé in 40 mentions (one candidate in 200).
RESUME_RARE = [
    f"{skill}{version}"
    for skill in ("erlang", "fortran", "cobol", "haskell", "ocaml")
    for version in range(8)
]


# Surnames: one candidate in four has a common one (LAST_NAMES), the others one of 8,000 built
# from syllables, so that a surname names as few people as it does in a real pipeline.
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "sen",
    "to",
    "vi",
    "dar",
    "nel",
    "bo",
    "ri",
    "an",
    "su",
    "ve",
    "mar",
    "ta",
    "li",
    "gor",
    "de",
    "zu",
]


def surname(value: int, common: list[str]) -> str:
    if value % 4 == 0:
        return common[(value // 4) % len(common)]
    n = len(SYLLABLES)
    return (
        SYLLABLES[value % n] + SYLLABLES[(value // n) % n] + SYLLABLES[(value // n // n) % n]
    ).capitalize()


def tags_and_resumes_load(setups, cand_ids, now, out) -> dict[str, int]:
    """Each company's tags (ORM, a few rows), one or two of them on every TAGGED_EVERY-th
    candidate, and a résumé's text for every RESUME_EVERY-th (COPY)."""
    tag_ids = []
    for setup in setups:
        tags = Tag.objects.bulk_create(Tag(company=setup.company, name=name) for name in BENCH_TAGS)
        tag_ids.append([t.pk for t in tags])
    link_table = CopyTable(Candidate.tags.through, ["candidate_id", "tag_id"], now=now)

    def link_rows():
        for c, ids in enumerate(cand_ids):
            for k in range(0, len(ids), TAGGED_EVERY):
                yield ids[k], tag_ids[c][k % len(BENCH_TAGS)]
                if k % 3 == 0:
                    yield ids[k], tag_ids[c][(k // 3 + 1) % len(BENCH_TAGS)]

    links = link_table.load(link_rows(), label="tag links", out=out)
    resume_table = CopyTable(ResumeText, ["candidate_id", "company_id", "text", "extracted_at"], now=now)
    words = len(RESUME_WORDS)

    def resume_rows():
        for setup, ids in zip(setups, cand_ids, strict=True):
            for k in range(0, len(ids), RESUME_EVERY):
                chosen = [RESUME_WORDS[(k * 7 + i * 13) % words] for i in range(40)]
                chosen.append(RESUME_RARE[k % len(RESUME_RARE)])
                yield ids[k], setup.company.pk, " ".join(chosen), now

    resumes = resume_table.load(resume_rows(), label="résumé texts", out=out)
    return {"tags": sum(len(ids) for ids in tag_ids), "tag_links": links, "resume_texts": resumes}


def _common_surname(company_id: int, common: list[str]) -> str:
    """A surname of the common ones (one candidate in 200 has it), for the surname search."""
    names = Candidate.objects.filter(company_id=company_id).order_by("id").values_list("name", flat=True)
    for name in names[:50]:
        if name.split(" ")[-1] in common:
            return name.split(" ")[-1]
    return common[0]


def _resume_word(company_id: int) -> str:
    """A rare word of one of the company's résumé texts (its last), for the résumé search."""
    texts = ResumeText.objects.filter(candidate__company_id=company_id).order_by("candidate_id")
    text = texts.values_list("text", flat=True).first()
    return text.split()[-1] if text else ""


def search_measures(company_id: int, client, target, inspect, admin_url, *, common: list[str]) -> list[tuple]:
    """The plan rows (name, label, client, url, target, inspect) of the search measures: the
    application list searched by a common surname, filtered by a tag, searched by a résumé word."""
    tag = Tag.objects.filter(company_id=company_id).order_by("pk").values_list("pk", flat=True).first()
    word = _resume_word(company_id)
    surname_query = urlencode({"q": _common_surname(company_id, common)})
    rows = [
        ("search_surname_company", "Search by surname (company)", surname_query),
        ("search_tag_company", "Filter by a tag (company)", f"tag={tag}" if tag else None),
        (
            "search_resume_company",
            "Search by a résumé word (company)",
            urlencode({"q": word}) if word else None,
        ),
    ]
    return [
        (
            name,
            label,
            client,
            query and admin_url("hiring_application_changelist", query=query),
            target,
            inspect,
        )
        for name, label, query in rows
    ]
