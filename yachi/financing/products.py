"""The instalment products the platform ships, and which treatment plans may use them.

Two products, both through the configured financing partner:

- 正畸免息分期 (interest-free orthodontic loan): plans with orthodontics or clear
  aligners; 6, 12 or 24 months; the patient pays no interest, the clinic pays the
  partner a fee of the principal (the longer, the more).
- 种植分期 (implant instalments): any other plan; 3 months interest-free (clinic fee),
  6, 12 or 24 months at an annual rate the patient pays.

Only plans whose total reaches ``YACHI_INSTALMENT_MIN_FEN`` (default 3 000 CNY) qualify.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

ORTHODONTIC_SERVICES = frozenset({"orthodontics", "aligner"})


@dataclass(frozen=True)
class Term:
    months: int
    annual_rate: Decimal  # what the patient pays
    clinic_fee_rate: Decimal  # of the principal, what the clinic pays the partner


@dataclass(frozen=True)
class Product:
    code: str
    name: object
    terms: tuple[Term, ...]

    def term(self, months: int) -> Term | None:
        return next((t for t in self.terms if t.months == months), None)

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(t.months for t in self.terms)


ORTHODONTIC_LOAN = Product(
    code="orthodontic_loan",
    name=_("Interest-free orthodontic loan"),
    terms=(
        Term(6, Decimal(0), Decimal("0.03")),
        Term(12, Decimal(0), Decimal("0.05")),
        Term(24, Decimal(0), Decimal("0.08")),
    ),
)
IMPLANT_INSTALMENTS = Product(
    code="implant_instalments",
    name=_("Implant instalments"),
    terms=(
        Term(3, Decimal(0), Decimal("0.015")),
        Term(6, Decimal("0.0599"), Decimal(0)),
        Term(12, Decimal("0.0699"), Decimal(0)),
        Term(24, Decimal("0.0799"), Decimal(0)),
    ),
)
PRODUCTS = {p.code: p for p in (ORTHODONTIC_LOAN, IMPLANT_INSTALMENTS)}


def minimum_fen() -> int:
    return settings.YACHI_INSTALMENT_MIN_FEN


def product_for(service_codes) -> Product:
    """The product a plan of these services is offered."""
    if ORTHODONTIC_SERVICES & set(service_codes):
        return ORTHODONTIC_LOAN
    return IMPLANT_INSTALMENTS
