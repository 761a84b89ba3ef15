"""The builder page's form: a definition read from the posted fields and written back
into them. Criterion ``M`` of group ``N`` posts ``c-N-M-code`` and its form's fields under
the prefix ``c-N-M``; each group its ``g-N-match``; the segment ``match``."""

import re
from dataclasses import dataclass

from django import forms

from yachi.crm.segments.definition import MATCHES, MAX_CRITERIA, MAX_GROUPS, empty
from yachi.crm.segments.registry import criteria, criterion

_CODE = re.compile(r"^c-(\d{1,2})-(\d{1,2})-code$")


def _match(value) -> str:
    return value if value in MATCHES else "all"


def from_post(data) -> dict:
    """The raw definition the fields describe (values as posted, not yet validated)."""
    groups: dict[int, list] = {}
    for key in data:
        found = _CODE.match(key)
        if not found:
            continue
        g, c = int(found[1]), int(found[2])
        code = data.get(key)
        known = criterion(code)
        if known is None:
            continue
        prefix = f"c-{g}-{c}"
        value = {}
        for name, field in known.form.base_fields.items():
            posted = f"{prefix}-{name}"
            if isinstance(field, forms.MultipleChoiceField):
                value[name] = (
                    data.getlist(posted) if hasattr(data, "getlist") else data.get(posted, [])
                )
            elif posted in data:
                value[name] = data.get(posted)
        groups.setdefault(g, []).append((c, {"code": code, "value": value}))
    count = (
        max(
            [int(k[2:].split("-")[0]) for k in data if re.match(r"^g-\d{1,2}-match$", k)]
            + list(groups)
            + [-1]
        )
        + 1
    )
    result = []
    for g in range(min(count, MAX_GROUPS)):
        items = [item for _c, item in sorted(groups.get(g, []), key=lambda pair: pair[0])]
        result.append({"match": _match(data.get(f"g-{g}-match")), "criteria": items[:MAX_CRITERIA]})
    return {"match": _match(data.get("match")), "groups": result or empty()["groups"]}


def apply(definition: dict, action: str, data) -> dict:
    """A builder button: ``add:N`` (the criterion chosen in ``add-N``), ``remove:N:M``,
    ``add_group``, ``remove_group:N``."""
    groups = definition["groups"]
    parts = (action or "").split(":")
    try:
        if parts[0] == "add" and len(groups[int(parts[1])]["criteria"]) < MAX_CRITERIA:
            code = data.get(f"add-{int(parts[1])}")
            if criterion(code) is not None:
                groups[int(parts[1])]["criteria"].append({"code": code, "value": {}})
        elif parts[0] == "remove":
            del groups[int(parts[1])]["criteria"][int(parts[2])]
        elif parts[0] == "add_group" and len(groups) < MAX_GROUPS:
            groups.append({"match": "all", "criteria": []})
        elif parts[0] == "remove_group" and len(groups) > 1:
            del groups[int(parts[1])]
    except (IndexError, ValueError):
        pass
    return definition


@dataclass
class Row:
    index: int
    code: str
    label: object
    form: forms.Form


@dataclass
class GroupRows:
    index: int
    match: str
    rows: list


def rows(definition: dict, *, clinic, bound: bool) -> list[GroupRows]:
    """Each group's criteria as forms to show (bound, showing errors, when asked)."""
    shown = []
    for g, group in enumerate(definition.get("groups", [])):
        items = []
        for c, item in enumerate(group.get("criteria", [])):
            known = criterion(item.get("code"))
            if known is None:
                continue
            prefix = f"c-{g}-{c}"
            value = item.get("value") or {}
            data = {f"{prefix}-{k}": v for k, v in value.items()}
            form = known.form(data=data if (bound or value) else None, prefix=prefix, clinic=clinic)
            items.append(Row(c, known.code, known.label, form))
        shown.append(GroupRows(g, group.get("match", "all"), items))
    return shown


def offered():
    return [(c.code, c.label) for c in criteria()]
