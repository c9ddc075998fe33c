"""The shape of one registry entry: `Kind` and the facets it declares.

An entry owns everything generic work needs to know about a kind, by value
or by name: seed and export order, example requests, search, JSON-LD, FHIR
and its editorial routes. Layers above (app.api, app.fhir, routers) keep
the code a name points to; the registry never imports them, and
tests/content/test_kind_completeness.py names any piece a kind lacks.
Keyword arguments only, so an entry reads as a form, not a row of values.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel
from sqlalchemy.sql.base import ExecutableOption

from app.content.field_mappings import PLAIN, FieldMapping, TextFields
from models.base import EditorialMixin


@dataclass(frozen=True, kw_only=True)
class Search:
    """How an item becomes a search document (app.services.delivery.search_index)."""

    title: str  # the text field a hit shows as its title
    # Text fields whose words live in child rows: read by `extra`, not from the item.
    from_rows: tuple[str, ...] = ()
    # Name of a keyword builder in search_index.EXTRA (reads child rows in bulk), or None.
    extra: str | None = None


@dataclass(frozen=True, kw_only=True)
class JsonLd:
    """The schema.org JSON-LD a kind's detail route offers (app.api.jsonld)."""

    type: str  # the document's @type, also published in /openapi.json
    # Name of a builder in app.api.jsonld.BUILDERS; "node" builds from the two maps below.
    builder: str = "node"
    properties: Mapping[str, str] = field(default_factory=dict)  # schema.org name -> attribute
    codes: Mapping[str, str] = field(
        default_factory=dict
    )  # codingSystem -> attribute (MedicalCode)


@dataclass(frozen=True, kw_only=True)
class EditorialRoutes:
    """Which editorial route groups routers/editorial_*.py add for a kind."""

    writes: bool  # create, PATCH, delete and restore (a singleton: PATCH of its one item)
    workflow: bool  # publish, unpublish, archive
    review: bool  # record a clinical review (reviewed kinds only)
    revisions: bool  # list, read and restore revisions
    views: bool  # the editorial list and item views


EDITED = EditorialRoutes(writes=True, workflow=True, review=False, revisions=True, views=True)
REVIEWED = EditorialRoutes(writes=True, workflow=True, review=True, revisions=True, views=True)
PROFILE = EditorialRoutes(writes=True, workflow=False, review=False, revisions=True, views=True)


@dataclass(frozen=True, kw_only=True)
class Kind:
    """One resource kind: its URL name, table, schemas, field mappings and facets.

    `list_schema` with `list_options` is the public list representation
    (also what the sync feed sends); `text_fields` is what a translation holds.
    `create_schema` is the stored document; `write_schema`, when set, is the
    narrower body an editor may send (reviewed kinds: without review metadata,
    which only the review action sets). The facets after `write_schema` have
    no default on purpose: a new entry must decide each of them.
    """

    path: str
    name: str
    model: type[EditorialMixin]
    create_schema: type[BaseModel]
    read_schema: type[BaseModel]
    fields: dict[str, FieldMapping] = field(default_factory=dict)
    list_schema: type[BaseModel] | None = None
    list_options: tuple[ExecutableOption, ...] = ()
    text_fields: TextFields = field(default_factory=dict)
    reviewed: bool = False  # carries clinical review metadata; publishing needs a review
    # Reviewed kinds: the fields a clinical review approves; changing any of
    # them after a review clears it (app.services.editorial.review).
    reviewed_fields: tuple[str, ...] = ()
    singleton: bool = False  # one row per deployment, addressed without a slug
    write_schema: type[BaseModel] | None = None
    # Seed, export and import order: after every kind this one's fields reference.
    load_order: int
    exported: bool  # in the bulk export (docs/export-format.md) and so in import
    # Example key -> the GET request whose answer illustrates that route in /openapi.json.
    examples: Mapping[str, str]
    search: Search
    jsonld: JsonLd | None  # None: the kind's detail route offers JSON only
    fhir: tuple[str, ...]  # FHIR resource types it is exported as (app.fhir); () for none
    editorial: EditorialRoutes

    def __post_init__(self) -> None:
        if self.editorial.review != self.reviewed:
            raise ValueError(f"kind {self.path!r}: a review route exactly when reviewed=True")
        if self.singleton and self.editorial.workflow:
            raise ValueError(f"kind {self.path!r}: a singleton has no publish workflow")
        if self.search.title not in self.text_fields:
            raise ValueError(
                f"kind {self.path!r}: search title {self.search.title!r} is no text field"
            )
        if self.search.from_rows and self.search.extra is None:
            raise ValueError(f"kind {self.path!r}: search.from_rows needs a search.extra builder")

    @property
    def body_schema(self) -> type[BaseModel]:
        """What create and PATCH accept."""
        return self.write_schema or self.create_schema

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")

    @property
    def module_name(self) -> str:
        """Its public router's module in routers/: `treatment-types` -> `treatment_types`."""
        return self.path.replace("-", "_")

    def load_options(self) -> list[ExecutableOption]:
        """Everything needed to turn an item of this kind back into its document."""
        return [
            option
            for name, mapping in self.fields.items()
            for option in mapping.load(self.model, name)
        ]

    @property
    def list_representation(self) -> type[BaseModel]:
        return self.list_schema or self.read_schema


def mapping_for(kind: Kind, name: str) -> FieldMapping:
    return kind.fields.get(name, PLAIN)
