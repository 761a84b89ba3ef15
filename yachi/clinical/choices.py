"""Kinds of finding, surfaces, plan and item states, with the words patients read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.TextChoices):
    CARIES = "caries", _("Caries")
    FILLING = "filling", _("Filling")
    CROWN = "crown", _("Crown")
    ROOT_CANAL = "root_canal", _("Root canal treatment")
    MISSING = "missing", _("Missing")
    IMPLANT = "implant", _("Implant")
    BRIDGE = "bridge", _("Bridge")
    SEALANT = "sealant", _("Sealant")
    FRACTURE = "fracture", _("Fracture")
    MOBILITY = "mobility", _("Mobility")
    SOUND = "sound", _("Sound (nothing to treat)")
    ERUPTED = "erupted", _("Erupted")
    EXFOLIATED = "exfoliated", _("Primary tooth shed")


# What each finding means, in the words of the patient app.
EXPLANATIONS = {
    Finding.CARIES: _("A cavity (tooth decay): the doctor will want to treat it before it grows."),
    Finding.FILLING: _("A filling repairs where decay was removed."),
    Finding.CROWN: _("A crown is a cap that covers and protects the whole tooth."),
    Finding.ROOT_CANAL: _("The nerve inside the tooth was treated and the root sealed."),
    Finding.MISSING: _("This tooth is no longer there."),
    Finding.IMPLANT: _("An implant replaces the lost tooth with an artificial root and crown."),
    Finding.BRIDGE: _("A bridge fills the gap of a lost tooth, held by the teeth beside it."),
    Finding.SEALANT: _("A sealant coats the grooves of the tooth so decay cannot start there."),
    Finding.FRACTURE: _("The tooth is cracked or chipped."),
    Finding.MOBILITY: _("The tooth is loose; the doctor is watching it."),
    Finding.SOUND: _("Checked and healthy."),
    Finding.ERUPTED: _("This tooth has come through."),
    Finding.EXFOLIATED: _("This baby tooth has fallen out, as it should, to make room."),
}

SURFACE_KINDS = {Finding.CARIES, Finding.FILLING, Finding.SEALANT}


class Surface(models.TextChoices):
    MESIAL = "M", _("Mesial")
    OCCLUSAL = "O", _("Occlusal / incisal")
    DISTAL = "D", _("Distal")
    BUCCAL = "B", _("Buccal / facial")
    LINGUAL = "L", _("Lingual / palatal")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low caries risk")
    MODERATE = "moderate", _("Moderate caries risk")
    HIGH = "high", _("High caries risk")


RISK_REASONS = {
    "caries_experience": _("decay elsewhere in the mouth"),
    "active_caries": _("a cavity now"),
    "caries_before": _("decay in this tooth before"),
    "restored": _("a filling or crown"),
    "neighbour_caries": _("a cavity next to it"),
    "sealed": _("sealed"),
    "mark": _("marked on an X-ray"),
}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Waiting for the patient")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_PLAN_STATUSES = (PlanStatus.PROPOSED, PlanStatus.ACCEPTED, PlanStatus.IN_PROGRESS)


class ItemStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SCHEDULED = "scheduled", _("Booked")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ItemResult(models.TextChoices):
    """What a done procedure writes on the chart."""

    NONE = "", _("Nothing on the chart")
    FILLING = "filling", _("Filling")
    CROWN = "crown", _("Crown")
    ROOT_CANAL = "root_canal", _("Root canal treatment")
    IMPLANT = "implant", _("Implant")
    BRIDGE = "bridge", _("Bridge")
    SEALANT = "sealant", _("Sealant")
    MISSING = "missing", _("Extraction")
    SOUND = "sound", _("Sound (nothing to treat)")
