"""Bad input: random text, very long strings, odd unicode, wrong types and out-of-range numbers posted
to every admin add and change form of company data, and to every import: no server error, and a
refused form writes nothing."""

import pytest
from django.contrib import admin
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hiring.selectors import company_path_of
from tests.security.dataset import build_company_dataset, company_models

ODD = [
    "",
    " ",
    "0",
    "-1",
    "-32769",
    "2147483648",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "3.5",
    "\x00",
    "null",
    "None",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "'; DROP TABLE hiring_candidate;--",
    "../../etc/passwd",
    "\u202e\u0635\u0648\u0631\u0629",
    "👩🏽‍💻" * 30,
    "a" * 10_000,
    "not-an-email@",
    "2026-02-30",
    "25:61",
    "http://",
    "javascript:alert(1)",
    "\ufeff",
    "\u0000abc",
]
BAD_VALUE = st.one_of(
    st.sampled_from(ODD),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
    st.text(min_size=250, max_size=3000),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
COMPANY_ADMINS = sorted(
    (m._meta.label for m in admin.site._registry if company_path_of(m) is not None),
)


def _value(field):
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def form_data(response) -> dict:
    """The data a browser would post back for an admin change form, inlines included."""
    data = {}
    adminform = response.context["adminform"]
    for name in adminform.form.fields:
        if name in adminform.readonly_fields:
            continue
        data[name] = _value(adminform.form[name])
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = _value(formset.management_form[name])
        for form in formset.forms:
            for name in form.fields:
                data[form.add_prefix(name)] = _value(form[name])
    return {k: v for k, v in data.items() if v != "" or k.endswith(("TOTAL_FORMS", "INITIAL_FORMS"))}


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in company_models()}


def _form_pages(model, data):
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    yield base + "add/"
    for obj in data.get(model, [])[:1]:
        yield f"{base}{obj.pk}/change/"


@pytest.mark.parametrize("label", COMPANY_ADMINS)
def test_admin_forms_survive_bad_input(label, company, company_admin, admin_client_for):
    from django.apps import apps

    model = apps.get_model(label)
    data = build_company_dataset(company, marker="Acmeown")
    client = admin_client_for(company_admin)
    client.raise_request_exception = True
    pages = []
    for url in _form_pages(model, data):
        page = client.get(url)
        if page.status_code == 200 and page.context and "adminform" in page.context:
            pages.append((url, form_data(page)))
    if not pages:
        pytest.skip(f"{label}: no form a company admin may post")

    @SETTINGS
    @given(choice=st.integers(min_value=0, max_value=len(pages) - 1), changes=st.data())
    def post_bad_input(choice, changes):
        url, baseline = pages[choice]
        field_names = sorted(baseline) or ["name"]
        bad = changes.draw(st.dictionaries(st.sampled_from(field_names), BAD_VALUE, min_size=1, max_size=4))
        before = row_counts()
        response = client.post(url, {**baseline, **bad})
        assert response.status_code < 500, (url, bad)
        if response.status_code == 200:  # the form came back with errors: nothing written
            assert row_counts() == before, (url, bad)

    post_bad_input()


def _import_urls():
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            if str(pattern.pattern) == "import/" and company_path_of(model) is not None:
                yield f"/admin/{model._meta.app_label}/{model._meta.model_name}/import/"


IMPORT_PAGES = sorted(set(_import_urls()))


def test_the_application_import_is_among_the_imports_checked():
    assert "/admin/hiring/application/import/" in IMPORT_PAGES


@pytest.mark.parametrize("url", IMPORT_PAGES)
def test_imports_survive_bad_files(url, company, company_admin, admin_client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = admin_client_for(company_admin)
    client.raise_request_exception = True
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    fields = {name: _value(form[name]) for name in form.fields if name not in {"import_file"}}
    fmt = form.fields.get("format") or form.fields.get("input_format")
    if fmt is not None:
        csv_index = next((str(v) for v, label in fmt.choices if "csv" in str(label).lower()), "0")
        fields["format" if "format" in form.fields else "input_format"] = csv_index

    @SETTINGS
    @given(
        content=st.one_of(
            st.binary(max_size=2000),
            st.lists(st.lists(BAD_VALUE, min_size=1, max_size=8), min_size=1, max_size=6).map(
                lambda rows: "\n".join(",".join(c.replace(",", " ") for c in row) for row in rows).encode(
                    "utf-8", "replace"
                )
            ),
        )
    )
    def post_bad_file(content):
        before = row_counts()
        upload = SimpleUploadedFile("bad.csv", content, content_type="text/csv")
        response = client.post(url, {**fields, "import_file": upload})
        assert response.status_code < 500
        assert row_counts() == before  # the first step only previews

    post_bad_file()
