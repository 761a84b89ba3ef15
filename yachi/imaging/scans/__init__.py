"""Intraoral 3D scans and the 3D tooth-arch view (ADR 0062)."""
