"""The demo's articles, case contest and channel attribution (ADR 0049).

Articles in each category (published through the content check, and one draft that
shows what the check finds), a running case contest with entries (pictures drawn here:
colour fields, no person), five channels with their tracked links (the "699 元新人礼包"
gift-pack link among them), a touch before each sign-up of the past year, the bookings,
visits and payments of those patients within the window, and the spend of twelve months.
"""

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from yachi.booking.models import Appointment
from yachi.demo.writing import bulk
from yachi.growth.articles import services as articles
from yachi.growth.attribution import services as attribution
from yachi.growth.attribution.models import Conversion, Touch
from yachi.growth.cases import services as cases
from yachi.payments.models import PaymentIntent

ARTICLES = [
    (
        "education",
        "智齿要不要拔？3 个自测方法",
        "反复发炎、顶到邻牙、刷不干净：在家先看一看。",
        "## 自测一：是否反复发炎\n\n智齿周围的牙龈**反复肿痛**，说明清洁困难、容易感染。\n\n"
        "## 自测二：是否顶到邻牙\n\n对着镜子看看最后一颗牙是否歪斜，咬合时是否有异物感。\n\n"
        "## 自测三：能否刷干净\n\n- 刷牙时牙刷够不到\n- 牙线难以通过\n\n"
        "以上情况建议到店拍片，由医生评估是否需要拔除。",
    ),
    (
        "education",
        "孩子几岁开始窝沟封闭？",
        "第一恒磨牙萌出后是窝沟封闭的好时机。",
        "第一恒磨牙（六龄齿）通常在 6 岁左右萌出，牙面的窝沟深、容易藏食物残渣。\n\n"
        "**窝沟封闭**用树脂把窝沟填平，减少龋齿风险。第二恒磨牙在 12 岁左右萌出，也可以封闭。\n\n"
        "封闭后仍需每天刷牙、定期检查。",
    ),
    (
        "offers",
        "洁牙季：预约洁牙立减 30 元",
        "本月预约洁牙，到店出示即可。",
        "本月通过 App 预约**洁牙**，到店结账时立减 30 元。\n\n- 每人限用一次\n- 可与积分同时使用\n\n"
        "[去预约](/book/)",
    ),
    (
        "offers",
        "699 元新人礼包",
        "洁牙、口腔检查和全景片，新用户专享。",
        "新注册用户可购买 699 元新人礼包，包含：\n\n1. 洁牙一次\n2. 口腔检查一次\n3. 全景片一张\n\n"
        "礼包自购买起 90 天内有效，可在 App 预约。",
    ),
    (
        "stories",
        "一位上班族的午休看牙日记",
        "午休一小时，怎样把看牙安排进工作日。",
        "小林在写字楼上班，总觉得看牙要请半天假。\n\n"
        "这次她在 App 里选了离公司最近的诊所、中午 12:30 的时段，"
        "到店签到后按叫号就诊，检查和洁牙一共 45 分钟。\n\n"
        "医生提醒她半年后复查，App 会提前发提醒。",
    ),
    (
        "stories",
        "牙医的一天：从早上 8 点的消毒开始",
        "看看诊室开门前都要做哪些准备。",
        "每天开诊前，护士会检查灭菌器的记录、准备器械包；医生查看当天的预约和病历要点。\n\n"
        "急诊患者会插空安排，所以我们会给每天留出机动时间。",
    ),
]

DRAFT = (
    "offers",
    "种植牙限时优惠（待修改）",
    "",
    "全市最先进的种植设备，保证终身不松动，无效退款！",
)

CHANNELS = [
    # name, kind, campaign, lands on, share of the tracked sign-ups, monthly base spend (fen)
    ("抖音", "douyin", "699 元新人礼包", "/articles/", 0.30, 800_00),
    ("百度", "baidu", "搜索：附近牙科", "/", 0.22, 600_00),
    ("微信朋友圈", "wechat_moments", "朋友圈广告：洁牙季", "/articles/", 0.20, 300_00),
    ("小红书", "xiaohongshu", "笔记：隐形矫正科普", "/articles/", 0.16, 200_00),
    ("地推传单", "offline_flyer", "社区传单：儿童涂氟", "/", 0.12, 150_00),
]


@dataclass(frozen=True)
class ContentSummary:
    articles: int
    entries: int
    touches: int
    signups: int
    conversions: int


def _picture(rng: random.Random, stage: str) -> SimpleUploadedFile:
    """A drawn placeholder (a colour field and a label): no person in the demo's files."""
    image = Image.new("RGB", (480, 320), tuple(rng.randint(150, 230) for _ in range(3)))
    ImageDraw.Draw(image).text((20, 20), f"demo {stage}", fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{stage}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _articles(manager, now) -> int:
    count = 0
    for index, (category, title, summary, body) in enumerate(ARTICLES):
        article = articles.article_save(
            actor=manager, category=category, title=title, summary=summary, body=body
        )
        article = articles.article_publish(actor=manager, article=article)
        # Spread over the last weeks, with views and shares of their own.
        type(article).objects.filter(pk=article.pk).update(
            published_at=now - timedelta(days=3 + 9 * index),
            view_count=1200 - 150 * index,
            share_count=90 - 11 * index,
        )
        count += 1
    category, title, summary, body = DRAFT
    articles.article_save(actor=manager, category=category, title=title, summary=summary, body=body)
    return count + 1


def _contest(manager, owners, rng) -> int:
    today = timezone.localdate()
    contest = cases.contest_save(
        actor=manager,
        title="隐形矫正病例征集",
        description="分享您的矫正历程。参赛作品仅供本院医生病例评审和教学使用，不会公开展示。",
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=40),
        prize_pool_fen=1_000_000,
        winners=3,
        split_rule="scores",
        prize_kind="points",
    )
    cases.contest_move(actor=manager, contest=contest, step="open")
    entries = 0
    for position, owner in enumerate(owners[1:6]):
        entry = cases.entry_submit(
            user=owner,
            contest=contest,
            story="矫正一年多，终于结束了。",
            consent=True,
            before=[_picture(rng, "before")],
            after=[_picture(rng, "after")],
        )
        entries += 1
        if position < 3:
            cases.entry_review(actor=manager, entry=entry, accept=True)
            entry.refresh_from_db()
            cases.entry_score(actor=manager, entry=entry, score=95 - 7 * position)
    return entries


