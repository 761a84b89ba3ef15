"""The 3D arch coloured by the chart's risk, and the aligner staging of a plan with a
recorded setup, labelled as an illustration."""

import pytest

from tests import factories as f
from tests.apiclient import ApiClient
from yachi.clinical import services as clinical
from yachi.clinical.access import chart_write_access
from yachi.imaging.scans.models import ArchSetup

pytestmark = pytest.mark.django_db


@pytest.fixture
def aligners(seen):
    """The parent: caries on 16, 36 missing, an aligner plan with a recorded setup."""
    doctor = seen.clinic_a_doctor.user
    f.ServiceFactory(clinic=seen.clinic_a, code="aligner", name="隐形矫正", price_fen=2_800_000)
    patient, clinic_ids = chart_write_access(actor=doctor, patient_id=seen.parent.public_id)
    for tooth, kind, surfaces in (("16", "caries", "O"), ("36", "missing", "")):
        clinical.finding_record(
            actor=doctor,
            patient=patient,
            clinic_ids=clinic_ids,
            tooth=tooth,
            kind=kind,
            surfaces=surfaces,
        )
    plan = clinical.plan_create(
        actor=doctor, patient=patient, clinic_ids=clinic_ids, title="隐形矫正"
    )
    clinical.plan_item_add(
        actor=doctor, plan=plan, phase=1, phase_title="矫正", service_code="aligner"
    )
    clinical.plan_propose(actor=doctor, plan=plan)
    ArchSetup.objects.create(
        patient=patient,
        clinic=seen.clinic_a,
        plan_id=plan.public_id,
        recorded_by=doctor,
        movements={"11": [0, 1.5, 0, 12], "21": [0, 1.0, 0, -8], "31": [0.5, 0, 0, 0]},
    )
    seen.plan = plan
    return seen


def test_the_arch_is_coloured_by_risk_and_missing_teeth_are_absent(aligners):
    body = (
        ApiClient()
        .as_user(aligners.patient_parent)
        .get(f"/patients/{aligners.parent.public_id}/arch")
        .json()
    )
    teeth = {t["tooth"]: t for t in body["teeth"]}
    assert "36" not in teeth
    assert teeth["16"]["risk"]["level"] == "high" and teeth["16"]["colour"] == "#e5484d"
    assert teeth["11"]["risk"]["level"] == "low"


def test_the_staging_moves_the_teeth_to_the_plan_in_labelled_steps(aligners):
    body = (
        ApiClient()
        .as_user(aligners.patient_parent)
        .get(f"/patients/{aligners.parent.public_id}/arch")
        .json()
    )
    staging = body["staging"]
    assert staging["plan_id"] == str(aligners.plan.public_id)
    assert staging["stages"] == 6 and len(staging["frames"]) == 7
    assert staging["moved"] == ["11", "21", "31"]
    index = [t["tooth"] for t in body["teeth"]].index("11")
    planned = body["teeth"][index]
    assert staging["frames"][-1][index][0] == planned["x"]
    assert staging["frames"][0][index][2] > planned["z"]  # today forward of the arch
    assert staging["label"] == "示意图，非治疗效果预测"
    assert "医生在正畸评估时" in staging["explanation"]  # where today's positions come from


def test_the_staging_page_says_it_is_an_illustration(client, aligners):
    client.force_login(aligners.clinic_a_doctor.user)
    page = client.get(
        f"/console/patients/{aligners.parent.public_id}/arch/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "data-arch-staging" in html
    assert "示意图，非治疗效果预测" in html


def test_a_cancelled_plan_shows_no_staging(aligners):
    clinical.plan_cancel(actor=aligners.clinic_a_doctor.user, plan=aligners.plan)
    body = (
        ApiClient()
        .as_user(aligners.patient_parent)
        .get(f"/patients/{aligners.parent.public_id}/arch")
        .json()
    )
    assert body["staging"] is None
