"""X-rays in the demo: synthetic radiographs (drawn by ``imaging.dicom.synthetic``, and
labelled so in every file and on every page that shows them) received at the first
clinic as its units would send them, for a few patients seen there; and one study whose
Patient ID was mistyped, waiting in the clinic's unmatched queue (ADR 0060)."""

from dataclasses import dataclass
from datetime import timedelta

from yachi.imaging import facade as imaging

PATIENTS = 4


@dataclass(frozen=True)
class XraySummary:
    patients: int
    studies: int
    images: int
    unmatched: int


def _send(clinic, picture) -> None:
    imaging.instance_receive(clinic=clinic, data=imaging.synthetic_part10(picture), sent_by="DEMO")


def build_xrays(*, clinic, visits, now, zone) -> XraySummary:
    seen = []
    for visit in visits:
        if visit.clinic_id == clinic.pk and visit.start < now and visit.patient not in seen:
            seen.append(visit.patient)
        if len(seen) == PATIENTS:
            break
    studies = images = 0
    for index, patient in enumerate(seen):
        recent = (now - timedelta(days=7 + index)).astimezone(zone).replace(tzinfo=None)
        earlier = recent - timedelta(days=180)
        # Bitewings on two dates, six months apart: the viewer compares them side by side.
        for taken, seed in ((earlier, 1), (recent, 2)):
            study_uid = imaging.new_uid()
            for number in (1, 2):
                _send(
                    clinic,
                    imaging.SyntheticPicture(
                        modality="IO",
                        patient_id=patient.chart_number,
                        taken_at=taken,
                        study_uid=study_uid,
                        instance_number=number,
                        rows=240,
                        columns=320,
                        seed=index * 100 + seed * 10 + number,
                    ),
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
    return XraySummary(patients=len(seen), studies=studies, images=images + 1, unmatched=1)
