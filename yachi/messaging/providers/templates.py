"""Our message names mapped to the templates each provider has approved.

Providers only deliver templates that a clinic registered and had approved, so the
mapping comes from the environment as JSON. These readers check its shape (a typo must
stop the start, not a reminder at 8 a.m.) and turn it into plain values.
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TencentTemplate:
    """A Tencent template takes its values as a list: ``params`` names them in order."""

    id: str
    params: tuple[str, ...]


def aliyun_templates(mapping: Mapping, *, source: str) -> dict[str, str]:
    """``{"login_code": "SMS_123456789"}``"""
    return {
        name: _text(code, where=f"{source}[{name!r}]")
        for name, code in _object(mapping, where=source).items()
    }


def tencent_templates(mapping: Mapping, *, source: str) -> dict[str, TencentTemplate]:
    """``{"login_code": {"id": "123456", "params": ["code", "minutes"]}}``"""
    templates = {}
    for name, entry in _object(mapping, where=source).items():
        where = f"{source}[{name!r}]"
        entry = _object(entry, where=where)
        _only_keys(entry, {"id", "params"}, where=where)
        params = entry.get("params", [])
        if not isinstance(params, list):
            raise ValueError(f"{where}['params'] must be a list of parameter names")
        templates[name] = TencentTemplate(
            id=_text(entry.get("id"), where=f"{where}['id']"),
            params=tuple(_text(param, where=f"{where}['params']") for param in params),
        )
    return templates


def _object(value, *, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be a JSON object")
    return value


def _text(value, *, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a non-empty string")
    return value.strip()


def _only_keys(entry: dict, allowed: set[str], *, where: str) -> None:
    unknown = set(entry) - allowed
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(allowed)})")
