"""Money as integer fen: conversion at the edges, exact parsing, display."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from yachi.core.money import MAX_FEN, exact_fen, fen_to_yuan, format_yuan, yuan_to_fen

# Any amount a 64-bit ledger column can hold, refunds (negative) included.
amounts = st.integers(min_value=-MAX_FEN, max_value=MAX_FEN)
quick = settings(max_examples=200, deadline=None)


# --- fen and yuan ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "yuan"),
    [
        (990, "9.90"),
        (1, "0.01"),
        (0, "0.00"),
        (20000, "200.00"),
        (-6000, "-60.00"),
        (MAX_FEN, "92233720368547758.07"),
    ],
)
def test_fen_become_yuan_with_two_decimals_exactly(fen, yuan):
    assert fen_to_yuan(fen) == Decimal(yuan)
    assert str(fen_to_yuan(fen)) == yuan


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [
        (Decimal("9.9"), 990),
        ("19.90", 1990),
        (35, 3500),
        (Decimal("0.01"), 1),
        (Decimal("-60"), -6000),
    ],
)
def test_yuan_become_fen(yuan, fen):
    assert yuan_to_fen(yuan) == fen


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [
        ("0.004", 0),
        ("0.005", 1),  # half a fen rounds up
        ("0.015", 2),  # not to even: a clinic rounds half up
        ("1.234", 123),
        ("1.235", 124),
        ("-0.005", -1),  # away from zero, like the positive side
        ("-1.234", -123),
    ],
)
def test_yuan_with_fractions_of_a_fen_round_half_up(yuan, fen):
    assert yuan_to_fen(yuan) == fen


@quick
@given(amounts)
def test_every_amount_survives_the_trip_to_yuan_and_back(fen):
    assert yuan_to_fen(fen_to_yuan(fen)) == fen
    assert exact_fen(str(fen_to_yuan(fen))) == fen


# --- exact_fen ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("9.90", 990),
        ("9.9", 990),
        ("9", 900),
        (" 9.90 ", 990),
        ("0.01", 1),
        ("9.900", 990),  # the same amount, only written longer
        (".5", 50),
        ("5.", 500),
        ("+9.90", 990),
        ("-9.90", -990),
        ("0", 0),
        ("92233720368547758.07", MAX_FEN),
    ],
)
def test_an_amount_written_in_yuan_gives_its_exact_fen(text, fen):
    assert exact_fen(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "9.901",  # a tenth of a fen
        "0.001",
        "0.0000000000000000000000000000001",
        "1.000000000000000000000000000000000001",  # more digits than arithmetic keeps
    ],
)
def test_an_amount_with_a_fraction_of_a_fen_is_refused_not_rounded(text):
    assert exact_fen(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        ".",
        "-",
        "abc",
        "9.9.0",
        "¥9.90",
        "9.90元",
        "1,000.00",
        "1 000",
        "NaN",
        "sNaN",
        "Infinity",
        "-Infinity",
        "1e2",  # nobody writes a price in scientific notation
        "1E+2",
        "1_000",
        "0x10",
        "９.９０",  # full-width digits
    ],
)
def test_text_that_is_not_a_plain_amount_is_refused(text):
    assert exact_fen(text) is None


@pytest.mark.parametrize("value", [None, 990, Decimal("9.90"), b"9.90"])
def test_anything_but_text_is_refused(value):
    assert exact_fen(value) is None


@pytest.mark.parametrize(
    "text",
    [
        "1e999999",  # once overflowed the arithmetic instead of being refused
        "12345678901234567890123456789.01",  # once came back rounded to 28 digits
        "92233720368547758.08",  # one fen more than a ledger column holds
        "-92233720368547758.08",
        "9" * 5000,
        "1" + "0" * 100_000 + ".00",
    ],
)
def test_an_amount_too_large_for_any_ledger_is_refused(text):
    assert exact_fen(text) is None


# --- display -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "shown"),
    [
        (990, "¥9.90"),
        (0, "¥0.00"),
        (1, "¥0.01"),
        (20000, "¥200.00"),
        (123456789, "¥1,234,567.89"),
        (MAX_FEN, "¥92,233,720,368,547,758.07"),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_amounts_show_in_yuan_with_grouped_thousands_in_both_languages(fen, shown, language):
    with translation.override(language):
        assert format_yuan(fen) == shown


@pytest.mark.parametrize(
    ("fen", "shown"),
    [(-6000, "−¥60.00"), (-1, "−¥0.01"), (-123456789, "−¥1,234,567.89")],
)
def test_a_refund_shows_its_minus_sign_before_the_yuan_sign(fen, shown):
    # As the pages write a coupon's discount: "−¥60.00", never "¥-60.00".
    assert format_yuan(fen) == shown


def test_largest_remainder_splits_a_pool_to_the_fen():
    from yachi.core.money import split_largest_remainder

    assert split_largest_remainder(1_000_000, [1, 1, 1]) == [333_334, 333_333, 333_333]
    assert split_largest_remainder(1_000_000, [90, 85, 85]) == [346_154, 326_923, 326_923]
    assert split_largest_remainder(100, [0, 0]) == [50, 50]
    assert split_largest_remainder(7, [1, 2, 4]) == [1, 2, 4]
    for weights in ([3, 3, 3, 3, 3, 3, 3], [97, 1, 1], [1] * 13, [5, 0, 2]):
        shares = split_largest_remainder(1_000_001, weights)
        assert sum(shares) == 1_000_001
        assert all(
            abs(s * sum(weights) - 1_000_001 * w) < sum(weights)
            for s, w in zip(shares, weights, strict=True)
        )


def test_largest_remainder_refuses_what_it_cannot_split():
    import pytest

    from yachi.core.money import split_largest_remainder

    for total, weights in ((-1, [1]), (10, []), (10, [1, -1])):
        with pytest.raises(ValueError):
            split_largest_remainder(total, weights)
