"""Markup payloads for every free-text field of every company-data model, and how to tell one that
reached a page unescaped.

The fields come from model introspection (every CharField and TextField, URL and email fields
included, of every model `company_models()` finds), so a model or field added later is probed
without this file changing. A field is left alone only when it holds no text at all (choices) or
one of the few machine values listed in NOT_TEXT.
"""

import re

from django.db import models

from tests.security.dataset import company_models

TOKEN = "Qzxv"
# One payload in pieces; a short field gets the pieces that fit, in this order.
PIECES = (
    "javascript:alert(1)//",  # a text used as a link
    f"'\"><img src=x onerror={TOKEN}(1)>",  # out of an attribute, into a tag
    f"<script>{TOKEN}()</script>",
    f'" onmouseover="{TOKEN}(2)',  # out of an attribute, into another one
    f"{TOKEN}{{{{ 7|add:7006 }}}}",  # a text compiled as a template shows Qzxv7013
    f"{TOKEN}{{% widthratio 7 1 1001 %}}",  # ... or Qzxv7007
)
TEMPLATE_PIECES = PIECES[4:]

# Values a program reads rather than text a person wrote: a payload there breaks the page for
# another reason than markup (an unknown time zone, a slug in a URL).
NOT_TEXT = {
    "hiring.Company.accent_color": "a #rrggbb colour, held to it by a database constraint",
    "interviews.Interview.timezone": "an IANA time zone name",
    "hiring.Company.slug": "a slug (validated, used in file names)",
}
# Fields that hold template source by design (the sandboxed notification templates): they get the
# markup pieces in front of their own wording, not the template pieces, which they may evaluate.
TEMPLATE_SOURCES = {"interviews.NotificationTemplate.subject", "interviews.NotificationTemplate.body"}

# What only an unescaped payload produces in HTML (the body is lower-cased).
UNESCAPED = (
    (re.compile(rb"<img src=x onerror=" + TOKEN.lower().encode()), "a tag from the data"),
    (re.compile(rb"<script>" + TOKEN.lower().encode()), "a script from the data"),
    (re.compile(rb"onmouseover=[\"']?" + TOKEN.lower().encode()), "an attribute from the data"),
    (
        re.compile(rb"(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*javascript:"),
        "a javascript: link",
    ),
)
# What a payload compiled as a template produces, in any response.
EVALUATED = re.compile(TOKEN.lower().encode() + rb"70(?:13|07)")
HTML_TYPES = ("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml")


def payload(max_length: int | None, *, pieces=PIECES, suffix: str = "") -> str:
    """As much of the payload as fits `max_length`, then `suffix` (to keep unique values unique)."""
    room = (max_length or 10_000) - len(suffix)
    text = ""
    for piece in pieces:
        if len(text) + len(piece) <= room:
            text += piece
    return text + suffix


def free_text_fields(model) -> list[models.Field]:
    """The model's concrete CharFields and TextFields that hold text a person wrote."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.primary_key
        and f"{model._meta.label}.{f.name}" not in NOT_TEXT
    ]


def fill_with_payloads(company_pk: int) -> dict[str, int]:
    """Overwrite every free-text field of every row of `company_pk` with the payload.

    Writes with `update()` (no validation, as an import, a migration or a future API might), one
    row at a time so unique fields get a unique suffix. Returns {model.field: rows written}.
    """
    from hiring.selectors import company_path_of

    written: dict[str, int] = {}
    for model in company_models():
        fields = free_text_fields(model)
        if not fields:
            continue
        path = company_path_of(model)
        rows = model._base_manager.filter(**{path: company_pk})
        for row in rows.values("pk", *[f.attname for f in fields]):
            values = {}
            for f in fields:
                label = f"{model._meta.label}.{f.name}"
                suffix = f" {row['pk']}" if f.unique else ""
                if label in TEMPLATE_SOURCES:
                    front = payload(None, pieces=PIECES[:4])
                    values[f.attname] = (front + " " + row[f.attname])[: f.max_length or None]
                else:
                    values[f.attname] = payload(f.max_length, suffix=suffix)
                written[label] = written.get(label, 0) + 1
            model._base_manager.filter(pk=row["pk"]).update(**values)
    return written


def unescaped_in(response, body: bytes) -> list[str]:
    """What of the payload shows in `response` as markup or as an evaluated template."""
    problems = []
    if EVALUATED.search(body):
        problems.append("a template from the data was evaluated")
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type in HTML_TYPES or not content_type:
        problems += [what for pattern, what in UNESCAPED if pattern.search(body)]
    elif UNESCAPED[0][0].search(body) and response.get("X-Content-Type-Options") != "nosniff":
        # Raw text is fine in CSV, JSON or plain text, as long as no browser sniffs it as HTML.
        problems.append(f"raw markup in {content_type} without X-Content-Type-Options: nosniff")
    return problems
