"""The admin side of the careers site: the company's logo upload, and the links to the public pages."""

import pytest
from django.urls import reverse

from tests.careers.factories import published_job

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _company_form(client, company):
    url = reverse("admin:hiring_company_change", args=[company.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if name != "logo"}
    for inline in response.context["inline_admin_formsets"]:  # the company's inlines, left unchanged
        formset = inline.formset
        management = {**formset.management_form.initial, "TOTAL_FORMS": formset.initial_form_count()}
        data.update({f"{formset.prefix}-{key}": value for key, value in management.items()})
    return url, {k: ("" if v is None else v) for k, v in data.items()}


def _upload(name, content, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_company_admin_uploads_a_logo_that_the_careers_site_serves(
    company_admin_client, company, private_root
):
    url, data = _company_form(company_admin_client, company)
    data["logo"] = _upload("logo.png", PNG, "image/png")
    response = company_admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    company.refresh_from_db()
    # kept in the private storage under a random name, not under the name sent
    assert company.logo and "logo.png" not in company.logo.name
    assert (private_root / company.logo.name).exists()
    logo = company_admin_client.get(reverse("careers:logo", args=[company.slug]))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"".join(logo.streaming_content) == PNG


def test_an_svg_logo_is_refused_with_a_message_and_nothing_is_kept(
    company_admin_client, company, private_root
):
    url, data = _company_form(company_admin_client, company)
    data["logo"] = _upload("logo.svg", SVG, "image/svg+xml")
    response = company_admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"]
    company.refresh_from_db()
    assert not company.logo
    assert not private_root.exists() or not any(p.is_file() for p in private_root.rglob("*"))


def test_the_job_and_company_pages_link_to_their_public_pages(company_admin_client, company):
    job = published_job(company)
    page = company_admin_client.get(reverse("admin:hiring_job_change", args=[job.pk])).content.decode()
    assert f'href="/careers/{company.slug}/jobs/{job.pk}/"' in page
    page = company_admin_client.get(
        reverse("admin:hiring_company_change", args=[company.pk])
    ).content.decode()
    assert f'href="/careers/{company.slug}/"' in page
