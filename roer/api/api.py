"""Roer's REST API, version 1, at /api/v1/ (docs/api.md). The OpenAPI 3 document is served at
/api/v1/openapi.json; there is no Swagger page, since it would load its script from a CDN."""

from __future__ import annotations

from ninja import NinjaAPI

from roer.api import errors, plans, scans
from roer.api.auth import ApiKeyAuth

api = NinjaAPI(
    title="Roer API",
    version="1",
    description=(
        "An organisation's scans, response rates, published figures and action plan, for its own systems. "
        "Authenticate with an API key made on the organisation's page: `Authorization: Bearer roer_…`. "
        "Errors are JSON with a `detail`, in Dutch unless Accept-Language asks for English."
    ),
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
    auth=ApiKeyAuth(),
)
errors.install(api)
api.add_router("", scans.router)
api.add_router("", plans.router)
