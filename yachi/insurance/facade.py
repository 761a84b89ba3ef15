"""What other contexts may use of insurance: nothing yet. Medical insurance records its
shares of bills through payments' facade, and claims read the chart, the X-rays and the
bill through those contexts' facades; nothing below insurance calls it."""

__all__: list[str] = []
