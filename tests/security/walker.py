"""Walks every URL the admin site registers, as one user, against another company's objects.

The URLs come from the admin's own URL patterns (`admin.site.get_urls()` and every ModelAdmin's
`get_urls()`), so a model, view or dashboard added later is walked without this file changing.
"""

import re
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import URLPattern, URLResolver, reverse

CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
# Site views that end the session or only make sense anonymously.
SKIPPED_SITE_VIEWS = {"logout", "login", "password_change", "password_change_done"}
MAX_OBJECTS_PER_MODEL = 2
HISTORY_VERSION_ROUTE = "^([^/]+)/history/([^/]+)/$"


@dataclass
class Finding:
    method: str
    url: str
    status: int
    problem: str

    def __str__(self) -> str:
        return f"{self.method} {self.url} -> {self.status}: {self.problem}"


@dataclass
class WalkResult:
    requests: int = 0
    findings: list[Finding] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)


# Random per-response tokens (CSRF form tokens, CSP nonces) are left out of the search: a short
# marker turns up in 64 random letters and digits now and then, which is not a leak.
_RANDOM_TOKENS = re.compile(rb'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]*"')


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return _RANDOM_TOKENS.sub(rb'\1""', body)


def _fill(route: str, values: dict[str, object]) -> str | None:
    missing = []

    def sub(match):
        name = match.group("name")
        if name not in values:
            missing.append(name)
            return ""
        return str(values[name])

    url = CONVERTER.sub(sub, route)
    return None if missing else url


def _model_by_kwarg(name: str, objects: dict[type[models.Model], list[models.Model]]):
    """`application_id` or `application_pk` -> the Application objects of the dataset."""
    stem = re.sub(r"_(id|pk)$", "", name).replace("_", "")
    for model, rows in objects.items():
        if model._meta.model_name == stem:
            return rows
    return None


