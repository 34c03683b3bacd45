import pytest

from contrat_ville.enums import Role
from tests.factories import UserFactory
from tests.smtp import smtp_down, smtp_slow  # noqa: F401  (fixtures for every app)


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def organiser(db):
    return UserFactory(roles=[Role.ORGANISER], email="orga@example.test")


@pytest.fixture
def partner(db):
    return UserFactory(roles=[Role.COTECH], email="cotech@example.test")


@pytest.fixture
def no_role_user(db):
    return UserFactory(email="sans-role@example.test")


@pytest.fixture
def organiser_client(client, organiser, settings):
    # The second-factor rule has its own tests; here it would hide the page under test.
    settings.PORTAL_MFA_REQUIRED_FOR_ORGANISERS = False
    client.force_login(organiser)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits live in the cache: one test's failures must not lock out the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgresql"):
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            pytest.skip(
                "needs PostgreSQL: run with "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/contrat_ville make test"
            )
