"""Builds the demo chain: two Shanghai clinics, ten doctors, 2,000 patient accounts with
their families (over 4,000 patients) and a year of visits, leave and money, so every
screen has real data.

The year is planned first as plain data (yachi.demo.plan: deterministic for a seed) and
then written in bulk, in one transaction; the database's own guards against double
booking still check every row, and encrypted fields are encrypted by their own code.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from yachi.accounts.models import User
from yachi.booking.models import Appointment
from yachi.clinics.calendar import calendar_seed
from yachi.clinics.choices import DayKind, DoctorTitle, Skill
from yachi.clinics.models import (
    CalendarDay,
    Chain,
    ChainAssignment,
    Chair,
    Clinic,
    Doctor,
    DoctorSkill,
    OpeningHours,
    Service,
    StaffMembership,
)
from yachi.compliance.envelope import current_data_key_id
from yachi.core.progress import Progress
from yachi.core.roles import ChainRole, ClinicRole, Role
from yachi.demo.activity import build_activity
from yachi.demo.avatars import illustrated_portrait
from yachi.demo.bills import build_bills, build_history_bills, build_visit_bills
from yachi.demo.chat import build_chat
from yachi.demo.content import build_content
from yachi.demo.crm import build_crm
from yachi.demo.crm_campaigns import build_crm_campaigns
from yachi.demo.groupbuys import build_group_buys_and_challenges
from yachi.demo.growth import build_growth, build_history_growth
from yachi.demo.mall import PRODUCTS, build_history_orders, build_mall, build_orders
from yachi.demo.noshow import build_no_show
from yachi.demo.plan import (
    HISTORY_DAYS,
    ClinicSpec,
    DoctorSpec,
    Plan,
    ServiceSpec,
    SkuSpec,
    make_plan,
    school_holidays,
)
from yachi.demo.queues import build_queues
from yachi.demo.referrals import build_referrals
from yachi.demo.statements import build_simulator_day
from yachi.demo.video import build_video_consultations
from yachi.demo.writing import bulk, insert_rows
from yachi.patients.models import FamilyAccount, Patient, SearchToken
from yachi.patients.search import digests_of
from yachi.rostering.choices import ExceptionKind, ShiftKind
from yachi.rostering.models import SchoolHoliday, ShiftException, WeeklyShift

STAFF_PASSWORD = "Yachi@2026"
# Managers and the administrator must use a second factor; in the demo they share this
# authenticator key (printed by `yachi demo`) so that anyone can add it to an app.
DEMO_TOTP_SECRET = "YACHIDEMOTWOSTEPLOGINKEYFORSTAFF"
# Patient accounts (13800000001 onwards), each with its family.
PATIENT_COUNT = 2000
ZONE = ZoneInfo("Asia/Shanghai")

SERVICES = [
    # code, name, English name, minutes, price in yuan, skill
    ("cleaning", "洁牙", "Scaling and polishing", 30, 198, Skill.GENERAL),
    ("filling", "补牙", "Filling", 45, 380, Skill.GENERAL),
    ("root_canal", "根管治疗", "Root canal treatment", 60, 1200, Skill.ENDODONTICS),
    ("wisdom_tooth_extraction", "拔智齿", "Wisdom-tooth extraction", 60, 800, Skill.ORAL_SURGERY),
    ("implant_consultation", "种植咨询", "Implant consultation", 30, 0, Skill.IMPLANT),
    ("orthodontic_consultation", "正畸咨询", "Orthodontic consultation", 30, 0, Skill.ORTHODONTICS),
    ("fluoride_varnish", "儿童涂氟", "Fluoride varnish for children", 20, 150, Skill.PAEDIATRIC),
    ("sealant", "窝沟封闭", "Fissure sealants for children", 30, 200, Skill.PAEDIATRIC),
    ("emergency", "急诊", "Emergency visit", 30, 100, Skill.EMERGENCY),
]
# Booked online, these hold their time until a deposit (yuan) is paid.
DEPOSITS = {"root_canal": 200, "wisdom_tooth_extraction": 100}

# Who is on call for emergencies outside clinic hours (night and early morning), by
# weekday: with the clinic hours, an emergency doctor is on duty around the clock.
ON_CALL = {
    0: {"张伟": (0, 2, 4, 6), "陈晨": (1, 3, 5)},
    1: {"杨帆": (0, 2, 4, 6), "黄磊": (1, 3, 5)},
}
NIGHT = (time(0), time(9))
EVENING = (time(18), time.max)

CLINICS = [
    {
        "name": "牙齿口腔·静安店",
        "name_en": "Yachi Dental Jing'an",
        "address": "上海市静安区南京西路 1266 号恒隆广场 5 楼",
        "phone": "021-62880001",
        "latitude": "31.228000",
        "longitude": "121.452000",
        "chairs": 5,
    },
    {
        "name": "牙齿口腔·徐汇店",
        "name_en": "Yachi Dental Xuhui",
        "address": "上海市徐汇区漕溪北路 88 号圣爱大厦 3 楼",
        "phone": "021-64880002",
        "latitude": "31.192000",
        "longitude": "121.437000",
        "chairs": 4,
    },
]

MORNING = (time(9), time(12))
AFTERNOON = (time(13), time(18))
LATE = (time(13), time(19))

# name, title, skills, {clinic index: weekdays}, afternoon span
DOCTORS = [
    (
        "王建华",
        DoctorTitle.CHIEF,
        [Skill.GENERAL, Skill.IMPLANT, Skill.ORAL_SURGERY],
        {0: [0, 1, 2, 3, 4], 1: [5]},
        AFTERNOON,
    ),
    (
        "李静",
        DoctorTitle.ASSOCIATE_CHIEF,
        [Skill.GENERAL, Skill.ORTHODONTICS],
        {0: [1, 2, 3, 5, 6]},
        LATE,
    ),
    (
        "张伟",
        DoctorTitle.ATTENDING,
        [Skill.GENERAL, Skill.ENDODONTICS, Skill.EMERGENCY],
        {0: [0, 2, 4, 5, 6]},
        AFTERNOON,
    ),
    (
        "刘洋",
        DoctorTitle.ATTENDING,
        [Skill.GENERAL, Skill.PAEDIATRIC],
        {0: [0, 1, 3, 5, 6]},
        AFTERNOON,
    ),
    (
        "陈晨",
        DoctorTitle.RESIDENT,
        [Skill.GENERAL, Skill.PERIODONTICS, Skill.EMERGENCY],
        {0: [1, 3, 4, 5, 6]},
        LATE,
    ),
    (
        "杨帆",
        DoctorTitle.ASSOCIATE_CHIEF,
        [Skill.GENERAL, Skill.ENDODONTICS, Skill.EMERGENCY],
        {1: [0, 1, 2, 3, 6]},
        AFTERNOON,
    ),
    (
        "赵敏",
        DoctorTitle.ATTENDING,
        [Skill.GENERAL, Skill.PAEDIATRIC, Skill.ORTHODONTICS],
        {1: [0, 2, 4, 5, 6]},
        LATE,
    ),
    (
        "黄磊",
        DoctorTitle.ATTENDING,
        [Skill.GENERAL, Skill.ORAL_SURGERY, Skill.EMERGENCY],
        {1: [1, 2, 4, 5, 6]},
        AFTERNOON,
    ),
    (
        "周婷",
        DoctorTitle.RESIDENT,
        [Skill.GENERAL, Skill.PERIODONTICS],
        {1: [0, 1, 3, 4, 5]},
        AFTERNOON,
    ),
    (
        "吴昊",
        DoctorTitle.CHIEF,
        [Skill.GENERAL, Skill.IMPLANT, Skill.ENDODONTICS],
        {0: [6], 1: [0, 2, 3, 4]},
        LATE,
    ),
]

# The year each demo doctor began to practise, whether the illustration has long hair,
# and the introduction patients read. The demo's doctors are invented, and their
# pictures are illustrations (marked 示意图 in the app).
PROFILES = {
    "王建华": (
        1998,
        False,
        "从事口腔临床工作二十余年，专注种植修复与复杂拔牙。"
        "重视术前评估与沟通，会把每一步治疗讲清楚再开始。",
    ),
    "李静": (
        2006,
        True,
        "擅长青少年及成人正畸、隐形矫正。"
        "相信好的矫正从细致的检查和可行的计划开始，复诊时会耐心解答每个问题。",
    ),
    "张伟": (
        2011,
        False,
        "主攻根管治疗与急性牙痛处理，熟悉显微根管技术。急诊时先止痛、再讲清后续方案。",
    ),
    "刘洋": (
        2013,
        True,
        "专注儿童口腔，擅长涂氟、窝沟封闭与乳牙治疗。用孩子听得懂的话讲解，帮小朋友不怕看牙。",
    ),
    "陈晨": (
        2019,
        True,
        "关注牙周健康，擅长洁牙、牙周基础治疗与口腔卫生指导，也参与急诊接诊。",
    ),
    "杨帆": (
        2008,
        False,
        "擅长根管治疗与牙体修复，对疑难根管再治疗有丰富经验。"
        "治疗前会用影像资料和患者一起看清问题。",
    ),
    "赵敏": (
        2012,
        True,
        "擅长儿童早期矫治与儿童牙病防治，关注孩子的换牙期，帮助家长把握干预时机。",
    ),
    "黄磊": (
        2010,
        False,
        "擅长智齿拔除及口腔外科小手术，操作轻柔，术后会交代清楚注意事项与复诊时间。",
    ),
    "周婷": (
        2020,
        True,
        "专注牙周治疗与洁牙，耐心细致，擅长为初次洁牙或牙龈敏感的患者制定舒适的治疗节奏。",
    ),
    "吴昊": (
        1996,
        False,
        "种植与根管治疗方向主任医师，长期从事种植修复与牙体牙髓病诊疗，注重长期效果与定期维护。",
    ),
}

# Front desk and managers from 13700000001, each with a role per clinic (朱强 manages 静安
# and helps at 徐汇's front desk), a regional manager over both clinics, and the chain's
# administrator: (phone, name, {clinic index: role}, chain role).
STAFF = [
    ("13700000001", "孙悦", {0: ClinicRole.FRONT_DESK}, None),
    ("13700000002", "马丽", {1: ClinicRole.FRONT_DESK}, None),
    ("13700000003", "朱强", {0: ClinicRole.MANAGER, 1: ClinicRole.FRONT_DESK}, None),
    ("13700000004", "胡敏", {1: ClinicRole.MANAGER}, None),
    ("13700000006", "林峰", {}, ChainRole.REGIONAL_MANAGER),
    ("13700000005", "郭涛", {}, Role.ADMIN),
]


@dataclass
class DemoSummary:
    clinics: int
    doctors: int
    patients: int
    family_members: int
    appointments: int


def demo_exists() -> bool:
    return Chain.objects.exists()


def demo_plan(*, seed: int = 2026, now: datetime | None = None, families: int = PATIENT_COUNT):
    """The demo's year for these clinics, doctors, services and products, as data."""
    return make_plan(
        seed=seed,
        now=now or timezone.now(),
        families=families,
        clinics=[
            # The flagship opens on public holidays; the others close.
            ClinicSpec(chairs=spec["chairs"], open_on_holidays=index == 0)
            for index, spec in enumerate(CLINICS)
        ],
        doctors=[
            DoctorSpec(
                name=name,
                skills=tuple(str(s) for s in skills),
                schedule={c: tuple(days) for c, days in schedule.items()},
                spans=(MORNING, afternoon),
            )
            for name, _title, skills, schedule, afternoon in DOCTORS
        ],
        services=[
            ServiceSpec(code, name, minutes, price * 100, DEPOSITS.get(code, 0) * 100, str(skill))
            for code, name, _en, minutes, price, skill in SERVICES
        ],
        skus=[
            SkuSpec(code, f"{name} {variant}", round(price * 100))
            for name, _en, _category, _description, variants in PRODUCTS
            for code, variant, price in variants
        ],
    )


