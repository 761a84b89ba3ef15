"""Log lines as JSON objects, one a line, each with the request's id (ADR 0041).

What a log aggregator can index without parsing prose: the time, the level, the logger,
the message, the request id of the request being served (``-`` outside one) and the
exception's traceback when there is one. Personal data never goes into a message in the
first place: services log public ids, codes and counts, not names or numbers.
"""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
