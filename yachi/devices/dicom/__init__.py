"""The DICOM node: a Storage SCP X-ray units send to (ADR 0060)."""
