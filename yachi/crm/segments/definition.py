"""A segment's definition as stored: validated JSON.

    {"match": "all" | "any",
     "groups": [{"match": "all" | "any",
                 "criteria": [{"code": "last_visit", "value": {"when": "before", "days": 180}}]}]}

Groups are joined by the outer ``match``, criteria inside a group by the group's. Every
value is cleaned by its criterion's form and stored as plain JSON (numbers, strings,
lists); an unknown code, a malformed shape or a bad value is refused whole.
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from yachi.core.errors import InvalidInput
from yachi.crm.segments.registry import criterion

MATCHES = ("all", "any")
MAX_GROUPS = 8
MAX_CRITERIA = 12


class DefinitionInvalid(InvalidInput):
    code = "segment_invalid"


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def empty() -> dict:
    return {"match": "all", "groups": [{"match": "all", "criteria": []}]}


def criterion_form(code: str, value, *, clinic):
    """The bound form of one criterion's value, or None for an unknown code."""
    found = criterion(code)
    if found is None:
        return None
    return found.form(data=value if isinstance(value, dict) else {}, clinic=clinic)


def definition_clean(raw, *, clinic) -> dict:
    """The definition as it is stored, or ``segment_invalid`` naming what is wrong."""
    if not isinstance(raw, dict) or raw.get("match") not in MATCHES:
        raise DefinitionInvalid(_("The segment's criteria are malformed."))
    groups = raw.get("groups")
    if not isinstance(groups, list) or len(groups) > MAX_GROUPS:
        raise DefinitionInvalid(_("A segment has at most %(n)s groups.") % {"n": MAX_GROUPS})
    cleaned_groups = []
    for group in groups:
        if not isinstance(group, dict) or group.get("match") not in MATCHES:
            raise DefinitionInvalid(_("The segment's criteria are malformed."))
        items = group.get("criteria")
        if not isinstance(items, list) or len(items) > MAX_CRITERIA:
            raise DefinitionInvalid(_("A group has at most %(n)s criteria.") % {"n": MAX_CRITERIA})
        cleaned = []
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("code"), str):
                raise DefinitionInvalid(_("The segment's criteria are malformed."))
            form = criterion_form(item["code"], item.get("value"), clinic=clinic)
            if form is None:
                raise DefinitionInvalid(_("Unknown criterion: %(code)s") % {"code": item["code"]})
            if not form.is_valid():
                problems = "; ".join(
                    str(message) for messages in form.errors.values() for message in messages
                )
                raise DefinitionInvalid(
                    _("%(criterion)s: %(problems)s")
                    % {"criterion": criterion(item["code"]).label, "problems": problems}
                )
            value = {k: _plain(v) for k, v in form.cleaned_data.items() if v not in ("", None)}
            cleaned.append({"code": item["code"], "value": value})
        cleaned_groups.append({"match": group["match"], "criteria": cleaned})
    return {"match": raw["match"], "groups": cleaned_groups}
