"""Helpers for the export/import tests: rich content, and the file in and out."""

import io

from app.content.kinds import KINDS
from app.db import Database
from app.services.api_key import Actor, act_as
from app.services.editorial import writes as editorial
from app.services.editorial.translations import write_translation
from app.services.transfer.export import export_lines
from app.services.transfer.import_records import ImportMode
from app.services.transfer.importer import Importer, ImportReport
from app.services.transfer.seed import load_seed, read_seed_files
from tests.support.factories import make, translate

EDITOR = Actor("Sample Editor (sample)")
HI_QUESTION = "मुझे कितने समय तक इम्यूनोथेरेपी मिलेगी? (sample Hindi translation)"
DRAFT_ANSWER = "A pending rewrite of the answer (sample draft)."
HI_DRAFT_QUESTION = "उपचार के बाद क्या अपेक्षा करें? (sample Hindi draft, not yet published)"


def build_rich_content(database: Database) -> None:
    """The seed, plus a pending draft on a live FAQ, a Hindi translation, a
    pending Hindi translation of a live FAQ (its `draft`), a soft-deleted FAQ
    and the revisions all of that leaves behind."""
    with database.transaction(write=True) as session:
        load_seed(session, documents=read_seed_files())
    translate(database, "faqs", "how-long-will-i-get-immunotherapy", "hi", question=HI_QUESTION)
    make(database, "faqs", slug="sample-deleted-faq", question="Sample question?", answer="Gone.")
    faqs = KINDS["faqs"]
    with database.transaction(write=True) as session:
        act_as(session, actor=EDITOR)
        live = editorial.find(session, kind=faqs, slug="what-should-i-expect-after-immunotherapy")
        editorial.update_item(session, kind=faqs, item=live, patch={"answer": DRAFT_ANSWER})
        write_translation(
            session, kind=faqs, item=live, locale="hi", patch={"question": HI_DRAFT_QUESTION}
        )
        gone = editorial.find(session, kind=faqs, slug="sample-deleted-faq")
        editorial.delete_item(session, kind=faqs, item=gone)


def export_bytes(database: Database) -> bytes:
    with database.transaction() as session:
        return b"".join(export_lines(session))


def import_bytes(
    database: Database,
    data: bytes,
    *,
    mode: ImportMode = ImportMode.create,
    batch_size: int = 500,
) -> ImportReport:
    return Importer(database, mode=mode, batch_size=batch_size).run(io.BytesIO(data))