# One line each, and a step of the progress bar.
STEPS = 31


def build_demo(
    *,
    seed: int = 2026,
    now: datetime | None = None,
    families: int = PATIENT_COUNT,
    log=print,
    out=None,
) -> DemoSummary:
    """The whole demo chain; ``families`` patient accounts (fewer make a quick chain for
    tests). ``out``, a terminal, shows a progress bar; otherwise each step is logged."""
    # The data key is created and committed first: one created inside the demo's single
    # transaction could not be cached, and every value would unwrap it again.
    current_data_key_id()
    progress = Progress(STEPS, out=out, log=log)
    try:
        with transaction.atomic():
            return _build(
                seed=seed, now=now or timezone.now(), families=families, progress=progress
            )
    finally:
        progress.finish()


def _build(*, seed: int, now: datetime, families: int, progress: Progress) -> DemoSummary:
    rng = random.Random(seed)
    password = make_password(STAFF_PASSWORD)
    progress.start("clinics")

    chain = Chain.objects.create(name="牙齿口腔", name_en="Yachi Dental")
    clinics, chairs, services = [], {}, {}
    for spec in CLINICS:
        clinic = Clinic.objects.create(
            chain=chain,
            **{k: v for k, v in spec.items() if k != "chairs"},
        )
        clinics.append(clinic)
        OpeningHours.objects.bulk_create(
            OpeningHours(clinic=clinic, weekday=d, opens=time(9), closes=time(19)) for d in range(7)
        )
        calendar_seed(clinic=clinic)
        if len(clinics) == 1:
            # The flagship opens on public holidays; the others close.
            CalendarDay.objects.filter(clinic=clinic, kind=DayKind.CLOSED).delete()
        # The schools' winter and summer holidays, which bring the children (and the
        # paediatric demand forecast follows them).
        today = now.astimezone(ZONE).date()
        SchoolHoliday.objects.bulk_create(
            SchoolHoliday(
                clinic=clinic,
                name="寒假" if first.month < 6 else "暑假",
                first_day=first,
                last_day=last,
            )
            for first, last in school_holidays(
                today - timedelta(days=HISTORY_DAYS), today + timedelta(days=365)
            )
        )
        chairs[clinic.pk] = [
            Chair.objects.create(clinic=clinic, name=f"{n}号牙椅")
            for n in range(1, spec["chairs"] + 1)
        ]
        services[clinic.pk] = [
            Service.objects.create(
                clinic=clinic,
                code=code,
                name=name,
                name_en=name_en,
                duration_minutes=minutes,
                price_fen=price * 100,
                deposit_fen=DEPOSITS.get(code, 0) * 100,
                required_skill=skill,
            )
            for code, name, name_en, minutes, price, skill in SERVICES
        ]
    progress.advance(f"  {len(clinics)} clinics with chairs, opening hours and services")
    progress.start("doctors")

    doctors = []
    for index, (name, title, skills, schedule, afternoon) in enumerate(DOCTORS, start=1):
        user = User.objects.create(
            phone=f"139{index:08d}",
            name=name,
            role=Role.STAFF,
            password=password,
            password_changed_at=timezone.now(),
        )
        since, long_hair, introduction = PROFILES[name]
        doctor = Doctor(
            user=user,
            name=name,
            title=title,
            practising_since=since,
            bio=introduction,
            photo_content_type="image/png",
            photo_is_illustration=True,
        )
        doctor.photo.save(
            f"{uuid.uuid4().hex}.png",
            ContentFile(illustrated_portrait(index - 1, long_hair=long_hair)),
            save=False,
        )
        doctor.save()
        DoctorSkill.objects.bulk_create(DoctorSkill(doctor=doctor, skill=s) for s in skills)
        for clinic_index, weekdays in schedule.items():
            doctor.clinics.add(clinics[clinic_index])
            WeeklyShift.objects.bulk_create(
                WeeklyShift(
                    doctor=doctor,
                    clinic=clinics[clinic_index],
                    weekday=d,
                    start_time=span[0],
                    end_time=span[1],
                )
                for d in weekdays
                for span in (MORNING, afternoon)
            )
        for clinic_index, rota in ON_CALL.items():
            if name in rota:
                WeeklyShift.objects.bulk_create(
                    WeeklyShift(
                        doctor=doctor,
                        clinic=clinics[clinic_index],
                        weekday=d,
                        start_time=span[0],
                        end_time=span[1],
                        kind=ShiftKind.ON_CALL,
                    )
                    for d in rota[name]
                    for span in (NIGHT, EVENING)
                )
        doctors.append((doctor, skills, schedule, afternoon))
    desks = {}
    for phone, name, roles, wide in STAFF:
        user = User.objects.create(
            phone=phone,
            name=name,
            role=Role.ADMIN if wide == Role.ADMIN else Role.STAFF,
            password=password,
            password_changed_at=timezone.now(),
            is_superuser=wide == Role.ADMIN,
        )
        # Whoever manages something logs in with the second factor.
        if wide or ClinicRole.MANAGER in roles.values():
            user.totp_secret, user.totp_confirmed_at = DEMO_TOTP_SECRET, timezone.now()
            user.save(update_fields=["totp_secret", "totp_confirmed_at"])
        for clinic_index, role in roles.items():
            StaffMembership.objects.create(user=user, clinic=clinics[clinic_index], role=role)
            if role == ClinicRole.FRONT_DESK:
                desks.setdefault(clinic_index, user)
        if wide == ChainRole.REGIONAL_MANAGER:
            region = ChainAssignment.objects.create(user=user, chain=chain, role=wide)
            region.clinics.set(clinics)
    progress.advance(f"  {len(doctors)} doctors and {len(STAFF)} staff")
    progress.start("mall")
    administrator = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    products = build_mall(rng=rng, clinics=clinics, manager=administrator)
    progress.advance(
        f"  {products} care products with pictures in the mall, stocked at every clinic"
    )

    progress.start("planning the year")
    plan = demo_plan(seed=seed, now=now, families=families)
    progress.advance(
        f"  a year planned: {len(plan.visits)} visits, {len(plan.leave)} days of leave, "
        f"{len(plan.orders)} mall orders"
    )
    progress.start("patients")
    people = _patients(plan)
    progress.advance(f"  {families} patient accounts, {len(people) - families} family members")
    progress.start("leave")
    leave = _leave(plan, [d for d, *_ in doctors])
    progress.advance(f"  {leave} days of doctors' leave (年假, 病假, 外出培训)")
    progress.start("appointments")
    visits = _appointments(plan, clinics, chairs, services, [d for d, *_ in doctors], people)
    progress.advance(f"  {len(visits)} appointments over the past 12 months and the coming 2 weeks")
    consultations = build_video_consultations(
        clinics=clinics, first_patient_user=people[plan.families[0].members[0]].account.owner
    )
    progress.advance(
        f"  正畸复诊咨询 by video at every clinic; {consultations} booked for the first patient"
    )
    _flash_sale(clinics[0])
    progress.advance(
        "  a flash sale at the first clinic: 儿童涂氟 9.9 元, 100 places, 1 per person"
    )
    progress.start("consents, notes and audit trail")
    entries = build_activity(
        rng=rng,
        today=plan.today,
        consent_version=settings.YACHI_CONSENT_VERSION,
        plan=plan,
        appointments=visits,
    )
    progress.advance(
        f"  consents, clinical notes and {entries} audit entries of staff and patient activity"
    )
    progress.start("coupons")
    coupons = build_growth(rng=rng)
    progress.advance(f"  coupon templates, {coupons} coupons and points for the first ten patients")
    progress.start("group-buys and check-in challenges")
    activities = build_group_buys_and_challenges(clinic=clinics[0], rng=rng)
    progress.advance(
        f"  3 人成团种植牙 with {activities.groups} groups ({activities.members} members, one "
        f"confirmed), 连续 7 天刷牙打卡 with {activities.check_ins} check-ins, "
        f"{activities.rewarded} rewarded"
    )
    progress.start("a year of bills")
    owners = [people[family.members[0]].account.owner for family in plan.families]
    money = build_history_bills(plan=plan, clinics=clinics, visits=visits, owners=owners)
    progress.advance(
        f"  {money.bills} paid bills of completed visits, {money.deposits} deposits, "
        f"{money.refunds} refunds"
    )
    progress.start("open bills")
    bills = build_bills(clinic=clinics[0])
    progress.advance(f"  {bills} open treatment bills (洁牙) to pay in the app or at the desk")
    progress.start("recent bills")
    visit_bills = build_visit_bills(rng=rng)
    progress.advance(
        f"  {visit_bills} bills of recent visits of the first ten families, paid, with receipts"
    )
    progress.start("mall orders")
    orders = build_orders(clinic=clinics[0])
    history_orders = build_history_orders(plan=plan, clinics=clinics, owners=owners)
    progress.advance(
        f"  {orders} paid mall pick-up orders with their pick-up codes (first patient), "
        f"{history_orders} orders of other families over the year"
    )
    progress.start("coupons and points")
    grown = build_history_growth(plan=plan, owners=owners)
    progress.advance(
        f"  {grown.coupons} coupons and {grown.points} points entries across "
        f"{grown.families} families"
    )
    progress.start("referrals")
    referred = build_referrals(now=now)
    progress.advance(
        f"  an invitation campaign, {referred.referrals} referrals in chains of two levels, "
        f"{referred.paid} rewards paid, {referred.held} held for fraud review"
    )
    progress.start("articles, case contest and channels")
    content = build_content(plan=plan, owners=owners, manager=administrator, rng=rng)
    progress.advance(
        f"  {content.articles} articles, a case contest with {content.entries} entries, "
        f"{content.touches} tracked-link touches, {content.signups} attributed sign-ups "
        f"({content.conversions} conversions) and 12 months of channel spend"
    )
    progress.start("yesterday's statement")
    online = build_simulator_day(clinic=clinics[0], today=plan.today, zone=ZONE)
    progress.advance(
        f"  {online} app payments yesterday and the simulator's statement, one trade not ours"
    )
    progress.start("today's queues")
    tickets = build_queues(clinics_list=clinics[:2], desks=[desks[0], desks[1]], now=now)
    progress.advance(
        f"  {tickets} queue tickets today at the first two clinics: finished, in the chair, "
        "called and waiting"
    )
    progress.start("no-show risk")
    noshow = build_no_show(clinics=clinics, manager=administrator, now=now)
    progress.advance(
        f"  {noshow.models} no-show models (backtest AUC {_auc(noshow.auc)}, the patients' "
        f"past rate {_auc(noshow.baseline_auc)}), {noshow.scored} upcoming appointments scored"
    )
    progress.start("patient chat")
    conversations = build_chat(clinics=clinics, owners=owners)
    progress.advance(
        f"  {conversations} conversations at the first clinic (waiting, being answered, closed) "
        "and quick replies at every clinic"
    )
    progress.start("satisfaction and patient tags")
    crm = build_crm(now=now, rng=rng, people=people, desk=desks[0])
    progress.advance(
        f"  {crm.surveys} satisfaction surveys after recent visits, {crm.complaints} complaint "
        f"cases from the low scores, {crm.tags} computed patient tags with their reasons "
        f"({crm.far_away} living far away, {crm.arrears} with bills unpaid past due)"
    )
    progress.start("segments, a campaign and the playbook")
    outreach = build_crm_campaigns(
        clinics=clinics,
        manager=User.objects.by_phone("13700000003").get(),
        owners=owners,
        now=now,
    )
    progress.advance(
        f"  {outreach.segments} saved segments, a campaign to {outreach.recipients} patients, "
        f"{outreach.runs} playbook runs over the year: {outreach.reached} reached, "
        f"{outreach.held_out} held out"
    )
    progress.start("roster proposal")
    from yachi.demo.rosters import build_rosters

    options = build_rosters(clinics=clinics, doctors=doctors, now=now, zone=ZONE)
    progress.advance(
        f"  doctors' roster preferences and a proposal for next week at {clinics[0].name}: "
        f"{options} options"
    )
    progress.start("tooth charts and treatment plans")
    from yachi.demo.clinical import build_clinical

    charted = build_clinical(clinics=clinics, rng=rng)
    progress.advance(
        f"  {charted.charts} tooth charts ({charted.entries} findings), {charted.plans} treatment "
        f"plans (fillings, implants, aligners): {charted.accepted} accepted, "
        f"{charted.in_progress} under way"
    )
    progress.start("instalment plans")
    from yachi.demo.financing import build_financing

    financed = build_financing(now=now)
    progress.advance(
        f"  {financed.plans} instalment plans for implant and aligner treatment: "
        f"{financed.repaying} being repaid ({financed.overdue} instalments overdue), one waiting "
        "for the partner, one quote to agree to in the app"
    )
    progress.start("X-rays")
    from yachi.demo.xrays import build_xrays

    xrays = build_xrays(clinic=clinics[0], visits=visits, now=now, zone=ZONE)
    progress.advance(
        f"  {xrays.studies} synthetic X-ray studies ({xrays.images} images, bitewings on two "
        f"dates, panoramics, a cone-beam CT series) for {xrays.patients} patients at "
        f"{clinics[0].name}, {xrays.unmatched} waiting in its unmatched queue; "
        f"{xrays.marks} caries marks by the demonstration model, {xrays.reviewed} decisions "
        "by the doctors"
    )
    progress.start("3D scans")
    from yachi.demo.scans import build_scans

    scanned = build_scans(clinic=clinics[0], visits=visits, now=now)
    progress.advance(
        f"  {scanned.scans} synthetic intraoral scans for {scanned.patients} patients at "
        f"{clinics[0].name}, {scanned.setups} aligner setup with its staging preview"
    )
    progress.start("medical insurance and claims")
    from yachi.demo.insurance import build_insurance
    from yachi.imaging.models import Study

    with_xrays = [
        study.patient
        for study in Study.objects.filter(clinic=clinics[0], patient__isnull=False)
        .select_related("patient__account__owner")
        .order_by("pk")[:1]
    ]
    insured = build_insurance(clinic=clinics[0], patients_with_xrays=with_xrays)
    progress.advance(
        f"  {insured.mapped} treatments mapped to the national insurance catalogue "
        f"({insured.unmapped} left unmapped), {insured.settled} bills settled with medical "
        f"insurance ({insured.reversed} reversed), {insured.claims} accident claim approved"
    )
    return DemoSummary(len(clinics), len(doctors), families, len(people) - families, len(visits))


