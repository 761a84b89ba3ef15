from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yachi.core.forms import Form
from yachi.core.money import exact_fen
from yachi.payments.models import MAX_LINE_QUANTITY


class BillLineForm(Form):
    """A line the desk adds to an unpaid bill: an item of the catalogue as ``kind:code``,
    how many, and the unit price in yuan when the desk sets one."""

    item = forms.CharField(
        max_length=80,
        error_messages={
            key: _("This clinic has no such treatment or material. Choose one from the list.")
            for key in ("required", "max_length")
        },
    )
    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_LINE_QUANTITY,
        initial=1,
        required=False,
        error_messages={
            key: _("The quantity must be a whole number from 1 to %(most)s.")
            % {"most": MAX_LINE_QUANTITY}
            for key in ("invalid", "min_value", "max_value")
        },
    )
    unit_price = forms.CharField(
        max_length=16,
        required=False,
        error_messages={"max_length": _("Enter the unit price in yuan, e.g. 180.00.")},
    )

    def clean_quantity(self) -> int:
        return self.cleaned_data["quantity"] or 1

    def clean_unit_price(self) -> int | None:
        """Fen, or None for the catalogue's price; never rounded to something nobody wrote."""
        raw = self.cleaned_data["unit_price"].strip()
        if not raw:
            return None
        fen = exact_fen(raw)
        if fen is None or fen < 0:
            raise ValidationError(_("Enter the unit price in yuan, e.g. 180.00."))
        return fen

    def kind_and_code(self) -> tuple[str, str]:
        kind, _sep, code = self.cleaned_data["item"].partition(":")
        return kind, code


class BillLineRemovalForm(Form):
    """The line the desk takes off a bill, by its position."""

    position = forms.IntegerField(
        min_value=1,
        max_value=10**6,
        error_messages={
            key: _("This line is not on the bill.")
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )


def first_error(form: forms.Form) -> str:
    """The message of a refused form, for the page's one message."""
    return next(iter(form.errors.values()))[0]
