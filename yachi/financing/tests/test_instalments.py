"""A patient quotes, agrees and is financed by the partner; repayments, reminders and
arrears follow."""

from datetime import date, timedelta

from django.test import Client

from yachi.compliance.models import AuditEntry
from yachi.crm import facade as crm
from yachi.financing import services
from yachi.financing.models import Instalment, InstalmentPlan, PartnerEvent
from yachi.messaging.models import Notification

NOTIFY = "/api/v1/financing/partners/partner/notify"


def _quote(api, plan, months=6, method="equal_payment"):
    return api.post(
        f"/treatment-plans/{plan.public_id}/instalment-quotes", {"months": months, "method": method}
    )


def test_a_quote_shows_the_schedule_apr_and_total_and_adds_up_to_the_plan(
    api, world, treatment_plan
):
    api.as_user(world.patient_parent)
    answer = _quote(api, treatment_plan, months=12)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["principal_fen"] == treatment_plan.total_fen == 140_000
    assert sum(i["principal_fen"] for i in body["installments"]) == 140_000
    assert len(body["installments"]) == 12
    assert body["apr"] == "0.0699" and body["total_interest_fen"] > 0
    assert body["total_fen"] == 140_000 + body["total_interest_fen"]
    assert body["total_interest_fen"] == sum(i["interest_fen"] for i in body["installments"])
    three = _quote(api, treatment_plan, months=3).json()
    assert three["apr"] == "0.0000" and three["total_interest_fen"] == 0


def test_bad_quotes_are_refused_and_nothing_is_kept(api, world, treatment_plan, settings):
    api.as_user(world.patient_parent)
    assert _quote(api, treatment_plan, months=5).status_code == 422
    assert _quote(api, treatment_plan, method="balloon").status_code == 422
    for stranger in (world.other_patient, world.clinic_b_front_desk):
        missing = api.as_user(stranger).post(
            f"/treatment-plans/{treatment_plan.public_id}/instalment-quotes",
            {"months": 6, "method": "equal_payment"},
        )
        assert missing.status_code == 404
    settings.YACHI_INSTALMENT_MIN_FEN = 500_000
    small = api.as_user(world.patient_parent).post(
        f"/treatment-plans/{treatment_plan.public_id}/instalment-quotes",
        {"months": 6, "method": "equal_payment"},
    )
    assert small.status_code == 409 and small.json()["code"] == "below_instalment_minimum"
    assert InstalmentPlan.objects.count() == 0


def test_both_consents_are_needed_and_the_application_goes_to_the_partner_signed(
    api, world, treatment_plan, partner
):
    api.as_user(world.patient_parent)
    quote = _quote(api, treatment_plan).json()
    url = f"/instalment-plans/{quote['id']}/agree"
    refused = api.post(url, {"agree_terms": True, "share_with_partner": False})
    assert refused.status_code == 422 and refused.json()["code"] == "sharing_consent_required"
    assert partner.applications == {}
    agreed = api.post(url, {"agree_terms": True, "share_with_partner": True})
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["status"] == "applied"
    (application,) = partner.applications.values()
    assert application["principal_fen"] == 140_000 and partner.refused == 0
    again = api.post(url, {"agree_terms": True, "share_with_partner": True})
    assert again.status_code == 409
    plan = InstalmentPlan.objects.get()
    assert plan.terms_agreed_at and plan.sharing_agreed_at and plan.partner_reference


def test_a_partner_that_does_not_answer_leaves_the_quote_to_agree_again(
    api, world, treatment_plan, partner
):
    api.as_user(world.patient_parent)
    quote = _quote(api, treatment_plan).json()
    partner.fail_next("server_error")
    down = api.post(
        f"/instalment-plans/{quote['id']}/agree", {"agree_terms": True, "share_with_partner": True}
    )
    assert down.status_code == 503
    assert InstalmentPlan.objects.get().status == "quoted"


def _agreed(api, world, treatment_plan, months=6):
    api.as_user(world.patient_parent)
    quote = _quote(api, treatment_plan, months=months).json()
    api.post(
        f"/instalment-plans/{quote['id']}/agree", {"agree_terms": True, "share_with_partner": True}
    )
    return InstalmentPlan.objects.get(public_id=quote["id"])


