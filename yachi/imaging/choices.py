from django.db import models
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    """The DICOM modalities a dental clinic's units send (PS3.3 C.7.3.1.1.1)."""

    INTRAORAL = "IO", _("Intraoral X-ray")
    PANORAMIC = "PX", _("Panoramic X-ray")
    DIGITAL = "DX", _("Digital radiograph")
    COMPUTED = "CR", _("Computed radiograph")
    CBCT = "CT", _("Cone-beam CT")


MODALITIES = frozenset(Modality.values)


class UnmatchedReason(models.TextChoices):
    NO_PATIENT_ID = "no_patient_id", _("No Patient ID was sent")
    UNKNOWN_PATIENT_ID = "unknown_patient_id", _("The Patient ID is no patient's chart number")
    NOT_SEEN_HERE = "not_seen_here", _("That patient has never been seen at this clinic")
    NAME_MISMATCH = "name_mismatch", _("The name sent is not the name on that chart")


class ArchiveKind(models.TextChoices):
    LOCAL = "local", _("this machine's disk")
    PACS = "pacs", _("PACS")
