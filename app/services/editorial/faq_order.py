"""Reordering a treatment's FAQs in one request.

Order is page structure, not clinical text, so the new positions apply to
the public page at once (a publisher action) rather than waiting in each
FAQ's draft; each moved FAQ still gets its own revision and audit entry.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.kinds import KINDS
from app.errors import ValidationFailed
from app.services.change_hook import Action
from app.services.editorial.writes import bump
from models import Faq
from models.base import EditorialMixin


def reorder(session: Session, *, treatment: EditorialMixin, slugs: list[str]) -> None:
    kind = KINDS["faqs"]
    faqs = list(
        session.scalars(
            select(Faq)
            .where(Faq.treatment_id == treatment.id, Faq.deleted_at.is_(None))
            .options(*kind.load_options())
            .with_for_update()
        )
    )
    by_slug = {faq.slug: faq for faq in faqs}
    if len(set(slugs)) != len(slugs) or set(slugs) != set(by_slug):
        missing = sorted(set(by_slug) - set(slugs))
        unknown = sorted(set(slugs) - set(by_slug))
        raise ValidationFailed(
            "List every FAQ of this treatment exactly once."
            + (f" Missing: {', '.join(missing)}." if missing else "")
            + (f" Not FAQs of this treatment: {', '.join(unknown)}." if unknown else ""),
            errors=[{"field": "faqs", "message": "must list each of the treatment's FAQs once"}],
        )
    moved = False
    for position, slug in enumerate(slugs):
        faq = by_slug[slug]
        if faq.position == position:
            continue
        faq.position = position
        if faq.draft is not None:
            faq.draft = {**faq.draft, "position": position}
        bump(session, kind=kind, item=faq, action=Action.updated)
        moved = True
    if moved:
        # The treatment's page changed, so its ETag must too.
        bump(session, kind=KINDS["treatments"], item=treatment, action=Action.updated)
