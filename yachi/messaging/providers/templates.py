"""Our message names mapped to the templates each provider has approved.

Providers only deliver templates that a clinic registered and had approved, so the
mapping comes from the environment as JSON. These readers check its shape (a typo must
stop the start, not a reminder at 8 a.m.) and turn it into plain values.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

_WECHAT_KEY = re.compile(r"^([a-z_]+?)(\d+)$")


@dataclass(frozen=True)
class TencentTemplate:
    """A Tencent template takes its values as a list: ``params`` names them in order."""

    id: str
    params: tuple[str, ...]


@dataclass(frozen=True)
class WeChatTemplate:
    """``fields`` maps each keyword of the template ("thing1") to one of our params."""

    id: str
    fields: dict[str, str]


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


def wechat_templates(mapping: Mapping, *, source: str) -> dict[str, WeChatTemplate]:
    """``{"appointment_reminder": {"id": "…", "fields": {"thing1": "service"}}}``"""
    templates = {}
    for name, entry in _object(mapping, where=source).items():
        where = f"{source}[{name!r}]"
        entry = _object(entry, where=where)
        _only_keys(entry, {"id", "fields"}, where=where)
        fields = _object(entry.get("fields"), where=f"{where}['fields']")
        for keyword, param in fields.items():
            if not _WECHAT_KEY.match(keyword):
                raise ValueError(
                    f"{where}['fields']: {keyword!r} is not a template keyword like thing1 or time2"
                )
            _text(param, where=f"{where}['fields'][{keyword!r}]")
        templates[name] = WeChatTemplate(
            id=_text(entry.get("id"), where=f"{where}['id']"), fields=dict(fields)
        )
    return templates


# WeChat refuses a value longer than its keyword's type allows (thing: 20 characters, …).
# Prose is shortened with an ellipsis; codes, numbers, times and amounts are left whole,
# since a cut one would be wrong rather than short (WeChat then refuses it, visibly).
_PROSE_LIMITS = {"thing": 20}
_CUT_LIMITS = {
    "name": 10,
    "phrase": 5,
    "short_thing": 5,
    "character_string": 32,
    "letter": 32,
    "symbol": 5,
    "car_number": 8,
}
_NAME_IN_LETTERS = 20  # a name in Latin letters may be twice as long as one in Chinese


def keyword_type(keyword: str) -> str:
    """``thing1`` → ``thing``; ``character_string12`` → ``character_string``."""
    match = _WECHAT_KEY.match(keyword)
    return match.group(1) if match else keyword


def fit_value(keyword: str, value: str) -> str:
    kind = keyword_type(keyword)
    value = " ".join(value.split())  # WeChat shows one line
    if kind in _PROSE_LIMITS:
        limit = _PROSE_LIMITS[kind]
        return value if len(value) <= limit else value[: limit - 1] + "…"
    if kind == "name" and value.isascii():
        return value[:_NAME_IN_LETTERS]
    if kind in _CUT_LIMITS:
        return value[: _CUT_LIMITS[kind]]
    return value


def subscribe_data(values: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """WeChat's ``data``: ``{"thing1": {"value": "…"}}``, each value fitted to its type."""
    return {keyword: {"value": fit_value(keyword, str(value))} for keyword, value in values.items()}


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