def build_content(*, plan, owners, manager, rng: random.Random) -> ContentSummary:
    now = timezone.now()
    written = _articles(manager, now)
    entries = _contest(manager, owners, rng)
    links = []
    for name, kind, campaign, target, weight, spend in CHANNELS:
        channel = attribution.channel_save(actor=manager, name=name, kind=kind)
        link = attribution.link_create(
            actor=manager, channel=channel, campaign=campaign, target=target
        )
        links.append((link, weight, spend))
    window = attribution.window()
    start = now - timedelta(days=365)
    touches, conversions, touched = [], [], {}
    joined_in_year = [
        (owner, family)
        for owner, family in zip(owners, plan.families, strict=True)
        if family.joined >= start
    ]
    for owner, family in joined_in_year:
        # The family's own acquisition channel decides: the app's ads and posts, or the
        # street's flyers; walk-ins, referrals, listings and calls came by no tracked link.
        if family.acquisition == "street":
            first = links[-1][0]
        elif family.acquisition in ("mini_program", "other"):
            online = links[:-1]
            first = rng.choices([link for link, _, _ in online], weights=[w for _, w, _ in online])[
                0
            ]
        else:
            continue
        last = first if rng.random() < 0.7 else rng.choice([link for link, _, _ in links])
        first_at = family.joined - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
        last_at = family.joined - timedelta(minutes=rng.randint(5, 300))
        visitor = attribution.new_visitor()
        for link, at in ((first, first_at), (last, last_at)):
            touches.append(
                Touch(
                    link=link,
                    visitor=visitor,
                    user=owner,
                    device=rng.choice(["wechat", "ios", "android"]),
                    at=at,
                )
            )
        touched[owner.pk] = (first, last, first_at)
        conversions.append(
            Conversion(
                user=owner,
                kind="signup",
                at=family.joined,
                reference=f"signup:{owner.pk}",
                first_link=first,
                last_link=last,
            )
        )
    bulk(Touch, touches)
    for appointment in Appointment.objects.filter(
        patient__account__owner_id__in=touched
    ).select_related("patient__account"):
        first, last, first_at = touched[appointment.patient.account.owner_id]
        if not first_at <= appointment.created_at <= first_at + window:
            continue
        reference = f"booking.appointment:{appointment.public_id}"
        conversions.append(
            Conversion(
                user_id=appointment.patient.account.owner_id,
                kind="booking",
                at=appointment.created_at,
                reference=f"booking:{reference}",
                first_link=first,
                last_link=last,
            )
        )
        if appointment.status == "completed":
            conversions.append(
                Conversion(
                    user_id=appointment.patient.account.owner_id,
                    kind="visit",
                    at=appointment.end,
                    reference=f"visit:{reference}",
                    first_link=first,
                    last_link=last,
                )
            )
    for intent in PaymentIntent.objects.filter(
        Q(status="paid") | Q(status="refunded"), payer_id__in=touched, paid_at__isnull=False
    ):
        first, last, first_at = touched[intent.payer_id]
        if first_at <= intent.paid_at <= first_at + window:
            conversions.append(
                Conversion(
                    user_id=intent.payer_id,
                    kind="revenue",
                    at=intent.paid_at,
                    amount_fen=intent.amount_fen,
                    reference=f"payment:{intent.public_id}",
                    first_link=first,
                    last_link=last,
                )
            )
    bulk(Conversion, conversions)
    # Spend per channel and month: what its sign-ups of that month cost at 200–500 yuan
    # each, and a base for the months that brought nobody.
    signups_by = {}
    for conversion in conversions:
        if conversion.kind == "signup":
            month = timezone.localtime(conversion.at).date().replace(day=1)
            key = (conversion.first_link.pk, month)
            signups_by[key] = signups_by.get(key, 0) + 1
    this_month = timezone.localdate().replace(day=1)
    for months_back in range(12):
        index = this_month.year * 12 + this_month.month - 1 - months_back
        month = date(index // 12, index % 12 + 1, 1)
        for link, _weight, base in links:
            people = signups_by.get((link.pk, month), 0)
            amount = base + people * rng.randint(200_00, 500_00)
            attribution.spend_set(
                actor=manager, channel=link.channel, month=month, amount_fen=amount // 100 * 100
            )
    return ContentSummary(
        articles=written,
        entries=entries,
        touches=len(touches),
        signups=sum(1 for c in conversions if c.kind == "signup"),
        conversions=len(conversions),
    )
