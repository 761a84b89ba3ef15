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
