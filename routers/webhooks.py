"""Webhook administration (admin role): endpoints, their delivery log,
manual redelivery and test pings. Deliveries themselves are sent by the
worker (app/jobs/webhook_worker.py)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic_core import to_jsonable_python
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.api.auth import AdminDep
from app.api.editorial_deps import NO_STORE, EditorReadSessionDep, WriteSessionDep, require_json
from app.api.editorial_responses import READ_PROBLEMS, model_list, problems
from app.api.listing import list_params_for
from app.api.webhook_schemas import (
    AttemptRead,
    DeliveryDetail,
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookUpdate,
)
from app.deps import SettingsDep
from app.http.json_response import json_response
from app.schemas.common import DetailEnvelope, ListEnvelope
from app.services import webhook as webhook_service
from app.services.api_key import Actor
from app.services.editorial import audit
from app.services.paging import ListParams
from models.webhook import DeliveryStatus, WebhookDelivery, WebhookEndpoint

router = APIRouter(tags=["webhooks"])

WebhookId = Annotated[str, Path(max_length=36, description="The webhook endpoint's id.")]
DeliveryId = Annotated[str, Path(max_length=36, description="The delivery (idempotency) id.")]
JsonOnly = [Depends(require_json)]
WRITE = problems(401, 403, 404, 413, 415, 422)
_AT = "2026-01-05T09:30:00Z"
_ENDPOINT = {
    "id": "6f1c2d3e-0000-4000-8000-000000000001",
    "url": "https://integrator.example/hooks/treatments",
    "events": ["faq.*", "treatment.published"],
    "active": True,
    "description": "Portal cache refresh (sample)",
    "created_at": _AT,
    "updated_at": _AT,
}
_DELIVERY = {
    "id": "0b7d9a52-0000-4000-8000-000000000002",
    "endpoint_id": _ENDPOINT["id"],
    "event": "faq.updated",
    "status": "succeeded",
    "attempts": 3,
    "last_status_code": 200,
    "last_error": None,
    "next_attempt_at": None,
    "created_at": _AT,
    "updated_at": _AT,
    "delivered_at": _AT,
}
_DETAIL = {
    **_DELIVERY,
    "payload": {
        "id": _DELIVERY["id"],
        "type": "faq.updated",
        "created_at": "2026-01-05T09:29:58.120000+00:00",
        "data": {"kind": "faq", "id": "…", "slug": "sample-faq", "version": 4, "action": "updated"},
    },
    "attempt_log": [
        {"n": 1, "at": _AT, "status_code": 503, "error": "HTTP 503", "duration_ms": 41},
        {
            "n": 2,
            "at": _AT,
            "status_code": None,
            "error": "timed out after 10 s",
            "duration_ms": 10002,
        },
        {"n": 3, "at": _AT, "status_code": 200, "error": None, "duration_ms": 38},
    ],
}
_PAGE = {"total": 1, "limit": 20, "offset": 0}
_LINKS = {"self": "https://api.example/v1/webhooks", "next": None, "prev": None}


def _ok(model: Any, example: Any, description: str) -> dict[int | str, dict[str, Any]]:
    content = {"application/json": {"example": example}}
    return {200: {"model": model, "description": description, "content": content}}


def _respond(
    payload: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    body = {"data": to_jsonable_python(payload)}
    return json_response(body, status_code, {**NO_STORE, **(headers or {})})


def _delivery(session: Session, delivery: WebhookDelivery) -> dict[str, Any]:
    data = DeliveryRead.model_validate(delivery).model_dump()
    log = [
        AttemptRead.model_validate(a) for a in webhook_service.attempts(session, delivery=delivery)
    ]
    return {**data, "payload": delivery.payload, "attempt_log": log}


def _audit(session: WriteSessionDep, actor: Actor, action: str, endpoint: WebhookEndpoint) -> None:
    audit.add_event(
        session, actor=actor, action=action, kind="webhook_endpoint", item_id=endpoint.id,
        details={"url": endpoint.url, "events": endpoint.events, "active": endpoint.active},
    )  # fmt: skip


EndpointParams = Annotated[
    ListParams, Depends(list_params_for(WebhookRead, webhook_service.ENDPOINT_SORTS))
]
DeliveryParams = Annotated[
    ListParams, Depends(list_params_for(DeliveryRead, webhook_service.DELIVERY_SORTS))
]


@router.post(
    "/v1/webhooks",
    status_code=201,
    dependencies=JsonOnly,
    responses={201: {"model": DetailEnvelope[WebhookCreated]}, **WRITE},
    summary="Register a webhook endpoint",
)
def create_webhook(
    actor: AdminDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    payload: Annotated[WebhookCreate, Body()],
) -> Response:
    """Admin role. The response carries the signing secret; it is never shown again."""
    endpoint = webhook_service.create_endpoint(session, settings=settings, **payload.model_dump())
    _audit(session, actor, "webhook_created", endpoint)
    data = {**WebhookRead.model_validate(endpoint).model_dump(), "secret": endpoint.secret}
    return _respond(data, 201, {"Location": f"/v1/webhooks/{endpoint.id}"})


@router.get(
    "/v1/webhooks",
    responses={
        **_ok(
            ListEnvelope[WebhookRead],
            {"data": [_ENDPOINT], "meta": _PAGE, "links": _LINKS},
            "Webhook endpoints",
        ),
        **problems(*READ_PROBLEMS),
    },
    summary="List webhook endpoints",
)
def list_webhooks(
    request: Request, actor: AdminDep, session: EditorReadSessionDep, params: EndpointParams
) -> Response:
    """Admin role. Every endpoint (never its secret)."""
    endpoints, total = webhook_service.list_endpoints(session, params=params)
    return model_list(request, WebhookRead, endpoints, total, params)


@router.get(
    "/v1/webhooks/{webhook_id}",
    responses={
        **_ok(DetailEnvelope[WebhookRead], {"data": _ENDPOINT}, "The endpoint"),
        **problems(*READ_PROBLEMS),
    },
    summary="A webhook endpoint",
)
def get_webhook(actor: AdminDep, session: EditorReadSessionDep, webhook_id: WebhookId) -> Response:
    """Admin role. One endpoint (never its secret)."""
    endpoint = webhook_service.get_endpoint(session, endpoint_id=webhook_id)
    return _respond(WebhookRead.model_validate(endpoint))


@router.patch(
    "/v1/webhooks/{webhook_id}",
    dependencies=JsonOnly,
    responses={200: {"model": DetailEnvelope[WebhookRead]}, **WRITE},
    summary="Change a webhook endpoint",
)
def update_webhook(
    actor: AdminDep,
    session: WriteSessionDep,
    settings: SettingsDep,
    webhook_id: WebhookId,
    payload: Annotated[WebhookUpdate, Body()],
) -> Response:
    """Admin role. Change the URL, events, description, `active`, or rotate the secret."""
    endpoint = webhook_service.get_endpoint(session, endpoint_id=webhook_id)
    webhook_service.update_endpoint(
        session,
        settings=settings,
        endpoint=endpoint,
        changes=payload.model_dump(exclude_unset=True),
    )
    _audit(session, actor, "webhook_updated", endpoint)
    return _respond(WebhookRead.model_validate(endpoint))


@router.delete(
    "/v1/webhooks/{webhook_id}",
    status_code=204,
    responses={204: {"description": "Deleted, with its delivery log."}, **problems(401, 403, 404)},
    summary="Delete a webhook endpoint",
)
def delete_webhook(actor: AdminDep, session: WriteSessionDep, webhook_id: WebhookId) -> Response:
    """Admin role. Stops deliveries to it and deletes its delivery log."""
    endpoint = webhook_service.get_endpoint(session, endpoint_id=webhook_id)
    _audit(session, actor, "webhook_deleted", endpoint)
    webhook_service.delete_endpoint(session, endpoint=endpoint)
    return Response(status_code=204, headers=NO_STORE)


@router.get(
    "/v1/webhooks/{webhook_id}/deliveries",
    responses={
        **_ok(
            ListEnvelope[DeliveryRead],
            {"data": [_DELIVERY], "meta": _PAGE, "links": _LINKS},
            "The delivery log",
        ),
        **problems(*READ_PROBLEMS),
    },
    summary="An endpoint's delivery log, newest first",
)
def list_deliveries(
    request: Request,
    actor: AdminDep,
    session: EditorReadSessionDep,
    params: DeliveryParams,
    webhook_id: WebhookId,
    status: Annotated[
        DeliveryStatus | None, Query(description="Only deliveries in this state.")
    ] = None,
) -> Response:
    """Admin role. Status, attempts, last error and next retry of each delivery."""
    webhook_service.get_endpoint(session, endpoint_id=webhook_id)
    rows, total = webhook_service.list_deliveries(
        session, endpoint_id=webhook_id, params=params, status=status
    )
    return model_list(request, DeliveryRead, rows, total, params)


@router.get(
    "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}",
    responses={
        **_ok(DetailEnvelope[DeliveryDetail], {"data": _DETAIL}, "The delivery with its attempts"),
        **problems(*READ_PROBLEMS),
    },
    summary="One delivery with its payload and every attempt",
)
def get_delivery(
    actor: AdminDep, session: EditorReadSessionDep, webhook_id: WebhookId, delivery_id: DeliveryId
) -> Response:
    """Admin role. The body sent and each attempt's status code, error and duration."""
    delivery = webhook_service.get_delivery(
        session, delivery_id=delivery_id, endpoint_id=webhook_id
    )
    return _respond(_delivery(session, delivery))