class AdminWalker:
    """Requests every admin URL as `client`; records each response that shows `markers` or a 200
    on one of `objects` (the other company's rows).

    Subclasses check something else in each response by overriding `inspect`; `post_forms = False`
    leaves out the posts that would change or delete the objects walked (confirmed actions, forms
    posted at object pages), for walks over the user's own data.
    """

    post_forms = True

    def __init__(self, client, objects, markers, site=admin.site):
        self.client = client
        # A server error is a finding like a leak, not the end of the walk.
        self.client.raise_request_exception = False
        self.objects = objects
        self.markers = [m.lower().encode() for m in markers]
        self.site = site
        self.result = WalkResult()
        self.other_company_ids = {
            getattr(obj, "company_id", None) for rows in objects.values() for obj in rows
        } - {None}

    # -- one request -------------------------------------------------------------------------
    def request(self, method: str, url: str, data=None, *, object_url: bool, **extra):
        call = self.client.post if method == "POST" else self.client.get
        response = call(url, data or {}, **extra)
        self.result.requests += 1
        self.result.urls.add(url)
        body = _body(response).lower()
        if response.status_code >= 500:
            self.result.findings.append(Finding(method, url, response.status_code, "server error"))
        self.inspect(method, url, response, body, object_url=object_url)
        return response

    def inspect(self, method: str, url: str, response, body: bytes, *, object_url: bool) -> None:
        """Record what is wrong with one response (`body` lower-cased, random tokens left out)."""
        for marker in self.markers:
            if marker in body:
                self.result.findings.append(
                    Finding(method, url, response.status_code, f"shows {marker.decode()!r}")
                )
        if object_url and response.status_code == 200:
            self.result.findings.append(Finding(method, url, 200, "answers 200 on another company's object"))

    # -- the walk ----------------------------------------------------------------------------
    def walk(self) -> WalkResult:
        index = reverse("admin:index")
        self._walk_site(index)
        for model, model_admin in self.site._registry.items():
            self._walk_model(index, model, model_admin)
        self._walk_autocomplete()
        return self.result

    def _query_for_other_company(self) -> dict:
        # Dashboards and filters that take a company: ask for the other company's.
        ids = sorted(self.other_company_ids)
        return {"company": ids[0], "company__id__exact": ids[0], "company_id": ids[0]} if ids else {}

    def _walk_site(self, index: str) -> None:
        registered_prefixes = {f"{m._meta.app_label}/{m._meta.model_name}/" for m in self.site._registry}
        self._walk_patterns(index, self.site.get_urls(), registered_prefixes)
        for app_label in sorted({m._meta.app_label for m in self.site._registry}):
            self.request("GET", f"{index}{app_label}/", object_url=False)
        # "View on site" redirects for every object of the other company.
        for rows in self.objects.values():
            for obj in rows[:MAX_OBJECTS_PER_MODEL]:
                ct = ContentType.objects.get_for_model(obj)
                self.request("GET", f"{index}r/{ct.pk}/{obj.pk}/", object_url=True)

    def _walk_patterns(self, prefix: str, patterns, registered_prefixes, depth: int = 0) -> None:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if depth == 0 and route in registered_prefixes:
                    continue  # walked per model with the model's objects
                self._walk_patterns(prefix + route, pattern.url_patterns, registered_prefixes, depth + 1)
                continue
            if not isinstance(pattern, URLPattern) or route.startswith("^"):
                continue  # app_list (walked per app) and the final catch-all
            if pattern.name in SKIPPED_SITE_VIEWS or pattern.name in {"view_on_site", "autocomplete"}:
                continue
            names = [m.group("name") for m in CONVERTER.finditer(route)]
            if not names:
                self.request("GET", prefix + route, object_url=False)
                self.request("GET", prefix + route, self._query_for_other_company(), object_url=False)
                continue
            for values in self._kwarg_values(names, None):
                url = _fill(route, values)
                if url is not None:
                    self.request("GET", prefix + url, object_url=True)

    def _kwarg_values(self, names, model):
        """Value sets for a pattern's arguments: the other company's objects."""
        own = self.objects.get(model, []) if model is not None else []
        sets = []
        for obj in own[:MAX_OBJECTS_PER_MODEL] or [None]:
            values = {}
            for name in names:
                rows = _model_by_kwarg(name, self.objects)
                if name in {"object_id", "pk", "id"} and obj is not None:
                    values[name] = obj.pk
                elif rows:
                    values[name] = rows[0].pk
                elif obj is not None:
                    values[name] = obj.pk
            sets.append(values)
        return sets

    def _walk_model(self, index: str, model, model_admin) -> None:
        base = f"{index}{model._meta.app_label}/{model._meta.model_name}/"
        has_rows = bool(self.objects.get(model))
        for pattern in model_admin.get_urls():
            if isinstance(pattern, URLResolver):
                continue
            route = str(pattern.pattern)
            if route.startswith("^"):
                self._walk_history_versions(base, model, route)
                continue
            names = [m.group("name") for m in CONVERTER.finditer(route)]
            if not names:
                url = base + route
                self.request("GET", url, object_url=False)
                self.request("GET", url, {"q": "e", **self._query_for_other_company()}, object_url=False)
                if route.endswith("export/"):
                    self.request("POST", url, {"format": "0"}, object_url=False)
                continue
            if not has_rows and not any(_model_by_kwarg(n, self.objects) for n in names):
                continue
            for values in self._kwarg_values(names, model):
                filled = _fill(route, values)
                if filled is None:
                    continue
                url = base + filled
                self.request("GET", url, object_url=True)
                if self.post_forms:
                    # Forms posted at the other company's objects: nothing may change (checked by the caller).
                    self.request("POST", url, {"post": "yes"}, object_url=True)
        self._post_actions(base, model, model_admin)

    def _walk_history_versions(self, base: str, model, route: str) -> None:
        """django-simple-history's page of one past version: `<object_id>/history/<history_id>/`."""
        if route != HISTORY_VERSION_ROUTE or not hasattr(model, "history"):
            return
        for obj in self.objects.get(model, [])[:MAX_OBJECTS_PER_MODEL]:
            version = model.history.filter(id=obj.pk).order_by("-history_id").first()
            if version is not None:
                self.request("GET", f"{base}{obj.pk}/history/{version.history_id}/", object_url=True)

    def _post_actions(self, changelist: str, model, model_admin) -> None:
        rows = self.objects.get(model, [])
        if not rows:
            return
        ids = [str(obj.pk) for obj in rows]
        variants = ({}, {"post": "yes"}, {"select_across": "1"}) if self.post_forms else ({},)
        for _func, name, _desc in model_admin._get_base_actions():
            for extra in variants:
                data = {"action": name, "_selected_action": ids, "index": "0", **extra}
                self.request("POST", changelist, data, object_url=False)

    def _walk_autocomplete(self) -> None:
        url = reverse("admin:autocomplete")
        from django.apps import apps

        for source in apps.get_models():
            for f in source._meta.get_fields():
                if not (f.is_relation and f.concrete and (f.many_to_one or f.many_to_many or f.one_to_one)):
                    continue
                remote = f.related_model
                remote_admin = self.site._registry.get(remote)
                if remote_admin is None or not remote_admin.search_fields:
                    continue
                for term in ("", "e"):
                    self.request(
                        "GET",
                        url,
                        {
                            "app_label": source._meta.app_label,
                            "model_name": source._meta.model_name,
                            "field_name": f.name,
                            "term": term,
                        },
                        object_url=False,
                    )
