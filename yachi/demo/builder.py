"""Builds the demo chain: two Shanghai clinics, ten doctors, 300 patient accounts with
their families and a year of appointment history, so every screen has real data.

Everything is deterministic (one seeded random generator) and written in bulk; the
database's own guards against double booking still check every row.
"""

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yachi.accounts.models import User
from yachi.booking.choices import Channel, Status
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
from yachi.core.roles import ChainRole, ClinicRole, Role
from yachi.demo.activity import build_activity
from yachi.demo.avatars import illustrated_portrait
from yachi.demo.bills import build_bills, build_visit_bills
from yachi.demo.growth import build_growth
from yachi.demo.mall import build_mall, build_orders
from yachi.demo.people import birth_date, full_name
from yachi.patients.choices import Gender, Relationship
from yachi.patients.facade import search_tokens_write
from yachi.patients.models import FamilyAccount, Patient
from yachi.rostering.choices import ShiftKind
from yachi.rostering.models import WeeklyShift

STAFF_PASSWORD = "Yachi@2026"
# Managers and the administrator must use a second factor; in the demo they share this
# authenticator key (printed by `yachi demo`) so that anyone can add it to an app.
DEMO_TOTP_SECRET = "YACHIDEMOTWOSTEPLOGINKEYFORSTAFF"
PATIENT_COUNT = 300
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


def build_demo(*, seed: int = 2026, today: date | None = None, log=print) -> DemoSummary:
    # The data key is created and committed first: one created inside the demo's single
    # transaction could not be cached, and every value would unwrap it again.
    current_data_key_id()
    with transaction.atomic():
        return _build(seed=seed, today=today, log=log)


def _build(*, seed: int, today: date | None, log) -> DemoSummary:
    rng = random.Random(seed)
    today = today or timezone.now().astimezone(ZONE).date()
    password = make_password(STAFF_PASSWORD)

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
    log(f"  {len(clinics)} clinics with chairs, opening hours and services")

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
        if wide == ChainRole.REGIONAL_MANAGER:
            region = ChainAssignment.objects.create(user=user, chain=chain, role=wide)
            region.clinics.set(clinics)
    log(f"  {len(doctors)} doctors and {len(STAFF)} staff")
    administrator = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    products = build_mall(rng=rng, clinics=clinics, manager=administrator)
    log(f"  {products} care products with pictures in the mall, stocked at every clinic")

    people = _patients(rng, today)
    log(f"  {PATIENT_COUNT} patient accounts, {len(people) - PATIENT_COUNT} family members")

    count = _appointments(rng, today, clinics, chairs, services, doctors, people)
    log(f"  {count} appointments over the past 12 months and the coming 2 weeks")
    _flash_sale(clinics[0])
    log("  a flash sale at the first clinic: 儿童涂氟 9.9 元, 100 places, 1 per person")
    entries = build_activity(rng=rng, today=today, consent_version=settings.YACHI_CONSENT_VERSION)
    log(f"  consents, clinical notes and {entries} audit entries of staff and patient activity")
    coupons = build_growth(rng=rng)
    log(f"  coupon templates, {coupons} coupons and points for the first ten patients")
    bills = build_bills(clinic=clinics[0])
    log(f"  {bills} open treatment bills (洁牙) to pay in the app or at the desk")
    visit_bills = build_visit_bills(rng=rng)
    log(f"  {visit_bills} bills of recent visits of the first ten families, paid, with receipts")
    orders = build_orders(clinic=clinics[0])
    log(f"  {orders} paid mall pick-up orders with their pick-up codes (first patient)")
    return DemoSummary(
        len(clinics), len(doctors), PATIENT_COUNT, len(people) - PATIENT_COUNT, count
    )


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


def _patients(rng, today) -> list[Patient]:
    unusable = make_password(None)
    User.objects.bulk_create(
        User(
            phone=f"138{n:08d}",
            name=full_name(rng),
            role=Role.PATIENT,
            password=unusable,
            date_joined=timezone.now() - timedelta(days=rng.randint(30, 720)),
        )
        for n in range(1, PATIENT_COUNT + 1)
    )
    users = list(User.objects.filter(role=Role.PATIENT).order_by("pk"))
    accounts = FamilyAccount.objects.bulk_create(FamilyAccount(owner=u) for u in users)
    accounts = list(FamilyAccount.objects.select_related("owner").order_by("owner_id"))
    patients = []
    for account in accounts:
        owner = account.owner
        adult_birth = birth_date(rng, today, 22, 68)
        patients.append(
            Patient(
                account=account,
                seat=0,
                relationship=Relationship.SELF,
                name=owner.name,
                phone=owner.phone,
                gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                birth_date=adult_birth,
            )
        )
        if rng.random() < 0.45:
            seat = 1
            for _ in range(rng.choice([1, 1, 2, 3])):
                kind = rng.choices(
                    [Relationship.CHILD, Relationship.SPOUSE, Relationship.PARENT], [6, 3, 2]
                )[0]
                if kind == Relationship.CHILD:
                    born = birth_date(rng, today, 2, 15)
                elif kind == Relationship.PARENT:
                    born = birth_date(rng, today, 55, 80)
                else:
                    born = birth_date(rng, today, 25, 60)
                patients.append(
                    Patient(
                        account=account,
                        seat=seat,
                        relationship=kind,
                        name=full_name(rng, child=kind == Relationship.CHILD),
                        gender=rng.choice([Gender.FEMALE, Gender.MALE]),
                        birth_date=born,
                    )
                )
                seat += 1
    Patient.objects.bulk_create(patients, batch_size=1000)
    people = list(Patient.objects.order_by("pk"))
    # Found at the front desk by part of a name, pinyin or a number's last four digits.
    search_tokens_write(patients=people)
    return people


