"""Who is asking: the client's address, as rate limits count it.

Behind the reverse proxy of docs/deployment.md, ``REMOTE_ADDR`` is the proxy's: the client's
address is then the one the last ``TRUSTED_PROXY_COUNT`` proxies wrote into
``X-Forwarded-For`` (each appends the address it received the request from). Entries further
left were written by the client itself and are never believed.
"""

import ipaddress

from django.conf import settings

# An IPv6 client usually holds a whole /64: counting addresses one by one would let it
# change address at each request.
IPV6_PREFIX = 64


def client_ip(request) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    return address


def client_key(request) -> str:
    """The client as a rate-limit identifier: its IPv4 address, or its IPv6 /64."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)
