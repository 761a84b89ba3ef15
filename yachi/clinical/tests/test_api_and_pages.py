"""The chart and plans over the API and in the pages: who sees what, accepting an
estimate, a done procedure billed and charted."""

from yachi.clinical import services
from yachi.clinical.models import ChartEntry, PlanAcceptance, TreatmentPlan
from yachi.compliance.models import AuditEntry
from yachi.payments.models import Bill


def test_the_patient_reads_the_chart_and_plans_and_others_get_404(api, world, plan):
    url = f"/patients/{world.parent.public_id}/chart"
    mine = api.as_user(world.patient_parent).get(url)
    assert mine.status_code == 200
    body = mine.json()
    assert body["dmft"] == 1
    tooth = next(t for t in body["teeth"] if t["tooth"] == "16")
    assert tooth["surfaces"] == {"O": "caries"} and tooth["findings"][0]["kind"] == "caries"
    plans = api.get(f"/patients/{world.parent.public_id}/treatment-plans").json()
    assert plans[0]["total_fen"] == 35000 and plans[0]["status"] == "proposed"
    assert plans[0]["phases"][0]["items"][0]["tooth"] == "16"
    for stranger in (world.other_patient, world.clinic_b_front_desk):
        assert api.as_user(stranger).get(url).status_code == 404
    assert (
        api.as_user(world.clinic_b_front_desk).get("/patients/not-an-id/chart").status_code == 404
    )


def test_staff_reading_the_chart_over_the_api_is_audited(api, world, plan):
    api.as_user(world.clinic_a_front_desk).get(f"/patients/{world.parent.public_id}/chart")
    assert AuditEntry.objects.filter(
        action="clinical_read", actor_id=world.clinic_a_front_desk.pk
    ).exists()


def test_a_doctor_records_a_finding_over_the_api_and_bad_input_is_refused(api, world, plan):
    api.as_user(world.clinic_a_doctor.user)
    url = f"/patients/{world.parent.public_id}/chart/findings"
    made = api.post(url, {"tooth": "26", "kind": "filling", "surfaces": "MO"})
    assert made.status_code == 201, made.content
    assert made.json()["surfaces"] == "MO"
    before = ChartEntry.objects.count()
    bad = api.post(url, {"tooth": "99", "kind": "filling", "surfaces": "O"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_tooth"
    assert ChartEntry.objects.count() == before
    desk = api.as_user(world.clinic_a_front_desk).post(url, {"tooth": "26", "kind": "crown"})
    assert desk.status_code == 403 and desk.json()["code"] == "doctors_only"


def test_the_patient_accepts_the_estimate_once_and_a_stale_revision_is_refused(api, world, plan):
    api.as_user(world.patient_parent)
    url = f"/treatment-plans/{plan.public_id}/accept"
    stale = api.post(url, {"revision": plan.revision - 1, "signature": "张妈妈", "agree": True})
    assert stale.status_code == 409 and stale.json()["code"] == "plan_changed"
    unsigned = api.post(url, {"revision": plan.revision, "signature": "张妈妈", "agree": False})
    assert unsigned.status_code == 422
    assert not PlanAcceptance.objects.exists()
    done = api.post(url, {"revision": plan.revision, "signature": "张妈妈", "agree": True})
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert PlanAcceptance.objects.get().signature == "张妈妈"
    assert (
        api.as_user(world.other_patient)
        .post(url, {"revision": plan.revision, "signature": "x", "agree": True})
        .status_code
        == 404
    )


def test_a_done_procedure_is_billed_and_updates_the_chart(world, plan, seen):
    services.plan_accept(
        actor=world.patient_parent,
        plan=plan,
        revision=plan.revision,
        signature="张妈妈",
        agree=True,
    )
    doctor = world.clinic_a_doctor.user
    item = plan.phases.get().items.get()
    services.plan_item_schedule(actor=doctor, item=item, appointment_id=seen.public_id)
    services.plan_item_complete(actor=doctor, item=item)
    bill = Bill.objects.get()
    assert bill.list_fen == 35000 and bill.appointment_id == seen.pk
    assert TreatmentPlan.objects.get().status == "completed"
    entries = list(
        ChartEntry.objects.filter(tooth="16").order_by("pk").values_list("kind", flat=True)
    )
    assert entries == ["caries", "filling"]


def test_the_console_chart_and_the_patient_app_pages_open_for_their_people(client, world, plan):
    client.force_login(world.clinic_a_doctor.user)
    page = client.get(f"/console/patients/{world.parent.public_id}/tooth-chart/?tooth=16&surface=O")
    assert page.status_code == 200 and 'data-tooth="16"' in page.content.decode()
    recorded = client.post(
        f"/console/patients/{world.parent.public_id}/tooth-chart/",
        {"tooth": "17", "kind": "sealant", "surfaces": ["O"]},
    )
    assert recorded.status_code == 302
    assert ChartEntry.objects.filter(tooth="17", kind="sealant").exists()
    assert (
        client.get(f"/console/patients/{world.parent.public_id}/treatment-plans/").status_code
        == 200
    )
    client.force_login(world.patient_parent)
    assert client.get(f"/family/{world.parent.public_id}/teeth/?view=risk").status_code == 200
    plans = client.get(f"/family/{world.parent.public_id}/treatment-plans/")
    assert plans.status_code == 200 and "补牙" in plans.content.decode()
    client.force_login(world.other_patient)
    assert client.get(f"/family/{world.parent.public_id}/teeth/").status_code == 404
