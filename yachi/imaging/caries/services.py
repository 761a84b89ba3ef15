"""Writes of caries marks: a model's run over an image, and the doctors' decisions.

Every decision is one transaction: the mark's status, a ``CariesDecision`` row and an
audit entry. A doctor's confirmed mark with a tooth feeds the chart's caries-risk heat
map (``risk.py``, registered with clinical).
"""

import time
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.imaging.caries.choices import MODALITIES, AnalysisStatus, MarkSource, MarkStatus
from yachi.imaging.caries.detector import detect, preprocess, runtime
from yachi.imaging.caries.models import CariesAnalysis, CariesDecision, CariesMark
from yachi.imaging.models import Image
from yachi.imaging.selectors import image_bytes


@lru_cache(maxsize=4)
def _model(path: str, _stamp: float):
    return runtime.load(path)


def current_model() -> runtime.Model:
    """The configured model (``YACHI_CARIES_MODEL``) or the shipped one, loaded once per
    process and again when its file changes."""
    path = settings.YACHI_CARIES_MODEL or str(runtime.SHIPPED)
    try:
        stamp = runtime.Path(path).expanduser().stat().st_mtime
    except OSError:
        stamp = 0.0
    return _model(path, stamp)


def wants_marks(image: Image) -> bool:
    return image.modality in MODALITIES


def image_analyse(*, image: Image, model: runtime.Model | None = None) -> CariesAnalysis:
    """Run the model over one image, once per model version; its marks are suggestions."""
    model = model or current_model()
    known = CariesAnalysis.objects.filter(image=image, model_version=model.version).first()
    if known is not None:
        return known
    started = time.perf_counter()
    try:
        found = detect.regions_of_file(model, image_bytes(image))
        status, error = AnalysisStatus.DONE, ""
    except preprocess.NotAnImage as problem:
        found, status, error = [], AnalysisStatus.FAILED, str(problem)[:200]
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            analysis = CariesAnalysis.objects.create(
                image=image,
                model_version=model.version,
                status=status,
                seconds=round(seconds, 4),
                error=error,
            )
            CariesMark.objects.bulk_create(
                CariesMark(
                    image=image,
                    analysis=analysis,
                    source=MarkSource.AI,
                    status=MarkStatus.SUGGESTED,
                    x0=region.box[0],
                    y0=region.box[1],
                    x1=region.box[2],
                    y1=region.box[3],
                    tooth=region.tooth,
                    probability=region.probability,
                    model_version=model.version,
                )
                for region in found
            )
    except IntegrityError:
        # Another job ran the same version over the same image first.
        return CariesAnalysis.objects.get(image=image, model_version=model.version)
    return analysis


def require_treating(actor, clinic) -> None:
    clinics.require(
        actor,
        clinic,
        clinics.Duty.TREAT,
        _("Only the clinic's doctors review caries marks."),
    )


@transaction.atomic
def mark_decide(*, actor, mark: CariesMark, status: str, at=None) -> CariesMark:
    """A doctor confirms or rejects a mark (or changes their mind: a new decision).
    ``at`` is when it was decided: now, but for the demo's year of history."""
    if status not in (MarkStatus.CONFIRMED, MarkStatus.REJECTED):
        raise InvalidInput(_("Say confirmed or rejected."), code="decision_invalid")
    mark = (
        CariesMark.objects.select_for_update()
        .select_related("image__study__clinic")
        .get(pk=mark.pk)
    )
    study = mark.image.study
    require_treating(actor, study.clinic)
    if study.patient_id is None:
        raise Conflict(
            _("Give the study to its patient before reviewing its marks."),
            code="study_unmatched",
        )
    if mark.status == status:
        raise Conflict(
            _("This mark is already %(status)s.") % {"status": mark.get_status_display()},
            code="mark_already_decided",
        )
    now = at or timezone.now()
    before = mark.status
    mark.status, mark.reviewed_by, mark.reviewed_at = status, actor, now
    mark.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    CariesDecision.objects.create(mark=mark, status=status, actor=actor, at=now)
    audit_record(
        action=AuditAction.CARIES_MARK_REVIEWED,
        actor=actor,
        object_type="study",
        object_id=study.public_id,
        clinic=study.clinic,
        details={
            "mark": str(mark.public_id),
            "from": before,
            "to": status,
            "source": mark.source,
            "model_version": mark.model_version,
        },
    )
    return mark


def _checked_box(image: Image, box) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = (int(value) for value in box)
    if not (0 <= x0 < x1 <= image.columns and 0 <= y0 < y1 <= image.rows):
        raise InvalidInput(
            _("The box must lie inside the image (%(columns)s × %(rows)s pixels).")
            % {"columns": image.columns, "rows": image.rows},
            code="box_outside_image",
        )
    return x0, y0, x1, y1


def _checked_tooth(tooth: str) -> str:
    tooth = (tooth or "").strip()
    if tooth and not (
        len(tooth) == 2
        and tooth.isdigit()
        and (
            (tooth[0] in "1234" and tooth[1] in "12345678")
            or (tooth[0] in "5678" and tooth[1] in "12345")
        )
    ):
        raise InvalidInput(_("Give the tooth as an FDI number, e.g. 16."), code="tooth_invalid")
    return tooth


@transaction.atomic
def mark_add(*, actor, image: Image, box, tooth: str, at=None) -> CariesMark:
    """A doctor marks a lesion the model missed; it counts against the version whose
    marks they were reviewing (the image's latest analysis)."""
    image = Image.objects.select_related("study__clinic").get(pk=image.pk)
    study = image.study
    require_treating(actor, study.clinic)
    if study.patient_id is None:
        raise Conflict(
            _("Give the study to its patient before marking it."), code="study_unmatched"
        )
    x0, y0, x1, y1 = _checked_box(image, box)
    tooth = _checked_tooth(tooth)
    analysis = CariesAnalysis.objects.filter(image=image).order_by("-created_at", "-id").first()
    now = at or timezone.now()
    mark = CariesMark.objects.create(
        image=image,
        analysis=None,
        source=MarkSource.DOCTOR,
        status=MarkStatus.CONFIRMED,
        x0=x0,
        y0=y0,
        x1=x1,
        y1=y1,
        tooth=tooth,
        probability=None,
        model_version=analysis.model_version if analysis else "",
        created_by=actor,
        reviewed_by=actor,
        reviewed_at=now,
    )
    CariesDecision.objects.create(mark=mark, status=MarkStatus.CONFIRMED, actor=actor, at=now)
    audit_record(
        action=AuditAction.CARIES_MARK_ADDED,
        actor=actor,
        object_type="study",
        object_id=study.public_id,
        clinic=study.clinic,
        details={"mark": str(mark.public_id), "tooth": tooth, "box": [x0, y0, x1, y1]},
    )
    return mark
