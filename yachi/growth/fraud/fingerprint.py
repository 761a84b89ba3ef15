"""A device's fingerprint from what the app says of itself and what the request shows.

Pure: the caller hashes the canonical text with its key (a blind index), so the
fingerprint tells nothing without the key and the same device always gives the same one.
"""

import ipaddress
import json
from dataclasses import dataclass

# What the app may send (``device`` in the login body, or the login page's hidden
# fields): an installation id the app keeps, the model, the screen, the time zone.
APP_FIELDS = ("install_id", "model", "screen", "timezone", "platform")
MAX_FIELD = 64


@dataclass(frozen=True)
class DeviceSignals:
    install_id: str = ""
    model: str = ""
    screen: str = ""
    timezone: str = ""
    platform: str = ""
    # Server-side: what the request itself says.
    user_agent: str = ""
    accept_language: str = ""


def signals_from(app: dict | None, *, user_agent: str, accept_language: str) -> DeviceSignals:
    app = app if isinstance(app, dict) else {}
    values = {name: _clean(app.get(name)) for name in APP_FIELDS}
    return DeviceSignals(
        **values,
        user_agent=_clean(user_agent, 200),
        accept_language=_clean(accept_language.split(",")[0] if accept_language else ""),
    )


def canonical(signals: DeviceSignals) -> str:
    """The text to hash. An installation id names the device by itself (with its model,
    so that a copied id on another phone differs); without one, the device is what its
    browser, screen, zone and language say together."""
    if signals.install_id:
        parts = {"install_id": signals.install_id, "model": signals.model}
    else:
        parts = {
            "user_agent": signals.user_agent,
            "screen": signals.screen,
            "timezone": signals.timezone,
            "platform": signals.platform,
            "language": signals.accept_language,
        }
        if not any(parts.values()):
            return ""
    return json.dumps(parts, sort_keys=True, ensure_ascii=False)


def network_of(ip: str | None) -> str:
    """The /24 (IPv4) or /64 (IPv6) network of an address, '' if it is none."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _clean(value, limit: int = MAX_FIELD) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    text = "".join(ch for ch in str(value) if ch.isprintable()).strip()
    return text[:limit]
