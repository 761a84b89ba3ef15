"""A fortnight of staff activity and the records it left: consents, clinical notes,
logins (a few failed) and chart reads, all through the real audit trail, so that the
trail of a fresh demo reads like a working clinic's."""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from yachi.accounts.models import User
from yachi.compliance.audit import audit_record_many
from yachi.compliance.models import AuditAction
from yachi.core.middleware import RequestOrigin
from yachi.core.roles import Role
from yachi.demo.writing import bulk
from yachi.patients.models import ClinicalNote, Consent, FamilyAccount

ZONE = ZoneInfo("Asia/Shanghai")
SHARING_FAMILIES = 10
DESK_BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
)
PHONE_BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) MicroMessenger/8.0.54"

DIAGNOSES = [
    (
        "冷热刺激痛",
        "36 深龋，未露髓",
        "36 深龋",
        "36 树脂充填，1 周后复查",
        "左下后牙有一颗较深的蛀牙，今天已经用树脂补好。",
        "补牙后两小时内不要用这一侧咀嚼；如果冷热痛加重请及时联系诊所；1 周后复查。",
    ),
    (
        "牙龈出血",
        "牙石 II 度，BOP(+)",
        "慢性牙龈炎",
        "龈上洁治，指导巴氏刷牙法",
        "牙石较多，牙龈有些发炎，今天做了洁牙。",
        "每天早晚用巴氏刷牙法刷牙，配合牙线；洁牙后一两天牙齿略敏感属正常；建议半年洁牙一次。",
    ),
    (
        "夜间自发痛",
        "46 叩痛(+)，冷测迟钝",
        "46 慢性牙髓炎",
        "46 根管预备，封药",
        "右下后牙的牙神经发炎了，今天做了根管治疗的第一步并封了药。",
        "封药期间避免用这一侧咬硬物；若暂封材料脱落请来电；按约定时间回来完成根管治疗。",
    ),
    (
        "智齿反复肿痛",
        "48 近中阻生，冠周红肿",
        "48 冠周炎",
        "冲洗上药，炎症消退后拔除",
        "右下智齿长歪了，周围牙龈发炎，今天做了冲洗和上药。",
        "这几天饭后用温盐水漱口，吃软食；消炎后再约时间拔除这颗智齿。",
    ),
    (
        "常规检查",
        "全口未见明显龋坏",
        "口腔健康",
        "半年后复查并洁治",
        "这次检查没有发现蛀牙，口腔情况良好。",
        "保持每天两次刷牙和使用牙线，半年后再来检查和洁牙。",
    ),
    (
        "牙齿不齐",
        "安氏 II 类，拥挤度 6 mm",
        "错𬌗畸形",
        "拍摄全景片及头颅侧位片，制定矫治方案",
        "牙齿排列有些拥挤，今天拍了片子，医生会据此制定矫正方案。",
        "下次复诊时医生会和您讨论矫正方案和费用；在此之前请认真清洁牙缝。",
    ),
]


DIAGNOSES += [
    (
        "家长要求涂氟",
        "乳牙列，牙面清洁，未见龋坏",
        "龋病预防",
        "全口涂布氟保护漆",
        "今天给孩子全口涂了氟，帮助预防蛀牙。",
        "涂氟后半小时内不要吃喝，当天吃软食、不刷牙；建议每半年涂氟一次。",
    ),
    (
        "窝沟封闭",
        "16、26、36、46 窝沟深，未见龋坏",
        "窝沟龋易感",
        "16、26、36、46 窝沟封闭",
        "今天给孩子四颗大牙做了窝沟封闭，把容易蛀的沟填平了。",
        "封闭后当天可正常吃饭；避免用后牙咬硬物；每半年复查封闭剂是否完好。",
    ),
    (
        "牙痛一天",
        "25 叩痛(+)，牙龈轻度红肿",
        "25 急性根尖周炎",
        "25 开髓引流，开具消炎药",
        "左上一颗牙的根尖发炎了，今天做了引流止痛。",
        "按时服药；如果肿胀加重或发烧请马上联系诊所；三天内回来继续治疗。",
    ),
    (
        "缺牙要求修复",
        "36 缺失，牙槽嵴宽度尚可",
        "牙列缺损",
        "拍摄 CBCT，讨论种植方案",
        "左下缺了一颗牙，今天拍了 CBCT，医生和您讨论了种植方案。",
        "考虑好后可预约种植手术；在此之前注意邻牙清洁。",
    ),
]

# Which of the notes above fit a visit for each service (indexes into DIAGNOSES).
FITTING = {
    "cleaning": [1, 4],
    "filling": [0],
    "root_canal": [2],
    "wisdom_tooth_extraction": [3],
    "orthodontic_consultation": [5],
    "fluoride_varnish": [6],
    "sealant": [7],
    "emergency": [8],
    "implant_consultation": [9],
}


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def build_activity(*, rng: random.Random, today, consent_version: str, plan, appointments) -> int:
    _consents(rng, consent_version)
    notes = _clinical_notes(rng, today, plan, appointments)
    events = _events(rng, today, notes)
    events.sort(key=lambda event: event[0])
    return audit_record_many(
        [{"at": at, "origin": origin, **kwargs} for at, kwargs, origin in events]
    )


