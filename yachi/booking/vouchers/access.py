from yachi.booking.vouchers.errors import VoucherNotFound
from yachi.booking.vouchers.models import ServiceVoucher
from yachi.core.models import as_public_id


def access_voucher_by_id(*, actor, voucher_id) -> ServiceVoucher:
    """One of the caller's own vouchers; anyone else's is "not found" like a missing one."""
    public_id = as_public_id(voucher_id)
    if public_id is None or not getattr(actor, "is_patient", False):
        raise VoucherNotFound()
    voucher = (
        ServiceVoucher.objects.select_related("service__clinic", "clinic", "patient", "appointment")
        .filter(public_id=public_id, owner=actor)
        .first()
    )
    if voucher is None:
        raise VoucherNotFound()
    return voucher
