"""Reading what an X-ray unit sends: a pure core on pydicom (no Django)."""
