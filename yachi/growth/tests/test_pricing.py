"""The arithmetic of discounts, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from yachi.growth.pricing import MIN_SPEND_NOT_MET, NOT_APPLICABLE, QuoteLine, Terms, discount

FLOSS = QuoteLine("product", "floss", 1500, 2)
PASTE = QuoteLine("product", "toothpaste", 6800, 3)
CLEANING = QuoteLine("service", "cleaning", 19800, 1)


def test_amount_off_counts_only_applicable_items_towards_the_minimum():
    terms = Terms("fixed_amount", "products", ("floss", "toothpaste"), 3000, None, 20000)
    assert discount(terms, [FLOSS, PASTE, CLEANING]) == 3000
    assert discount(terms, [FLOSS, CLEANING]) == MIN_SPEND_NOT_MET


def test_a_coupon_for_other_items_does_not_apply():
    terms = Terms("fixed_amount", "services", ("implant",), 3000)
    assert discount(terms, [CLEANING, FLOSS]) == NOT_APPLICABLE


def test_percentage_rounds_in_the_patients_favour_only_to_the_fen():
    terms = Terms("percentage", "services", ("cleaning",), pay_percent=70)
    # 198.00 × 70 % = 138.60 to pay: 59.40 off
    assert discount(terms, [CLEANING, FLOSS]) == 5940
    odd = QuoteLine("service", "cleaning", 3, 1)
    assert discount(terms, [odd]) == 0  # 2.1 fen to pay rounds up to 3: nothing off


def test_free_item_gives_one_unit_of_the_dearest_applicable_line():
    terms = Terms("free_item", "products", ("floss", "toothpaste"))
    assert discount(terms, [FLOSS, PASTE]) == 6800


lines = st.lists(
    st.builds(
        QuoteLine,
        kind=st.sampled_from(["product", "service"]),
        code=st.sampled_from(["floss", "cleaning", "toothpaste"]),
        unit_price_fen=st.integers(0, 10**7),
        quantity=st.integers(1, 50),
    ),
    min_size=1,
    max_size=8,
)
terms = st.builds(
    Terms,
    kind=st.sampled_from(["fixed_amount", "percentage", "free_item"]),
    applies_to=st.sampled_from(["any", "services", "products"]),
    item_codes=st.just(("floss", "cleaning")),
    amount_off_fen=st.integers(1, 10**8),
    pay_percent=st.integers(1, 99),
    min_spend_fen=st.integers(0, 10**6),
)


@given(terms, lines)
def test_a_discount_never_exceeds_what_it_applies_to(terms, lines):
    result = discount(terms, lines)
    if isinstance(result, int):
        chosen = [
            line
            for line in lines
            if terms.applies_to == "any"
            or (line.kind == terms.applies_to[:-1] and line.code in terms.item_codes)
        ]
        assert 0 <= result <= sum(line.unit_price_fen * line.quantity for line in chosen)
