"""The network address a request comes from, and which forwarded headers to believe.

Only the peer of the connection is certain. A proxy in front of Yachi appends the
address it received the request from to ``X-Forwarded-For``; a client can write
anything there. So the header counts only when the peer is one of the configured
proxies (``YACHI_TRUSTED_PROXIES``), and it is read from the right, skipping our own
proxies: the first address that is not one of them is the client. Everything left of
it was written by the client and is ignored. Pure functions; no Django.
"""

import functools
import ipaddress

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    """The proxies' addresses and networks (``10.0.0.0/8``, ``::1``); strict parsing
    of the setting happens at start-up (``config.env.envnetworks``)."""
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def parse_address(text: str) -> Address | None:
    """An address as a peer or a proxy writes it (``1.2.3.4``, ``1.2.3.4:5678``,
    ``[2001:db8::1]:443``, ``::ffff:1.2.3.4``), or None when it is not one."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        # One client, one address: a dual-stack socket shows IPv4 peers in this form.
        return address.ipv4_mapped
    return address


def is_trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(*, peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client's address as text, or "" when the peer has none (a Unix socket)."""
    client = parse_address(peer or "")
    if client is None:
        return ""
    if not is_trusted(client, networks):
        return str(client)
    for hop in reversed((forwarded_for or "").split(",")):
        address = parse_address(hop)
        if address is None:
            # Not written by one of our proxies, so nothing further left can be
            # believed: the last address we trust is as close as we can get.
            break
        client = address
        if not is_trusted(address, networks):
            break
    return str(client)
