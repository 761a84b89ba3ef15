from django import forms
from django.utils.translation import gettext_lazy as _

from yachi.accounts.phones import normalize_phone
from yachi.core.errors import DomainError
from yachi.core.forms import Form


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "inputmode": "numeric",
                    "autocomplete": "tel",
                    "placeholder": "138 0000 0000",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return normalize_phone(value)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from exc


def invite_code_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Invite code (optional)"),
        required=False,
        max_length=16,
        **kwargs,
    )


# What the login page's script reads of the device (``data-device-signal`` in app.js).
DEVICE_SIGNALS = ("install_id", "screen", "timezone", "platform")


class PhoneForm(Form):
    phone = PhoneField()
    invite_code = invite_code_field(
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"})
    )


class CodeForm(Form):
    phone = PhoneField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("SMS code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "000000"}
        ),
    )
    invite_code = invite_code_field(widget=forms.HiddenInput)


class StaffLoginForm(Form):
    phone = PhoneField()
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


def _authenticator_code(label, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        min_length=6,
        max_length=7,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", **attrs}
        ),
    )


class TotpForm(Form):
    code = _authenticator_code(_("Code from your authenticator app"), autofocus=True)


class TotpReplaceForm(Form):
    """Moving the second factor to a new app: proof of the current one first."""

    current = _authenticator_code(_("Code from your current authenticator app"), autofocus=True)
    code = _authenticator_code(_("Code from the new authenticator app"))


class PasswordChangeForm(Form):
    current = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    repeat = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new") and data.get("new") != data.get("repeat"):
            self.add_error("repeat", _("The two new passwords differ."))
        return data
