"""Reading the providers' statements: files written as WeChat Pay and Alipay write them
(the layout of their documentation's samples), and files cut short or garbled."""

import io
import zipfile

import pytest

from yachi.payments.providers.statements import (
    StatementUnreadable,
    parse_alipay_bill,
    parse_wechatpay_tradebill,
)

WECHAT_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
    "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,"
    "退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)
WECHAT_PAID = (
    "`2026-11-30 09:41:07,`wx0123456789abcdef,`1900009191,`0,`,`4200002601202611300123456789,"
    "`YC20261130094011A1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`CMB_DEBIT,`CNY,`199.00,"
    "`0.00,`0,`0,`0.00,`0.00,`,`,`洁牙, 含抛光,`,`1.19400,`0.60%,`199.00,`0.00,`"
)
WECHAT_PAID_2 = (
    "`2026-11-30 15:02:55,`wx0123456789abcdef,`1900009191,`0,`,`4200002601202611300123456790,"
    "`YC20261130150244B2,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`MWEB,`SUCCESS,`OTHERS,`CNY,`9.90,"
    "`0.00,`0,`0,`0.00,`0.00,`,`,`儿童涂氟,`,`0.05940,`0.60%,`9.90,`0.00,`"
)
WECHAT_REFUND = (
    "`2026-11-30 16:20:00,`wx0123456789abcdef,`1900009191,`0,`,`4200002601202611300123456789,"
    "`YC20261130094011A1,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`REFUND,`CMB_DEBIT,`CNY,`0.00,"
    "`0.00,`50300506202611300123456700,`RF20261130162000C3,`60.00,`0.00,`ORIGINAL,`SUCCESS,"
    "`洁牙, 含抛光,`,`-0.36000,`0.60%,`0.00,`60.00,`"
)
WECHAT_SUMMARY = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)


def wechat_bill(*lines, totals="`3,`208.90,`60.00,`0.00,`0.89340,`208.90,`60.00") -> bytes:
    rows = [WECHAT_HEADER, *lines, WECHAT_SUMMARY, totals]
    return ("\r\n".join(rows) + "\r\n").encode()


def test_a_wechat_pay_trade_bill_reads_as_payments_and_refunds():
    statement = parse_wechatpay_tradebill(wechat_bill(WECHAT_PAID, WECHAT_PAID_2, WECHAT_REFUND))
    assert [(x.kind, x.out_trade_no, x.amount_fen) for x in statement.lines] == [
        ("payment", "YC20261130094011A1", 19900),
        ("payment", "YC20261130150244B2", 990),
        ("refund", "YC20261130094011A1", 6000),
    ]
    refund = statement.refunds[0]
    assert refund.out_refund_no == "RF20261130162000C3"
    assert refund.provider_refund_no == "50300506202611300123456700"
    assert statement.payments[0].provider_trade_no == "4200002601202611300123456789"
    assert statement.payments[0].at.isoformat() == "2026-11-30T09:41:07+08:00"


def test_a_wechat_pay_trade_bill_with_a_byte_order_mark_and_a_comma_in_a_name_reads():
    statement = parse_wechatpay_tradebill(
        b"\xef\xbb\xbf"
        + wechat_bill(WECHAT_PAID, totals="`1,`199.00,`0.00,`0.00,`1.19,`199.00,`0.00")
    )
    assert [x.amount_fen for x in statement.payments] == [19900]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(wechat_bill(WECHAT_PAID, WECHAT_PAID_2), id="the summary counts three lines"),
        pytest.param(
            ("\r\n".join([WECHAT_HEADER, WECHAT_PAID])).encode(), id="cut before the summary"
        ),
        pytest.param(
            wechat_bill(WECHAT_PAID, WECHAT_PAID_2.replace("`9.90,`0.00,`", "`19.90,`0.00,`")),
            id="an amount that is not in the totals",
        ),
        pytest.param(b"<html>error</html>", id="not a bill"),
        pytest.param("交易时间,商户号\r\n".encode("gbk"), id="not UTF-8"),
        pytest.param(
            wechat_bill(WECHAT_PAID.replace("`199.00,`0.00,`", "`1e2,`0.00,`")), id="no amount"
        ),
    ],
)
def test_a_wechat_pay_trade_bill_that_does_not_add_up_is_refused(raw):
    with pytest.raises(StatementUnreadable):
        parse_wechatpay_tradebill(raw)


