"""The 3D tooth-arch view's data: the chart's present teeth on the parametric arch,
coloured by the caries-risk heat map, and, for a patient with an aligner plan and a
recorded setup, the staging from today's positions to the planned ones (ADR 0062)."""

from django.utils.translation import gettext as _

from yachi.clinical import facade as clinical
from yachi.imaging.scans.geometry.arch import place, shapes_for
from yachi.imaging.scans.geometry.staging import (
    MAX_DEGREES_PER_STAGE,
    MAX_MM_PER_STAGE,
    BadMovement,
    Movement,
    stages,
)
from yachi.imaging.scans.models import ArchSetup

ALIGNER_SERVICE = "aligner"
ABSENT = ("missing", "exfoliated")
# The heat map's colours (the chart's, chart.css) and the grey of a tooth without a score.
COLOURS = {"low": "#7fd49a", "moderate": "#f2c14e", "high": "#e5484d", None: "#d6d0c4"}


def legend() -> list[dict]:
    return [
        {"level": "low", "label": _("Low caries risk"), "colour": COLOURS["low"]},
        {"level": "moderate", "label": _("Moderate caries risk"), "colour": COLOURS["moderate"]},
        {"level": "high", "label": _("High caries risk"), "colour": COLOURS["high"]},
        {
            "level": None,
            "label": _("No score (crown, implant or not charted)"),
            "colour": COLOURS[None],
        },
    ]


def is_aligner(plan) -> bool:
    """A plan proposed or under way with an aligner procedure in it."""
    if plan.status in ("cancelled", "draft"):
        return False
    return any(
        item.service_code == ALIGNER_SERVICE
        for phase in plan.phases.all()
        for item in phase.items.all()
    )


def _aligner_plan(plans):
    return next((plan for plan in plans if is_aligner(plan)), None)


def present_teeth(chart) -> set[str]:
    """The teeth the arch draws: the chart draws a slot for a missing tooth; the arch
    leaves it out. An implant or a bridge's pontic still has a crown."""
    return {t.tooth for t in chart.teeth if t.present and t.state not in ABSENT}


def _movements(setup: ArchSetup) -> list[Movement]:
    found = []
    for tooth, values in (setup.movements or {}).items():
        try:
            along, outward, up, rotation = (float(v) for v in values)
            found.append(Movement(str(tooth), along, outward, up, rotation).check())
        except (TypeError, ValueError, BadMovement):
            continue  # a damaged entry is left out rather than drawn wrong
    return found


def explanation() -> str:
    return _(
        "Where the positions come from: the planned place of each tooth is its place on a "
        "textbook arch; today's place is that place moved by the displacement the doctor "
        "recorded for the tooth at the orthodontic assessment. Each step moves a tooth at "
        "most %(mm)s mm and %(deg)s°, the usual limit of one aligner. Nothing is measured "
        "from the scans, and real teeth may move differently."
    ) % {"mm": MAX_MM_PER_STAGE, "deg": int(MAX_DEGREES_PER_STAGE)}


def arch_model(*, actor, patient_id) -> dict:
    """The arch for whoever may read the chart (the chart's own access and audit)."""
    access = clinical.chart_access(actor=actor, patient_id=patient_id)
    chart = clinical.chart_read(actor=actor, access=access)
    present = present_teeth(chart)  # an implant or a pontic is drawn without a risk colour
    risks = {t.tooth: t.risk for t in chart.teeth if t.present}
    placed = place(present)
    teeth = []
    for tooth in placed:
        risk = risks.get(tooth.tooth)
        level = risk.level if risk else None
        teeth.append(
            {
                "tooth": tooth.tooth,
                "kind": tooth.kind,
                "jaw": tooth.jaw,
                "primary": tooth.primary,
                "shape": tooth.shape,
                "x": tooth.x,
                "z": tooth.z,
                "yaw": tooth.yaw,
                "height": tooth.size[2],
                "risk": {"score": risk.score, "level": level} if risk else None,
                "colour": COLOURS[level],
            }
        )
    shapes = {
        key: {
            "vertices": [c for v in s.vertices for c in v],
            "faces": [i for f in s.faces for i in f],
        }
        for key, s in shapes_for(placed).items()
    }
    return {
        "patient_id": str(access.patient.public_id),
        "teeth": teeth,
        "shapes": shapes,
        "legend": legend(),
        "staging": _staging(actor=actor, access=access, placed=placed),
        "note": _(
            "A model drawn from the tooth chart, not a scan: sizes and places are textbook averages."
        ),
    }


def _staging(*, actor, access, placed) -> dict | None:
    setups = {s.plan_id: s for s in ArchSetup.objects.filter(patient=access.patient)}
    if not setups:
        return None  # no setup recorded: the plans are not read (nor audited) for nothing
    plan = _aligner_plan(
        p for p in clinical.plans_read(actor=actor, access=access) if p.public_id in setups
    )
    if plan is None:
        return None
    setup = setups[plan.public_id]
    movements = [m for m in _movements(setup) if any(p.tooth == m.tooth for p in placed)]
    frames = stages(placed, movements)
    return {
        "plan_id": str(plan.public_id),
        "plan_title": plan.title,
        "stages": len(frames) - 1,
        "frames": [[[p.x, p.y, p.z, p.yaw] for p in frame] for frame in frames],
        "moved": sorted(m.tooth for m in movements),
        "label": _("Illustration only, not a prediction of the treatment result"),
        "explanation": explanation(),
    }