def test_signed_callbacks_approve_and_disburse_once_and_forged_ones_are_refused(
    api, world, treatment_plan, partner
):
    plan = _agreed(api, world, treatment_plan)
    client = Client()
    event = {
        "event_id": "E1",
        "type": "credit_decision",
        "application_no": plan.application_no,
        "decision": "approved",
    }
    body, headers = partner.callback(NOTIFY, event, secret="not-the-partner")
    forged = client.post(NOTIFY, data=body, content_type="application/json", **headers)
    assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"
    plan.refresh_from_db()
    assert plan.status == "applied"
    body, headers = partner.callback(NOTIFY, event)
    assert client.post(NOTIFY, data=body, content_type="application/json", **headers).json() == {
        "status": "ok"
    }
    body, headers = partner.callback(NOTIFY, event)
    repeat = client.post(NOTIFY, data=body, content_type="application/json", **headers)
    assert repeat.json() == {"status": "duplicate"}
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert Notification.objects.filter(kind="instalment_approved").count() >= 1
    body, headers = partner.callback(
        NOTIFY,
        {
            "event_id": "E2",
            "type": "disbursed",
            "application_no": plan.application_no,
            "amount_fen": plan.principal_fen - plan.clinic_fee_fen,
        },
    )
    paid_out = client.post(NOTIFY, data=body, content_type="application/json", **headers)
    assert paid_out.status_code == 200, paid_out.content
    plan.refresh_from_db()
    assert plan.status == "repaying"
    assert plan.disbursed_fen == plan.principal_fen - plan.clinic_fee_fen
    assert PartnerEvent.objects.count() == 2
    assert AuditEntry.objects.filter(action="instalment_plan_changed").count() >= 3


def _repaying(api, world, treatment_plan, partner):
    plan = _agreed(api, world, treatment_plan, months=3)
    client = Client()
    for event in (
        {"event_id": "A", "type": "credit_decision", "decision": "approved"},
        {
            "event_id": "B",
            "type": "disbursed",
            "amount_fen": plan.principal_fen - plan.clinic_fee_fen,
        },
    ):
        body, headers = partner.callback(NOTIFY, {**event, "application_no": plan.application_no})
        client.post(NOTIFY, data=body, content_type="application/json", **headers)
    plan.refresh_from_db()
    return plan


def test_repayments_reminders_and_arrears_in_the_crm_tag(api, world, treatment_plan, partner):
    plan = _repaying(api, world, treatment_plan, partner)
    _first, second, _third = plan.instalments.all()
    partner.repaid[plan.application_no] = {1}
    services.repayments_sync(plan=plan, today=second.due_date + timedelta(days=1))
    statuses = list(plan.instalments.values_list("status", flat=True))
    assert statuses == ["paid", "overdue", "due"]
    count = services.reminders_plan(today=second.due_date + timedelta(days=1))
    assert count >= 1
    assert Notification.objects.filter(kind="instalment_overdue").exists()
    from yachi.crm.tags.arrears import owed as crm_owed

    owed = [o for o in crm_owed() if o.patient_id == world.parent.pk]
    assert isinstance(owed[0], crm.Owed)
    assert [o.amount_fen for o in owed] == [second.amount_fen]
    assert owed[0].due_at.date() == second.due_date


def test_a_reminder_goes_out_before_a_due_date(api, world, treatment_plan, partner):
    plan = _repaying(api, world, treatment_plan, partner)
    first = plan.instalments.first()
    assert services.reminders_plan(today=first.due_date - timedelta(days=2)) == 1
    assert services.reminders_plan(today=date(2000, 1, 1)) == 0
    assert Instalment.objects.filter(status="due").count() == 3
    assert Notification.objects.filter(kind="instalment_due").exists()


def test_the_desk_follows_the_clinics_plans_with_what_is_overdue(
    api, world, treatment_plan, partner
):
    plan = _repaying(api, world, treatment_plan, partner)
    _first, second, third = plan.instalments.all()
    partner.repaid[plan.application_no] = {1}
    services.repayments_sync(plan=plan, today=second.due_date + timedelta(days=1))
    client = Client()
    client.force_login(world.clinic_a_front_desk)
    url = f"/console/clinic/{world.clinic_a.public_id}/instalments/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert page.status_code == 200
    assert world.parent.name in html and "1 / 3" in html  # one of three repaid
    assert f"{third.due_date:%Y-%m-%d}" in html  # the next one to fall due
    assert "1 期" in html and "逾期" in html
    overdue = client.get(url + "?status=overdue").content.decode()
    assert world.parent.name in overdue
    repaid_only = client.get(url + "?status=completed", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert world.parent.name not in repaid_only.content.decode()
    assert "没有符合条件的分期方案" in repaid_only.content.decode()
    assert client.get(url + "?status=" + "x" * 500).status_code == 200  # any filter is safe
    # Clinic B's desk does not see clinic A's plans; a doctor is not the desk.
    client.force_login(world.clinic_b_front_desk)
    assert client.get(url).status_code == 404
    client.force_login(world.clinic_a_doctor.user)
    assert client.get(url).status_code == 403