def _auc(value) -> str:
    return "—" if value is None else f"{value:.3f}"


def _flash_sale(clinic) -> None:
    """Always on: started yesterday, ending in ten years. A treatment's sale: paying
    issues a service voucher (我的 → 我的服务券) that books the clinic's 儿童涂氟, and the
    crossed-out price is that service's own."""
    from yachi.shop.flash.services import flash_sale_create

    now = timezone.now()
    fluoride = Service.objects.get(clinic=clinic, code="fluoride_varnish")
    flash_sale_create(
        clinic=clinic,
        title="儿童涂氟 9.9 元",
        description="3–12 岁儿童涂氟一次，预防龋齿。付款后在「我的服务券」中预约到店时间。",
        service=fluoride,
        voucher_valid_days=90,
        price_fen=990,
        original_price_fen=fluoride.price_fen,
        places=100,
        per_person_limit=1,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=3650),
        payment_window_minutes=15,
    )


def _patients(plan: Plan) -> list[Patient]:
    """Accounts, families and patients of the plan, in its order."""
    unusable = make_password(None)
    owners = {p.family: p for p in plan.people if p.seat == 0}
    users = bulk(
        User,
        [
            User(
                phone=family.phone,
                name=owners[family.index].name,
                role=Role.PATIENT,
                password=unusable,
                date_joined=family.joined,
            )
            for family in plan.families
        ],
    )
    accounts = bulk(
        FamilyAccount,
        [
            FamilyAccount(
                owner=user,
                acquisition=family.acquisition,
                created_at=family.joined,
                updated_at=family.joined,
            )
            for user, family in zip(users, plan.families, strict=True)
        ],
    )
    people = bulk(
        Patient,
        [
            Patient(
                account=accounts[person.family],
                seat=person.seat,
                relationship=person.relationship,
                name=person.name,
                phone=plan.families[person.family].phone if person.seat == 0 else "",
                gender=person.gender,
                birth_date=person.birth_date,
                created_at=plan.families[person.family].joined,
                updated_at=plan.families[person.family].joined,
            )
            for person in plan.people
        ],
    )
    # Found at the front desk by part of a name, pinyin or a number's last four digits:
    # the tokens search_tokens_write would write, for people who have none yet.
    insert_rows(
        SearchToken,
        ["patient", "digest"],
        (
            (person.pk, digest)
            for person in people
            for digest in digests_of(name=person.name, phone=person.phone)
        ),
    )
    return people


