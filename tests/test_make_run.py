"""What `make run` gives a visitor: the demo logins work and each sees what their role allows.

The full fresh-clone run (venv, install, migrate, demo, serve) is checked by `.ci/fresh-clone`
outside the suite, because it installs every package.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from hiring.models import Company, ProcessTemplate
from rubrics.models import Rubric
from tools.demo.people import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "templates": "/admin/hiring/processtemplate/",
    "rubrics": "/admin/rubrics/rubric/",
    "members": "/admin/hiring/membership/",
}
SEES = {
    "admin": {"templates", "rubrics", "members"},
    "companyadmin": {"templates", "rubrics", "members"},
    "recruiter": {"templates", "rubrics", "members"},
    "manager": {"templates", "rubrics", "members"},
    "interviewer": set(),
    "recruiter2": {"templates", "rubrics", "members"},
}


@pytest.fixture
def demo():
    call_command("demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _login(username) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD), username
    return client


def test_each_demo_login_sees_what_its_role_allows(demo):
    first, second = Company.objects.get(slug="larkspur"), Company.objects.get(slug="brightwave")
    first_template = ProcessTemplate.objects.filter(company=first).first()
    second_template = ProcessTemplate.objects.filter(company=second).first()
    first_rubric = Rubric.objects.filter(company=first).first()
    for username, modules in SEES.items():
        client = _login(username)
        index = client.get("/admin/")
        assert index.status_code == 200, username
        body = index.content.decode()
        assert {name for name, url in MODULES.items() if url in body} == modules, username
        template_url = f"/admin/hiring/processtemplate/{first_template.pk}/change/"
        rubric_url = f"/admin/rubrics/rubric/{first_rubric.pk}/change/"
        can_write = 'name="_save"'
        if username in ("admin", "companyadmin"):
            assert can_write in client.get(template_url).content.decode(), username
        elif username in ("recruiter", "manager"):
            response = client.get(template_url)
            assert response.status_code == 200 and can_write not in response.content.decode(), username
            assert client.get(rubric_url).status_code == 200, username
        else:  # the interviewer, and the second company's recruiter for the first company
            assert client.get(template_url).status_code in (403, 404), username
            assert client.get(rubric_url).status_code in (403, 404), username
    # the second company's recruiter reads only their own company's library
    client = _login("recruiter2")
    assert client.get(f"/admin/hiring/processtemplate/{second_template.pk}/change/").status_code == 200
    body = client.get("/admin/hiring/processtemplate/").content.decode()
    assert second_template.name in body and "Larkspur" not in body


def test_make_run_migrates_loads_the_demo_and_serves_the_admin():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    steps = [line.strip() for line in recipe.splitlines()]
    assert steps[0].endswith("manage.py migrate --noinput")
    assert steps[1].endswith("manage.py demo")
    assert "runserver 127.0.0.1:8000" in steps[-1]
    # the venv and the install come first, from requirements pinned with ==
    assert re.search(r"^run: \$\(VENV\)/\.installed", makefile, re.M)
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        requirement = line.split("#")[0].strip()
        if requirement:
            assert "==" in requirement, requirement
