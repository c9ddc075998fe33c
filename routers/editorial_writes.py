"""Editorial writes for every kind, generated from the kind registry.

Each kind gets its own routes (not one `/{kind}` route) so the OpenAPI shows
that kind's real create and update schemas.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from starlette.responses import Response

from app.api.auth import AdminDep, EditorDep, PublisherDep
from app.api.editorial_deps import IfMatchDep, JsonBodyDep, WriteSessionDep, require_json
from app.api.editorial_responses import WRITE_PROBLEMS, item_response, problems
from app.api.openapi import register_schemas
from app.content.entry import Kind
from app.content.kinds import KINDS
from app.schemas.common import DetailEnvelope
from app.schemas.editorial import EditorialItem, update_schema
from app.services.editorial import translations as translation
from app.services.editorial import writes as editorial
from app.text.language_tags import LOCALE_PATTERN, canonical

router = APIRouter(tags=["editorial"])

SlugPath = Annotated[str, Path(max_length=120, description="The item's slug.")]
LocaleQuery = Annotated[
    str | None,
    Query(
        pattern=LOCALE_PATTERN,
        description="Write this locale's translation instead of the item itself.",
        examples=["hi"],
    ),
]
JsonOnly = Depends(require_json)
ITEM = {"model": DetailEnvelope[EditorialItem], "description": "The item, editorial view."}


def _patch_body(kind: Kind) -> dict[str, Any]:
    # A merge patch is not a FastAPI body parameter (partial nested objects
    # must reach the merge), so its schema and nested models are registered
    # as components by hand; generators handle references, not inlined unions.
    schema = update_schema(kind.body_schema).model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    defs = schema.pop("$defs", {})
    name = schema["title"]
    register_schemas({**defs, name: schema})
    content = {"schema": {"$ref": f"#/components/schemas/{name}"}}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": content, "application/merge-patch+json": content},
        }
    }


def _add_create(kind: Kind) -> None:
    # The body is this kind's own Create schema, so FastAPI validates and
    # documents exactly it; the alias is a runtime type, which mypy cannot see.
    Payload = Annotated[kind.body_schema, Body()]  # type: ignore[name-defined]

    def create(
        request: Request,
        actor: EditorDep,
        session: WriteSessionDep,
        payload: Payload,
    ) -> Response:
        item = editorial.create_item(session, kind=kind, payload=payload)
        return item_response(session, request, kind, item, status_code=201)

    router.add_api_route(
        f"/v1/{kind.path}",
        create,
        methods=["POST"],
        status_code=201,
        dependencies=[JsonOnly],
        name=f"create_{kind.name}",
        summary=f"Create a {kind.label} (as a draft)",
        description="Editor role. The slug must be unused (409 otherwise); unknown and "
        "read-only fields are a 422 that names them.",
        responses={201: ITEM, **problems(*WRITE_PROBLEMS)},
    )


def _add_patch(kind: Kind) -> None:
    def patch(
        request: Request,
        actor: EditorDep,
        expected: IfMatchDep,
        body: JsonBodyDep,
        session: WriteSessionDep,
        slug: SlugPath,
        locale: LocaleQuery = None,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
        if locale is None or canonical(locale) == canonical(item.locale):
            editorial.update_item(session, kind=kind, item=item, patch=body)
        else:
            translation.write_translation(session, kind=kind, item=item, locale=locale, patch=body)
        return item_response(session, request, kind, item)

    router.add_api_route(
        f"/v1/{kind.path}/{{slug}}",
        patch,
        methods=["PATCH"],
        name=f"update_{kind.name}",
        summary=f"Change a {kind.label} (JSON merge patch)",
        description="Editor role; `If-Match` required. A published item keeps serving "
        "its published version: the change is held as a draft until the next publish. "
        "With `?locale=hi` the body holds that locale's text fields only (a partial "
        "translation; `null` removes a field so it falls back to the default locale); "
        "it too waits for the next publish when the item is live.",
        openapi_extra=_patch_body(kind),
        responses={200: ITEM, **problems(*WRITE_PROBLEMS)},
    )


def _add_delete_and_restore(kind: Kind) -> None:
    def delete(
        request: Request,
        actor: PublisherDep,
        expected: IfMatchDep,
        session: WriteSessionDep,
        slug: SlugPath,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
        editorial.delete_item(session, kind=kind, item=item)
        return item_response(session, request, kind, item)

    def restore(
        request: Request,
        actor: PublisherDep,
        expected: IfMatchDep,
        session: WriteSessionDep,
        slug: SlugPath,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected, deleted=True)
        editorial.undelete_item(session, kind=kind, item=item)
        return item_response(session, request, kind, item)

    router.add_api_route(
        f"/v1/{kind.path}/{{slug}}",
        delete,
        methods=["DELETE"],
        name=f"delete_{kind.name}",
        summary=f"Delete a {kind.label} (soft, restorable)",
        description="Publisher role; `If-Match` required. The answer's ETag is the one "
        "`/restore` takes.",
        responses={200: ITEM, **problems(*WRITE_PROBLEMS)},
    )
    router.add_api_route(
        f"/v1/{kind.path}/{{slug}}/restore",
        restore,
        methods=["POST"],
        name=f"restore_{kind.name}",
        summary=f"Undo the deletion of a {kind.label}",
        description="Publisher role; `If-Match` with the deleted item's ETag.",
        responses={200: ITEM, **problems(*WRITE_PROBLEMS)},
    )


def _add_organization(kind: Kind) -> None:
    def patch(
        request: Request,
        actor: AdminDep,
        expected: IfMatchDep,
        body: JsonBodyDep,
        session: WriteSessionDep,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=None, if_match=expected)
        editorial.update_item(session, kind=kind, item=item, patch=body)
        return item_response(session, request, kind, item)

    router.add_api_route(
        f"/v1/{kind.path}",
        patch,
        methods=["PATCH"],
        name=f"update_{kind.name}",
        summary="Change the hospital's profile (JSON merge patch)",
        description="Admin role; `If-Match` required. The profile is a setting of the "
        "deployment, not editorial content, so a change applies at once.",
        openapi_extra=_patch_body(kind),
        responses={200: ITEM, **problems(*WRITE_PROBLEMS)},
    )


for _kind in KINDS.values():
    if not _kind.editorial.writes:
        continue
    if _kind.singleton:
        _add_organization(_kind)
        continue
    _add_create(_kind)
    _add_patch(_kind)
    _add_delete_and_restore(_kind)
