"""What becomes of an instance an X-ray unit sends: matched, queued or refused."""

from datetime import datetime

import pytest

from yachi.compliance.models import AuditAction, AuditEntry
from yachi.core.errors import Conflict, InvalidInput
from yachi.imaging.choices import UnmatchedReason
from yachi.imaging.dicom.instances import Refused
from yachi.imaging.dicom.synthetic import Picture, part10
from yachi.imaging.models import Image, Study
from yachi.imaging.selectors import image_bytes, unmatched_studies
from yachi.imaging.services import instance_receive, study_assign

pytestmark = pytest.mark.django_db


def test_an_intraoral_xray_with_the_chart_number_reaches_the_patient(seen):
    data = part10(
        Picture(
            patient_id=seen.patient_child.chart_number,
            patient_name="Zhang^Xiaobao=张小宝",
            taken_at=datetime(2026, 11, 30, 9, 15),  # noqa: DTZ001
        )
    )
    received = instance_receive(clinic=seen.clinic_a, data=data, sent_by="SENSOR1")
    study = received.image.study
    assert received.created
    assert study.patient == seen.patient_child
    assert study.modality == "IO"
    assert study.taken_at.isoformat() == "2026-11-30T09:15:00+08:00"
    assert image_bytes(received.image) == data
    with received.image.file.open("rb") as stored:
        assert b"DICM" not in stored.read()  # encrypted at rest
    assert AuditEntry.objects.filter(
        action=AuditAction.STUDY_RECEIVED, object_id=str(study.public_id)
    ).exists()


def test_chart_number_without_leading_zeros_matches(seen):
    data = part10(Picture(patient_id=str(int(seen.parent.chart_number))))
    assert instance_receive(clinic=seen.clinic_a, data=data).image.study.patient == seen.parent


def test_a_resend_keeps_nothing_twice(seen):
    data = part10(Picture(patient_id=seen.parent.chart_number))
    first = instance_receive(clinic=seen.clinic_a, data=data)
    again = instance_receive(clinic=seen.clinic_a, data=data)
    assert not again.created and again.image == first.image
    assert Image.objects.count() == 1


def test_a_cbct_series_is_kept_whole_in_one_study(seen):
    study_uid, series_uid = "1.2.3.4.5.6", "1.2.3.4.5.6.1"
    for number in range(1, 6):
        instance_receive(
            clinic=seen.clinic_a,
            data=part10(
                Picture(
                    modality="CT",
                    patient_id=seen.parent.chart_number,
                    study_uid=study_uid,
                    series_uid=series_uid,
                    instance_number=number,
                    rows=32,
                    columns=32,
                    seed=number,
                )
            ),
        )
    study = Study.objects.get(study_uid=study_uid)
    assert [image.instance_number for image in study.images.all()] == [1, 2, 3, 4, 5]
    assert {image.series_uid for image in study.images.all()} == {series_uid}


@pytest.mark.parametrize(
    ("patient_id", "reason"),
    [
        ("", UnmatchedReason.NO_PATIENT_ID),
        ("999999", UnmatchedReason.UNKNOWN_PATIENT_ID),
        ("ZHANG-01", UnmatchedReason.UNKNOWN_PATIENT_ID),
    ],
)
def test_a_study_with_no_known_chart_number_waits_in_the_queue(seen, patient_id, reason):
    instance_receive(clinic=seen.clinic_a, data=part10(Picture(patient_id=patient_id)))
    (study,) = unmatched_studies(clinic=seen.clinic_a)
    assert study.patient is None and study.unmatched_reason == reason
    assert study.sent_patient_id == patient_id


def test_a_chart_number_of_someone_never_seen_here_is_not_trusted(seen):
    # The stranger was booked at clinic B only: a typo naming them at clinic A is queued.
    instance_receive(clinic=seen.clinic_a, data=part10(Picture(patient_id=seen.other.chart_number)))
    (study,) = unmatched_studies(clinic=seen.clinic_a)
    assert study.unmatched_reason == UnmatchedReason.NOT_SEEN_HERE


