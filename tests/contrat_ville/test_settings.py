"""Settings read from the environment, checked in a fresh interpreter each time."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portail.example.org",
    "DEBUG": "0",
}


# Variables the test run sets for itself, which a fresh interpreter must not inherit.
TEST_RUN_VARIABLES = {
    "SECRET_KEY",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "ALLOWED_HOSTS",
    "HTTPS",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_python(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """Run python with ``args`` in the project, with only ``env`` set on top of a clean one."""
    clean = {key: value for key, value in os.environ.items() if key not in TEST_RUN_VARIABLES}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_manage(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    return run_python("manage.py", *args, env=env, tmp_path=tmp_path)


def test_settings_without_secret_key_stop_with_one_line_naming_it(tmp_path):
    result = run_manage("check", env={"DEBUG": "0"}, tmp_path=tmp_path)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set (required when DEBUG is off)."
    ]


def test_settings_without_secret_key_start_in_debug(tmp_path):
    result = run_manage("check", env={"DEBUG": "1"}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_with_production_variables(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_https_is_turned_off(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION_ENV, "HTTPS": "0"},
        tmp_path=tmp_path,
    )

    assert result.returncode == 1
    assert "security.W008" in result.stderr


def database_settings(tmp_path, **env) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "db = settings.DATABASES['default'];"
        "print(db['ENGINE'], db['NAME'], db.get('HOST', '-'), db.get('PORT', '-'))"
    )
    result = run_python(
        "-c",
        code,
        env={"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "contrat_ville.settings", **env},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_database_url_switches_to_postgresql(tmp_path):
    assert database_settings(
        tmp_path, DATABASE_URL="postgres://portail@db.example.org:5433/contrat"
    ) == ["django.db.backends.postgresql", "contrat", "db.example.org", "5433"]


def test_default_database_is_sqlite_under_var(tmp_path):
    assert database_settings(tmp_path)[:2] == [
        "django.db.backends.sqlite3",
        str(tmp_path / "db.sqlite3"),
    ]


def test_language_and_time_zone_are_french(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("fr", "Europe/Paris")
    assert [code for code, _name in settings.LANGUAGES] == ["fr", "en"]
