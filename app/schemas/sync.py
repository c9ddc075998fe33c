"""The sync feed's shapes: changed items and tombstones, with the cursor to resume from."""

from typing import Any

from pydantic import BaseModel, Field


class Tombstone(BaseModel):
    """An item the client should delete: it is no longer public."""

    kind: str = Field(examples=["faq"])
    id: str


class SyncData(BaseModel):
    """What changed since the cursor: items to upsert and items to delete."""

    upserted: list[dict[str, Any]] = Field(
        description="Items in their current public state: `kind` plus exactly the list "
        "representation of that kind (e.g. a treatment as in `GET /v1/treatments`). "
        "A resource's own `kind` field is renamed `<kind>_kind` (media: `media_kind`)."
    )
    deleted: list[Tombstone] = Field(
        description="Items the client may hold that are no longer public (deleted, "
        "unpublished or archived): remove them."
    )


class SyncMeta(BaseModel):
    """The cursor to resume from, and whether more changes are waiting."""

    next_cursor: str = Field(description="Opaque; pass as `cursor` next time, even when empty.")
    has_more: bool = Field(description="True: fetch again now with `next_cursor`.")


class SyncEnvelope(BaseModel):
    """One page of the sync feed."""

    data: SyncData
    meta: SyncMeta


SYNC_EXAMPLE = {
    "data": {
        "upserted": [
            {
                "kind": "faq",
                "id": "0b8f4e0e-5c7d-5b5e-9a51-7f3c0d1f2a11",
                "slug": "how-long-will-i-get-immunotherapy",
                "locale": "en",
                "available_locales": ["en"],
                "status": "published",
                "version": 2,
                "question": "How long will I get immunotherapy?",
                "answer": {"markdown": "You may get immunotherapy daily...", "html": "<p>...</p>",
                           "text": "You may get immunotherapy daily..."},
                "position": 1,
                "tags": ["schedule", "treatment-length"],
            }
        ],
        "deleted": [{"kind": "faq", "id": "6f1d2c3b-1111-4a2b-8c3d-9e8f7a6b5c4d"}],
    },
    "meta": {"next_cursor": "eyJ2IjoxLCJzIjo0MiwiayI6bnVsbH0", "has_more": False},
}  # fmt: skip
