"""JSON log lines, one object per line, for the log shipper to index.

Plain stdlib logging: anything logged with `extra={...}` becomes top-level
keys, so the access log and the error log share one format. `treatments
serve` hands `LOG_CONFIG` to uvicorn, which applies it in every worker.
"""

import logging
from datetime import UTC, datetime
from typing import Any

import orjson

# Attributes every LogRecord has; whatever else a record carries came from `extra`.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A dictConfig for uvicorn: JSON to stderr for the app and uvicorn's own loggers."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.logs.JsonFormatter"}},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {"level": level},
            "uvicorn.error": {"level": level},
            # Our middleware writes the access line (route template, no query string).
            "uvicorn.access": {"level": "WARNING"},
        },
    }
