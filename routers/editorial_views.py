"""Editorial reads: an item's editorial view (with its ETag), per-kind lists for
editors (drafts, schedules, overdue reviews), the hardest-to-read items, and
the audit log."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from app.api.auth import AdminDep, EditorDep
from app.api.editorial_deps import EditorReadSessionDep
from app.api.editorial_responses import READ_PROBLEMS, item_response, model_list, problems
from app.api.listing import list_params_for
from app.content.entry import Kind
from app.content.kinds import KINDS
from app.schemas.common import DetailEnvelope, ListEnvelope
from app.schemas.editorial import AuditEventRead, EditorialItem, EditorialSummary
from app.schemas.inputs import UtcDateTime
from app.services.editorial import audit as audit_service
from app.services.editorial import lists as lists_service
from app.services.editorial import writes as editorial
from app.services.paging import ListParams

router = APIRouter(tags=["editorial views"])

SlugPath = Annotated[str, Path(max_length=120, description="The item's slug.")]
StatusQuery = Annotated[
    Literal["draft", "published", "archived", "scheduled", "deleted"] | None,
    Query(description="Only items in this state."),
]
OverdueQuery = Annotated[
    bool | None, Query(description="Only items whose clinical review is (or is not) overdue.")
]
SummaryParams = Annotated[
    ListParams, Depends(list_params_for(EditorialSummary, lists_service.ITEM_SORTS))
]
ReadabilityParams = Annotated[
    ListParams,
    Depends(list_params_for(EditorialSummary, fixed_sort=lists_service.READABILITY_ORDER)),
]
AuditParams = Annotated[
    ListParams, Depends(list_params_for(AuditEventRead, audit_service.AUDIT_SORTS))
]
SUMMARY_LIST = {200: {"model": ListEnvelope[EditorialSummary]}, **problems(*READ_PROBLEMS)}


@router.get(
    "/v1/editorial/readability",
    responses=SUMMARY_LIST,
    summary="The hardest-to-read items first",
)
def hardest_to_read(
    request: Request,
    actor: EditorDep,
    session: EditorReadSessionDep,
    params: ReadabilityParams,
    kind: Annotated[
        Literal[tuple(KINDS)] | None,  # type: ignore[valid-type]
        Query(description="Only this kind (its URL name, e.g. `faqs`)."),
    ] = None,
) -> Response:
    """Editor role. Items by their worst prose field's grade, highest first."""
    kinds = [KINDS[kind]] if kind else list(KINDS.values())
    items, total = lists_service.hardest_to_read(session, kinds=kinds, params=params)
    return model_list(request, EditorialSummary, items, total, params)


@router.get(
    "/v1/audit",
    responses={200: {"model": ListEnvelope[AuditEventRead]}, **problems(*READ_PROBLEMS)},
    summary="The audit log, newest first",
)
def audit_log(
    request: Request,
    actor: AdminDep,
    session: EditorReadSessionDep,
    params: AuditParams,
    who: Annotated[str | None, Query(alias="actor", max_length=200)] = None,
    kind: Annotated[str | None, Query(max_length=40, description="e.g. `treatment`.")] = None,
    action: Annotated[str | None, Query(max_length=40, description="e.g. `published`.")] = None,
    since: Annotated[UtcDateTime | None, Query(description="At or after this time.")] = None,
) -> Response:
    """Admin role. Every write and workflow action: who, what, when, with which key."""
    events, total = audit_service.list_events(
        session, params=params, actor=who, kind=kind, action=action, since=since
    )
    return model_list(request, AuditEventRead, events, total, params)


def _add_kind_views(kind: Kind) -> None:
    # Written out per variant, so each route's signature is what FastAPI reads:
    # only reviewed kinds have a review date, so elsewhere `review_overdue` does
    # not exist (and, like any unknown parameter, is a 400 naming it); a
    # singleton has no slug in its path.
    def list_reviewed(
        request: Request,
        actor: EditorDep,
        session: EditorReadSessionDep,
        params: SummaryParams,
        status: StatusQuery = None,
        review_overdue: OverdueQuery = None,
    ) -> Response:
        items, total = lists_service.list_items(
            session, kind=kind, params=params, status=status, review_overdue=review_overdue
        )
        return model_list(request, EditorialSummary, items, total, params)

    def list_unreviewed(
        request: Request,
        actor: EditorDep,
        session: EditorReadSessionDep,
        params: SummaryParams,
        status: StatusQuery = None,
    ) -> Response:
        items, total = lists_service.list_items(
            session, kind=kind, params=params, status=status, review_overdue=None
        )
        return model_list(request, EditorialSummary, items, total, params)

    def get_item(
        request: Request, actor: EditorDep, session: EditorReadSessionDep, slug: SlugPath
    ) -> Response:
        item = editorial.find(session, kind=kind, slug=slug, include_deleted=True)
        return item_response(session, request, kind, item)

    def get_singleton(
        request: Request, actor: EditorDep, session: EditorReadSessionDep
    ) -> Response:
        item = editorial.find(session, kind=kind, slug=None, include_deleted=True)
        return item_response(session, request, kind, item)

    list_items = list_reviewed if kind.reviewed else list_unreviewed
    if not kind.singleton:
        router.add_api_route(
            f"/v1/editorial/{kind.path}",
            list_items,
            methods=["GET"],
            name=f"editorial_list_{kind.name}",
            summary=f"All {kind.label} items, in every state",
            description="Editor role. Drafts, scheduled, archived and deleted items included"
            + (
                "; `review_overdue=true` lists what needs a clinical review."
                if kind.reviewed
                else "."
            ),
            responses=SUMMARY_LIST,
        )
    path = f"/v1/editorial/{kind.path}" + ("" if kind.singleton else "/{slug}")
    router.add_api_route(
        path,
        get_singleton if kind.singleton else get_item,
        methods=["GET"],
        name=f"editorial_get_{kind.name}",
        summary=f"A {kind.label}'s editorial view and ETag",
        description="Editor role. The editable document (the pending draft, if any), "
        "workflow state, readability and the ETag that writes take in `If-Match`.",
        responses={200: {"model": DetailEnvelope[EditorialItem]}, **problems(*READ_PROBLEMS)},
    )


for _kind in KINDS.values():
    if _kind.editorial.views:
        _add_kind_views(_kind)
