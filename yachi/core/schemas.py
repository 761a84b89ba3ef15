import re
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.utils import timezone
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, model_validator

from yachi.core.dates import day_in_range, moment_in_range
from yachi.core.text import one_line, several_lines


class ErrorOut(Schema):
    code: str
    message: str


class PublicOut(Schema):
    """The base of every answer that names a stored object: by its public id, never its row."""

    id: UUID

    @staticmethod
    def resolve_id(obj):
        return obj.public_id


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an endpoint documents, all in the one ``{"code", "message"}`` shape.

    Clients switch on the status, so every status an endpoint can give is declared:
    401 wherever a token is needed, 404 wherever a path names something, 422 wherever
    a query or header is read, 400, 413 and 422 wherever a body is; 429 where a limit
    applies. ``tests/test_openapi.py`` checks what each operation's shape implies.
    """
    return dict.fromkeys(statuses, ErrorOut)


def _iso_8601(shape: str, kind: type, example: str):
    """Dates and times arrive as ISO 8601 text, as the contract says.

    Pydantic would also read a number, or a numeric string, as seconds since 1970:
    ``?date=0`` would quietly mean 1 January 1970 instead of a clear 422.
    """
    pattern = re.compile(shape)

    def check(value):
        if isinstance(value, kind) or (isinstance(value, str) and pattern.match(value)):
            return value
        raise ValueError(f"use ISO 8601 text, e.g. {example}")

    return BeforeValidator(check)


# Dates and moments between 1900 and 2200 (``yachi.core.dates``): any date of birth or
# record, and never a year whose arithmetic overflows (0001-01-01, 9999-12-31).
IsoDate = Annotated[
    date,
    _iso_8601(r"^\d{4}-\d{2}-\d{2}$", date, "2026-03-01"),
    AfterValidator(day_in_range),
]
IsoAwareDatetime = Annotated[
    AwareDatetime,
    _iso_8601(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}", datetime, "2026-03-01T09:30:00+08:00"),
    AfterValidator(moment_in_range),
]

# Free text a client sends (``yachi.core.text``): one line (names, numbers, codes) or
# several lines (notes, reasons), never NUL or another control character.
Line = Annotated[str, AfterValidator(one_line)]
Text = Annotated[str, AfterValidator(several_lines)]


class InputSchema(Schema):
    """What a client sends: a JSON object, whose text fields are ``Line`` or ``Text``.

    Django Ninja's ``Schema`` also reads attributes of any object (for answers built
    from models), so a bare ``5`` or ``"x"`` would pass as a body whose fields all have
    defaults. A request body or query must be an object.
    """

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data):
        value = data._obj if isinstance(data, DjangoGetter) else data
        if value is None or isinstance(value, str | bytes | int | float | list | tuple):
            raise ValueError("send a JSON object")
        return data


def _local(moment):
    return timezone.localtime(moment) if moment is not None and moment.tzinfo else moment


# A moment the API shows: in the chain's time zone (Asia/Shanghai, "+08:00"), as the
# mini-program displays it, rather than UTC.
LocalDatetime = Annotated[datetime, AfterValidator(_local)]
