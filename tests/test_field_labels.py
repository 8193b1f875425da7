"""Every field of the project's models is labelled as a recruiter would write it.

Django's automatic label is the field's name with spaces ("sla days", "ai policy", "no ai
minutes"): fine for "name" or "applied at", wrong for a name holding an acronym, a hyphenated word
or a unit. Such a field needs an explicit verbose_name, and an explicit one must spell those words
right: "SLA (days)", "AI policy", "No-AI block (minutes)", "Take-home window (days)". A label in
other words is fine ("LinkedIn" for linkedin_url).
"""

import re

import pytest
from django.apps import apps

PROJECT_APPS = ("hiring", "rubrics", "interviews", "careers")

ACRONYMS = {"sla": "SLA", "ai": "AI", "url": "URL", "id": "ID", "ics": "ICS", "pk": "ID"}
UNITS = {"days": "(days", "hours": "(hours", "minutes": "(minutes", "minute": "minute"}
HYPHENATED = {("no", "ai"): "no-ai", ("take", "home"): "take-home", ("on", "site"): "on-site"}
# Words Django's automatic label spells wrongly in any position.
MISSPELT = {"timezone": "time zone", "is": "(a yes/no question, not 'is ...')"}


def _project_fields():
    for config in apps.get_app_configs():
        if config.name not in PROJECT_APPS:
            continue
        for model in config.get_models():
            historical = model.__name__.startswith("Historical")
            for field in model._meta.get_fields():
                if not field.concrete or field.auto_created:
                    continue
                if historical and field.name.startswith("history_"):
                    continue  # django-simple-history's own columns; the history pages label them
                yield model, field


FIELDS = sorted({(m._meta.label, f.name): f for m, f in _project_fields()}.items())


def label_problems(name: str, verbose_name: str) -> list[str]:
    """What is wrong with a field's label, given its name: [] when the label is right."""
    words = name.lower().split("_")
    automatic = name.replace("_", " ")
    label = str(verbose_name)
    tokens = re.findall(r"[A-Za-z]+", label)
    problems = []
    for word, spelled in ACRONYMS.items():
        if label == automatic and word in words:
            problems.append(f"spell {word!r} as {spelled!r}")
        if any(t.lower() == word and t != spelled for t in tokens):
            problems.append(f"{word!r} written in lower case")
    for word, unit in UNITS.items():
        if word in words and unit not in label:
            problems.append(f"say the unit as {unit + ')'!r}" if unit.startswith("(") else f"say {word!r}")
    for pair, spelled in HYPHENATED.items():
        joined = " ".join(pair)
        if joined in " ".join(words) and spelled not in label.lower():
            problems.append(f"hyphenate {joined!r} as {spelled!r}")
    if label == automatic:
        for word, why in MISSPELT.items():
            if (word == "is" and words[0] == "is") or (word != "is" and word in words):
                problems.append(f"{word!r}: {why}")
    return problems


@pytest.mark.parametrize(
    ("name", "verbose_name", "expected"),
    [
        ("sla_days", "sla days", True),
        ("sla_days", "SLA (days)", False),
        ("ai_policy", "ai policy", True),
        ("ai_policy", "AI policy", False),
        ("no_ai_minutes", "no ai minutes", True),
        ("no_ai_minutes", "No-AI block (minutes)", False),
        ("window_days", "take home window days", True),
        ("window_days", "Take-home window (days)", False),
        ("video_url", "video url", True),
        ("video_url", "video link", False),
        ("ics", "calendar invite (ics)", True),
        ("candidate_id", "candidate id", True),
        ("candidate_id", "candidate ID", False),
        ("is_active", "is active", True),
        ("is_active", "active", False),
        ("timezone", "timezone", True),
        ("name", "name", False),
        ("applied_at", "applied at", False),
    ],
)
def test_label_rule_tells_good_labels_from_automatic_ones(name, verbose_name, expected):
    assert bool(label_problems(name, verbose_name)) is expected


def test_the_walk_sees_every_project_app_and_the_fields_it_must_judge():
    labels = {label.split(".")[0] for (label, _), _f in FIELDS}
    assert labels == set(PROJECT_APPS)
    names = {(label, name) for (label, name), _f in FIELDS}
    assert {("hiring.Stage", "sla_days"), ("interviews.InterviewKit", "ai_policy")} <= names


def test_every_field_has_a_label_a_recruiter_would_write():
    wrong = {
        f"{label}.{name} ({field.verbose_name!r})": problems
        for (label, name), field in FIELDS
        if (problems := label_problems(name, field.verbose_name))
    }
    assert not wrong, "\n".join(f"{k}: {', '.join(v)}" for k, v in sorted(wrong.items()))
