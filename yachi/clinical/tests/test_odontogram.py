"""The tooth chart's pure core: FDI teeth, derivation from history, DMFT, risk."""

from datetime import date

import pytest

from yachi.clinical.odontogram.chart import (
    Entry,
    derive,
    dmft_permanent,
    dmft_primary,
    present_teeth,
)
from yachi.clinical.odontogram.risk import Mark, tooth_risks
from yachi.clinical.odontogram.teeth import (
    ALL_TEETH,
    chart_slots,
    expected_teeth,
    neighbours,
    normalise_surfaces,
    predecessor,
    successor,
)

_order = iter(range(10_000))


def entry(tooth, kind, surfaces="", day=date(2026, 3, 1), withdrawn=False):
    return Entry(
        id=str(next(_order)),
        tooth=tooth,
        kind=kind,
        surfaces=surfaces,
        seen_on=day,
        order=next(_order),
        withdrawn=withdrawn,
    )


def test_fdi_has_32_permanent_and_20_primary_teeth():
    assert len(ALL_TEETH) == 52
    assert "11" in ALL_TEETH and "48" in ALL_TEETH and "85" in ALL_TEETH
    assert "19" not in ALL_TEETH and "56" not in ALL_TEETH and "09" not in ALL_TEETH


def test_primary_molar_is_replaced_by_the_premolar_and_first_molar_has_no_predecessor():
    assert successor("55") == "15"
    assert predecessor("15") == "55"
    assert predecessor("16") is None


def test_central_incisors_touch_across_the_midline():
    assert set(neighbours("11")) == {"12", "21"}
    assert set(neighbours("48")) == {"47"}
    assert set(neighbours("81")) == {"82", "71"}


def test_surface_letters_accept_the_incisal_facial_and_palatal_names():
    assert normalise_surfaces("dom") == "MOD"
    assert normalise_surfaces("I,F") == "OB"
    assert normalise_surfaces("P") == "L"
    with pytest.raises(ValueError):
        normalise_surfaces("X")


def test_a_filling_replaces_caries_on_that_surface_and_history_is_kept():
    chart = derive(
        [
            entry("16", "caries", "OD", date(2025, 1, 1)),
            entry("16", "filling", "O", date(2025, 2, 1)),
        ]
    )
    assert chart["16"].surfaces == {"O": "filling", "D": "caries"}
    assert [e.kind for e in chart["16"].history] == ["caries", "filling"]


def test_the_chart_of_an_earlier_day_shows_what_was_known_then():
    entries = [
        entry("16", "caries", "O", date(2025, 1, 1)),
        entry("16", "filling", "O", date(2025, 2, 1)),
    ]
    assert derive(entries, until=date(2025, 1, 15))["16"].surfaces == {"O": "caries"}


def test_a_withdrawn_entry_stays_in_history_but_not_in_the_chart():
    chart = derive([entry("26", "caries", "M", withdrawn=True)])
    assert chart["26"].surfaces == {}
    assert len(chart["26"].history) == 1


def test_an_extracted_tooth_loses_its_surface_findings():
    chart = derive([entry("36", "caries", "O"), entry("36", "missing", day=date(2026, 4, 1))])
    assert chart["36"].surfaces == {} and chart["36"].missing


def test_dmft_counts_each_tooth_once_decayed_before_filled():
    chart = derive(
        [
            entry("16", "caries", "O"),
            entry("16", "filling", "M"),  # decayed and filled: counts as decayed
            entry("26", "filling", "O"),
            entry("36", "missing"),
            entry("46", "crown"),
            entry("47", "sealant", "O"),  # a sealant is not a filling
            entry("55", "caries", "O"),
        ]
    )
    permanent = dmft_permanent(chart)
    assert (permanent.decayed, permanent.missing, permanent.filled) == (1, 1, 2)
    assert permanent.total == 4
    assert dmft_primary(chart).total == 1


def test_a_shed_primary_tooth_is_not_counted_as_missing():
    chart = derive([entry("51", "exfoliated")])
    assert dmft_primary(chart).total == 0


def test_a_seven_year_old_has_mixed_dentition():
    teeth = expected_teeth(7 * 12)
    assert {"16", "26", "36", "46"} <= teeth  # first permanent molars
    assert {"31", "41"} <= teeth  # lower central incisors
    assert {"54", "55", "64", "65"} <= teeth  # primary molars still there
    assert "17" not in teeth and "15" not in teeth


def test_an_adult_of_unknown_age_is_charted_with_permanent_teeth():
    teeth = expected_teeth(None)
    assert len(teeth) == 32 and not any(t.startswith(("5", "6", "7", "8")) for t in teeth)


def test_a_shed_primary_tooth_makes_room_for_its_successor_in_the_drawing():
    expected = expected_teeth(6 * 12 + 6)
    chart = derive([entry("51", "exfoliated"), entry("11", "erupted", day=date(2026, 5, 1))])
    present = present_teeth(chart, expected)
    assert "51" not in present and "11" in present
    slots = chart_slots(present)
    assert len(slots) == 32
    assert [s.tooth for s in slots][:8] == ["18", "17", "16", "55", "54", "53", "52", "11"]


def test_active_caries_is_high_risk_and_a_sealed_clean_tooth_low():
    chart = derive([entry("16", "caries", "O"), entry("26", "sealant", "O")])
    risks = tooth_risks(chart=chart, present={"16", "26", "15"}, caries_experience=1)
    assert risks["16"].level == "high"
    assert risks["26"].level == "low"
    assert "neighbour_caries" in risks["15"].reasons


def test_caries_in_a_teeths_history_keeps_its_risk_raised_after_filling():
    chart = derive([entry("36", "caries", "O"), entry("36", "filling", "O", date(2026, 6, 1))])
    filled = tooth_risks(chart=chart, present={"36", "46"}, caries_experience=1)
    assert filled["36"].score > filled["46"].score


def test_a_missing_tooth_has_no_risk_and_a_registered_mark_raises_one():
    chart = derive([entry("36", "missing")])
    risks = tooth_risks(
        chart=chart,
        present={"36", "37"},
        caries_experience=0,
        marks=[Mark("37", 0.9, "imaging:test"), Mark("99", 1.0, "nonsense")],
    )
    assert "36" not in risks
    assert risks["37"].level == "high" and "mark" in risks["37"].reasons
