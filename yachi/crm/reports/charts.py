"""The dashboard's charts as plain data for ``web/partials/chart.html`` (ECharts' own
option names). The same figures stand in tables beside them."""

from django.utils.translation import gettext as _

from yachi.crm.reports.figures import Dashboard


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def _bars(rows, name: str, value=lambda v: v) -> dict:
    return {
        "categories": [label for _key, label, _v in rows],
        "series": [{"name": name, "type": "bar", "data": [value(v) for _k, _l, v in rows]}],
        "axes": [{"name": name}],
    }


def charts_of(board: Dashboard) -> dict:
    revenue = _("Revenue (yuan)")
    charts = {
        "patients": {
            "categories": [label for label, _new, _back in board.months],
            "series": [
                {
                    "name": _("New patients"),
                    "type": "bar",
                    "data": [n for _l, n, _b in board.months],
                },
                {
                    "name": _("Returning patients"),
                    "type": "bar",
                    "data": [b for _l, _n, b in board.months],
                },
            ],
            "axes": [{"name": _("Patients")}],
        },
        "utilisation": {
            "categories": [u.label for u in board.doctors],
            "series": [
                {
                    "name": _("Doctor utilisation (%)"),
                    "type": "bar",
                    "data": [round((u.rate or 0) * 100, 1) for u in board.doctors],
                }
            ],
            "axes": [{"name": "%"}],
        },
        "repurchase": {
            "categories": [r.label for r in board.repurchase],
            "series": [
                {
                    "name": _("Repurchase rate (%)"),
                    "type": "bar",
                    "data": [round((r.rate or 0) * 100, 1) for r in board.repurchase],
                }
            ],
            "axes": [{"name": "%"}],
        },
    }
    for dimension in ("service", "doctor", "clinic", "channel"):
        charts[f"revenue_{dimension}"] = _bars(board.revenue_by[dimension].rows, revenue, _yuan)
    return charts
