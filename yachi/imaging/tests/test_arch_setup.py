"""A doctor records an aligner plan's setup in the console; the 3D arch then stages the
teeth from it. Bad values are refused with the tooth named, and nothing is kept."""

import pytest

from tests import factories as f
from tests.apiclient import ApiClient
from yachi.clinical import services as clinical
from yachi.compliance.models import AuditAction, AuditEntry
from yachi.core.errors import InvalidInput
from yachi.imaging.scans import setups
from yachi.imaging.scans.models import ArchSetup

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _url(world) -> str:
    return f"/console/patients/{world.parent.public_id}/arch/setup/"


def _post(client, world, **values):
    data = {"plan_id": str(world.plan.public_id)}
    data.update({f"m-{key.replace('_', '-', 1)}": value for key, value in values.items()})
    return client.post(_url(world), data, **ZH)


def test_a_doctor_records_a_setup_and_the_arch_stages_the_teeth_from_it(client, aligner_plan):
    client.force_login(aligner_plan.clinic_a_doctor.user)
    page = client.get(_url(aligner_plan), **ZH)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="m-11-rotation"' in html and 'name="m-36-along"' not in html  # 36 is missing
    answer = _post(client, aligner_plan, **{"11_outward": "1.5", "11_rotation": "12", "21_up": ""})
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"/patients/{aligner_plan.parent.public_id}/arch/")
    setup = ArchSetup.objects.get(plan_id=aligner_plan.plan.public_id)
    assert setup.movements == {"11": [0.0, 1.5, 0.0, 12.0]}  # 21 does not move: left out
    assert setup.recorded_by == aligner_plan.clinic_a_doctor.user
    entry = AuditEntry.objects.get(action=AuditAction.ARCH_SETUP_RECORDED)
    assert entry.object_id == str(aligner_plan.plan.public_id) and entry.details["teeth"] == 1
    staging = (
        ApiClient()
        .as_user(aligner_plan.patient_parent)
        .get(f"/patients/{aligner_plan.parent.public_id}/arch")
        .json()["staging"]
    )
    assert staging["moved"] == ["11"] and staging["stages"] == 6  # 12° at 2° a stage


def test_the_form_shows_what_was_recorded_and_a_second_recording_replaces_it(client, aligner_plan):
    client.force_login(aligner_plan.clinic_a_doctor.user)
    _post(client, aligner_plan, **{"11_outward": "1.5"})
    assert 'value="1.5"' in client.get(_url(aligner_plan), **ZH).content.decode()
    _post(client, aligner_plan, **{"21_along": "-0.5"})
    assert ArchSetup.objects.get().movements == {"21": [-0.5, 0.0, 0.0, 0.0]}
    assert AuditEntry.objects.filter(action=AuditAction.ARCH_SETUP_RECORDED).count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"11_outward": "9"}, "牙位 11：每个方向的位移最多 8 毫米"),
        ({"21_rotation": "-46"}, "牙位 21：每个方向的位移最多 8 毫米，旋转最多 45°"),
        ({"12_up": "一点"}, "牙位 12：请填写数字"),
        ({"11_along": "nan"}, "牙位 11：每个方向的位移最多 8 毫米"),
        ({"11_along": "1" * 400}, "牙位 11：每个方向的位移最多 8 毫米"),
        ({"11_along": ""}, "请至少填写一颗牙"),
    ],
)
def test_bad_values_are_refused_with_the_tooth_named_and_nothing_is_kept(
    client, aligner_plan, values, message
):
    client.force_login(aligner_plan.clinic_a_doctor.user)
    answer = _post(client, aligner_plan, **values)
    html = answer.content.decode()
    assert answer.status_code == 422
    assert message in html
    assert next(iter(values.values()))[:16] in html  # what was typed is still in the form
    assert not ArchSetup.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.ARCH_SETUP_RECORDED).exists()


def test_only_a_doctor_of_the_plans_clinic_records_a_setup(client, aligner_plan):
    client.force_login(aligner_plan.clinic_a_front_desk)
    refused = client.get(_url(aligner_plan), **ZH)
    assert refused.status_code == 403 and "只有医生" in refused.content.decode()
    assert _post(client, aligner_plan, **{"11_outward": "1"}).status_code == 403
    client.force_login(aligner_plan.clinic_b_doctor.user)
    assert client.get(_url(aligner_plan), **ZH).status_code == 404
    assert _post(client, aligner_plan, **{"11_outward": "1"}).status_code == 404
    assert not ArchSetup.objects.exists()


def test_a_tooth_not_on_the_arch_and_a_plan_without_aligners_are_refused(aligner_plan):
    doctor = aligner_plan.clinic_a_doctor.user
    with pytest.raises(InvalidInput) as refused:
        setups.setup_record(
            actor=doctor, plan_id=aligner_plan.plan.public_id, movements={"36": [1, 0, 0, 0]}
        )
    assert refused.value.code == "tooth_not_on_arch"
    patient = aligner_plan.parent
    cleaning = clinical.plan_create(
        actor=doctor, patient=patient, clinic_ids={aligner_plan.clinic_a.pk}, title="洁牙"
    )
    f.ServiceFactory(clinic=aligner_plan.clinic_a, code="scaling", name="洁治")
    clinical.plan_item_add(
        actor=doctor, plan=cleaning, phase=1, phase_title="洁治", service_code="scaling"
    )
    clinical.plan_propose(actor=doctor, plan=cleaning)
    with pytest.raises(InvalidInput) as refused:
        setups.setup_record(
            actor=doctor, plan_id=cleaning.public_id, movements={"11": [0, 1, 0, 0]}
        )
    assert refused.value.code == "not_an_aligner_plan"
    assert not ArchSetup.objects.exists()


def test_a_patient_without_an_aligner_plan_is_told_what_to_do_first(client, seen):
    client.force_login(seen.clinic_a_doctor.user)
    page = client.get(f"/console/patients/{seen.parent.public_id}/arch/setup/", **ZH)
    assert page.status_code == 200
    assert "没有已提出或已接受的隐形矫正方案" in page.content.decode()


def test_the_arch_page_offers_the_setup_form_to_doctors_only(client, aligner_plan):
    url = f"/console/patients/{aligner_plan.parent.public_id}/arch/"
    client.force_login(aligner_plan.clinic_a_doctor.user)
    assert "/arch/setup/" in client.get(url, **ZH).content.decode()
    client.force_login(aligner_plan.clinic_a_front_desk)
    assert "/arch/setup/" not in client.get(url, **ZH).content.decode()
    refused = client.get(_url(aligner_plan), **ZH).content.decode()
    assert 'href="/console/"' in refused and "返回控制台" in refused
