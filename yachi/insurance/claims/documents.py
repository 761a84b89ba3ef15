"""The documents an insurer needs for a claim, made as PDF from the platform's own data:
the itemised bill (payments), the X-ray (imaging), the diagnosis certificate (the
clinical chart). An invoice is attached when one was issued; this platform issues none
yet, so the list says so instead of inventing one.

Documents are written in Chinese whatever the reader's language: they go to a Chinese
insurer, like the paper forms they replace.
"""

from dataclasses import dataclass

from django.utils import timezone

from yachi.core import pdf
from yachi.core.money import format_yuan
from yachi.insurance.claims.choices import DocumentKind


@dataclass(frozen=True)
class Document:
    kind: str
    filename: str
    data: bytes


def _header(case, title: str) -> list:
    return [
        pdf.text(title, "title"),
        pdf.text(f"{case.clinic.name} · {case.clinic.address}"),
        pdf.text(f"患者：{case.patient.name}    病历号：{case.patient.chart_number}"),
        pdf.text(
            f"保险公司：{case.get_insurer_display()}    保单号：{case.policy_number}    "
            f"出险日期：{case.accident_date:%Y-%m-%d}"
        ),
        pdf.space(),
    ]


def itemised_bill(case, facts, shares) -> Document:
    """收费明细: every line of the bill, and who paid what (insurance, the patient)."""
    rows = [["项目", "数量", "单价", "金额"]]
    for line in facts.lines:
        rows.append(
            [
                line.description,
                f"{line.quantity}{line.unit}",
                format_yuan(line.unit_fen),
                format_yuan(line.amount_fen),
            ]
        )
    rows.append(["合计", "", "", format_yuan(facts.amount_fen)])
    insurance = sum(s.amount_fen - s.refunded_fen for s in shares if s.status == "paid")
    paid = [
        pdf.space(),
        pdf.text(
            f"医保支付：{format_yuan(insurance)}    个人支付：{format_yuan(facts.amount_fen - insurance)}"
        ),
        pdf.text(
            f"缴费时间：{timezone.localtime(facts.paid_at):%Y-%m-%d %H:%M}"
            if facts.paid_at
            else "缴费时间：—"
        ),
    ]
    parts = [*_header(case, "门诊收费明细"), pdf.table(rows), *paid]
    return Document(
        DocumentKind.ITEMISED_BILL,
        "itemised-bill.pdf",
        pdf.render(title="门诊收费明细", parts=parts),
    )


def diagnosis_certificate(case, findings) -> Document:
    """诊断证明书: the findings standing in the chart, with tooth, date and doctor."""
    rows = [["牙位", "诊断", "日期", "医生"]]
    for finding in findings:
        rows.append(
            [finding.tooth, finding.label, f"{finding.seen_on:%Y-%m-%d}", finding.doctor or "—"]
        )
    if len(rows) == 1:
        rows.append(["—", "病历中暂无诊断记录", "", ""])
    parts = [
        *_header(case, "诊断证明书"),
        pdf.table(rows),
        pdf.space(),
        pdf.text(f"就诊经过：{case.accident_description or '—'}"),
        pdf.space(),
        pdf.text(f"出具机构：{case.clinic.name}    出具日期：{timezone.localdate():%Y-%m-%d}"),
        pdf.text("本证明依据本院电子病历生成。", "small"),
    ]
    return Document(
        DocumentKind.DIAGNOSIS, "diagnosis.pdf", pdf.render(title="诊断证明书", parts=parts)
    )


def xray(case, picture) -> Document | None:
    """影像资料: the newest X-ray, with when and where it was taken."""
    if picture is None:
        return None
    parts = [
        *_header(case, "影像资料"),
        pdf.text(
            f"检查类型：{picture.modality}    拍摄时间：{timezone.localtime(picture.taken_at):%Y-%m-%d %H:%M}    {picture.clinic}"
        ),
        pdf.space(),
        pdf.picture(picture.png),
    ]
    return Document(DocumentKind.XRAY, "xray.pdf", pdf.render(title="影像资料", parts=parts))
