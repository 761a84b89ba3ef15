"""What the objects named in the console's lists are, as the contexts that own them say.

The audit trail stores an object by its type and public id, and the points ledger a
reference such as ``payments.bill:<uuid>``; neither means anything to a manager. Each
owner registers, when its app loads, how to name its objects for a viewer
(``register_object_labels``): a patient by their name, a bill by its number, a visit
by its time. A labeller answers only for the objects the viewer may see, so a name
never reaches someone who could not open the object; the rest are shown by their
kind and a short id. The kinds themselves are named here, in one table.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.utils.translation import pgettext_lazy

# The object types the trail and the ledger use, in the console's words.
KINDS = {
    "api_token": pgettext_lazy("object", "API token"),
    "appointment": pgettext_lazy("object", "Appointment"),
    "chain_role": pgettext_lazy("object", "Chain role"),
    "chart_entry": pgettext_lazy("object", "Tooth chart finding"),
    "clinic_calendar": pgettext_lazy("object", "Clinic calendar"),
    "clinic_staff": pgettext_lazy("object", "Clinic staff"),
    "clinical_note": pgettext_lazy("object", "Medical record"),
    "consent": pgettext_lazy("object", "Consent"),
    "coupon": pgettext_lazy("object", "Coupon"),
    "doctor": pgettext_lazy("object", "Doctor"),
    "doctor_clinics": pgettext_lazy("object", "Doctor's clinics"),
    "emergency": pgettext_lazy("object", "Emergency"),
    "family_account": pgettext_lazy("object", "Family account"),
    "flash_sale": pgettext_lazy("object", "Flash sale"),
    "growth.template": pgettext_lazy("object", "Coupon"),
    "order": pgettext_lazy("object", "Mall order"),
    "patient": pgettext_lazy("object", "Patient"),
    "payment": pgettext_lazy("object", "Payment"),
    "payments.bill": pgettext_lazy("object", "Bill"),
    "phone": pgettext_lazy("object", "Mobile number"),
    "roster": pgettext_lazy("object", "Roster"),
    "shop.order": pgettext_lazy("object", "Mall order"),
    "sku": pgettext_lazy("object", "SKU"),
    "study": pgettext_lazy("object", "X-ray study"),
    "treatment_plan": pgettext_lazy("object", "Treatment plan"),
    "user": pgettext_lazy("object", "User"),
    "waitlist_offer": pgettext_lazy("object", "Waitlist offer"),
    "wechat_binding": pgettext_lazy("object", "WeChat binding"),
}

# object type -> [labels(viewer, ids) -> {id: label} for the ids the viewer may see]
_labellers: dict[str, list[Callable[[object, set[str]], dict[str, str]]]] = defaultdict(list)


def register_object_labels(object_type: str, labels: Callable) -> None:
    """``labels(viewer, ids)``: {id: what to show} for those of ``ids`` (strings) that
    ``viewer`` may see; ids it does not know or the viewer may not see are left out.
    Several owners may name objects of one type (staff and patients are both users)."""
    if labels not in _labellers[object_type]:
        _labellers[object_type].append(labels)


def object_kind(object_type: str) -> str:
    return str(KINDS.get(object_type, object_type))


def object_labels(viewer, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(type, id): label} for these objects, one call per type."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for object_type, object_id in pairs:
        if object_id and object_type in _labellers:
            wanted[object_type].add(str(object_id))
    found = {}
    for object_type, ids in wanted.items():
        for labels in _labellers[object_type]:
            for object_id, label in labels(viewer, ids).items():
                found[(object_type, str(object_id))] = label
    return found


def reference_labels(viewer, references: Iterable[str]) -> dict[str, str]:
    """{reference: label} for references written ``type:id`` (the points ledger's)."""
    pairs = {
        reference: tuple(reference.rsplit(":", 1)) for reference in references if ":" in reference
    }
    labels = object_labels(viewer, pairs.values())
    return {
        reference: f"{object_kind(pair[0])} {labels.get(pair) or pair[1][:8]}"
        for reference, pair in pairs.items()
        if pair[0] in KINDS
    }
