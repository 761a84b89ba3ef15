"""The providers' daily statements (对账单), read into one shape: pure functions of the
downloaded bytes, no network, no database.

* WeChat Pay's trade bill (交易账单, ``bill_type=ALL``): UTF-8 CSV, a header line, one
  line per payment (``SUCCESS``) or refund (``REFUND``) with every value prefixed by a
  backtick (so that a spreadsheet keeps long numbers as text), then a summary header
  (``总交易单数,…``) and its line of totals. ``parse_wechatpay_tradebill``.
* Alipay's bill (``bill_type=trade``): a zip of GBK CSV files, the detail
  (``…_业务明细.csv``, one line per 交易 or 退款, values padded with tabs) and the summary
  (``…_业务明细(汇总).csv``); both carry ``#`` comment lines around the table, the
  detail's comments giving its counts (``#交易合计：3笔，…``). ``parse_alipay_bill``.

Each summary is checked against the lines read, so a file cut short or garbled is
refused (``StatementUnreadable``) rather than read as a day with fewer trades.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from yachi.core.money import exact_fen
from yachi.payments.providers.base import ProviderError

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A statement of one merchant's day is a few thousand lines; ten megabytes (or that
# much unpacked from a zip) is no statement.
MAX_STATEMENT_BYTES = 10 * 1024 * 1024


class StatementUnavailable(ProviderError):
    """The provider has no statement to give: not ready yet, or no trade that day
    (``code`` is the provider's: ``NO_STATEMENT_EXIST``, ``isp.bill_not_exist``…)."""


class StatementUnreadable(ProviderError):
    """The statement came, but it is not what the provider's documentation describes, or
    its hash or its totals do not agree with its lines."""


def read_statement(response) -> bytes:
    """A statement's bytes from a streamed answer, refused once it grows past
    ``MAX_STATEMENT_BYTES``: a provider's file is read whole, never without bound."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_STATEMENT_BYTES:
            raise StatementUnreadable("statement too large", code="malformed")
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class StatementLine:
    """One line of a statement: a payment or a refund, amounts in fen."""

    kind: str  # "payment" or "refund"
    out_trade_no: str
    provider_trade_no: str
    amount_fen: int  # the trade's amount (payment), or the refund's
    at: datetime | None = None
    out_refund_no: str = ""
    provider_refund_no: str = ""
    state: str = ""  # the provider's word for the line (SUCCESS, REFUND, 交易, 退款…)


@dataclass(frozen=True)
class Statement:
    provider: str
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def payments(self) -> list[StatementLine]:
        return [line for line in self.lines if line.kind == "payment"]

    @property
    def refunds(self) -> list[StatementLine]:
        return [line for line in self.lines if line.kind == "refund"]


def _fen(text: str, what: str) -> int:
    fen = exact_fen(text)
    if fen is None:
        raise StatementUnreadable(f"{what}: not an amount {text[:40]!r}", code="malformed")
    return fen


def _moment(text: str) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    except ValueError:
        raise StatementUnreadable(f"not a time {text[:40]!r}", code="malformed") from None


# --- WeChat Pay --------------------------------------------------------------------

WECHAT_REQUIRED = (
    "交易时间",
    "商户号",
    "微信订单号",
    "商户订单号",
    "交易状态",
    "订单金额",
    "微信退款单号",
    "商户退款单号",
    "申请退款金额",
    "退款状态",
)
WECHAT_SUMMARY = "总交易单数"


def _wechat_values(line: str) -> list[str]:
    """A data line: every value starts with a backtick, so values are split at ",`"
    (a comma inside a product name or the attach data stays in its value)."""
    if not line.startswith("`"):
        raise StatementUnreadable(f"line without backticks {line[:60]!r}", code="malformed")
    return [value.strip() for value in line[1:].split(",`")]


def parse_wechatpay_tradebill(raw: bytes) -> Statement:
    """WeChat Pay's trade bill of ``bill_type=ALL``, already decompressed."""
    if len(raw) > MAX_STATEMENT_BYTES:
        raise StatementUnreadable("statement too large", code="malformed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementUnreadable("the trade bill is not UTF-8", code="malformed") from None
    rows = [row for row in text.splitlines() if row.strip()]
    if not rows:
        raise StatementUnreadable("the trade bill is empty", code="malformed")
    header = [name.strip() for name in rows[0].split(",")]
    missing = [name for name in WECHAT_REQUIRED if name not in header]
    if missing:
        raise StatementUnreadable(f"trade bill lacks {', '.join(missing)}", code="malformed")
    column = {name: index for index, name in enumerate(header)}
    lines: list[StatementLine] = []
    summary: dict[str, str] | None = None
    body = rows[1:]
    for position, row in enumerate(body):
        if row.startswith(WECHAT_SUMMARY):
            names = [name.strip() for name in row.split(",")]
            if position + 1 >= len(body):
                raise StatementUnreadable("trade bill summary has no totals", code="malformed")
            summary = dict(zip(names, _wechat_values(body[position + 1]), strict=False))
            break
        values = _wechat_values(row)
        if len(values) < len(header):
            raise StatementUnreadable(f"short line {row[:60]!r}", code="malformed")

        def value(name, values=values):
            return values[column[name]]

        state = value("交易状态")
        if state == "REFUND":
            lines.append(
                StatementLine(
                    kind="refund",
                    out_trade_no=value("商户订单号"),
                    provider_trade_no=value("微信订单号"),
                    amount_fen=_fen(value("申请退款金额"), "申请退款金额"),
                    at=_moment(value("交易时间")),
                    out_refund_no=value("商户退款单号"),
                    provider_refund_no=value("微信退款单号"),
                    state=value("退款状态"),
                )
            )
        else:  # SUCCESS; REVOKED (a cancelled card payment) keeps its line, as paid money did
            lines.append(
                StatementLine(
                    kind="payment",
                    out_trade_no=value("商户订单号"),
                    provider_trade_no=value("微信订单号"),
                    amount_fen=_fen(value("订单金额"), "订单金额"),
                    at=_moment(value("交易时间")),
                    state=state,
                )
            )
    if summary is None:
        raise StatementUnreadable("trade bill has no summary: cut short?", code="malformed")
    _check_wechat_summary(summary, body, lines, column)
    return Statement(provider="wechatpay", lines=lines)


def _check_wechat_summary(summary, body, lines, column) -> None:
    try:
        count = int(summary[WECHAT_SUMMARY])
    except (KeyError, ValueError):
        raise StatementUnreadable("trade bill summary has no count", code="malformed") from None
    if count != len(lines):
        raise StatementUnreadable(
            f"trade bill says {count} lines, holds {len(lines)}", code="malformed"
        )
    ordered = sum(line.amount_fen for line in lines if line.kind == "payment")
    asked = sum(line.amount_fen for line in lines if line.kind == "refund")
    for name, total in (("订单总金额", ordered), ("申请退款总金额", asked)):
        if name in summary and _fen(summary[name], name) != total:
            raise StatementUnreadable(
                f"trade bill's {name} {summary[name]} is not the sum of its lines",
                code="malformed",
            )


# --- Alipay ------------------------------------------------------------------------

ALIPAY_DETAIL_MARK = "支付宝交易号"
ALIPAY_SUMMARY_MARK = "交易订单总笔数"
_ALIPAY_TOTALS = re.compile(r"^#(交易|退款)合计：(\d+)笔")


def _name(header: str) -> str:
    """A column's name without its unit: 订单金额（元） → 订单金额."""
    return re.sub(r"[（(]元[)）]$", "", header.strip())


def _alipay_table(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The table's rows by column name, and the comment lines."""
    comments = [line for line in text.splitlines() if line.startswith("#")]
    table = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.reader(io.StringIO("\n".join(table)))
    try:
        rows = [[value.strip() for value in row] for row in reader]
    except csv.Error as exc:
        raise StatementUnreadable(f"bill is not CSV: {exc}", code="malformed") from None
    if not rows:
        return [], comments
    names = [_name(header) for header in rows[0]]
    for row in rows[1:]:
        if len(row) != len(names):
            raise StatementUnreadable(
                f"bill line of {len(row)} values under {len(names)} columns", code="malformed"
            )
    return [dict(zip(names, row, strict=False)) for row in rows[1:]], comments


def _decode_gbk(data: bytes) -> str:
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise StatementUnreadable("bill file is not GBK text", code="malformed") from None


def parse_alipay_bill(raw: bytes) -> Statement:
    """Alipay's ``trade`` bill: the zip as downloaded from ``bill_download_url``."""
    if len(raw) > MAX_STATEMENT_BYTES:
        raise StatementUnreadable("statement too large", code="malformed")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = [m for m in archive.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_STATEMENT_BYTES:
            raise StatementUnreadable("bill unpacks too large", code="malformed")
        texts = [_decode_gbk(archive.read(m)) for m in members]
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise StatementUnreadable(f"bill is not a zip: {exc}", code="malformed") from None
    # Told apart by their tables, not by their names (GBK names in a zip read as cp437).
    detail = next((t for t in texts if ALIPAY_DETAIL_MARK in t), None)
    summary = next((t for t in texts if ALIPAY_SUMMARY_MARK in t), None)
    if detail is None:
        raise StatementUnreadable("bill has no detail file (业务明细)", code="malformed")
    rows, comments = _alipay_table(detail)
    lines = []
    for row in rows:
        try:
            kind, out_trade_no = row["业务类型"], row["商户订单号"]
            trade_no, amount = row["支付宝交易号"], row["订单金额"]
        except KeyError as exc:
            raise StatementUnreadable(f"bill line lacks {exc}", code="malformed") from None
        if kind == "退款":
            received = _fen(row.get("商家实收", ""), "商家实收")
            lines.append(
                StatementLine(
                    kind="refund",
                    out_trade_no=out_trade_no,
                    provider_trade_no=trade_no,
                    amount_fen=-received,  # written negative: money that went back
                    at=_moment(row.get("完成时间", "")),
                    out_refund_no=row.get("退款批次号/请求号", ""),
                    state=kind,
                )
            )
        elif kind == "交易":
            lines.append(
                StatementLine(
                    kind="payment",
                    out_trade_no=out_trade_no,
                    provider_trade_no=trade_no,
                    amount_fen=_fen(amount, "订单金额"),
                    at=_moment(row.get("完成时间", "")),
                    state=kind,
                )
            )
        else:
            raise StatementUnreadable(f"bill line of kind {kind[:20]!r}", code="malformed")
    counts = {"交易": len([x for x in lines if x.kind == "payment"]), "退款": 0}
    counts["退款"] = len(lines) - counts["交易"]
    for comment in comments:
        match = _ALIPAY_TOTALS.match(comment)
        if match and int(match.group(2)) != counts[match.group(1)]:
            raise StatementUnreadable(
                f"bill says {match.group(2)} {match.group(1)}, holds {counts[match.group(1)]}",
                code="malformed",
            )
    if summary is not None:
        _check_alipay_summary(summary, counts)
    return Statement(provider="alipay", lines=lines)


def _check_alipay_summary(text: str, counts: dict[str, int]) -> None:
    rows, _ = _alipay_table(text)
    total = next((row for row in rows if row.get("门店编号") == "合计"), None)
    if total is None:
        raise StatementUnreadable("bill summary has no 合计 line", code="malformed")
    for name, kind in (("交易订单总笔数", "交易"), ("退款订单总笔数", "退款")):
        if name in total and total[name] != str(counts[kind]):
            raise StatementUnreadable(
                f"bill summary says {total[name]} {kind}, the detail holds {counts[kind]}",
                code="malformed",
            )
