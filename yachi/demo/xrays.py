"""X-rays in the demo: synthetic radiographs (drawn by ``imaging.dicom.synthetic``, and
labelled so in every file and on every page that shows them) received at the first
clinic as its units would send them, for a few patients seen there; and one study whose
Patient ID was mistyped, waiting in the clinic's unmatched queue (ADR 0060). The
bitewings are marked by the caries model and most are reviewed, so the review screen
and the agreement dashboard have something to show (ADR 0061)."""

from dataclasses import dataclass
from datetime import timedelta

from yachi.imaging import facade as imaging

PATIENTS = 6


@dataclass(frozen=True)
class XraySummary:
    patients: int
    studies: int
    images: int
    unmatched: int
    marks: int = 0
    reviewed: int = 0


def _send(clinic, picture):
    return imaging.instance_receive(
        clinic=clinic, data=imaging.synthetic_part10(picture), sent_by="DEMO"
    ).image


# The teeth each of a pair of bitewings shows, left to right (FDI).
BITEWING_TEETH = (("16", "15", "14"), ("46", "45", "44"))


def _centre_inside(mark_box, lesion_box) -> bool:
    cx, cy = (lesion_box[0] + lesion_box[2]) / 2, (lesion_box[1] + lesion_box[3]) / 2
    return mark_box[0] <= cx <= mark_box[2] and mark_box[1] <= cy <= mark_box[3]


def review_like_a_doctor(*, image, picture, doctor, at) -> tuple[int, int, int]:
    """The demo's doctor knows what was drawn: a mark on a drawn lesion is confirmed, any
    other rejected, and a drawn lesion the model missed is added. Returns (confirmed,
    rejected, added)."""
    lesions = list(imaging.synthetic_drawing(picture).lesions)
    confirmed = rejected = added = 0
    for mark in imaging.caries_marks_of_image(image=image):
        hit = next((lesion for lesion in lesions if _centre_inside(mark.box, lesion.box)), None)
        if hit is not None:
            lesions.remove(hit)
            imaging.caries_mark_decide(actor=doctor, mark=mark, status="confirmed", at=at)
            confirmed += 1
        else:
            imaging.caries_mark_decide(actor=doctor, mark=mark, status="rejected", at=at)
            rejected += 1
    for lesion in lesions:
        imaging.caries_mark_add(
            actor=doctor,
            image=image,
            box=lesion.box,
            tooth=picture.teeth[lesion.tooth_index] if picture.teeth else "",
            at=at,
        )
        added += 1
    return confirmed, rejected, added


def build_xrays(*, clinic, visits, now, zone) -> XraySummary:
    seen, doctors = [], {}
    for visit in visits:
        if visit.clinic_id == clinic.pk and visit.start < now and visit.patient not in seen:
            seen.append(visit.patient)
            doctors[visit.patient] = visit.doctor.user
        if len(seen) == PATIENTS:
            break
    studies = images = marks = reviewed = 0
    for index, patient in enumerate(seen):
        doctor = doctors[patient]
        recent = (now - timedelta(days=7 + 9 * index)).astimezone(zone).replace(tzinfo=None)
        earlier = recent - timedelta(days=120 + 11 * index)
        # Bitewings on two dates, months apart: the viewer compares them side by side. The
        # model marks each; the doctor reviewed the earlier pair the next day, and the
        # recent pair of every other patient (the rest wait in the console).
        for taken, seed in ((earlier, 1), (recent, 2)):
            study_uid = imaging.new_uid()
            for number in (1, 2):
                picture = imaging.SyntheticPicture(
                    modality="IO",
                    patient_id=patient.chart_number,
                    taken_at=taken,
                    study_uid=study_uid,
                    instance_number=number,
                    rows=240,
                    columns=320,
                    seed=index * 100 + seed * 10 + number,
                    teeth=BITEWING_TEETH[number - 1],
                    lesion_rate=0.4,
                )
                image = _send(clinic, picture)
                imaging.caries_analyse(image=image)
                marks += len(imaging.caries_marks_of_image(image=image))
                if seed == 1 or index % 2 == 0:
                    at = (taken + timedelta(days=1, hours=2)).replace(tzinfo=zone)
                    reviewed += sum(
                        review_like_a_doctor(image=image, picture=picture, doctor=doctor, at=at)
                    )
                images += 1
            studies += 1
        if index % 2 == 0:
            _send(
                clinic,
                imaging.SyntheticPicture(
                    modality="PX",
                    patient_id=patient.chart_number,
                    taken_at=recent,
                    rows=256,
                    columns=640,
                    seed=index,
                ),
            )
            studies += 1
            images += 1
    if seen:
        # A small cone-beam CT series for the first patient, kept whole.
        study_uid, series_uid = imaging.new_uid(), imaging.new_uid()
        taken = (now - timedelta(days=3)).astimezone(zone).replace(tzinfo=None)
        for number in range(1, 13):
            _send(
                clinic,
                imaging.SyntheticPicture(
                    modality="CT",
                    patient_id=seen[0].chart_number,
                    taken_at=taken,
                    study_uid=study_uid,
                    series_uid=series_uid,
                    instance_number=number,
                    rows=96,
                    columns=96,
                    seed=number,
                ),
            )
            images += 1
        studies += 1
    # A radiographer's typo: the Patient ID names nobody, so staff give it to its patient.
    _send(
        clinic,
        imaging.SyntheticPicture(
            modality="IO",
            patient_id="99999999",
            patient_name="Wang^Xiaoming=王小明",
            taken_at=(now - timedelta(hours=2)).astimezone(zone).replace(tzinfo=None),
            rows=240,
            columns=320,
            seed=7,
        ),
    )
    return XraySummary(
        patients=len(seen),
        studies=studies,
        images=images + 1,
        unmatched=1,
        marks=marks,
        reviewed=reviewed,
    )
