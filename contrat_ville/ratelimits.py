"""Rate limits shared by every process and server: counters in the database.

A rule reads "5/m" (five per minute), "20/h", "1/5m" (one every five minutes), "30/d".
``rate_limit_hit`` counts one request against each rule in fixed windows, in one
``INSERT … ON CONFLICT DO UPDATE`` statement per rule (PostgreSQL and SQLite 3.35+), so two
workers never both take the last allowed request. Counters are keyed by a hash of the scope
and the identifier: the table holds neither addresses nor IP addresses.
"""

import hashlib
import hmac
import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .clients import client_key
from .models import RateLimitCounter

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RULE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
# One hit in this many also deletes the expired counters.
_PURGE_ONE_IN = 100


@dataclass(frozen=True)
class Rate:
    hits: int
    seconds: int

    @classmethod
    def parse(cls, rule: str) -> "Rate":
        match = _RULE.match(rule)
        if match is None:
            raise ValueError(f"Not a rate limit rule: {rule!r} (e.g. '5/m', '1/5m').")
        count, multiple, unit = match.groups()
        return cls(int(count), int(multiple or 1) * _UNITS[unit])


def rates(rules: str | Iterable[str]) -> list[Rate]:
    """ "5/m, 20/h" or ["5/m", "20/h"] as rates."""
    if isinstance(rules, str):
        rules = [rule for rule in rules.split(",") if rule.strip()]
    return [Rate.parse(rule) for rule in rules]


def _key(scope: str, seconds: int, identifier: str) -> str:
    message = f"{scope}\x00{seconds}\x00{identifier}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


_UPSERT = (
    "INSERT INTO {table} ({key}, {window}, {hits}, {expires_at}) VALUES (%s, %s, 1, %s) "
    "ON CONFLICT ({key}, {window}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}"
)


def _count(key: str, window: int, expires_at) -> int:
    """Add one hit to the counter of (key, window), creating it; returns its hits."""
    quote = connection.ops.quote_name
    meta = RateLimitCounter._meta
    fields = ("key", "window", "hits", "expires_at")
    names = {field: quote(meta.get_field(field).column) for field in fields}
    # Only our model's own quoted names are formatted in; the values are parameters.
    sql = _UPSERT.format(table=quote(meta.db_table), **names)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window, connection.ops.adapt_datetimefield_value(expires_at)])
        return cursor.fetchone()[0]


def rate_limit_hit(*, scope: str, identifier: str, rules: str | Iterable[str]) -> int | None:
    """Count one request of ``identifier`` in ``scope``. Returns None when every rule allows
    it, else the seconds until the strictest exceeded rule allows one again."""
    now = timezone.now()
    epoch = now.timestamp()
    wait = None
    with transaction.atomic():
        for rate in rates(rules):
            window = math.floor(epoch / rate.seconds)
            window_end = (window + 1) * rate.seconds
            expires_at = now + timezone.timedelta(seconds=window_end - epoch)
            if _count(_key(scope, rate.seconds, identifier), window, expires_at) > rate.hits:
                wait = max(wait or 0, math.ceil(window_end - epoch))
    if random.randrange(_PURGE_ONE_IN) == 0:  # noqa: S311 (not a secret)
        ratelimits_purge(now=now)
    return wait


def ratelimits_purge(*, now=None) -> int:
    """Delete the counters of windows that are over. Returns how many."""
    deleted, _ = RateLimitCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


def _limited(scope: str, kind: str, identifier: str) -> int | None:
    rules = settings.PORTAL_RATE_LIMITS.get(f"{scope}:{kind}")
    if not rules:
        return None
    return rate_limit_hit(scope=f"{scope}:{kind}", identifier=identifier, rules=rules)


def client_rate_limited(request, scope: str) -> int | None:
    """Count a request of ``scope`` by its client (address, or IPv6 /64) against
    ``PORTAL_RATE_LIMITS["<scope>:client"]``. None when allowed, else seconds to wait."""
    return _limited(scope, "client", client_key(request))


def address_rate_limited(email: str, scope: str) -> int | None:
    """The same for an e-mail address, against ``PORTAL_RATE_LIMITS["<scope>:email"]``."""
    return _limited(scope, "email", email.strip().lower())
