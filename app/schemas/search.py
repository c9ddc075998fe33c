"""The shape of a search hit: enough to show a result and link to the item
without a second request."""

from pydantic import Field

from app.schemas.common import ReadModel


class SearchHit(ReadModel):
    """One ranked match; `snippet` is escaped HTML with `<mark>` around matched words."""

    kind: str = Field(examples=["faq"], description="The kind's name, as in the sync feed.")
    slug: str
    title: str
    snippet: str = Field(description="Escaped HTML; only `<mark>` tags are added.")
    score: float = Field(description="Relevance; higher is better. Comparable within one query.")
    url: str = Field(examples=["/v1/faqs/how-long-will-i-get-immunotherapy"])


SEARCH_EXAMPLE = {
    "data": [
        {
            "kind": "faq",
            "slug": "how-long-will-i-get-immunotherapy",
            "title": "How long will I get immunotherapy?",
            "snippet": "How <mark>long</mark> will I get <mark>immunotherapy</mark>?",
            "score": 5.551175,
            "url": "/v1/faqs/how-long-will-i-get-immunotherapy",
        }
    ],
    "meta": {"total": 1, "limit": 20, "offset": 0},
    "links": {
        "self": "https://content.hospital.example/v1/search?q=how+long+immunotherapy",
        "next": None,
        "prev": None,
    },
}
