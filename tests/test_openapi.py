import json
from pathlib import Path

from yachi.core.management.commands.export_openapi import openapi_document

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "api" / "openapi.json"


def test_the_published_api_contract_is_current():
    assert DOCUMENT.read_text(encoding="utf-8") == openapi_document(), (
        "docs/api/openapi.json is stale: run `make openapi`"
    )


def test_openapi_and_docs_are_served(client, db):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def _can_answer(operation: dict) -> set[str]:
    """The errors an operation can give by its shape alone, whatever it does."""
    expected = set()
    if operation.get("security"):
        expected.add("401")  # no token, or a revoked or expired one
    if "requestBody" in operation:
        # A body that does not parse, one over the upload limit, one that is not valid.
        expected |= {"400", "413", "422"}
    locations = {parameter["in"] for parameter in operation.get("parameters", [])}
    if locations & {"query", "header"}:
        expected.add("422")
    if "path" in locations:
        expected.add("404")  # ids of nothing, or of what is not the caller's
    return expected


def test_every_operation_declares_the_errors_its_shape_can_give():
    undeclared = {
        f"{method.upper()} {path}": sorted(_can_answer(operation) - set(operation["responses"]))
        for path, operations in json.loads(openapi_document())["paths"].items()
        for method, operation in operations.items()
    }
    assert not {name: codes for name, codes in undeclared.items() if codes}


def test_the_login_limit_is_declared(client, db, settings):
    """Wrong codes from one address end in 429, which the contract must list."""
    settings.YACHI_LOGIN_IP_HOURLY_FAILURES = 2
    for _attempt in range(3):
        response = client.post(
            "/api/v1/auth/login",
            {"phone": "13800000001", "code": "000000"},
            content_type="application/json",
        )
    assert response.status_code == 429
    declared = json.loads(openapi_document())["paths"]["/api/v1/auth/login"]["post"]["responses"]
    assert "429" in declared
