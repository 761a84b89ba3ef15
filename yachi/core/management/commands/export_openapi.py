import json
from pathlib import Path

from django.core.management.base import BaseCommand


def openapi_document() -> str:
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI document (the mini-program contract) to a file."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default="docs/api/openapi.json")

    def handle(self, *args, path, **options):
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(openapi_document(), encoding="utf-8")
        self.stdout.write(f"wrote {target}")
