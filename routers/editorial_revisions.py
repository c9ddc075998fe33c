"""Revision history for every kind: list, show, and restore a revision."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from app.api.auth import EditorDep, require
from app.api.editorial_deps import EditorReadSessionDep, IfMatchDep, WriteSessionDep
from app.api.editorial_responses import (
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    detail,
    item_response,
    model_list,
    problems,
)
from app.api.listing import list_params_for
from app.content.entry import Kind
from app.content.kinds import KINDS
from app.schemas.common import DetailEnvelope, ListEnvelope
from app.schemas.editorial import EditorialItem, RevisionRead, RevisionSummary
from app.services.api_key import Actor
from app.services.change_hook import Action
from app.services.editorial import revisions as revision_service
from app.services.editorial import writes as editorial
from app.services.paging import ListParams
from models.api_key import Role

router = APIRouter(tags=["editorial revisions"])

SlugPath = Annotated[str, Path(max_length=120, description="The item's slug.")]
NumberPath = Annotated[int, Path(ge=1, le=10_000_000, description="Revision number, from 1.")]


def _slug(slug: SlugPath) -> str | None:
    return slug


def _singleton() -> str | None:
    return None


RevisionParams = Annotated[
    ListParams, Depends(list_params_for(RevisionSummary, revision_service.REVISION_SORTS))
]


def _add_routes(kind: Kind) -> None:
    base = f"/v1/{kind.path}" if kind.singleton else f"/v1/{kind.path}/{{slug}}"
    locate = Depends(_singleton if kind.singleton else _slug)
    restore_role = Depends(require(Role.admin if kind.singleton else Role.editor))

    def list_revisions(
        request: Request,
        actor: EditorDep,
        session: EditorReadSessionDep,
        params: RevisionParams,
        slug: str | None = locate,
    ) -> Response:
        item = editorial.find(session, kind=kind, slug=slug, include_deleted=True)
        revisions, total = revision_service.list_revisions(
            session, kind=kind, item=item, params=params
        )
        return model_list(request, RevisionSummary, revisions, total, params)

    def get_revision(
        actor: EditorDep,
        session: EditorReadSessionDep,
        number: NumberPath,
        slug: str | None = locate,
    ) -> Response:
        item = editorial.find(session, kind=kind, slug=slug, include_deleted=True)
        revision = revision_service.get_revision(session, kind=kind, item=item, number=number)
        return detail(RevisionRead.model_validate(revision).model_dump(mode="json"))

    def restore_revision(
        request: Request,
        *,
        actor: Actor = restore_role,
        expected: IfMatchDep,
        session: WriteSessionDep,
        number: NumberPath,
        slug: str | None = locate,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
        revision = revision_service.get_revision(session, kind=kind, item=item, number=number)
        editorial.replace_document(
            session, kind=kind, item=item, new=dict(revision.snapshot), action=Action.reverted
        )
        return item_response(session, request, kind, item)

    router.add_api_route(
        f"{base}/revisions",
        list_revisions,
        methods=["GET"],
        name=f"list_{kind.name}_revisions",
        summary=f"A {kind.label}'s revisions, oldest first",
        description="Editor role. Each revision: who, when, the action and a field-level diff.",
        responses={200: {"model": ListEnvelope[RevisionSummary]}, **problems(*READ_PROBLEMS)},
    )
    router.add_api_route(
        f"{base}/revisions/{{number}}",
        get_revision,
        methods=["GET"],
        name=f"get_{kind.name}_revision",
        summary=f"One revision of a {kind.label}, with the full document",
        description="Editor role.",
        responses={200: {"model": DetailEnvelope[RevisionRead]}, **problems(*READ_PROBLEMS)},
    )
    router.add_api_route(
        f"{base}/revisions/{{number}}/restore",
        restore_revision,
        methods=["POST"],
        name=f"restore_{kind.name}_revision",
        summary=f"Restore a revision of a {kind.label} (as a new revision)",
        description="Editor role (admin for the organization); `If-Match` required. "
        "The revision's document becomes the working copy: a draft while the item is "
        "published, publish it to go live.",
        responses={
            200: {"model": DetailEnvelope[EditorialItem]},
            **problems(*WRITE_PROBLEMS),
        },
    )


for _kind in KINDS.values():
    if _kind.editorial.revisions:
        _add_routes(_kind)
