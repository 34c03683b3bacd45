"""The real settings, with the few defaults a test run needs.

The environment still wins: CI sets DATABASE_URL to run the same suite on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-never-used-in-production")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from contrat_ville.settings import *  # noqa: F403

# The manifest needs collectstatic; the test server serves from the finders.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
WHITENOISE_USE_FINDERS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class InvalidTemplateVariable(str):
    """Django formats string_if_invalid with the variable name: raise instead."""

    def __mod__(self, variable):
        raise AssertionError(f"Invalid template variable: {variable}")


# Invalid template variables fail the tests (STYLE.md).
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")  # noqa: F405
# The live server answers each request in a new thread: persistent connections
# would outlive the test and block dropping the PostgreSQL test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
