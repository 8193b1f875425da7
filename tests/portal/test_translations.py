"""Every portal string is in the careers catalogue with a French translation, and the portal's
script is a static file (the CSP allows no inline code)."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "careers" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
TEMPLATES = ROOT / "careers" / "templates" / "careers" / "portal"


def _catalogue() -> dict[str, str]:
    found = {}
    for entry in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        msgid = "".join(re.findall(r'"(.*)"', entry.split("msgstr")[0].split("msgid", 1)[-1]))
        msgstrs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.M)
        found[msgid] = "".join(re.findall(r'"(.*)"', msgstrs[0])) if msgstrs else ""
        assert "#, fuzzy" not in entry, msgid
    return found


def test_every_portal_template_string_is_translated_into_french():
    catalogue = _catalogue()
    strings = set()
    for path in TEMPLATES.rglob("*.html"):
        strings |= set(re.findall(r'{% translate "([^"]+)" %}', path.read_text()))
    assert len(strings) > 40
    for text in strings:
        assert catalogue.get(text), f"no French for {text!r}"


def test_every_msgid_of_the_careers_catalogue_has_a_msgstr():
    assert all(catalogue for catalogue in _catalogue().values())


def test_the_time_zone_guess_is_a_static_script():
    path = finders.find("careers/portal.js")
    assert path and "Intl.DateTimeFormat" in Path(path).read_text()
    assert "<script>" not in (TEMPLATES / "_zone.html").read_text()