@router.post(
    "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    responses={202: {"model": DetailEnvelope[DeliveryDetail]}, **problems(401, 403, 404, 409)},
    summary="Send a delivery again",
)
def redeliver(
    actor: AdminDep, session: WriteSessionDep, webhook_id: WebhookId, delivery_id: DeliveryId
) -> Response:
    """Admin role. Queued now with the same `Webhook-Id` and a fresh retry window."""
    delivery = webhook_service.get_delivery(
        session, delivery_id=delivery_id, endpoint_id=webhook_id
    )
    webhook_service.redeliver(session, delivery=delivery)
    audit.add_event(
        session,
        actor=actor,
        action="webhook_redelivered",
        kind="webhook_delivery",
        item_id=delivery.id,
    )
    return _respond(_delivery(session, delivery), 202)


@router.post(
    "/v1/webhooks/{webhook_id}/ping",
    status_code=202,
    responses={202: {"model": DetailEnvelope[DeliveryDetail]}, **problems(401, 403, 404)},
    summary="Queue a test event",
)
def ping(actor: AdminDep, session: WriteSessionDep, webhook_id: WebhookId) -> Response:
    """Admin role. Queues a `webhook.ping` delivery; follow it in the delivery log."""
    endpoint = webhook_service.get_endpoint(session, endpoint_id=webhook_id)
    delivery = webhook_service.ping(session, endpoint=endpoint)
    return _respond(_delivery(session, delivery), 202)
