"""Where a candidate's personal data is held: the declarations the erasure service reads.

Each app declares, next to its models, a `PERSONAL_DATA` tuple at the bottom of its models module.
For models of a third-party app (Django's admin log), the app config that installs the app offers a
`personal_data()` method instead. The erasure service (`hiring.privacy`) reads every installed
app's declarations through the app registry; it names no other app's models.

Three kinds of declaration:

- `CandidateRows`: rows that belong to one candidate, found by an ORM path from the model to the
  candidate's id. Their django-simple-history table, if any, is anonymised alike.
- `ObjectReferences`: rows that name any object by its type and id (the admin log, the access log);
  the rows naming a row of the candidate (a `CandidateRows` row) are anonymised.
- `ErasureHook`: anything else (files that are not in a model's column), a function called with
  the `Erasure` under way.

`tests/security/test_erasure_scan.py` checks that every model a candidate reaches through foreign
keys is declared, then erases a candidate whose data is everywhere and scans every text column of
every table and the upload and import folders for what is left.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

REDACTED = "[anonymised]"


@dataclass(frozen=True)
class CandidateRows:
    """Rows of `model` that belong to one candidate.

    `candidate`: the ORM path (or paths: a row matching any of them) from the model to the
    candidate's id. `text`: overwritten with REDACTED (an empty value stays empty). `clear`:
    emptied. `replace`: set to the given value ("{candidate_id}" filled in) or expression. `json`: JSON whose
    strings are overwritten, except the values under the keys in `keep`. `files`: file fields,
    emptied, their files deleted once the erasure is committed. `after`: called with the
    queryset of the candidate's rows once they are anonymised (e.g. unsent emails are stopped).
    """

    model: type[models.Model]
    candidate: str | tuple[str, ...]
    text: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()
    replace: Mapping[str, object] = field(default_factory=dict)
    json: tuple[str, ...] = ()
    keep: frozenset[str] = frozenset()
    files: tuple[str, ...] = ()
    after: Callable[[models.QuerySet], object] | None = None

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.candidate,) if isinstance(self.candidate, str) else tuple(self.candidate)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.text, *self.clear, *self.replace, *self.json, *self.files)


@dataclass(frozen=True)
class ObjectReferences:
    """Rows of `model` that name any object by type and id.

    `type_field`: a foreign key to ContentType, or a text column holding "app_label.model".
    `id_field`: the object's primary key, as text. `text`: overwritten. `json`: JSON (in a JSON
    or a text column) whose strings are overwritten except under the keys in `keep` (a text column
    that holds no JSON is overwritten). `scrub`: only the candidate's own values (name, email,
    phone, résumé file names) are cut out of these.
    """

    model: type[models.Model]
    type_field: str
    id_field: str
    text: tuple[str, ...] = ()
    json: tuple[str, ...] = ()
    keep: frozenset[str] = frozenset()
    scrub: tuple[str, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.type_field, self.id_field, *self.text, *self.json, *self.scrub)


@dataclass(frozen=True)
class ErasureHook:
    """A function, by dotted path, called with the `Erasure` under way; it returns how many things
    it removed (counted in the erasure log's summary under `name`)."""

    name: str
    function: str


@dataclass
class Erasure:
    """One candidate being erased: who, and what is known of them (for hooks and scrubbing)."""

    candidate_id: int
    company_id: int
    now: datetime.datetime
    emails: frozenset[str]  # lower-cased, as held now and in the history
    values: frozenset[str]  # name, email, phone, résumé file names, as held now and in the history
    files: set[tuple] = field(default_factory=set)  # (storage, name) of files to delete after commit
    summary: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int) -> None:
        if n:
            self.summary[key] = self.summary.get(key, 0) + n


Declaration = CandidateRows | ObjectReferences | ErasureHook


def personal_data_declarations() -> list[Declaration]:
    """Every installed app's declarations, in the order of INSTALLED_APPS."""
    found: list[Declaration] = []
    for config in apps.get_app_configs():
        declared = getattr(config.models_module, "PERSONAL_DATA", ())
        method = getattr(config, "personal_data", None)
        if callable(method):
            declared = (*declared, *method())
        found.extend(declared)
    return found
