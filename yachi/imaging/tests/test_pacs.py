"""X-rays kept in a PACS (Orthanc over DICOMweb, ADR 0063): what the DICOM node receives
goes to the PACS instead of the disk, staff and patients read it back through Yachi's own
endpoints, and a PACS that is down or refuses never loses an X-ray silently."""

import pytest
from pydicom.uid import ExplicitVRLittleEndian
from pynetdicom import AE
from pynetdicom.sop_class import (
    CTImageStorage,
    DigitalIntraOralXRayImageStorageForPresentation,
)

from conftest import book_seen, unused_port
from tests.apiclient import ApiClient
from yachi.devices.dicom.node import NodeSettings, node_start
from yachi.imaging.dicom.synthetic import Picture, dataset, part10
from yachi.imaging.models import Image, Study
from yachi.imaging.services import instance_receive
from yachi.imaging.tests.orthanc import MISSING, orthanc_running

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(MISSING is not None, reason=MISSING or ""),
]

TITLE = "YACHI_A"
OUT_OF_RESOURCES = 0xA700


@pytest.fixture(scope="module")
def orthanc(tmp_path_factory):
    with orthanc_running(tmp_path_factory.mktemp("orthanc")) as server:
        yield server


@pytest.fixture
def pacs(settings, orthanc):
    settings.YACHI_PACS_URL = orthanc.dicomweb_url
    settings.YACHI_PACS_TIMEOUT = 10.0
    return orthanc


@pytest.fixture
def node(world):
    book_seen(world)
    port = unused_port()
    server = node_start(
        NodeSettings(clinic=world.clinic_a, ae_title=TITLE, host="127.0.0.1", port=port),
        block=False,
    )
    yield world, port
    server.shutdown()


def _send(port, datasets, context=DigitalIntraOralXRayImageStorageForPresentation) -> list[int]:
    sender = AE(ae_title="SENSOR1")
    sender.add_requested_context(context, [ExplicitVRLittleEndian])
    sender.acse_timeout = sender.dimse_timeout = sender.network_timeout = 15
    association = sender.associate("127.0.0.1", port, ae_title=TITLE)
    assert association.is_established
    statuses = [association.send_c_store(ds).Status for ds in datasets]
    association.release()
    return statuses


def _orthanc_instances(orthanc, study_uid: str) -> set[str]:
    """What the PACS itself says it holds of a study (its own REST API, not Yachi's client)."""
    found = orthanc.get(f"/dicom-web/studies/{study_uid}/instances")
    if found.status_code == 204 or not found.content:
        return set()
    return {row["00080018"]["Value"][0] for row in found.json()}


