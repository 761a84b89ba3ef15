"""The facade contract reports what it should: a bypass, and nothing else."""

import grimp
import pytest

from tests.architecture.importcontracts import FacadeContract


def contract() -> FacadeContract:
    return FacadeContract(
        name="facades",
        session_options={},
        contract_options={"contexts": ["app.booking", "app.clinics"]},
    )


@pytest.fixture
def graph():
    graph = grimp.ImportGraph()
    for module in (
        "app",
        "app.booking",
        "app.booking.views",
        "app.booking.tests",
        "app.booking.tests.test_views",
        "app.clinics",
        "app.clinics.facade",
        "app.clinics.models",
        "app.web",
        "app.web.urls",
    ):
        graph.add_module(module)
    return graph


def add(graph, importer, imported, line=3):
    graph.add_import(
        importer=importer, imported=imported, line_number=line, line_contents=f"import {imported}"
    )


def test_importing_another_contexts_facade_keeps_the_contract(graph):
    add(graph, "app.booking.views", "app.clinics.facade")
    add(graph, "app.clinics.facade", "app.clinics.models")

    assert contract().check(graph, verbose=False).kept


def test_importing_another_contexts_models_breaks_it_and_names_the_line(graph):
    add(graph, "app.booking.views", "app.clinics.models", line=7)

    check = contract().check(graph, verbose=False)

    assert not check.kept
    assert check.metadata["bypasses"] == [("app.booking.views", "app.clinics.models", [7])]


def test_a_contexts_own_tests_and_the_composition_root_may_import_anything(graph):
    add(graph, "app.booking.tests.test_views", "app.clinics.models")
    add(graph, "app.web.urls", "app.clinics.models")

    assert contract().check(graph, verbose=False).kept
