"""What a measure is: its target, its result and verdict, and the ratio of its p50 to the floor's
(see `floor`). The measures themselves are in `measure` and the modules beside it."""

import statistics
from dataclasses import dataclass, field

NOT_AVAILABLE = "not available"
FLOOR_LIST = "floor_list"
FLOOR_EMPTY = "floor_empty"
COMPANY_LIST_MAX_RATIO = 1.5
# The admin lists a company user works in, held to COMPANY_LIST_MAX_RATIO of the floor.
COMPANY_LISTS = (
    "applications_company",
    "candidates_company",
    "interviews_company",
    "scorecards_company",
    "notifications_company",
)


@dataclass
class Target:
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    options: int | None = 100  # no <select> with more than 100 options
    max_ratio: float | None = None  # p50 at most this many times the 50-row floor's

    def describe(self) -> str:
        parts = []
        if self.p50_ms is not None:
            parts.append(f"p50<={self.p50_ms:g}")
        if self.p95_ms is not None:
            parts.append(f"p95<={self.p95_ms:g}")
        if self.queries is not None:
            parts.append(f"q<={self.queries}")
        if self.max_ratio is not None:
            parts.append(f"x<={self.max_ratio:g}")
        return " ".join(parts)


@dataclass
class Result:
    name: str
    label: str
    status: str = "ok"
    target: Target = field(default_factory=Target)
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    max_select_options: int | None = None
    requests: int = 0
    url: str = ""
    extra: dict = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    ratio: float | None = None  # p50 / the 50-row floor's p50, see `apply_floor`

    def judge(self) -> None:
        t = self.target
        if self.status != "ok":
            return
        if t.p50_ms is not None and self.p50_ms is not None and self.p50_ms > t.p50_ms:
            self.misses.append(f"p50 {self.p50_ms:.0f} ms > {t.p50_ms:g} ms")
        if t.p95_ms is not None and self.p95_ms is not None and self.p95_ms > t.p95_ms:
            self.misses.append(f"p95 {self.p95_ms:.0f} ms > {t.p95_ms:g} ms")
        if t.queries is not None and self.queries is not None and self.queries > t.queries:
            self.misses.append(f"{self.queries} queries > {t.queries}")
        if t.options is not None and (self.max_select_options or 0) > t.options:
            self.misses.append(f"a <select> with {self.max_select_options} options > {t.options}")

    @property
    def verdict(self) -> str:
        if self.status != "ok":
            return self.status
        return "MISS" if self.misses else "PASS"

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "status": self.status,
            "verdict": self.verdict,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "queries": self.queries,
            "max_select_options": self.max_select_options,
            "requests": self.requests,
            "url": self.url,
            "ratio_to_floor": self.ratio,
            "target": self.target.describe(),
            "misses": self.misses,
            **self.extra,
        }


def ratio_to_floor(p50_ms: float | None, floor_p50_ms: float | None) -> float | None:
    """A page's p50 as a multiple of the floor's, two decimals; None when either is missing."""
    if p50_ms is None or not floor_p50_ms:
        return None
    return round(p50_ms / floor_p50_ms, 2)


def apply_floor(results: list[Result], floor: Result | None) -> None:
    """Give every measured result its ratio to the 50-row floor (the floor requests interleaved
    with its own when it has them, else `floor`, measured first), and judge the ratio of those
    whose target has one: a miss when the page is more than `max_ratio` times the floor."""
    floor_p50 = floor.p50_ms if floor is not None and floor.status == "ok" else None
    for result in results:
        if result.status != "ok":
            continue
        result.ratio = ratio_to_floor(result.p50_ms, result.extra.get("floor_p50_ms") or floor_p50)
        limit = result.target.max_ratio
        if limit is not None and result.ratio is not None and result.ratio > limit:
            result.misses.append(f"{result.ratio:.2f}x the floor > {limit:g}x")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]