ALIPAY_DETAIL = """#支付宝业务明细查询
#账号：[20881234567890120156]
#起始日期：[2026年11月30日 00:00:00]   终止日期：[2026年12月01日 00:00:00]
#-----------------------------------------业务明细列表----------------------------------------
支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注
2026113022001404560501234567	,YC20261130100001D4	,交易	,种植牙定金	,2026-11-30 10:00:01	,2026-11-30 10:00:09	,	,	,	,	,159****5620	,500.00	,500.00	,0.00	,0.00	,0.00	,0.00	,0.00	,	,0.00	,0.00	,	,-3.00	,0.00	,
2026113022001404560501234568	,YC20261130113000E5	,交易	,儿童涂氟	,2026-11-30 11:30:00	,2026-11-30 11:30:12	,	,	,	,	,138****0001	,9.90	,9.90	,0.00	,0.00	,0.00	,0.00	,0.00	,	,0.00	,0.00	,	,-0.06	,0.00	,
2026113022001404560501234567	,YC20261130100001D4	,退款	,种植牙定金	,2026-11-30 10:00:01	,2026-11-30 17:45:30	,	,	,	,	,159****5620	,500.00	,-200.00	,0.00	,0.00	,0.00	,0.00	,0.00	,	,0.00	,0.00	,RF20261130174500F6	,1.20	,0.00	,
#-----------------------------------------业务明细列表结束------------------------------------
#交易合计：{payments}笔，商家实收共509.90元，商家优惠共0.00元
#退款合计：1笔，商家实收共-200.00元，商家优惠共0.00元
#导出时间：[2026年12月01日 09:12:40]"""
ALIPAY_SUMMARY = """#支付宝业务汇总查询
#账号：[20881234567890120156]
#起始日期：[2026年11月30日 00:00:00]   终止日期：[2026年12月01日 00:00:00]
#-----------------------------------------业务汇总列表----------------------------------------
门店编号,门店名称,交易订单总笔数,退款订单总笔数,已收入金额（元）,实收金额（元）,支付宝优惠（元）,商家优惠（元）,卡消费金额（元）,服务费（元）,分润（元）,实收净额（元）
,,2,1,509.90,309.90,0.00,0.00,0.00,-1.86,0.00,308.04
合计,,{payments},1,509.90,309.90,0.00,0.00,0.00,-1.86,0.00,308.04
#-----------------------------------------业务汇总列表结束------------------------------------
#导出时间：[2026年12月01日 09:12:40]"""


def alipay_zip(detail_payments="2", summary_payments="2", *, detail=None) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        text = detail if detail is not None else ALIPAY_DETAIL.format(payments=detail_payments)
        archive.writestr(
            "20881234567890120156_20261130_业务明细.csv", text.replace("\n", "\r\n").encode("gbk")
        )
        archive.writestr(
            "20881234567890120156_20261130_业务明细(汇总).csv",
            ALIPAY_SUMMARY.format(payments=summary_payments).encode("gbk"),
        )
    return packed.getvalue()


def test_an_alipay_bill_reads_as_payments_and_refunds():
    statement = parse_alipay_bill(alipay_zip())
    assert [(x.kind, x.out_trade_no, x.amount_fen, x.out_refund_no) for x in statement.lines] == [
        ("payment", "YC20261130100001D4", 50000, ""),
        ("payment", "YC20261130113000E5", 990, ""),
        ("refund", "YC20261130100001D4", 20000, "RF20261130174500F6"),
    ]
    assert statement.payments[0].provider_trade_no == "2026113022001404560501234567"
    assert statement.payments[1].at.isoformat() == "2026-11-30T11:30:12+08:00"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(alipay_zip(detail_payments="3"), id="the detail's comment counts three"),
        pytest.param(alipay_zip(summary_payments="5"), id="the summary counts five"),
        pytest.param(alipay_zip(detail=ALIPAY_SUMMARY.format(payments=2)), id="no detail"),
        pytest.param(b"PK\x03\x04garbage", id="not a zip"),
        pytest.param(
            alipay_zip(detail=ALIPAY_DETAIL.format(payments=2).replace(",500.00\t", ",5O0.00\t")),
            id="an amount that is no number",
        ),
    ],
)
def test_an_alipay_bill_that_does_not_add_up_is_refused(raw):
    with pytest.raises(StatementUnreadable):
        parse_alipay_bill(raw)
