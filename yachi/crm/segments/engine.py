"""Evaluating a definition over a scope: each criterion once, as a set of patient ids,
joined by set operations. Reads are in bulk (a query per kind of fact), never per
patient."""

from yachi.crm.segments.registry import criterion
from yachi.crm.segments.scope import Scope


def _ids(item: dict, scope: Scope) -> set[int]:
    found = criterion(item["code"])
    if found is None:  # a criterion no longer offered matches nobody
        return set()
    return set(found.select(item["value"], scope)) & scope.patient_ids


def _join(sets: list[set[int]], match: str, everyone: frozenset[int]) -> set[int]:
    if not sets:
        return set(everyone)
    if match == "any":
        return set().union(*sets)
    result = sets[0]
    for other in sets[1:]:
        result = result & other
    return result


def segment_patient_ids(definition: dict, scope: Scope) -> set[int]:
    """The ids of the scope's patients the (cleaned) definition matches. A group
    without criteria is left out; a definition without any matches everyone."""
    groups = [
        _join([_ids(item, scope) for item in group["criteria"]], group["match"], scope.patient_ids)
        for group in definition.get("groups", [])
        if group["criteria"]
    ]
    return _join(groups, definition.get("match", "all"), scope.patient_ids)