def _consents(rng, version):
    now = datetime.now(ZONE)
    rows = []
    for account in FamilyAccount.objects.select_related("owner"):
        given = account.owner.date_joined
        rows.append(
            Consent(
                account=account, kind=Consent.Kind.PRIVACY_POLICY, version=version, granted_at=given
            )
        )
        if rng.random() < 0.6:
            rows.append(
                Consent(
                    account=account,
                    kind=Consent.Kind.MEDICAL_DATA,
                    version=version,
                    granted_at=given,
                )
            )
        if rng.random() < 0.15:
            rows.append(
                Consent(
                    account=account,
                    kind=Consent.Kind.FACIAL_IMAGES,
                    version=version,
                    granted_at=min(now, given + timedelta(days=rng.randint(1, 200))),
                )
            )
    Consent.objects.bulk_create(rows, batch_size=1000)


def _clinical_notes(rng, today, plan, appointments) -> list[ClinicalNote]:
    """A chart for most completed visits (those the plan says the doctor wrote)."""
    notes = []
    for visit, appointment in zip(plan.visits, appointments, strict=True):
        if not visit.noted:
            continue
        fitting = FITTING.get(visit.service, [4])
        complaint, findings, diagnosis, treatment, summary, advice = DIAGNOSES[rng.choice(fitting)]
        # The first ten families (13800000001–13800000010) see what their doctors shared.
        family = plan.people[visit.person].family
        shared = family < SHARING_FAMILIES and rng.random() < 0.85
        notes.append(
            ClinicalNote(
                patient_id=appointment.patient_id,
                clinic_id=appointment.clinic_id,
                author_id=appointment.doctor_id,
                appointment=appointment,
                chief_complaint=complaint,
                findings=findings,
                diagnosis=diagnosis,
                treatment=treatment,
                patient_summary=summary if shared else "",
                advice=advice if shared else "",
                shared_at=visit.end if shared else None,
                # Written right after the visit.
                created_at=visit.end,
                updated_at=visit.end,
            )
        )
    bulk(ClinicalNote, notes)
    recent = _at(today - timedelta(days=14), 0)
    return list(
        ClinicalNote.objects.filter(created_at__gte=recent).select_related(
            "appointment", "author__user", "patient", "clinic"
        )
    )


def _events(rng, today, notes):
    staff = list(User.objects.filter(role=Role.STAFF).order_by("pk"))
    events = []
    for offset in range(14, 0, -1):
        day = today - timedelta(days=offset)
        for index, member in enumerate(staff):
            if rng.random() < 0.2:
                continue  # day off
            origin = RequestOrigin(
                request_id=f"demo{offset:02d}{index:03d}{rng.randrange(16**8):08x}",
                ip=f"192.168.{1 + index % 2}.{20 + index}",
                device=DESK_BROWSER,
            )
            login = _at(day, 8, rng.randint(30, 59))
            if rng.random() < 0.08:
                events.append(
                    (
                        login - timedelta(minutes=1),
                        {
                            "action": AuditAction.LOGIN_FAILED,
                            "actor": member,
                            "outcome": "failure",
                            "details": {"method": "password"},
                        },
                        origin,
                    )
                )
            method = "password+totp" if member.has_totp else "password"
            events.append(
                (
                    login,
                    {"action": AuditAction.LOGIN, "actor": member, "details": {"method": method}},
                    origin,
                )
            )
    for note in notes:
        user = note.author.user
        origin = RequestOrigin(
            request_id=f"demonote{note.pk:08d}", ip="192.168.1.50", device=DESK_BROWSER
        )
        read_at = note.appointment.start - timedelta(minutes=rng.randint(1, 10))
        events.append(
            (
                read_at,
                {
                    "action": AuditAction.CLINICAL_READ,
                    "actor": user,
                    "object_type": "patient",
                    "object_id": note.patient.public_id,
                    "clinic": note.clinic,
                    "details": {"notes": 1},
                },
                origin,
            )
        )
        events.append(
            (
                note.created_at,
                {
                    "action": AuditAction.CLINICAL_WRITE,
                    "actor": user,
                    "object_type": "clinical_note",
                    "object_id": note.public_id,
                    "clinic": note.clinic,
                    "details": {"patient": str(note.patient.public_id)},
                },
                origin,
            )
        )
    patients = list(User.objects.filter(role=Role.PATIENT)[:60])
    for member in patients:
        at = _at(today - timedelta(days=rng.randint(1, 14)), rng.randint(7, 22), rng.randint(0, 59))
        origin = RequestOrigin(
            request_id=f"demoapp{member.pk:08d}",
            ip=f"117.136.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
            device=PHONE_BROWSER,
        )
        events.append(
            (
                at,
                {"action": AuditAction.LOGIN, "actor": member, "details": {"method": "sms_code"}},
                origin,
            )
        )
    return events
