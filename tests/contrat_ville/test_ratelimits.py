"""Rate limits in the database: rules, windows, purge, and exact counts across connections."""

import datetime
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from contrat_ville import ratelimits
from contrat_ville.clients import client_ip, client_key
from contrat_ville.models import RateLimitCounter
from contrat_ville.ratelimits import Rate, rate_limit_hit, ratelimits_purge, rates

ROOT = Path(__file__).resolve().parents[2]


def test_rates_parse_rules():
    assert rates("5/m, 20/h") == [Rate(5, 60), Rate(20, 3600)]
    assert rates(["1/5m", "30/d", "2/10s"]) == [Rate(1, 300), Rate(30, 86400), Rate(2, 10)]


@pytest.mark.parametrize("rule", ["", "5", "five/m", "5/y", "5/m/h"])
def test_rates_refuse_nonsense(rule):
    with pytest.raises(ValueError, match="Not a rate limit rule"):
        Rate.parse(rule)


def test_rate_limit_hit_allows_up_to_the_rule_then_says_how_long(db):
    results = [rate_limit_hit(scope="test", identifier="a", rules="3/h") for _ in range(5)]
    assert results[:3] == [None, None, None]
    assert all(0 < wait <= 3600 for wait in results[3:])
    # Another identifier, another scope: counted apart.
    assert rate_limit_hit(scope="test", identifier="b", rules="3/h") is None
    assert rate_limit_hit(scope="other", identifier="a", rules="3/h") is None


def test_rate_limit_hit_applies_every_rule(db, monkeypatch):
    # Windows are fixed clock windows: ten seconds into an hour, the hourly rule's wait is
    # nearly an hour (late in an hour it would be under a minute, like the minute rule's).
    start_of_hour = datetime.datetime(2026, 12, 2, 21, 0, 10, tzinfo=datetime.UTC)
    monkeypatch.setattr(ratelimits.timezone, "now", lambda: start_of_hour)
    assert [rate_limit_hit(scope="t", identifier="a", rules="2/m, 100/h") for _ in range(3)][
        -1
    ] is not None
    assert [rate_limit_hit(scope="u", identifier="a", rules="100/m, 2/h") for _ in range(3)][
        -1
    ] > 60


def test_rate_limit_hit_stores_no_identifier_in_clear(db):
    rate_limit_hit(scope="registration", identifier="marie@example.org", rules="3/h")
    (counter,) = RateLimitCounter.objects.all()
    assert "marie" not in counter.key
    assert len(counter.key) == 64


def test_ratelimits_purge_deletes_finished_windows(db):
    rate_limit_hit(scope="t", identifier="a", rules="1/m")
    assert ratelimits_purge() == 0
    assert ratelimits_purge(now=timezone.now() + timezone.timedelta(minutes=2)) == 1
    assert RateLimitCounter.objects.count() == 0


@pytest.mark.postgresql
def test_rate_limit_hit_is_exact_across_connections(transactional_db):
    """Forty requests at once, each on its own database connection: exactly five pass."""
    people = 40
    barrier = threading.Barrier(people)
    outcomes = []

    def hit():
        try:
            barrier.wait()
            outcomes.append(rate_limit_hit(scope="race", identifier="one", rules="5/h"))
        finally:
            connection.close()

    threads = [threading.Thread(target=hit) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == people
    assert outcomes.count(None) == 5


@pytest.mark.postgresql
def test_rate_limit_hit_counts_another_process(transactional_db):
    """A second Python process on the same database sees and adds to the same counters."""
    rate_limit_hit(scope="procs", identifier="x", rules="3/h")
    code = (
        "import django; django.setup()\n"
        "from contrat_ville.ratelimits import rate_limit_hit\n"
        "print([rate_limit_hit(scope='procs', identifier='x', rules='3/h') is None "
        "for _ in range(3)])\n"
    )
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": url,
            "SECRET_KEY": settings.SECRET_KEY,
        },
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == "[True, True, False]"
    assert rate_limit_hit(scope="procs", identifier="x", rules="3/h") is not None


# -- who the client is --------------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_client_ip_ignores_forwarded_for_without_a_trusted_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_client_ip_behind_a_trusted_proxy_is_the_address_it_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote the first entry itself: only the proxy's own entry is believed.
    request = request_from("10.0.0.2", "6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    # A request that reached the server without the proxy: its own address.
    assert client_ip(request_from("192.0.2.4")) == "192.0.2.4"


def test_client_key_groups_an_ipv6_client_by_its_64(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    one = client_key(request_from("2001:db8:1:2:aaaa::1"))
    two = client_key(request_from("2001:db8:1:2:bbbb::9"))
    assert one == two == "2001:db8:1:2::/64"
    assert client_key(request_from("::ffff:192.0.2.5")) == "192.0.2.5"
