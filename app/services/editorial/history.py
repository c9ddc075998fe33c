"""The content-changed subscriber that keeps the editorial record.

On every change, in the change's transaction: grade the working document's
prose, append a revision and append an audit event. One subscriber builds
the document once for all three.
"""

from sqlalchemy.orm import Session

from app.content.input_documents import working_document
from app.content.kinds import KINDS_BY_NAME
from app.services.api_key import actor_of
from app.services.change_hook import Action, Change
from app.services.editorial import audit
from app.services.editorial import revisions as revision
from app.text import readability


def record_change(session: Session, *, change: Change) -> None:
    kind = KINDS_BY_NAME[change.kind]
    item = change.item
    document = working_document(session, kind, item)
    grades = readability.grade_document(document)
    item.readability = grades
    item.readability_grade = max(grades.values()) if grades else None
    actor = actor_of(session)
    entry = revision.record(session, change=change, document=document, actor=actor)
    audit.add_event(
        session,
        actor=actor,
        action=str(change.action),
        kind=change.kind,
        item_id=item.id,
        slug=item.slug,
        version=item.version,
        details=_details(change, entry.number, sorted(entry.diff)),
    )


def _details(change: Change, number: int, fields: list[str]) -> dict[str, object]:
    details: dict[str, object] = {"revision": number, "fields": fields}
    if change.action == Action.schedule_cancelled:
        details["schedule_cancelled"] = getattr(change.item, "schedule_cancelled", None)
    return details
