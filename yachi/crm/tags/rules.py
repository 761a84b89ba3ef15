"""The computed tags and their reasons: pure code over plain data, no Django.

``compute(patients, clinics, definitions, today)`` takes what the platform knows of each
patient (visits, payments, unpaid bills, survey scores, complaints, a home district) as
dataclasses and returns, per patient, the tags that hold with a reason in Chinese saying
why (ADR 0050). Thresholds come from the managers' tag definitions; a definition that is
switched off yields nothing. Comparisons within a clinic (the top share by spend, the RFM
quintiles) are made among the patients whose *home clinic* it is: where they were seen
most, the latest visit breaking ties.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

# The kinds of tag, as managers see them.
VALUE, SENSITIVITY, RISK, MANUAL = "value", "sensitivity", "risk", "manual"

SEEN_STATUSES = frozenset({"arrived", "in_treatment", "completed"})
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Visit:
    clinic_id: int
    start: datetime
    status: str  # booking's status: completed, no_show, cancelled, …
    service_code: str = ""


@dataclass(frozen=True)
class Payment:
    """A paid bill: what was charged (``list_fen``), taken off by coupons and paid."""

    clinic_id: int
    paid_at: datetime
    list_fen: int
    discount_fen: int = 0
    refunded_fen: int = 0

    @property
    def kept_fen(self) -> int:
        return max(0, self.list_fen - self.discount_fen - self.refunded_fen)


@dataclass(frozen=True)
class Unpaid:
    clinic_id: int
    billed_at: datetime
    amount_fen: int


@dataclass(frozen=True)
class Score:
    clinic_id: int
    at: datetime
    score: int


@dataclass(frozen=True)
class Complaint:
    clinic_id: int
    at: datetime
    status: str  # open, in_progress, resolved


@dataclass
class PatientFacts:
    patient_id: int
    visits: list[Visit] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    unpaid: list[Unpaid] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    complaints: list[Complaint] = field(default_factory=list)
    district: str = ""  # from a delivery address, when one was given


@dataclass(frozen=True)
class ClinicFacts:
    clinic_id: int
    district: str = ""


@dataclass(frozen=True)
class Definition:
    code: str
    kind: str
    thresholds: dict
    active: bool = True


@dataclass(frozen=True)
class Tag:
    patient_id: int
    code: str
    clinic_id: int | None
    reason: str


# The computed tags and their default thresholds; a definition stored by a manager
# overrides them (``tags.services.definitions_ensure`` seeds these).
DEFAULTS: dict[str, tuple[str, dict]] = {
    "ltv_12m_top": (VALUE, {"min_yuan": 5000, "top_percent": 10}),
    "ltv_12m_high": (VALUE, {"min_yuan": 2000}),
    "ltv_all_top": (VALUE, {"min_yuan": 20000}),
    "rfm_champion": (VALUE, {"min_score": 4}),
    "rfm_at_risk": (VALUE, {"max_recency_score": 2, "min_score": 4}),
    "price_sensitive": (SENSITIVITY, {"discount_share_percent": 30, "coupon_only_min": 2}),
    "service_sensitive": (SENSITIVITY, {"low_score": 6, "months": 12}),
    "far_away": (SENSITIVITY, {}),
    "arrears": (RISK, {"days_overdue": 30}),
    "complaint_history": (RISK, {"min_complaints": 1}),
    "no_show_habit": (RISK, {"min_no_shows": 2, "min_rate_percent": 20, "months": 12}),
}


def yuan(fen: int) -> str:
    """¥8,460 — whole yuan, with thousands separators (¥8,460.50 when fen remain)."""
    whole, rest = divmod(int(fen), 100)
    return f"¥{whole:,}" if not rest else f"¥{whole:,}.{rest:02d}"


def home_clinic(facts: PatientFacts) -> int | None:
    counts: dict[int, int] = defaultdict(int)
    latest: dict[int, datetime] = {}
    for visit in facts.visits:
        if visit.status == "cancelled":
            continue
        counts[visit.clinic_id] += 1
        if visit.clinic_id not in latest or visit.start > latest[visit.clinic_id]:
            latest[visit.clinic_id] = visit.start
    if not counts:
        clinics = [p.clinic_id for p in facts.payments]
        return clinics[-1] if clinics else None
    return max(counts, key=lambda clinic: (counts[clinic], latest[clinic]))


def _quintiles(values: dict[int, float]) -> dict[int, int]:
    """1 to 5 by rank among the values (5 the highest); ties share the lower rank's score."""
    if not values:
        return {}
    ordered = sorted(values.values())
    size = len(ordered)
    scores = {}
    for key, value in values.items():
        below = _count_below(ordered, value)
        scores[key] = min(5, 1 + below * 5 // size)
    return scores


def _count_below(ordered: list[float], value: float) -> int:
    low, high = 0, len(ordered)
    while low < high:
        middle = (low + high) // 2
        if ordered[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


def _top_percent(rank: int, size: int) -> int:
    """The smallest round share (1, 5, 10, 20, … %) that holds a patient at this rank."""
    share = 100 * (rank + 1) / size
    for step in (1, 5, 10, 20, 30, 40, 50):
        if share <= step:
            return step
    return 100


_DISTRICT = re.compile(r"(?:省|市|自治区)?([\u4e00-\u9fff]{1,6}?(?:区|县|旗))")


def district_of(address: str) -> str:
    """The district (区/县) named in a Chinese address, "" when none is: "上海市徐汇区漕溪
    北路 1 号" → "徐汇区"."""
    text = (address or "").strip()
    for prefix in ("省", "自治区", "市"):
        if prefix in text[:12]:
            text = text[text.index(prefix) + len(prefix) :]
    found = _DISTRICT.search(text)
    return found.group(1) if found else ""


@dataclass
class _Figures:
    facts: PatientFacts
    home: int | None
    spend_12m: int = 0
    spend_all: int = 0
    visits_12m: int = 0
    last_seen: date | None = None


def compute(
    *,
    patients: list[PatientFacts],
    clinics: list[ClinicFacts],
    definitions: list[Definition],
    today: date,
) -> list[Tag]:
    """Every computed tag that holds, with its reason; at most one of each code per
    patient. A patient with no visit and no payment has no computed tag."""
    rules = {d.code: d for d in definitions if d.active and d.kind != MANUAL}
    districts = {c.clinic_id: c.district for c in clinics}
    year_ago = today - YEAR
    figures: list[_Figures] = []
    for facts in patients:
        home = home_clinic(facts)
        if home is None:
            continue
        figure = _Figures(facts=facts, home=home)
        for payment in facts.payments:
            kept = payment.kept_fen
            figure.spend_all += kept
            if payment.paid_at.date() > year_ago:
                figure.spend_12m += kept
        for visit in facts.visits:
            if visit.status in SEEN_STATUSES:
                day = visit.start.date()
                if day <= today and (figure.last_seen is None or day > figure.last_seen):
                    figure.last_seen = day
                if year_ago < day <= today:
                    figure.visits_12m += 1
        figures.append(figure)

    by_clinic: dict[int, list[_Figures]] = defaultdict(list)
    for figure in figures:
        by_clinic[figure.home].append(figure)

    tags: list[Tag] = []
    for members in by_clinic.values():
        tags += _value_tags(members, rules, today)
    for figure in figures:
        tags += _patient_tags(figure, rules, districts, today)
    return tags


def _value_tags(members: list[_Figures], rules: dict[str, Definition], today: date) -> list[Tag]:
    tags: list[Tag] = []
    spenders = sorted((m for m in members if m.spend_12m > 0), key=lambda m: -m.spend_12m)
    size = len(members)
    for rank, member in enumerate(spenders):
        patient, clinic = member.facts.patient_id, member.home
        top = _top_percent(rank, size)
        where = f"位于本店前 {top} %" if top < 100 else "本店有消费"
        rule = rules.get("ltv_12m_top")
        if (
            rule
            and member.spend_12m >= 100 * rule.thresholds.get("min_yuan", 0)
            and top <= rule.thresholds.get("top_percent", 100)
        ):
            reason = f"近 12 个月消费 {yuan(member.spend_12m)}，{where}"
            tags.append(Tag(patient, "ltv_12m_top", clinic, reason))
            continue
        rule = rules.get("ltv_12m_high")
        if rule and member.spend_12m >= 100 * rule.thresholds.get("min_yuan", 0):
            reason = (
                f"近 12 个月消费 {yuan(member.spend_12m)}（不低于 "
                f"{yuan(100 * rule.thresholds.get('min_yuan', 0))}），{where}"
            )
            tags.append(Tag(patient, "ltv_12m_high", clinic, reason))
    rule = rules.get("ltv_all_top")
    if rule:
        floor = 100 * rule.thresholds.get("min_yuan", 0)
        for member in members:
            if member.spend_all >= floor and member.spend_all > 0:
                reason = f"累计消费 {yuan(member.spend_all)}，不低于 {yuan(floor)}"
                tags.append(Tag(member.facts.patient_id, "ltv_all_top", member.home, reason))

    tags += _rfm_tags(members, rules, today)
    return tags


def _rfm_tags(members: list[_Figures], rules: dict[str, Definition], today: date) -> list[Tag]:
    champion, at_risk = rules.get("rfm_champion"), rules.get("rfm_at_risk")
    seen = [m for m in members if m.last_seen is not None]
    if not (champion or at_risk) or not seen:
        return []
    # Recency: fewer days since the last visit scores higher.
    recency = _quintiles({i: -(today - m.last_seen).days for i, m in enumerate(seen)})
    frequency = _quintiles({i: m.visits_12m for i, m in enumerate(seen)})
    monetary = _quintiles({i: m.spend_12m for i, m in enumerate(seen)})
    tags = []
    for i, member in enumerate(seen):
        r, f, m = recency[i], frequency[i], monetary[i]
        days = (today - member.last_seen).days
        detail = (
            f"RFM 评分 {r}-{f}-{m}（本店五分位）：最近到店 {days} 天前，"
            f"近 12 个月到店 {member.visits_12m} 次，消费 {yuan(member.spend_12m)}"
        )
        if champion and min(r, f, m) >= champion.thresholds.get("min_score", 4):
            tags.append(Tag(member.facts.patient_id, "rfm_champion", member.home, detail))
        elif (
            at_risk
            and r <= at_risk.thresholds.get("max_recency_score", 2)
            and max(f, m) >= at_risk.thresholds.get("min_score", 4)
        ):
            tags.append(Tag(member.facts.patient_id, "rfm_at_risk", member.home, detail))
    return tags


def _patient_tags(
    figure: _Figures,
    rules: dict[str, Definition],
    districts: dict[int, str],
    today: date,
) -> list[Tag]:
    facts, clinic = figure.facts, figure.home
    patient = facts.patient_id
    tags: list[Tag] = []

    rule = rules.get("price_sensitive")
    recent = [p for p in facts.payments if p.paid_at.date() > today - YEAR]
    if rule and recent:
        listed = sum(p.list_fen for p in recent)
        discounted = sum(p.discount_fen for p in recent)
        with_coupon = sum(1 for p in recent if p.discount_fen > 0)
        share = round(100 * discounted / listed) if listed else 0
        coupon_only = with_coupon == len(recent) and len(recent) >= rule.thresholds.get(
            "coupon_only_min", 2
        )
        if share >= rule.thresholds.get("discount_share_percent", 30) or coupon_only:
            reason = (
                f"近 12 个月 {len(recent)} 笔消费中 {with_coupon} 笔使用优惠券，"
                f"优惠占原价 {share} %"
            )
            if coupon_only:
                reason += "，只在有优惠时消费"
            tags.append(Tag(patient, "price_sensitive", clinic, reason))

    rule = rules.get("service_sensitive")
    if rule:
        since = today - timedelta(days=30 * rule.thresholds.get("months", 12))
        low = [
            s
            for s in facts.scores
            if s.at.date() > since and s.score <= rule.thresholds.get("low_score", 6)
        ]
        complaints = [c for c in facts.complaints if c.at.date() > since]
        if low or complaints:
            parts = []
            if complaints:
                parts.append(f"投诉 {len(complaints)} 次")
            if low:
                lowest = min(s.score for s in low)
                parts.append(f"满意度低分 {len(low)} 次（最低 {lowest} 分）")
            months = rule.thresholds.get("months", 12)
            tags.append(
                Tag(patient, "service_sensitive", clinic, f"近 {months} 个月" + "，".join(parts))
            )

    rule = rules.get("far_away")
    clinic_district = districts.get(clinic, "")
    if rule and facts.district and clinic_district and facts.district != clinic_district:
        reason = f"常用地址在{facts.district}，本店在{clinic_district}"
        tags.append(Tag(patient, "far_away", clinic, reason))

    rule = rules.get("arrears")
    if rule:
        allowed = rule.thresholds.get("days_overdue", 30)
        overdue = [u for u in facts.unpaid if (today - u.billed_at.date()).days > allowed]
        if overdue:
            total = sum(u.amount_fen for u in overdue)
            oldest = max((today - u.billed_at.date()).days for u in overdue)
            reason = f"{len(overdue)} 笔账单逾期未付，共 {yuan(total)}，最早的已 {oldest} 天"
            tags.append(Tag(patient, "arrears", clinic, reason))

    rule = rules.get("complaint_history")
    if rule and len(facts.complaints) >= max(1, rule.thresholds.get("min_complaints", 1)):
        last = max(facts.complaints, key=lambda c: c.at)
        state = {"open": "待处理", "in_progress": "处理中", "resolved": "已解决"}.get(
            last.status, last.status
        )
        reason = (
            f"共投诉 {len(facts.complaints)} 次，最近一次 {last.at.date().isoformat()}（{state}）"
        )
        tags.append(Tag(patient, "complaint_history", clinic, reason))

    rule = rules.get("no_show_habit")
    if rule:
        months = rule.thresholds.get("months", 12)
        since = today - timedelta(days=30 * months)
        booked = [
            v
            for v in facts.visits
            if since < v.start.date() <= today
            and (v.status in SEEN_STATUSES or v.status == "no_show")
        ]
        missed = sum(1 for v in booked if v.status == "no_show")
        rate = round(100 * missed / len(booked)) if booked else 0
        if missed >= rule.thresholds.get("min_no_shows", 2) and rate >= rule.thresholds.get(
            "min_rate_percent", 20
        ):
            reason = f"近 {months} 个月预约 {len(booked)} 次，爽约 {missed} 次（{rate} %）"
            tags.append(Tag(patient, "no_show_habit", clinic, reason))
    return tags
