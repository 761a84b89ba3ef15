"""The caries tests' world: mother and child booked at clinic A, the stranger at clinic B."""

import pytest

from conftest import book_seen


@pytest.fixture
def seen(world):
    return book_seen(world)
