"""Suite-wide fixtures: the small world of personas, and the services check."""

import os

import pytest

from apps.accounts.roles import Role
from tests.factories import TEST_PASSWORD, FiliereFactory, StudentProfileFactory, UserFactory


def pytest_sessionstart(session):
    """With REQUIRE_SERVICES=1 a missing PostgreSQL or Redis fails the run, never skips."""
    if os.environ.get("REQUIRE_SERVICES") != "1":
        return
    from tests.services import service_problems

    problems = service_problems()
    if problems:
        pytest.exit("REQUIRE_SERVICES=1 but: " + "; ".join(problems), returncode=3)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own (returned): for
    `pytest.mark.usefixtures("media")` or as an argument."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: memoized menus and counts (mobility_portal/caching)
    must not outlive the rows of the test that computed them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def english():
    """Services' messages read in English (the site's default language is French): for
    `pytest.mark.usefixtures("english")`."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def pages_rendered_each_time(settings):
    """For query counts that pin what rendering a page costs: no session page cache
    (mobility_portal/page_cache.py, whose own cost is pinned in tests/test_page_cache.py)."""
    settings.PAGE_CACHE = False


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def advisor(db):
    return UserFactory(email="advisor@example.org", role=Role.ADVISOR)


@pytest.fixture
def other_advisor(db):
    return UserFactory(email="other.advisor@example.org", role=Role.ADVISOR)


@pytest.fixture
def student(db, advisor):
    filiere = FiliereFactory(code="info", name="Informatique")
    profile = StudentProfileFactory(
        user__email="student@example.org", filiere=filiere, advisor=advisor
    )
    return profile.user


@pytest.fixture
def other_student(db, other_advisor):
    profile = StudentProfileFactory(user__email="other.student@example.org", advisor=other_advisor)
    return profile.user


@pytest.fixture
def dri(db):
    return UserFactory(email="dri@example.org", role=Role.DRI)


@pytest.fixture
def dfi(db):
    return UserFactory(email="dfi@example.org", role=Role.DFI)


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@example.org", role=Role.ADMIN, is_superuser=True)
