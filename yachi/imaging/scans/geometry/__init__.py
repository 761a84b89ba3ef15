"""The pure geometry of scans and of the parametric arch: no Django, no other context."""
