"""Content-Security-Policy: the header is sent and admin pages need nothing it forbids."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin

from tests.security.dataset import build_company_dataset

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts, on* handlers, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "script" and "src" not in attrs and attrs.get("type") not in DATA_SCRIPT_TYPES:
            self._inline_script = True

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline_script = False


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_finder_sees_inline_code():
    assert inline_code('<script>alert(1)</script><a href="javascript:x()">x</a><b onclick="y()">') != []
    external = '<script src="/static/a.js"></script><script type="application/json">{}</script>'
    assert inline_code(external) == []


def test_admin_pages_send_a_strict_policy(company_admin_client):
    response = company_admin_client.get("/admin/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] + directives["style-src"]


def _admin_pages(company_data):
    index = "/admin/"
    yield index
    yield "/admin/two-factor/"
    for model, model_admin in admin.site._registry.items():
        base = f"{index}{model._meta.app_label}/{model._meta.model_name}/"
        yield base
        yield base + "add/"
        for obj in company_data.get(model, [])[:1]:
            yield f"{base}{obj.pk}/change/"
            yield f"{base}{obj.pk}/history/"
            yield f"{base}{obj.pk}/delete/"


@pytest.mark.parametrize("who", ["superuser", "company_admin", "recruiter"])
def test_admin_pages_load_without_inline_code(who, company, request, admin_client_for):
    # given the company's full dataset, every admin list, add, change, history and delete page
    data = build_company_dataset(company, marker="Acmeown")
    client = admin_client_for(request.getfixturevalue(who))
    problems = {}
    for url in _admin_pages(data):
        response = client.get(url)
        assert response.status_code in {200, 302, 403, 404}, url
        assert "Content-Security-Policy" in response.headers, url
        if response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
            found = inline_code(response.content.decode())
            if found:
                problems[url] = found
    # then none of them needs what the policy forbids
    assert problems == {}
