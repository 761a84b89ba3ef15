"""The 3D arch coloured by the chart's risk, and the aligner staging of a plan with a
recorded setup, labelled as an illustration."""

import pytest

from tests.apiclient import ApiClient
from yachi.clinical import services as clinical
from yachi.imaging.scans.models import ArchSetup

pytestmark = pytest.mark.django_db


@pytest.fixture
def aligners(aligner_plan):
    """The aligner plan with its setup recorded."""
    ArchSetup.objects.create(
        patient=aligner_plan.parent,
        clinic=aligner_plan.clinic_a,
        plan_id=aligner_plan.plan.public_id,
        recorded_by=aligner_plan.clinic_a_doctor.user,
        movements={"11": [0, 1.5, 0, 12], "21": [0, 1.0, 0, -8], "31": [0.5, 0, 0, 0]},
    )
    return aligner_plan


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
