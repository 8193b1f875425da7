"""Ready users per role and company, and logged-in clients for them.

Company A ("acme") is the company under test; company B ("globex") is the other company whose
data must never show up for A's users.
"""

import pytest
from django.test import Client

from hiring.models import Role
from tests.hiring.factories import CompanyFactory, MembershipFactory, UserFactory


@pytest.fixture
def company(db):
    return CompanyFactory(name="Acme Robotics", slug="acme")


@pytest.fixture
def other_company(db):
    return CompanyFactory(name="Globex Labs", slug="globex")


def _member(company, role, username):
    user = UserFactory(username=username)
    return MembershipFactory(user=user, company=company, role=role).user


@pytest.fixture
def company_admin(company):
    return _member(company, Role.COMPANY_ADMIN, "acme-admin")


@pytest.fixture
def recruiter(company):
    return _member(company, Role.RECRUITER, "acme-recruiter")


@pytest.fixture
def hiring_manager(company):
    return _member(company, Role.HIRING_MANAGER, "acme-manager")


@pytest.fixture
def interviewer(company):
    return _member(company, Role.INTERVIEWER, "acme-interviewer")


@pytest.fixture
def other_company_admin(other_company):
    return _member(other_company, Role.COMPANY_ADMIN, "globex-admin")


@pytest.fixture
def other_recruiter(other_company):
    return _member(other_company, Role.RECRUITER, "globex-recruiter")


@pytest.fixture
def private_root(settings, tmp_path):
    """The private storage (résumés) in a folder of this test only; the folder does not exist yet."""
    root = tmp_path / "private"
    private = settings.STORAGES["private"]
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**private, "OPTIONS": {**private.get("OPTIONS", {}), "location": str(root)}},
    }
    return root


@pytest.fixture
def superuser(db):
    user = UserFactory(username="root", is_superuser=True)
    return user


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin_client_for():
    """Build a logged-in client for any user: `admin_client_for(recruiter)`."""
    return _client_for


@pytest.fixture
def company_admin_client(company_admin):
    return _client_for(company_admin)


@pytest.fixture
def recruiter_client(recruiter):
    return _client_for(recruiter)


@pytest.fixture
def manager_client(hiring_manager):
    return _client_for(hiring_manager)


@pytest.fixture
def interviewer_client(interviewer):
    return _client_for(interviewer)


@pytest.fixture
def superuser_client(superuser):
    return _client_for(superuser)


@pytest.fixture
def all_roles(company_admin, recruiter, hiring_manager, interviewer):
    return {
        Role.COMPANY_ADMIN: company_admin,
        Role.RECRUITER: recruiter,
        Role.HIRING_MANAGER: hiring_manager,
        Role.INTERVIEWER: interviewer,
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the (per-process) cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
