"""The demo mall: a dozen care products with their variants, stocked at every clinic."""

from django.core.files.uploadedfile import SimpleUploadedFile

from yachi.demo.pictures import product_picture
from yachi.shop.choices import Category
from yachi.shop.images import product_image_set
from yachi.shop.models import Product, Sku, Stock

# (name, English name, category, description, [(code, variant, price in yuan)])
PRODUCTS = [
    (
        "声波电动牙刷 S1",
        "Sonic toothbrush S1",
        Category.TOOTHBRUSH,
        "五档清洁模式，两分钟智能计时，一次充电用30天。",
        [("s1-white", "珍珠白", 299), ("s1-pink", "樱花粉", 299), ("s1-black", "曜石黑", 329)],
    ),
    (
        "儿童电动牙刷",
        "Children's electric toothbrush",
        Category.CHILDREN,
        "软毛小刷头，适合3–12岁，音乐提醒刷满两分钟。",
        [("kids-brush-blue", "海洋蓝", 159), ("kids-brush-yellow", "小黄鸭", 159)],
    ),
    (
        "S1 替换刷头",
        "S1 brush heads",
        Category.BRUSH_HEADS,
        "适配声波电动牙刷 S1，建议每三个月更换。",
        [("s1-heads-2", "2支装", 69), ("s1-heads-4", "4支装", 129)],
    ),
    (
        "扁线牙线棒",
        "Flat floss picks",
        Category.FLOSS,
        "扁平细滑，适合牙缝较紧的人群。",
        [("floss-pick-50", "50支装", 19.9), ("floss-pick-150", "150支装", 49)],
    ),
    (
        "牙间刷",
        "Interdental brushes",
        Category.FLOSS,
        "正畸和种植修复后的清洁好帮手。",
        [("interdental-ss", "SS 0.6mm", 29), ("interdental-s", "S 0.8mm", 29)],
    ),
    (
        "冲牙器",
        "Water flosser",
        Category.FLOSS,
        "脉冲水流，清洁牙缝和正畸托槽。",
        [("water-flosser", "便携款", 259)],
    ),
    (
        "无酒精漱口水",
        "Alcohol-free mouthwash",
        Category.MOUTHWASH,
        "温和不刺激，清新口气。",
        [("mouthwash-250", "250ml", 39), ("mouthwash-500", "500ml", 65)],
    ),
    (
        "抗敏感漱口水",
        "Sensitivity mouthwash",
        Category.MOUTHWASH,
        "缓解冷热酸甜引起的牙齿敏感。",
        [("sensitive-mw-500", "500ml", 79)],
    ),
    (
        "家用美白套装",
        "Home whitening kit",
        Category.WHITENING,
        "需在医生指导下使用；含牙托与美白凝胶。",
        [("whitening-kit-7", "7天疗程", 399), ("whitening-kit-14", "14天疗程", 699)],
    ),
    (
        "美白牙贴",
        "Whitening strips",
        Category.WHITENING,
        "每日30分钟，14天一个疗程。",
        [("whitening-strips", "14对", 199)],
    ),
    (
        "儿童含氟牙膏",
        "Children's fluoride toothpaste",
        Category.CHILDREN,
        "低氟配方，草莓味。",
        [("kids-paste-strawberry", "草莓味 60g", 25)],
    ),
]


# Drawn as another kind than their category's: the children's brush is a brush, the
# toothpaste a tube, the water flosser a bottle with a nozzle.
SHAPES = {
    "儿童电动牙刷": Category.TOOTHBRUSH,
    "儿童含氟牙膏": "tube",
    "冲牙器": Category.MOUTHWASH,
}


def build_mall(*, rng, clinics, manager) -> int:
    """Products with drawn pictures, SKUs and some stock at each clinic (a few variants
    sold out, and one product sold out everywhere at the second clinic)."""
    skus = []
    for sort, (name, name_en, category, description, variants) in enumerate(PRODUCTS):
        product = Product.objects.create(
            name=name,
            name_en=name_en,
            category=category,
            description=description,
            sort=sort * 10,
        )
        skus += Sku.objects.bulk_create(
            Sku(product=product, code=code, name=variant, price_fen=round(price * 100))
            for code, variant, price in variants
        )
        # Through the same path as a manager's upload: checked, resized, re-encoded.
        picture = product_picture(
            name=name,
            name_en=name_en,
            category=category,
            shape=SHAPES.get(name),
        )
        product_image_set(
            actor=manager,
            product=product,
            upload=SimpleUploadedFile(f"{sort}.png", picture, "image/png"),
        )
    Stock.objects.bulk_create(
        Stock(clinic=clinic, sku=sku, quantity=0 if rng.random() < 0.1 else rng.randint(2, 40))
        for clinic in clinics
        for sku in skus
    )
    if len(clinics) > 1:
        # The whitening strips are sold out at the second clinic: the mall says 售罄 there.
        Stock.objects.filter(clinic=clinics[1], sku__code="whitening-strips").update(quantity=0)
    return len(PRODUCTS)


