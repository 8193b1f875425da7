"""Where HTML may be marked safe by hand: a short, reviewed list. A new `mark_safe`, `|safe` or
`{% autoescape off %}` fails here until someone has checked it escapes every value it holds."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "hiring", "interviews", "rubrics", "careers")
# module -> how many times it marks HTML safe; each interpolated value there is escaped first.
# The careers site's two outputs and the dashboard's one formatter; other HTML built in Python goes
# through format_html.
REVIEWED = {
    "careers/markup.py": 2,  # a job description sanitised by nh3 (allow-listed tags); JSON-LD escaped
    # Markup.html: a table's or chart's values escaped by one conditional_escape call, then placed
    # into markup that holds no data (tests/interviews/test_dashboard_rows.py)
    "interviews/dashboard/markup.py": 1,
    # the pipeline board's cards: every value escaped (or an int) as each card is put together
    # (tests/hiring/test_board.py::test_a_card_escapes_what_the_candidate_wrote)
    "hiring/admin/board.py": 1,
    # the rows of the admin lists: each cell's content escaped by conditional_escape, the link's
    # URL by escape, around tags and classes of the code's own (tests/hiring/test_admin_rows.py
    # compares them with Django's; tests/security/test_markup_probe.py walks them with payloads)
    "hiring/admin_rows.py": 1,
}
UNSAFE_PY = re.compile(r"\bmark_safe\(|\bSafeString\(|\ballow_tags\b")
UNSAFE_TEMPLATE = re.compile(r"\|\s*safe(seq)?\b|{%\s*autoescape\s+off")


def _files(pattern):
    for app in APPS:
        yield from (p for p in (ROOT / app).rglob(pattern) if "migrations" not in p.parts)


def test_html_is_marked_safe_only_in_reviewed_modules():
    found = {}
    for path in _files("*.py"):
        count = len(UNSAFE_PY.findall(path.read_text()))
        if count:
            found[str(path.relative_to(ROOT))] = count
    assert found == REVIEWED


def test_no_template_turns_escaping_off():
    offending = [str(p.relative_to(ROOT)) for p in _files("*.html") if UNSAFE_TEMPLATE.search(p.read_text())]
    assert offending == []