def test_an_xray_sent_to_the_node_is_kept_in_the_pacs_and_read_back(pacs, node):
    world, port = node
    picture = Picture(patient_id=world.patient_child.chart_number)
    sent = dataset(picture)
    assert _send(port, [sent]) == [0x0000]
    image = Image.objects.select_related("study").get(sop_instance_uid=sent.SOPInstanceUID)
    assert image.archive == "pacs" and image.file.name == ""
    assert image.study.patient == world.patient_child
    assert _orthanc_instances(pacs, image.study.study_uid) == {sent.SOPInstanceUID}

    studies = (
        ApiClient()
        .as_user(world.patient_parent)
        .get(f"/patients/{world.patient_child.public_id}/studies")
    )
    assert studies.status_code == 200
    (listed,) = studies.json()[0]["images"]
    answer = (
        ApiClient().as_user(world.patient_parent).get(listed["dicom_url"].removeprefix("/api/v1"))
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/dicom"
    assert answer.content[128:132] == b"DICM"
    # The pixels the unit sent, bit for bit, whatever Orthanc does with the file's header.
    from io import BytesIO

    from pydicom import dcmread

    assert dcmread(BytesIO(answer.content)).PixelData == sent.PixelData


def test_a_cbct_series_is_stored_whole_and_a_resend_keeps_nothing_twice(pacs, node):
    world, port = node
    slices = [
        dataset(
            Picture(
                modality="CT",
                patient_id=world.parent.chart_number,
                study_uid="1.2.826.0.1.3680043.99.63.1",
                series_uid="1.2.826.0.1.3680043.99.63.1.1",
                instance_number=number,
                rows=24,
                columns=24,
                seed=number,
            )
        )
        for number in range(1, 5)
    ]
    assert _send(port, slices, CTImageStorage) == [0] * 4
    assert _send(port, slices[:2], CTImageStorage) == [0] * 2
    study = Study.objects.get(study_uid="1.2.826.0.1.3680043.99.63.1")
    assert study.images.count() == 4
    assert _orthanc_instances(pacs, study.study_uid) == {s.SOPInstanceUID for s in slices}


def test_an_instance_already_in_the_pacs_is_linked_without_sending_it_again(pacs, seen):
    """The node stopped after the PACS stored an instance but before its row was written:
    the unit's resend finds it there (QIDO-RS) and only the row is written."""
    data = part10(Picture(patient_id=seen.parent.chart_number))
    from io import BytesIO

    from pydicom import dcmread

    from yachi.imaging.archive import receiving_archive
    from yachi.imaging.archive.base import Location

    ds = dcmread(BytesIO(data))
    where = Location(ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID)
    receiving_archive().store(where, data)
    before = pacs.get("/statistics").json()["TotalDiskSize"]
    received = instance_receive(clinic=seen.clinic_a, data=data)
    assert received.created and received.image.archive == "pacs"
    assert pacs.get("/statistics").json()["TotalDiskSize"] == before


def test_a_pacs_that_is_down_gets_the_unit_a_failure_status_and_keeps_nothing(settings, node):
    world, port = node
    settings.YACHI_PACS_URL = f"http://127.0.0.1:{unused_port()}/dicom-web"
    settings.YACHI_PACS_TIMEOUT = 2.0
    sent = dataset(Picture(patient_id=world.parent.chart_number))
    assert _send(port, [sent]) == [OUT_OF_RESOURCES]
    assert not Image.objects.exists() and not Study.objects.exists()


def test_a_pacs_refusing_our_credentials_gets_a_failure_status(settings, orthanc, node):
    world, port = node
    settings.YACHI_PACS_URL = f"http://yachi:wrong@127.0.0.1:{orthanc.http_port}/dicom-web"
    sent = dataset(Picture(patient_id=world.parent.chart_number))
    assert _send(port, [sent]) == [OUT_OF_RESOURCES]
    assert not Image.objects.exists()


def test_reading_an_xray_while_the_pacs_is_down_is_a_clear_503(settings, pacs, seen):
    image = instance_receive(
        clinic=seen.clinic_a, data=part10(Picture(patient_id=seen.parent.chart_number))
    ).image
    settings.YACHI_PACS_URL = f"http://127.0.0.1:{unused_port()}/dicom-web"
    answer = ApiClient().as_user(seen.patient_parent).get(f"/images/{image.public_id}/dicom")
    assert answer.status_code == 503
    assert answer.json()["code"] == "archive_unavailable"
    settings.YACHI_PACS_URL = ""
    answer = ApiClient().as_user(seen.clinic_a_front_desk).get(f"/images/{image.public_id}/dicom")
    assert answer.status_code == 503 and answer.json()["code"] == "archive_unavailable"


def test_xrays_kept_on_disk_before_the_pacs_are_still_read_from_disk(settings, pacs, seen):
    settings.YACHI_PACS_URL = ""
    data = part10(Picture(patient_id=seen.parent.chart_number))
    image = instance_receive(clinic=seen.clinic_a, data=data).image
    assert image.archive == "local" and image.file.name
    settings.YACHI_PACS_URL = pacs.dicomweb_url
    answer = ApiClient().as_user(seen.patient_parent).get(f"/images/{image.public_id}/dicom")
    assert answer.status_code == 200 and answer.content == data
