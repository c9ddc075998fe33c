"""Workflow actions: publish (now or scheduled), unpublish, archive, clinical
review, and reordering a treatment's FAQs."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from starlette.responses import Response

from app.api.auth import EditorDep, PublisherDep
from app.api.editorial_deps import IfMatchDep, WriteSessionDep, require_json
from app.api.editorial_responses import WRITE_PROBLEMS, item_response, problems
from app.content.entry import Kind
from app.content.kinds import KINDS
from app.schemas.common import DetailEnvelope
from app.schemas.editorial import EditorialItem, FaqOrderInput, PublishInput, ReviewInput
from app.services.editorial import faq_order as faq_order_service
from app.services.editorial import workflow
from app.services.editorial import writes as editorial

router = APIRouter(tags=["editorial workflow"])

SlugPath = Annotated[str, Path(max_length=120, description="The item's slug.")]
ITEM = {"model": DetailEnvelope[EditorialItem], "description": "The item, editorial view."}
RESPONSES = {200: ITEM, **problems(*WRITE_PROBLEMS)}
JsonOnly = [Depends(require_json)]


def _add_publish(kind: Kind) -> None:
    def publish(
        request: Request,
        actor: PublisherDep,
        expected: IfMatchDep,
        session: WriteSessionDep,
        slug: SlugPath,
        payload: Annotated[PublishInput | None, Body()] = None,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
        options = payload or PublishInput()
        workflow.publish(
            session,
            kind=kind,
            item=item,
            publish_at=options.publish_at,
            unpublish_at=options.unpublish_at,
        )
        return item_response(session, request, kind, item)

    reviewed = " Treatments and FAQs need a recorded clinical review first (409)." * kind.reviewed
    router.add_api_route(
        f"/v1/{kind.path}/{{slug}}/publish",
        publish,
        methods=["POST"],
        dependencies=JsonOnly,
        name=f"publish_{kind.name}",
        summary=f"Publish a {kind.label}, now or at `publish_at`",
        description="Publisher role; `If-Match` required. Publishes the working copy "
        "(the pending draft, if any); `publish_at` in the future schedules it, "
        f"`unpublish_at` takes it down again later.{reviewed}",
        responses=RESPONSES,
    )


def _add_take_down(kind: Kind) -> None:
    def unpublish(
        request: Request,
        actor: PublisherDep,
        expected: IfMatchDep,
        session: WriteSessionDep,
        slug: SlugPath,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
        workflow.unpublish(session, kind=kind, item=item)
        return item_response(session, request, kind, item)

    def archive(
        request: Request,
        actor: PublisherDep,
        expected: IfMatchDep,
        session: WriteSessionDep,
        slug: SlugPath,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
        workflow.archive(session, kind=kind, item=item)
        return item_response(session, request, kind, item)

    for action, endpoint, what in (
        ("unpublish", unpublish, "Back to draft: the public gets 404 from now on."),
        ("archive", archive, "Retire it: hidden from the public, kept for the record."),
    ):
        router.add_api_route(
            f"/v1/{kind.path}/{{slug}}/{action}",
            endpoint,
            methods=["POST"],
            name=f"{action}_{kind.name}",
            summary=f"{action.capitalize()} a {kind.label}",
            description=f"Publisher role; `If-Match` required. {what}",
            responses=RESPONSES,
        )


def _add_review(kind: Kind) -> None:
    def review(
        request: Request,
        actor: EditorDep,
        expected: IfMatchDep,
        session: WriteSessionDep,
        slug: SlugPath,
        payload: Annotated[ReviewInput, Body()],
        locale: Annotated[
            str | None,
            Query(
                pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                description="Review this locale's translation only (404 if there is none).",
                examples=["hi"],
            ),
        ] = None,
    ) -> Response:
        item = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
        last = payload.last_reviewed or datetime.now(UTC).date()
        interval = request.app.state.settings.review_interval_days
        workflow.review(
            session,
            kind=kind,
            item=item,
            reviewed_by=payload.reviewed_by,
            last_reviewed=last,
            next_review_due=payload.next_review_due
            or workflow.default_next_review(last, interval_days=interval),
            locale=locale,
        )
        return item_response(session, request, kind, item)

    router.add_api_route(
        f"/v1/{kind.path}/{{slug}}/review",
        review,
        methods=["POST"],
        dependencies=JsonOnly,
        name=f"review_{kind.name}",
        summary=f"Record a clinical review of a {kind.label}",
        description="Editor role; `If-Match` required. Sets reviewed_by, last_reviewed "
        "(default today) and next_review_due (default a review interval later), and "
        "records the exact text approved: the item's published and draft versions and "
        "every translation. A later change of a reviewed field clears the review of "
        "that version (or locale), and publishing it then needs a new review (409). "
        "With `?locale=hi` it approves that translation only. Review metadata cannot "
        "be set any other way.",
        responses=RESPONSES,
    )


def reorder_faqs(
    request: Request,
    actor: PublisherDep,
    expected: IfMatchDep,
    session: WriteSessionDep,
    slug: SlugPath,
    payload: Annotated[FaqOrderInput, Body()],
) -> Response:
    """Put a treatment's FAQs in a new order, in one request."""
    kind = KINDS["treatments"]
    treatment = editorial.lock(session, kind=kind, slug=slug, if_match=expected)
    faq_order_service.reorder(session, treatment=treatment, slugs=payload.faqs)
    return item_response(session, request, kind, treatment)


router.add_api_route(
    "/v1/treatments/{slug}/faqs/order",
    reorder_faqs,
    methods=["PUT"],
    dependencies=JsonOnly,
    name="reorder_treatment_faqs",
    summary="Reorder a treatment's FAQs",
    description="Publisher role; `If-Match` with the treatment's ETag. List every FAQ "
    "of the treatment once; the order applies to the public page at once.",
    responses=RESPONSES,
)

for _kind in KINDS.values():
    if not _kind.editorial.workflow:
        continue
    _add_publish(_kind)
    _add_take_down(_kind)
    if _kind.editorial.review:
        _add_review(_kind)
