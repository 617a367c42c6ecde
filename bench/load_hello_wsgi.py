"""The bare WSGI baseline of `bench.load`: what gunicorn and the client cost without any framework."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_BODY = b"ok"


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(_BODY)))])
    return [_BODY]
