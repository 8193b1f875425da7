"""The shapes of the demo rubric library (tools.demo.rubric holds the data)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuestionData:
    text: str
    follow_ups: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompetencyData:
    name: str
    description: str
    questions: tuple[QuestionData, ...]
    anchors: dict[int, str] = field(default_factory=dict)  # per-level overrides
    is_critical: bool = False
    weight: str = "1.00"


@dataclass(frozen=True)
class RubricData:
    key: str
    name: str
    description: str
    anchors: dict[int, str]  # rubric-wide, one per level of the scale
    competencies: tuple[CompetencyData, ...]
    red_flags: tuple[tuple[str, bool], ...]  # (description, blocking)
    # (kind, score, count) or (kind, score, count, aggregation): the panel mean unless named
    hire_bar: tuple[tuple, ...]
    scale_min: int = 1
    scale_max: int = 5
    gates: tuple[tuple[str, str], ...] = ()  # (name, anchor), in order; each unlocks the next
    checks: tuple[tuple[str, str], ...] = ()  # (name, anchor): pass / fail
