"""Payments' part of the front desk's page of a patient (``patients.desk``): the bills
still to pay and what they add up to, and what the patient can pay with (coupons and
points, read from growth)."""

from yachi.growth import facade as growth
from yachi.payments.selectors import unpaid_of_payer


def desk_part(*, user, clinic_ids: set[int] | None) -> dict:
    unpaid = unpaid_of_payer(payer=user, clinic_ids=clinic_ids)
    return {
        "unpaid": unpaid,
        "due_fen": sum(intent.amount_fen for intent in unpaid),
        "coupons": growth.coupons_available_count(user=user),
        "points": growth.points_balance(user=user),
    }
