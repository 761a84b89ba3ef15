"""The invoice buyer and the instalment plans in a patient's personal-data download; the
buyer erased with the account (invoices and loans are kept: tax and credit records)."""

from django.utils.translation import gettext as _

from yachi.compliance.facade import ErasedPart, ExportedPart, PersonalDataPart
from yachi.financing.models import Instalment, InstalmentPlan, Invoice, InvoiceBuyer


def _export(user) -> ExportedPart:
    buyer = InvoiceBuyer.objects.filter(owner_id=user.pk).first()
    plans = list(InstalmentPlan.objects.filter(borrower_id=user.pk).order_by("created_at"))
    instalments: dict[int, list] = {}
    for row in Instalment.objects.filter(plan__in=plans).order_by("plan_id", "number"):
        instalments.setdefault(row.plan_id, []).append(
            {
                "number": row.number,
                "due_date": row.due_date.isoformat(),
                "principal_fen": row.principal_fen,
                "interest_fen": row.interest_fen,
                "status": row.status,
            }
        )
    invoices = Invoice.objects.filter(requested_by_id=user.pk).order_by("created_at")
    return ExportedPart(
        data={
            "invoice_buyer": (
                {"kind": buyer.kind, "name": buyer.name, "tax_number": buyer.tax_number}
                if buyer
                else None
            ),
            "instalment_plans": [
                {
                    "id": str(p.public_id),
                    "product": p.product,
                    "months": p.months,
                    "method": p.method,
                    "principal_fen": p.principal_fen,
                    "apr": str(p.apr),
                    "status": p.status,
                    "terms_agreed_at": p.terms_agreed_at and p.terms_agreed_at.isoformat(),
                    "sharing_agreed_at": p.sharing_agreed_at and p.sharing_agreed_at.isoformat(),
                    "instalments": instalments.get(p.pk, []),
                }
                for p in plans
            ],
            "invoices": [
                {
                    "kind": i.kind,
                    "amount_fen": i.amount_fen,
                    "buyer": i.buyer_name,
                    "tax_number": i.buyer_tax_number,
                    "invoice_number": i.invoice_number,
                    "status": i.status,
                }
                for i in invoices
            ],
        }
    )


def _erase(user, *, reason: str) -> ErasedPart:
    deleted, _rows = InvoiceBuyer.objects.filter(owner_id=user.pk).delete()
    retained = []
    if InstalmentPlan.objects.filter(borrower_id=user.pk).exclude(status="quoted").exists():
        retained.append(
            {
                "what": _("instalment plans agreed to"),
                "until": None,
                "reason": _("kept as the record of a loan while it is repaid"),
            }
        )
    InstalmentPlan.objects.filter(borrower_id=user.pk, status="quoted").delete()
    return ErasedPart(
        deleted=[_("the invoice buyer you entered")] if deleted else [],
        retained=retained,
        details={"invoice_buyer": deleted},
    )


PERSONAL_DATA = PersonalDataPart(name="financing", order=40, exporter=_export, eraser=_erase)
