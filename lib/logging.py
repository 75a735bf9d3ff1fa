"""Structured logs (LOG_FORMAT=json) and one line per request.

``JsonFormatter`` writes each record as one JSON object on one line: time,
level, logger, message, the request id, and the few named fields below. A
record's other attributes (Django attaches the request object to its own
records) are never written: what may reach the log is listed here.

``RequestLogMiddleware`` gives each request an id (the proxy's X-Request-ID if
it looks like one, else a new one), returns it in the response's X-Request-ID,
and logs one line on the ``inkludera.request`` logger: method, the route's name
(the path only when no route matched, never the query string), status and
duration. Never the user, an e-mail address, the client's address, cookies or
the query string: the route's name rather than the path, because paths carry
tokens (a password reset link, a survey's address). With LOG_FORMAT=text (the
default) the line is not written; runserver and the proxy log requests then.
The worker's tasks log through the same formatter (django_tasks' own lines,
which name the task and its id, not its arguments).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

request_log = logging.getLogger("inkludera.request")

# The id of the request being served, added to every record logged while it is.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# A proxy's id is taken only if it is short and plain: it is written to the log as is.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Record attributes written besides the message (set with ``extra=``).
FIELDS = ("method", "route", "status", "duration_ms", "task", "task_id", "queue", "worker")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id.get()
        if request_id:
            entry["request_id"] = request_id
        for field in FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id_for(request) -> str:
    given = request.headers.get("X-Request-ID", "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    """Early in MIDDLEWARE (after the health checks, which are not logged)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = current_request_id.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            request_log.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.view_name if match else request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "request_id": request.request_id,
                },
            )
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            current_request_id.reset(token)


task_log = logging.getLogger("inkludera.task")


def log_task_finished(sender, task_result, **kwargs) -> None:
    """One line per task run (django_tasks' task_finished, connected in home.apps): the task's
    name, id, queue, outcome and duration; never its arguments (they may name people)."""
    started, finished = task_result.started_at, task_result.finished_at
    task_log.info(
        "task",
        extra={
            "task": task_result.task.module_path,
            "task_id": str(task_result.id),
            "queue": task_result.task.queue_name,
            "status": getattr(task_result.status, "value", str(task_result.status)),
            "duration_ms": round((finished - started).total_seconds() * 1000, 1) if started and finished else None,
            "worker": task_result.worker_ids[-1] if task_result.worker_ids else None,
        },
    )