def build_orders(*, clinic) -> int:
    """Two paid pick-up orders of the first demo patient at ``clinic``: one waiting with
    its pick-up QR code, one the front desk has started to prepare (no cancel button)."""
    from yachi.accounts.models import User
    from yachi.core.roles import ClinicRole, Role
    from yachi.payments import services as payments
    from yachi.payments.models import PaymentIntent
    from yachi.shop import services as shop

    buyer = User.objects.filter(role=Role.PATIENT).order_by("pk").first()
    desk = (
        User.objects.filter(memberships__clinic=clinic, memberships__role=ClinicRole.FRONT_DESK)
        .order_by("pk")
        .first()
    )
    orders = []
    for code, quantity in (("floss-pick-50", 2), ("mouthwash-250", 1)):
        Stock.objects.filter(clinic=clinic, sku__code=code, quantity__lt=10).update(quantity=12)
        shop.cart_add(user=buyer, sku=Sku.objects.get(code=code), quantity=quantity)
        done = shop.order_checkout(buyer=buyer, clinic=clinic, fulfilment="pickup")
        intent = PaymentIntent.objects.get(pk=done.payment.pk)
        payments.desk_payment_record(actor=desk, intent=intent, method="cash")
        payments.intent_settle(intent_id=intent.pk)
        orders.append(done.order)
    shop.order_advance(actor=desk, order=orders[1], to_status="preparing")
    return len(orders)


# Homes of the families who had their mall orders delivered, in districts away from the
# clinics (静安区, 徐汇区): what the distance tag reads the home district from.
HOMES = [
    "上海市浦东新区张杨路 500 号 12 楼 1203 室",
    "上海市闵行区七宝镇漕宝路 3366 弄 8 号 602 室",
    "上海市宝山区牡丹江路 1800 弄 21 号 301 室",
    "上海市嘉定区城中路 138 弄 5 号 402 室",
    "上海市松江区人民北路 2000 弄 3 号 1101 室",
    "上海市杨浦区国权路 525 号 15 楼",
]
DELIVERED_EVERY = 7


def _delivered_to(planned) -> str:
    """The address a completed order of every seventh family went to ("" for pick-ups)."""
    if planned.status != "completed" or planned.family % DELIVERED_EVERY != 3:
        return ""
    return HOMES[(planned.family // DELIVERED_EVERY) % len(HOMES)]


def build_history_orders(*, plan, clinics, owners) -> int:
    """The year's mall orders of the other families, as the plan has them: picked up,
    ready, just paid, a few cancelled unpaid and a few refunded; each with its payment."""
    import random

    from yachi.demo.bills import _intent, write_payments
    from yachi.demo.writing import bulk, code, front_desks, number
    from yachi.payments.choices import Purpose
    from yachi.shop.models import Order, OrderLine

    rng = random.Random(plan.seed + 2)
    skus = {
        sku.code: sku
        for sku in Sku.objects.filter(code__in={s.code for o in plan.orders for s, _ in o.lines})
    }
    desks = front_desks(clinics)
    coupon_ids = [c.public_id for c in plan.coupons]
    orders, lines, intents, refunds = [], [], [], []
    for planned in plan.orders:
        payment = planned.payment
        last = payment.refunded_at or payment.paid_at or payment.closed_at or planned.created_at
        delivered = _delivered_to(planned)
        buyer = owners[planned.family]
        order = Order(
            public_id=planned.public_id,
            number=number("SO", planned.created_at, rng),
            buyer=buyer,
            clinic=clinics[planned.clinic],
            status=planned.status,
            fulfilment="delivery" if delivered else "pickup",
            recipient_name=buyer.name if delivered else "",
            recipient_phone=buyer.phone if delivered else "",
            address=delivered,
            subtotal_fen=planned.subtotal_fen,
            discount_fen=planned.discount_fen,
            total_fen=planned.subtotal_fen - planned.discount_fen,
            coupon_id=coupon_ids[planned.coupon] if planned.coupon is not None else None,
            paid_at=payment.paid_at,
            closed_at=payment.closed_at,
            close_reason="超时未支付" if payment.closed_at else "",
            pickup_code=code(rng)
            if planned.status in ("paid", "ready") and not delivered
            else None,
            created_at=planned.created_at,
            updated_at=last,
        )
        orders.append(order)
        lines += [
            OrderLine(
                order=order,
                sku=skus[sku.code],
                name=sku.name[:130],
                unit_price_fen=sku.price_fen,
                quantity=quantity,
            )
            for sku, quantity in planned.lines
        ]
        intents.append(
            _intent(
                rng,
                payment,
                purpose=Purpose.SHOP_ORDER,
                reference=f"shop.order:{planned.public_id}",
                description=f"商城订单 {order.number}",
                clinic=order.clinic,
                payer=order.buyer,
            )
        )
        if payment.refund_fen:
            refunds.append((intents[-1], payment, desks[order.clinic.pk]))
    bulk(Order, orders)
    OrderLine.objects.bulk_create(lines, batch_size=1000)
    write_payments(rng, intents, refunds, desks)
    return len(orders)