def _fits(person: Patient, service: Service, today: date) -> bool:
    if service.code == "fluoride_varnish":
        return person.birth_date is not None and (today - person.birth_date).days < 13 * 365
    if service.code in ("wisdom_tooth_extraction", "implant_consultation", "root_canal"):
        return person.birth_date is None or (today - person.birth_date).days >= 16 * 365
    return True


def _appointments(rng, today, clinics, chairs, services, doctors, people) -> int:
    history_start = today - timedelta(days=365)
    horizon = today + timedelta(days=14)
    now = timezone.now()
    rows = []
    patient_busy = defaultdict(list)
    day = history_start
    while day <= horizon:
        chair_busy = defaultdict(list)
        future = day > today
        # The coming week fills unevenly so the 7-day grid shows every colour.
        fill = rng.uniform(0.7, 0.95) if not future else max(0.1, 1.02 - 0.12 * (day - today).days)
        for doctor, skills, schedule, afternoon in doctors:
            for clinic_index, weekdays in schedule.items():
                if day.weekday() not in weekdays:
                    continue
                clinic = clinics[clinic_index]
                offered = [
                    s
                    for s in services[clinic.pk]
                    if s.required_skill in skills and s.required_skill != Skill.EMERGENCY
                ]
                for span_start, span_end in (MORNING, afternoon):
                    cursor = datetime.combine(day, span_start, tzinfo=ZONE)
                    end_of_span = datetime.combine(day, span_end, tzinfo=ZONE)
                    while cursor < end_of_span:
                        service = rng.choice(offered)
                        length = timedelta(minutes=service.duration_minutes)
                        if cursor + length > end_of_span:
                            break
                        if rng.random() > fill:
                            cursor += timedelta(minutes=15 * rng.choice([1, 2, 2, 3]))
                            continue
                        person = rng.choice(people)
                        if not _fits(person, service, today) or any(
                            s < cursor + length and cursor < e for s, e in patient_busy[person.pk]
                        ):
                            cursor += timedelta(minutes=15)
                            continue
                        chair = next(
                            (
                                c
                                for c in chairs[clinic.pk]
                                if not any(
                                    s < cursor + length and cursor < e for s, e in chair_busy[c.pk]
                                )
                            ),
                            None,
                        )
                        if chair is None:
                            cursor += timedelta(minutes=15)
                            continue
                        rows.append(
                            _appointment(
                                rng, clinic, doctor, chair, service, person, cursor, length, now
                            )
                        )
                        if rows[-1].status != Status.CANCELLED:
                            chair_busy[chair.pk].append((cursor, cursor + length))
                            patient_busy[person.pk].append((cursor, cursor + length))
                            cursor += length
                        else:
                            cursor += timedelta(minutes=15)
        day += timedelta(days=1)
    Appointment.objects.bulk_create(rows, batch_size=2000)
    # Bookings were made some days before the visit, not at demo time.
    Appointment.objects.update(created_at=F("start") - timedelta(days=3), updated_at=F("start"))
    return len(rows)


def _appointment(rng, clinic, doctor, chair, service, person, start, length, now) -> Appointment:
    end = start + length
    if end <= now:
        status = rng.choices([Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED], [86, 5, 9])[0]
    elif start <= now:
        status = Status.IN_TREATMENT
    else:
        status = rng.choices([Status.BOOKED, Status.CANCELLED], [94, 6])[0]
    appointment = Appointment(
        clinic=clinic,
        doctor=doctor,
        chair=chair,
        service=service,
        patient=person,
        channel=rng.choices(
            [Channel.API, Channel.PATIENT_APP, Channel.CONSOLE, Channel.WALK_IN], [50, 20, 22, 8]
        )[0],
        start=start,
        end=end,
        status=status,
        price_fen=service.price_fen,
    )
    if status == Status.COMPLETED:
        appointment.arrived_at = start - timedelta(minutes=rng.randint(2, 20))
        appointment.treatment_started_at = start + timedelta(minutes=rng.randint(0, 10))
        appointment.completed_at = end
    elif status == Status.IN_TREATMENT:
        appointment.arrived_at = start - timedelta(minutes=10)
        appointment.treatment_started_at = start
    elif status == Status.NO_SHOW:
        appointment.no_show_at = start + timedelta(minutes=30)
    elif status == Status.CANCELLED:
        appointment.cancelled_at = start - timedelta(
            days=rng.randint(0, 3), hours=rng.randint(1, 10)
        )
        appointment.cancel_reason = rng.choice(
            ["临时有事", "工作冲突", "身体不适", "改约其他时间", ""]
        )
    return appointment
