"""The computed tags over plain data: each tag holds when a manager would expect it to,
and says why in words the front desk can read to the patient's file."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from yachi.crm.tags import rules
from yachi.crm.tags.rules import (
    ClinicFacts,
    Complaint,
    Definition,
    PatientFacts,
    Payment,
    Score,
    Unpaid,
    Visit,
    compute,
    district_of,
    yuan,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 1)
HOME = (ClinicFacts(1, "徐汇区"),)
CLINIC, OTHER = 1, 2


def at(days_ago: int) -> datetime:
    return datetime(2026, 12, 1, 10, tzinfo=SHANGHAI) - timedelta(days=days_ago)


def definitions(**changes) -> list[Definition]:
    found = []
    for code, (kind, thresholds) in rules.DEFAULTS.items():
        found.append(
            Definition(code=code, kind=kind, thresholds={**thresholds, **changes.get(code, {})})
        )
    return found


def spender(pk: int, fen: int, *, days_ago: int = 30, visits: int = 1) -> PatientFacts:
    return PatientFacts(
        patient_id=pk,
        visits=[Visit(CLINIC, at(days_ago + i), "completed", "cleaning") for i in range(visits)],
        payments=[Payment(CLINIC, at(days_ago), fen)],
    )


def tags_of(patients, *, clinics=HOME, **changes):
    found: dict[int, dict[str, str]] = {}
    for tag in compute(
        patients=list(patients),
        clinics=list(clinics),
        definitions=definitions(**changes),
        today=TODAY,
    ):
        found.setdefault(tag.patient_id, {})[tag.code] = tag.reason
    return found


def test_yuan_is_written_as_on_a_receipt():
    assert yuan(846000) == "¥8,460"
    assert yuan(12345) == "¥123.45"


def test_the_top_spender_of_the_clinic_is_told_with_the_amount_and_the_share():
    crowd = [spender(pk, 10000 + pk) for pk in range(2, 21)]
    tags = tags_of([spender(1, 846000), *crowd])
    assert tags[1]["ltv_12m_top"] == "近 12 个月消费 ¥8,460，位于本店前 5 %"
    assert "ltv_12m_top" not in tags.get(2, {})


def test_a_high_spender_below_the_top_share_gets_the_lower_tier():
    crowd = [spender(pk, 900000) for pk in range(1, 11)]
    tags = tags_of([*crowd, spender(99, 300000)])
    assert tags[99]["ltv_12m_high"].startswith("近 12 个月消费 ¥3,000（不低于 ¥2,000）")


def test_spending_older_than_a_year_counts_all_time_only():
    old = spender(1, 2500000, days_ago=500)
    tags = tags_of([old])
    assert "ltv_12m_top" not in tags[1] and "ltv_12m_high" not in tags[1]
    assert tags[1]["ltv_all_top"] == "累计消费 ¥25,000，不低于 ¥20,000"


def test_thresholds_come_from_the_managers_definition():
    tags = tags_of([spender(1, 150000)], ltv_12m_high={"min_yuan": 1000})
    assert "ltv_12m_high" in tags[1]
    assert "ltv_12m_high" not in tags_of([spender(1, 150000)]).get(1, {})


def test_a_switched_off_definition_yields_nothing():
    switched_off = [
        Definition(code=d.code, kind=d.kind, thresholds=d.thresholds, active=False)
        for d in definitions()
    ]
    assert (
        compute(patients=[spender(1, 900000)], clinics=[], definitions=switched_off, today=TODAY)
        == []
    )


def test_rfm_scores_are_quintiles_within_the_clinic():
    loyal = spender(1, 500000, days_ago=5, visits=6)
    lapsed = spender(2, 400000, days_ago=300, visits=5)
    others = [spender(pk, 20000, days_ago=100, visits=1) for pk in range(3, 11)]
    tags = tags_of([loyal, lapsed, *others])
    assert tags[1]["rfm_champion"].startswith("RFM 评分 5-5-5（本店五分位）：最近到店 5 天前")
    assert "rfm_at_risk" in tags[2] and "最近到店 300 天前" in tags[2]["rfm_at_risk"]


def test_price_sensitivity_from_the_share_of_discounts_and_coupon_only_purchases():
    person = PatientFacts(
        patient_id=1,
        visits=[Visit(CLINIC, at(10), "completed")],
        payments=[Payment(CLINIC, at(10), 10000, 3000), Payment(CLINIC, at(40), 10000, 3000)],
    )
    reason = tags_of([person])[1]["price_sensitive"]
    assert reason == "近 12 个月 2 笔消费中 2 笔使用优惠券，优惠占原价 30 %，只在有优惠时消费"
    full_price = spender(2, 10000)
    assert "price_sensitive" not in tags_of([full_price]).get(2, {})


def test_service_sensitivity_and_complaint_history_from_scores_and_complaints():
    person = spender(1, 10000)
    person.scores = [Score(CLINIC, at(20), 4), Score(CLINIC, at(60), 9)]
    person.complaints = [Complaint(CLINIC, at(20), "resolved")]
    tags = tags_of([person])
    assert tags[1]["service_sensitive"] == "近 12 个月投诉 1 次，满意度低分 1 次（最低 4 分）"
    assert tags[1]["complaint_history"] == "共投诉 1 次，最近一次 2026-11-11（已解决）"


def test_distance_only_when_an_address_names_another_district():
    far = spender(1, 10000)
    far.district = "浦东新区"
    near = spender(2, 10000)
    near.district = "徐汇区"
    unknown = spender(3, 10000)
    tags = tags_of([far, near, unknown])
    assert tags[1]["far_away"] == "常用地址在浦东新区，本店在徐汇区"
    assert "far_away" not in tags.get(2, {}) and "far_away" not in tags.get(3, {})


def test_district_of_a_chinese_address():
    assert district_of("上海市徐汇区漕溪北路 1 号") == "徐汇区"
    assert district_of("广东省深圳市南山区科技园") == "南山区"
    assert district_of("门口取货") == ""


def test_arrears_are_unpaid_bills_past_the_days_allowed():
    person = spender(1, 10000)
    person.unpaid = [Unpaid(CLINIC, at(45), 120000), Unpaid(CLINIC, at(3), 5000)]
    assert tags_of([person])[1]["arrears"] == "1 笔账单逾期未付，共 ¥1,200，最早的已 45 天"
    person.unpaid = [Unpaid(CLINIC, at(3), 5000)]
    assert "arrears" not in tags_of([person]).get(1, {})


def test_a_no_show_habit_needs_both_a_count_and_a_rate():
    person = PatientFacts(
        patient_id=1,
        visits=[
            Visit(CLINIC, at(10), "no_show"),
            Visit(CLINIC, at(50), "no_show"),
            Visit(CLINIC, at(90), "completed"),
            Visit(CLINIC, at(120), "cancelled"),
        ],
    )
    assert tags_of([person])[1]["no_show_habit"] == "近 12 个月预约 3 次，爽约 2 次（67 %）"
    person.visits = person.visits[1:]
    assert "no_show_habit" not in tags_of([person]).get(1, {})


def test_the_home_clinic_is_where_the_patient_was_seen_most():
    person = PatientFacts(
        patient_id=1,
        visits=[
            Visit(OTHER, at(5), "completed"),
            Visit(CLINIC, at(50), "completed"),
            Visit(CLINIC, at(80), "completed"),
        ],
    )
    assert rules.home_clinic(person) == CLINIC


def test_someone_never_seen_and_never_billed_has_no_tag():
    assert (
        compute(
            patients=[PatientFacts(patient_id=1)],
            clinics=[],
            definitions=definitions(),
            today=TODAY,
        )
        == []
    )


def test_five_thousand_patients_are_tagged_in_well_under_a_second():
    import time

    crowd = [
        spender(pk, 1000 * (pk % 97), days_ago=pk % 300, visits=1 + pk % 4) for pk in range(5000)
    ]
    started = time.process_time()
    compute(
        patients=crowd,
        clinics=[ClinicFacts(CLINIC, "徐汇区")],
        definitions=definitions(),
        today=TODAY,
    )
    assert time.process_time() - started < 2