def _leave(plan: Plan, doctors: list[Doctor]) -> int:
    rows = ShiftException.objects.bulk_create(
        ShiftException(
            doctor=doctors[row.doctor], date=row.day, kind=ExceptionKind.LEAVE, note=row.note
        )
        for row in plan.leave
    )
    return len(rows)


def _appointments(plan: Plan, clinics, chairs, services, doctors, people) -> list[Appointment]:
    """The plan's visits; returned in the plan's order, with their keys."""
    by_code = {c.pk: {s.code: s for s in services[c.pk]} for c in clinics}
    rows = []
    for visit in plan.visits:
        clinic = clinics[visit.clinic]
        service = by_code[clinic.pk][visit.service]
        touched = [
            t
            for t in (
                visit.booked_at,
                visit.cancelled_at,
                visit.arrived_at,
                visit.treatment_started_at,
                visit.completed_at,
                visit.no_show_at,
            )
            if t is not None
        ]
        rows.append(
            Appointment(
                public_id=visit.public_id,
                clinic=clinic,
                doctor=doctors[visit.doctor],
                chair=chairs[clinic.pk][visit.chair],
                service=service,
                patient=people[visit.person],
                channel=visit.channel,
                start=visit.start,
                end=visit.end,
                status=visit.status,
                price_fen=service.price_fen,
                deposit_fen=visit.deposit.amount_fen if visit.deposit is not None else 0,
                arrived_at=visit.arrived_at,
                treatment_started_at=visit.treatment_started_at,
                completed_at=visit.completed_at,
                no_show_at=visit.no_show_at,
                confirmed_at=visit.confirmed_at,
                cancelled_at=visit.cancelled_at,
                cancel_reason=visit.cancel_reason,
                created_at=visit.booked_at,
                updated_at=max(touched),
            )
        )
    return bulk(Appointment, rows, batch_size=2000)
