"""What other parts may use of devices: nothing yet (it stands above the contexts whose
facades it feeds: the DICOM node hands what it receives to imaging)."""

__all__: list[str] = []
