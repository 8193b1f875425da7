"""Reads for the rubric library."""

from .models import Rubric


def rubric_anchor_table(*, rubric: Rubric) -> dict[int | None, dict[int, str]]:
    """What every level means, per competency id: the competency's own anchor where it has one,
    else the rubric-wide text. Key None holds the rubric-wide anchors. Two queries."""
    rubric_wide: dict[int, str] = {}
    overrides: dict[int, dict[int, str]] = {}
    for competency_id, score, text in rubric.anchors.values_list("competency_id", "score", "text"):
        if competency_id is None:
            rubric_wide[score] = text
        else:
            overrides.setdefault(competency_id, {})[score] = text
    table: dict[int | None, dict[int, str]] = {None: rubric_wide}
    for competency_id in rubric.competencies.values_list("pk", flat=True):
        table[competency_id] = {**rubric_wide, **overrides.get(competency_id, {})}
    return table
