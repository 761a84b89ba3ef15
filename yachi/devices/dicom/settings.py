"""Which clinic a node belongs to, its AE title and port: options over environment."""

from django.conf import settings
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.errors import InvalidInput
from yachi.devices.dicom.node import NodeSettings

AE_TITLE_LENGTH = 16


def ae_title_clean(value: str) -> str:
    """An AE title: 1–16 printable ASCII characters, no backslash, not only spaces."""
    title = (value or "").strip()
    if (
        not title
        or len(title) > AE_TITLE_LENGTH
        or not title.isascii()
        or not title.isprintable()
        or "\\" in title
    ):
        raise InvalidInput(
            _("An AE title is 1 to 16 ASCII letters, digits or punctuation (no backslash)."),
            code="ae_title_invalid",
        )
    return title


def node_settings(*, clinic_id: str | None, ae_title: str | None, port: int | None, host: str):
    clinic_id = clinic_id or settings.YACHI_DICOM_CLINIC
    if clinic_id:
        clinic = clinics.clinic_by_id(clinic_id)
    else:
        every = list(clinics.active_clinics())
        if len(every) != 1:
            raise InvalidInput(
                _(
                    "Say which clinic this DICOM node belongs to (--clinic or "
                    "YACHI_DICOM_CLINIC): the installation has %(count)d clinics."
                )
                % {"count": len(every)},
                code="clinic_required",
            )
        clinic = every[0]
    port = settings.YACHI_DICOM_PORT if port is None else port
    if not 0 < port < 65536:
        raise InvalidInput(_("The port must be between 1 and 65535."), code="port_invalid")
    return NodeSettings(
        clinic=clinic,
        ae_title=ae_title_clean(
            ae_title if ae_title is not None else settings.YACHI_DICOM_AE_TITLE
        ),
        host=host,
        port=port,
    )