def test_a_chart_number_whose_name_differs_is_not_trusted(seen):
    data = part10(Picture(patient_id=seen.patient_child.chart_number, patient_name="Li^Si=李四"))
    instance_receive(clinic=seen.clinic_a, data=data)
    (study,) = unmatched_studies(clinic=seen.clinic_a)
    assert study.unmatched_reason == UnmatchedReason.NAME_MISMATCH


def test_the_name_in_pinyin_agrees(seen):
    data = part10(Picture(patient_id=seen.patient_child.chart_number, patient_name="ZHANG^XIAOBAO"))
    assert (
        instance_receive(clinic=seen.clinic_a, data=data).image.study.patient == seen.patient_child
    )


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (lambda data: b"not a dicom file at all" * 10, "not_dicom"),
        (lambda data: data[: len(data) // 2], "dicom_truncated"),
        (lambda data: data[:400], "dicom_no_image"),
        (lambda data: b"", "not_dicom"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_kept(seen, damage, code):
    data = damage(part10(Picture(patient_id=seen.parent.chart_number)))
    with pytest.raises(Refused) as refused:
        instance_receive(clinic=seen.clinic_a, data=data)
    assert refused.value.code == code and refused.value.status == 0xC000
    assert not Study.objects.exists() and not Image.objects.exists()


def test_an_oversized_instance_is_refused(seen, settings):
    settings.YACHI_DICOM_MAX_BYTES = 1000
    with pytest.raises(Refused) as refused:
        instance_receive(clinic=seen.clinic_a, data=part10(Picture()))
    assert refused.value.code == "dicom_too_large" and refused.value.status == 0xA700
    assert not Study.objects.exists()


def test_a_modality_that_is_no_xray_is_refused(seen):
    from yachi.imaging.dicom.synthetic import dataset

    ds = dataset(Picture())
    ds.Modality = "MR"
    import io

    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    with pytest.raises(Refused) as refused:
        instance_receive(clinic=seen.clinic_a, data=out.getvalue())
    assert refused.value.code == "modality_not_supported"


def test_staff_give_a_queued_study_to_a_patient_and_it_is_audited(seen):
    instance_receive(clinic=seen.clinic_a, data=part10(Picture(patient_id="999999")))
    (study,) = unmatched_studies(clinic=seen.clinic_a)
    study_assign(actor=seen.clinic_a_front_desk, study=study, chart_number=seen.parent.chart_number)
    study.refresh_from_db()
    assert study.patient == seen.parent and study.assigned_by == seen.clinic_a_front_desk
    entry = AuditEntry.objects.get(action=AuditAction.STUDY_ASSIGNED)
    assert entry.object_id == str(study.public_id)
    assert unmatched_studies(clinic=seen.clinic_a) == []


def test_a_study_is_not_given_to_someone_never_seen_at_its_clinic(seen):
    instance_receive(clinic=seen.clinic_a, data=part10(Picture(patient_id="")))
    (study,) = unmatched_studies(clinic=seen.clinic_a)
    for number in (seen.other.chart_number, "123456789", "abc"):
        with pytest.raises(InvalidInput):
            study_assign(actor=seen.clinic_a_front_desk, study=study, chart_number=number)
    study.refresh_from_db()
    assert study.patient is None
    assert not AuditEntry.objects.filter(action=AuditAction.STUDY_ASSIGNED).exists()


def test_a_matched_study_is_not_given_again(seen):
    received = instance_receive(
        clinic=seen.clinic_a, data=part10(Picture(patient_id=seen.parent.chart_number))
    )
    with pytest.raises(Conflict):
        study_assign(
            actor=seen.clinic_a_front_desk,
            study=received.image.study,
            chart_number=seen.patient_child.chart_number,
        )
