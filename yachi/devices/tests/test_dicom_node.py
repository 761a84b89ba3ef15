"""The DICOM node as X-ray units meet it: pynetdicom as a sender, dcmtk's storescu and
echoscu as an independent one, and what neither should ever send."""

import contextlib
import shutil
import socket
import subprocess

import pytest
from django.core.management import CommandError, call_command
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pynetdicom import AE
from pynetdicom.sop_class import (
    CTImageStorage,
    DigitalIntraOralXRayImageStorageForPresentation,
    DigitalXRayImageStorageForPresentation,
    Verification,
)

from conftest import book_seen, unused_port
from yachi.devices.dicom.node import NodeSettings, node_start
from yachi.imaging.dicom.synthetic import Picture, dataset, part10
from yachi.imaging.models import Image, Study

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "YACHI_A"


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


def _association(port, *contexts, called=TITLE):
    sender = AE(ae_title="SENSOR1")
    for context in contexts or (Verification,):
        sender.add_requested_context(context, [ExplicitVRLittleEndian, ImplicitVRLittleEndian])
    sender.acse_timeout = sender.dimse_timeout = sender.network_timeout = 5
    return sender.associate("127.0.0.1", port, ae_title=called)


def test_a_unit_checks_the_node_with_c_echo(node):
    _world, port = node
    association = _association(port)
    assert association.is_established
    assert association.send_c_echo().Status == 0x0000
    association.release()


def test_a_unit_calling_another_title_is_refused(node):
    _world, port = node
    association = _association(port, called="SOMEONE")
    assert association.is_rejected
    assert not association.is_established


def test_panoramic_and_intraoral_images_reach_the_patient(node):
    world, port = node
    association = _association(
        port,
        DigitalIntraOralXRayImageStorageForPresentation,
        DigitalXRayImageStorageForPresentation,
    )
    for modality in ("IO", "PX"):
        ds = dataset(Picture(modality=modality, patient_id=world.patient_child.chart_number))
        assert association.send_c_store(ds).Status == 0x0000
    association.release()
    assert sorted(
        Study.objects.filter(patient=world.patient_child).values_list("modality", flat=True)
    ) == ["IO", "PX"]


def test_a_cbct_series_sent_slice_by_slice_is_kept_whole(node):
    world, port = node
    association = _association(port, CTImageStorage)
    for number in range(1, 9):
        ds = dataset(
            Picture(
                modality="CT",
                patient_id=world.parent.chart_number,
                study_uid="1.2.826.0.1.99.1",
                series_uid="1.2.826.0.1.99.1.1",
                instance_number=number,
                rows=24,
                columns=24,
            )
        )
        assert association.send_c_store(ds).Status == 0x0000
    association.release()
    study = Study.objects.get(study_uid="1.2.826.0.1.99.1")
    assert study.patient == world.parent and study.images.count() == 8


def test_truncated_pixels_are_refused_with_a_failure_status(node):
    world, port = node
    ds = dataset(Picture(patient_id=world.parent.chart_number))
    ds.PixelData = ds.PixelData[:100]
    association = _association(port, DigitalIntraOralXRayImageStorageForPresentation)
    assert association.send_c_store(ds).Status == 0xC000
    association.release()
    assert not Image.objects.exists()


def test_an_unknown_patient_id_is_kept_for_the_queue(node):
    _world, port = node
    association = _association(port, DigitalIntraOralXRayImageStorageForPresentation)
    assert association.send_c_store(dataset(Picture(patient_id="NOBODY"))).Status == 0x0000
    association.release()
    study = Study.objects.get()
    assert study.patient is None and study.sent_by == "SENSOR1"


def test_garbage_on_the_port_does_not_stop_the_node(node):
    _world, port = node
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + bytes(range(256)))
        raw.settimeout(5)
        with contextlib.suppress(TimeoutError, ConnectionError):
            raw.recv(1024)
    association = _association(port)
    assert association.send_c_echo().Status == 0x0000
    association.release()


needs_dcmtk = pytest.mark.skipif(
    shutil.which("storescu") is None, reason="dcmtk is not installed (make install-test)"
)


def _dcmtk(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False)  # noqa: S603


@needs_dcmtk
def test_dcmtk_echoscu_verifies_the_node(node):
    _world, port = node
    assert _dcmtk("echoscu", "-aec", TITLE, "127.0.0.1", str(port)).returncode == 0
    assert _dcmtk("echoscu", "-aec", "WRONG", "127.0.0.1", str(port)).returncode != 0


@needs_dcmtk
def test_dcmtk_storescu_sends_files_the_node_keeps(node, tmp_path):
    world, port = node
    files = []
    for number, modality in enumerate(("IO", "PX", "CR"), start=1):
        path = tmp_path / f"{number}.dcm"
        path.write_bytes(
            part10(
                Picture(
                    modality=modality,
                    patient_id=world.parent.chart_number,
                    study_uid=f"1.2.826.0.1.77.{number}",
                )
            )
        )
        files.append(str(path))
    sent = _dcmtk("storescu", "-aet", "PANO", "-aec", TITLE, "127.0.0.1", str(port), *files)
    assert sent.returncode == 0, sent.stderr
    assert sorted(
        Study.objects.filter(patient=world.parent).values_list("modality", flat=True)
    ) == ["CR", "IO", "PX"]
    assert set(Study.objects.values_list("sent_by", flat=True)) == {"PANO"}


@needs_dcmtk
def test_dcmtk_storescu_hears_the_refusal_of_a_truncated_file(node, tmp_path):
    world, port = node
    ds = dataset(Picture(patient_id=world.parent.chart_number))
    ds.PixelData = ds.PixelData[:64]
    path = tmp_path / "short.dcm"
    ds.save_as(path, enforce_file_format=True)
    sent = _dcmtk("storescu", "-v", "-aec", TITLE, "127.0.0.1", str(port), str(path))
    assert sent.returncode != 0
    assert "error: cannotunderstand" in (sent.stdout + sent.stderr).lower()  # 0xC000
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_the_command_needs_to_know_its_clinic(world):
    with pytest.raises(CommandError, match="YACHI_DICOM_CLINIC"):
        call_command("dicom-node", "--port", "11112")


@pytest.mark.django_db
@pytest.mark.parametrize("title", ["", "A" * 17, "BAD\\TITLE", "名字"])
def test_the_command_refuses_a_bad_ae_title(world, title):
    with pytest.raises(CommandError, match="AE"):
        call_command("dicom-node", "--clinic", str(world.clinic_a.public_id), "--ae-title", title)


@pytest.mark.django_db
def test_the_command_refuses_a_bad_port(world):
    with pytest.raises(CommandError, match="65535"):
        call_command("dicom-node", "--clinic", str(world.clinic_a.public_id), "--port", "70000")
