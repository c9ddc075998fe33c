"""Every registry entry has every piece generic work needs; a missing one is named.

docs/adding-a-kind.md sends a newcomer here: each assertion says which kind
lacks what, so adding a kind is "write the entry, run this file, fill the gaps".
"""

from dataclasses import replace

import pytest
from fastapi.routing import APIRoute

from app.api import jsonld
from app.api.openapi_responses import examples
from app.content.entry import EDITED, Kind
from app.content.kinds import KINDS
from app.content.lookups import EXPORT_KINDS, LOAD_ORDER, load_order, references
from app.fhir.capability import SEARCH_PARAMS
from app.services.delivery import search_index
from app.services.transfer.seed import read_seed_files
from models import Base
from routers import ROUTERS, kind_router

ENTRIES = list(KINDS.values())
ROUTE_NAMES = {
    route.name for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)
}


def by_path(kind: Kind) -> str:
    return kind.path


@pytest.mark.parametrize("kind", ENTRIES, ids=by_path)
def test_the_kind_has_a_table_and_a_public_router(kind: Kind) -> None:
    assert kind.model.__tablename__ in Base.metadata.tables, f"kind {kind.path!r} has no table"
    router = kind_router(kind)
    assert router.prefix == f"/v1/{kind.path}", (
        f"routers/{kind.module_name}.py serves {router.prefix!r}, not /v1/{kind.path}"
    )


@pytest.mark.parametrize("kind", ENTRIES, ids=by_path)
def test_the_kind_is_loaded_in_order_and_exported_as_declared(kind: Kind) -> None:
    assert kind in LOAD_ORDER, f"kind {kind.path!r} is not in the load order"
    for name, other in references(kind, ENTRIES):
        assert LOAD_ORDER.index(other) < LOAD_ORDER.index(kind), (
            f"kind {kind.path!r} loads before {other.path!r}, which its field {name!r} names"
        )
    assert (kind in EXPORT_KINDS) == kind.exported, f"kind {kind.path!r}: export differs"


@pytest.mark.parametrize("kind", ENTRIES, ids=by_path)
def test_the_seed_has_items_of_the_kind(kind: Kind) -> None:
    assert read_seed_files().get(kind.path), f"seed_data has no items for {kind.path!r}"


@pytest.mark.parametrize("kind", ENTRIES, ids=by_path)
def test_every_example_request_of_the_kind_is_captured(kind: Kind) -> None:
    assert kind.examples, f"kind {kind.path!r} has no example requests"
    for key, request in kind.examples.items():
        assert request.startswith(f"/v1/{kind.path}"), f"example {key!r} asks another kind"
        assert key in examples(), (
            f"kind {kind.path!r}: app/api/openapi_examples.json has no example {key!r} "
            "(run python -m app.cli.examples)"
        )


@pytest.mark.parametrize("kind", ENTRIES, ids=by_path)
def test_the_upper_layers_have_the_code_the_entry_names(kind: Kind) -> None:
    if kind.search.extra is not None:
        assert kind.search.extra in search_index.EXTRA, (
            f"kind {kind.path!r}: search_index.EXTRA has no builder {kind.search.extra!r}"
        )
    if kind.jsonld is not None:
        assert kind.jsonld.builder in jsonld.BUILDERS, (
            f"kind {kind.path!r}: app.api.jsonld.BUILDERS has no {kind.jsonld.builder!r}"
        )
    for resource_type in kind.fhir:
        assert resource_type in SEARCH_PARAMS, (
            f"kind {kind.path!r}: the FHIR capability statement lacks {resource_type}"
        )


def test_every_fhir_resource_type_belongs_to_one_kind() -> None:
    declared = [resource for kind in ENTRIES for resource in kind.fhir]
    assert sorted(declared) == sorted(SEARCH_PARAMS), "a FHIR resource type has no kind, or two"


@pytest.mark.parametrize("kind", ENTRIES, ids=by_path)
def test_the_kind_gets_the_editorial_routes_its_entry_names(kind: Kind) -> None:
    wanted = {
        "writes": [f"update_{kind.name}"]
        if kind.singleton
        else [f"create_{kind.name}", f"update_{kind.name}", f"delete_{kind.name}"],
        "workflow": [f"publish_{kind.name}", f"unpublish_{kind.name}"],
        "review": [f"review_{kind.name}"],
        "revisions": [f"list_{kind.name}_revisions", f"restore_{kind.name}_revision"],
        "views": [f"editorial_get_{kind.name}"],
    }
    for group, names in wanted.items():
        for name in names:
            declared = getattr(kind.editorial, group)
            assert (name in ROUTE_NAMES) == declared, (
                f"kind {kind.path!r}: editorial.{group}={declared} but route {name!r} "
                + ("is missing" if declared else "exists")
            )


def test_a_kind_loading_before_a_kind_it_references_fails_naming_both() -> None:
    faqs = replace(KINDS["faqs"], load_order=1)
    with pytest.raises(ValueError, match="kind 'faqs' loads before 'treatments'"):
        load_order([*ENTRIES[:3], faqs])


def test_an_entry_contradicting_itself_fails_naming_the_kind() -> None:
    with pytest.raises(ValueError, match="kind 'faqs': a review route exactly when"):
        replace(KINDS["faqs"], editorial=EDITED)
    with pytest.raises(ValueError, match="kind 'faqs': search title 'nope'"):
        replace(KINDS["faqs"], search=replace(KINDS["faqs"].search, title="nope"))


def test_a_kind_without_a_router_module_fails_naming_it() -> None:
    ghost = replace(KINDS["clinics"], path="ghost-kinds")
    with pytest.raises(LookupError, match="kind 'ghost-kinds' has no router module"):
        kind_router(ghost)


def test_a_builder_name_the_upper_layer_lacks_fails_naming_the_kind() -> None:
    doctors = KINDS["doctors"]
    assert doctors.jsonld is not None
    unknown = replace(doctors, jsonld=replace(doctors.jsonld, builder="nope"))
    with pytest.raises(LookupError, match="kind 'doctors' names JSON-LD builder 'nope'"):
        jsonld.builder_for(unknown, None, None)  # type: ignore[arg-type]
    no_jsonld = replace(doctors, jsonld=None)
    with pytest.raises(LookupError, match="kind 'doctors' declares no JSON-LD"):
        jsonld.declared_type(no_jsonld)
    faqs = KINDS["faqs"]
    unknown_extra = replace(faqs, search=replace(faqs.search, extra="nope"))
    with pytest.raises(LookupError, match="kind 'faqs' names search extra 'nope'"):
        search_index.extras_for(None, kind=unknown_extra, items=[])  # type: ignore[arg-type]
