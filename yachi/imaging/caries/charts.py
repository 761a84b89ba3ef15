"""The agreement dashboard's chart, in the shape ``web/partials/chart.html`` draws."""

from django.utils.translation import gettext as _


def _percent(value):
    return None if value is None else round(value * 100, 1)


def agreement_chart(figures: dict) -> dict:
    weeks = sorted({line["week"] for v in figures["versions"] for line in v["weeks"]})
    categories = [f"{week:%Y-%m-%d}" for week in weeks]
    series = []
    for version in figures["versions"]:
        by_week = {line["week"]: line for line in version["weeks"]}
        for key, label in (("precision", _("precision")), ("recall", _("recall"))):
            series.append(
                {
                    "name": f"{version['version']} · {label}",
                    "type": "line",
                    "data": [
                        _percent(by_week[week][key]) if week in by_week else None for week in weeks
                    ],
                }
            )
    return {"categories": categories, "series": series, "axes": [{"name": "%"}]}
