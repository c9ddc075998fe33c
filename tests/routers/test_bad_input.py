"""Bad input, on public reads and editorial writes: always a 4xx RFC 9457
problem without internals, and never a write.

Each case is sent against the seeded content with valid keys; a snapshot of
every row of every table (tests/support/integrity.py) is taken before and after, so a
half-applied write (an item without its revision, a change-log row without
its item) fails the case even when the answer looks right.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import wiring
from app.config import Settings
from app.db import Database, make_engine
from app.main import create_app
from app.services import api_key as api_key_service
from app.services.delivery.sync import encode_cursor
from app.services.transfer.seed import load_seed, read_seed_files
from models import Role
from tests.conftest import empty_tables
from tests.support.integrity import snapshot

LIMIT = 1_048_576  # MAX_BODY_BYTES's default, which the contract names
TREATMENT = "/v1/treatments/immunotherapy"
FAQ = "/v1/faqs/how-long-will-i-get-immunotherapy"
LEAKS = ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "SELECT ", "/work/")


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    status: int
    names: str | None = None  # the parameter or field the problem must name
    key: str | None = None  # role whose key is sent
    etag_of: str | None = None  # editorial path whose current ETag goes in If-Match
    content: bytes | None = None
    chunked: bool = False
    headers: dict[str, str | bytes] = field(default_factory=dict)


@pytest.fixture(scope="module")
def api(settings: Settings, migrated: str) -> Iterator["Api"]:
    """One seeded world for the whole battery.

    Every case asserts that it changed nothing, so sharing is safe, and a case
    that did write fails itself, not a later one. The conftest's per-test wipe
    is for tests that use `database`; this world is wiped once, at the end.
    """
    database = Database(make_engine(settings))
    wiring.connect(database)
    with database.transaction(write=True) as session:
        load_seed(session, documents=read_seed_files())
        keys = {}
        for role in Role:
            _key, keys[role.value] = api_key_service.create_key(
                session, name=f"{role.value} (sample)", role=role
            )
    # Its own app, for the module and over its own Database, so not the shared one
    # nor `settings_app`: hundreds of requests from one address (the limiter is not
    # under test here), and a 500 must come back as an answer, not an exception.
    app = create_app(settings.model_copy(update={"rate_limit_enabled": False}), database)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Api(app, client, database, keys)
    finally:
        empty_tables(database)
        database.dispose()


@dataclass
class Api:
    app: FastAPI
    client: TestClient
    database: Database
    keys: dict[str, str]

    def send(self, case: Case) -> Any:
        headers = dict(case.headers)
        if case.key is not None:
            headers["Authorization"] = f"Bearer {self.keys[case.key]}"
        if case.etag_of is not None:
            current = self.client.get(
                f"/v1/editorial{case.etag_of}", headers={"Authorization": headers["Authorization"]}
            )
            assert current.status_code == 200, current.text
            headers["If-Match"] = current.headers["ETag"]
        content: Any = case.content
        if case.chunked and content is not None:
            body = content
            content = (body[i : i + 65536] for i in range(0, len(body), 65536))
        return self.client.request(case.method, case.path, content=content, headers=headers)


def assert_refused_untouched(api: Api, case: Case) -> None:
    before = snapshot(api.database.engine)
    answer = api.send(case)
    after = snapshot(api.database.engine)

    assert answer.status_code == case.status, answer.text[:300]
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["status"] == case.status
    assert {"type", "title", "detail", "instance"} <= problem.keys()
    for leak in LEAKS:
        assert leak not in answer.text, leak
    if case.names is not None:
        named = [error["field"] for error in problem.get("errors") or []]
        assert case.names in named or case.names in problem["detail"], problem
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"the refused request changed {changed}"


def _json(text: str) -> bytes:
    """A raw JSON body, so escapes such as \\ud800 reach the server as written."""
    return text.encode("utf-8")


JSON = {"Content-Type": "application/json"}
CREATE = {"method": "POST", "path": "/v1/treatments", "key": "editor", "headers": JSON}
PATCH = {
    "method": "PATCH",
    "path": TREATMENT,
    "key": "editor",
    "etag_of": "/treatments/immunotherapy",
    "headers": JSON,
}
PATCH_FAQ = {
    "method": "PATCH",
    "path": FAQ,
    "key": "editor",
    "etag_of": "/faqs/how-long-will-i-get-immunotherapy",
    "headers": JSON,
}
TRANSLATE = {**PATCH, "path": TREATMENT + "?locale=hi"}
REVIEW = {
    "method": "POST",
    "path": TREATMENT + "/review",
    "key": "editor",
    "etag_of": "/treatments/immunotherapy",
    "headers": JSON,
}
PUBLISH = {
    "method": "POST",
    "path": "/v1/faqs/how-long-will-i-get-immunotherapy/publish",
    "key": "publisher",
    "etag_of": "/faqs/how-long-will-i-get-immunotherapy",
    "headers": JSON,
}
WEBHOOK = {"method": "POST", "path": "/v1/webhooks", "key": "admin", "headers": JSON}
ORGANIZATION = {
    "method": "PATCH",
    "path": "/v1/organization",
    "key": "admin",
    "etag_of": "/organization",
    "headers": JSON,
}
WRITES = {
    "create": CREATE,
    "patch": PATCH,
    "patch-faq": PATCH_FAQ,
    "translate": TRANSLATE,
    "review": REVIEW,
    "publish": PUBLISH,
    "webhook": WEBHOOK,
    "organization": ORGANIZATION,
}
VALID = {
    "create": '{"slug": "sample-therapy", "title": "Sample (sample)", %s}',
    "patch": '{"summary": "Sample.", %s}',
    "patch-faq": '{"answer": "Sample.", %s}',
    "translate": '{"summary": "Sample.", %s}',
    "review": '{"reviewed_by": "Dr. Sample (sample)", %s}',
    "publish": "{%s}",
    "webhook": '{"url": "https://integrator.example/hooks", "events": ["*"], %s}',
    "organization": '{"telephone": "+00 0000 (sample)", %s}',
}


def _write_cases() -> Iterator[Any]:
    huge = b'{"title": "' + b"x" * LIMIT + b'"}'
    for name, route in WRITES.items():
        yield pytest.param(
            Case(**route, status=413, content=huge), id=f"{name}-over-limit-declared"
        )
        yield pytest.param(
            Case(**route, status=413, content=huge, chunked=True), id=f"{name}-over-limit-chunked"
        )
        malformed = {
            "truncated": b'{"title": "Sample',
            "trailing-garbage": b'{"title": "Sample"} trailing',
            "two-documents": b'{"title": "a"}{"title": "b"}',
            "top-level-array": b'[{"title": "Sample"}]',
            "top-level-string": b'"title"',
            "top-level-number": b"42",
            "top-level-null": b"null",
            "single-quotes": b"{'title': 'Sample'}",
            "nan": b'{"title": NaN}',
            "bom": b'\xef\xbb\xbf{"title": "Sample"}',
            "invalid-utf8": b'{"title": "\xff\xfe"}',
            "deep-nesting": b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "deep-objects": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        }
        for label, raw in malformed.items():
            # `null` is no body at all to an optional one; publishing then fails on its merits.
            status = 409 if (name, label) == ("publish", "top-level-null") else 422
            yield pytest.param(Case(**route, status=status, content=raw), id=f"{name}-{label}")
        not_json = {
            "text-plain": ("text/plain", b'{"title": "Sample"}'),
            "form": ("application/x-www-form-urlencoded", b"title=Sample"),
            "multipart": (
                "multipart/form-data; boundary=x",
                b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nSample\r\n--x--\r\n',
            ),
            "xml": ("application/xml", b"<title>Sample</title>"),
            "json-lookalike": ("application/jsonx", b'{"title": "Sample"}'),
            "no-content-type": ("", b'{"title": "Sample"}'),
        }
        for label, (media_type, raw) in not_json.items():
            headers = {**route["headers"], "Content-Type": media_type}
            case = Case(**{**route, "headers": headers}, status=415, content=raw)
            yield pytest.param(case, id=f"{name}-{label}")


TEXT_FIELDS = {
    "create": ["title", "summary", "source_url"],
    "patch": ["title", "summary", "source_url"],
    "patch-faq": ["question", "answer"],
    "translate": ["title", "summary"],
    "review": ["reviewed_by"],
    "webhook": ["secret", "description"],
    "organization": ["name", "url", "telephone"],
}
MERGE_PATCHES = {"patch", "patch-faq", "translate", "organization"}
BAD_TEXT = {
    "nul": "Sample \\u0000 text",
    "lone-high-surrogate": "Sample \\ud800 text",
    "lone-low-surrogate": "Sample \\udfff text",
}


def _text_cases() -> Iterator[Any]:
    for name, fields in TEXT_FIELDS.items():
        for field_name in fields:
            for label, value in BAD_TEXT.items():
                prefix = "https://example.org/" if field_name in ("source_url", "url") else ""
                body = VALID[name] % f'"{field_name}": "{prefix}{value}"'
                # Merge patches are parsed by orjson, which refuses a lone surrogate
                # as invalid JSON, so the problem names the body, not the field.
                named = "body" if "surrogate" in label and name in MERGE_PATCHES else field_name
                case = Case(**WRITES[name], status=422, names=named, content=_json(body))
                yield pytest.param(case, id=f"{name}-{field_name}-{label}")
    nested = {
        "section-heading": '"sections": [{"heading": "%s", "body": "Sample."}]',
        "source-title": '"sources": [{"title": "%s", "url": "https://example.org/"}]',
        "duration-factor": '"duration_factors": ["%s"]',
        "slug": '"slug": "%s"',
        "type": '"type": "%s"',
    }
    for label, template in nested.items():
        for bad, value in BAD_TEXT.items():
            body = "{" + '"title": "Sample (sample)", ' + template % value + "}"
            if label != "slug":
                body = body.replace("{", '{"slug": "sample-therapy", ', 1)
            case = Case(**CREATE, status=422, content=_json(body))
            yield pytest.param(case, id=f"create-{label}-{bad}")
    for bad, value in BAD_TEXT.items():
        body = VALID["webhook"] % f'"events": ["{value}"]'
        body = body.replace('"events": ["*"], ', "")
        yield pytest.param(
            Case(**WEBHOOK, status=422, names="events", content=_json(body)),
            id=f"webhook-event-{bad}",
        )
    # Duplicate keys resolve one way (the last wins) for validation and storage
    # alike, so an invalid copy cannot hide behind a valid one.
    duplicate = '{"slug": "sample-therapy", "title": "Sample", "title": "\\u0000"}'
    yield pytest.param(
        Case(**CREATE, status=422, names="title", content=_json(duplicate)),
        id="create-duplicate-key",
    )
    duplicate = '{"summary": "Sample.", "summary": "\\u0000"}'
    yield pytest.param(
        Case(**PATCH, status=422, names="summary", content=_json(duplicate)),
        id="patch-duplicate-key",
    )


def _time_cases() -> Iterator[Any]:
    times = {
        "before-year-1-in-utc": "0001-01-01T00:00:00+01:00",
        "after-year-9999-in-utc": "9999-12-31T23:59:59-01:00",
        "naive": "2099-01-01T00:00:00",
        "not-a-time": "soon",
    }
    for label, value in times.items():
        for name in ("publish_at", "unpublish_at"):
            body = _json(VALID["publish"] % f'"{name}": "{value}"')
            case = Case(**PUBLISH, status=422, names=name, content=body)
            yield pytest.param(case, id=f"publish-{name}-{label}")


def _big_value_cases() -> Iterator[Any]:
    megabyte_title = "x" * (LIMIT - 200)
    for name in ("create", "patch", "translate"):
        body = VALID[name] % f'"title": "{megabyte_title}"'
        yield pytest.param(
            Case(**WRITES[name], status=422, names="title", content=_json(body)),
            id=f"{name}-1mb-title",
        )
    escaped = "\\u00e9" * (LIMIT // 6 + 1)  # small when decoded, over the limit as sent
    yield pytest.param(
        Case(**CREATE, status=413, content=_json(VALID["create"] % f'"summary": "{escaped}"')),
        id="create-title-over-limit-when-escaped",
    )
    many = ", ".join('"Sample"' for _ in range(20_000))
    yield pytest.param(
        Case(
            **CREATE,
            status=422,
            names="duration_factors",
            content=_json(VALID["create"] % f'"duration_factors": [{many}]'),
        ),
        id="create-20000-list-entries",
    )
    keys = ", ".join(f'"k{i}": 1' for i in range(20_000))
    yield pytest.param(
        Case(**PATCH, status=422, content=_json("{" + keys + "}")), id="patch-20000-unknown-keys"
    )
    nested = '{"schedule": ' + '{"notes": ' * 500 + '"x"' + "}" * 500 + "}"
    yield pytest.param(
        Case(**PATCH, status=422, names="schedule", content=_json(nested)),
        id="patch-nested-merge-500",
    )


def _query_cases() -> Iterator[Any]:
    lists = {
        "treatments": ("/v1/treatments?", None),
        "search": ("/v1/search?q=immunotherapy&", None),
        "sync": ("/v1/sync?", None),
        "treatment-faqs": ("/v1/treatments/immunotherapy/faqs?", None),
        "editorial-list": ("/v1/editorial/treatments?", "editor"),
        "revisions": ("/v1/treatments/immunotherapy/revisions?", "editor"),
        "audit": ("/v1/audit?", "admin"),
    }
    numbers = {
        "negative": "-1",
        "zero": "0",
        "over-100": "101",
        "10e30": str(10**30),
        "fraction": "1.5",
        "exponent": "1e3",
        "word": "ten",
        "empty": "",
        "hex": "0x10",
        "nul": "%00",
    }
    for name, (prefix, key) in lists.items():
        for label, value in numbers.items():
            if name == "sync" and label == "over-100":
                label, value = "over-500", "501"  # the feed's pages go up to 500
            case = Case("GET", f"{prefix}limit={value}", 400, names="limit", key=key)
            yield pytest.param(case, id=f"{name}-limit-{label}")
        if name == "sync":
            continue
        for label, value in numbers.items():
            if label in ("zero", "over-100"):
                continue
            case = Case("GET", f"{prefix}offset={value}", 400, names="offset", key=key)
            yield pytest.param(case, id=f"{name}-offset-{label}")
    hidden = [
        "id",
        "deleted_at",
        "status",
        "draft",
        "version",
        "key_hash",
        "created_by",
        "readability_grade",
        "publish_at",
        "type_id",
        "password",
        "title;drop table treatment",
    ]
    for column in hidden:
        for name, path, key in (
            ("treatments", "/v1/treatments?", None),
            ("faqs", "/v1/faqs?", None),
            ("editorial", "/v1/editorial/treatments?", "editor"),
            ("webhooks", "/v1/webhooks?", "admin"),
        ):
            if column == "id" and name in ("editorial", "webhooks"):
                continue
            yield pytest.param(
                Case("GET", f"{path}sort=-{column}", 400, names="sort", key=key),
                id=f"{name}-sort-{column}",
            )
    for column in ["deleted_at", "draft", "key_hash", "type_id", "readability", "__class__"]:
        yield pytest.param(
            Case("GET", f"/v1/treatments?fields={column}", 400, names="fields"),
            id=f"treatments-fields-{column}",
        )
    for column in ["deleted_at", "draft", "status", "key_hash", "id", "created_by"]:
        yield pytest.param(
            Case("GET", f"/v1/treatments?{column}=x", 400, names=column),
            id=f"treatments-filter-{column}",
        )
    big = {
        "fields-2000-entries": ("/v1/treatments?fields=" + ",".join(["slug"] * 2000), "fields"),
        "sort-2000-entries": ("/v1/treatments?sort=" + ",".join(["title"] * 2000), "sort"),
        "type-10k": ("/v1/treatments?type=" + "a" * 10_000, "type"),
        "q-10k": ("/v1/treatments?q=" + "a" * 10_000, "q"),
        "search-q-10k": ("/v1/search?q=" + "a" * 10_000, "q"),
        "tag-10k": ("/v1/faqs?tag=" + "a" * 10_000, "tag"),
        "kinds-2000-entries": ("/v1/sync?kinds=" + ",".join(["faqs"] * 2000), "kinds"),
        "locale-10k": ("/v1/treatments?locale=" + "a" * 10_000, "locale"),
        "2000-unknown-params": (
            "/v1/treatments?" + "&".join(f"p{i}=1" for i in range(2000)),
            "p1999",
        ),
        "updated-since-garbage": ("/v1/treatments?updated_since=yesterday", "updated_since"),
        "updated-since-year-0": (
            "/v1/treatments?updated_since=0000-01-01T00:00:00Z",
            "updated_since",
        ),
        "updated-since-min-minus-offset": (
            "/v1/treatments?updated_since=0001-01-01T00:00:00%2B01:00",
            "updated_since",
        ),
        "updated-since-max-plus-offset": (
            "/v1/treatments?updated_since=9999-12-31T23:59:59-01:00",
            "updated_since",
        ),
        "updated-since-naive": (
            "/v1/treatments?updated_since=2026-01-01T00:00:00",
            "updated_since",
        ),
        "audit-since-naive": ("/v1/audit?since=2026-01-01T00:00:00", "since"),
        "audit-since-min-minus-offset": ("/v1/audit?since=0001-01-01T00:00:00%2B01:00", "since"),
        "updated-since-10e30": (f"/v1/faqs?updated_since={10**30}", "updated_since"),
        "cursor-garbage": ("/v1/sync?cursor=not-a-cursor", "cursor"),
        "cursor-10e30": ("/v1/sync?cursor=" + encode_cursor(10**30, kinds=None), "cursor"),
        "cursor-nul": ("/v1/sync?cursor=%00", "cursor"),
        "audit-since-garbage": ("/v1/audit?since=%00", "since"),
    }
    for label, (path, name) in big.items():
        key = "admin" if path.startswith("/v1/audit") else None
        yield pytest.param(Case("GET", path, 400, names=name, key=key), id=label)
    nul = {
        "q": "/v1/treatments?q=a%00b",
        "search-q": "/v1/search?q=a%00b",
        "type": "/v1/treatments?type=%00",
        "tag": "/v1/faqs?tag=a%00",
        "kinds": "/v1/sync?kinds=faqs%00",
        "locale": "/v1/treatments?locale=en%00",
        "fields": "/v1/treatments?fields=slug%00",
        "sort": "/v1/treatments?sort=title%00",
        "audit-actor": "/v1/audit?actor=a%00b",
    }
    for label, path in nul.items():
        name = label.removeprefix("search-").removesuffix("-invalid-utf8")
        name = name.removeprefix("audit-")
        key = "admin" if path.startswith("/v1/audit") else None
        yield pytest.param(Case("GET", path, 400, names=name, key=key), id=f"nul-in-{label}")


SLUG_TRICKS = {
    "dot-dot-encoded": "%2e%2e",
    "traversal-encoded-slashes": "..%2F..%2Fetc%2Fpasswd",
    "encoded-slash": "immunotherapy%2F..",
    "nul": "%00",
    "trailing-nul": "immunotherapy%00",
    "cyrillic-o": "immun%D0%BEtherapy",
    "fullwidth-i": "%EF%BD%89mmunotherapy",
    "trailing-dot": "immunotherapy.",
    "trailing-dots": "immunotherapy..",
    "upper-case": "IMMUNOTHERAPY",
    "trailing-space": "immunotherapy%20",
    "encoded-surrogate": "%ED%A0%80",
    "invalid-utf8": "%FF",
    "semicolon": "immunotherapy;drop",
    "percent": "%25",
    "backslash": "..%5C..%5Cx",
    "long-5000": "a" * 5000,
}


def _slug_cases() -> Iterator[Any]:
    for label, slug in SLUG_TRICKS.items():
        status = 404
        if label in ("nul", "trailing-nul"):
            status, named = 400, "slug"
        else:
            named = None
        if label == "long-5000":
            status = 400  # the editorial routes cap a slug at 120 characters
        public = 400 if named else 404
        yield pytest.param(
            Case("GET", f"/v1/treatments/{slug}", public, names=named), id=f"public-{label}"
        )
        yield pytest.param(
            Case("GET", f"/v1/treatments/{slug}/faqs", public, names=named),
            id=f"public-faqs-{label}",
        )
        yield pytest.param(
            Case(
                "PATCH",
                f"/v1/treatments/{slug}",
                status,
                names=named,
                key="editor",
                headers={**JSON, "If-Match": '"x"'},
                content=b'{"summary": "Sample."}',
            ),
            id=f"editorial-patch-{label}",
        )
        yield pytest.param(
            Case(
                "POST",
                f"/v1/treatments/{slug}/publish",
                status,
                names=named,
                key="publisher",
                headers={"If-Match": '"x"'},
            ),
            id=f"editorial-publish-{label}",
        )
        yield pytest.param(
            Case("GET", f"/v1/editorial/treatments/{slug}", status, names=named, key="editor"),
            id=f"editorial-view-{label}",
        )
    for label, value in {
        "dot-dot": "..",
        "slash": "a/b",
        "upper": "Sample",
        "dot": "sample.",
        "long": "a" * 121,
        "cyrillic": "s\u0430mple",
    }.items():
        body = f'{{"slug": "{value}", "title": "Sample (sample)"}}'
        yield pytest.param(
            Case(**CREATE, status=422, names="slug", content=_json(body)), id=f"create-slug-{label}"
        )


def _header_cases() -> Iterator[Any]:
    patch_body = _json('{"summary": "Sample."}')
    headers = {
        "if-match-nul": ({"If-Match": '"\x00"'}, 400),
        "if-match-10000-tags": ({"If-Match": ", ".join(f'"t{i}"' for i in range(10_000))}, 412),
        "if-match-star": ({"If-Match": "*"}, 428),
        "if-match-empty": ({"If-Match": ""}, 428),
        "if-match-latin1": ({"If-Match": '"\xe9"'.encode("latin-1")}, 412),
    }
    for label, (extra, status) in headers.items():
        case = Case(
            "PATCH", TREATMENT, status, key="editor", headers={**JSON, **extra}, content=patch_body
        )
        yield pytest.param(case, id=f"patch-{label}")
    auth = {
        "bearer-nul": "Bearer tca_\x00",
        "bearer-latin1": "Bearer tca_\xe9\xe9".encode("latin-1"),
        "bearer-10k": "Bearer " + "a" * 10_000,
        "basic": "Basic dXNlcjpwYXNz",
    }
    for label, value in auth.items():
        case = Case(
            "PATCH",
            TREATMENT,
            401,
            headers={**JSON, "Authorization": value, "If-Match": '"x"'},
            content=patch_body,
        )
        yield pytest.param(case, id=f"patch-{label}")
    yield pytest.param(
        Case("GET", "/v1/treatments?locale=%00", 400, names="locale"), id="locale-query-nul"
    )
    yield pytest.param(
        Case(
            "PATCH",
            TREATMENT + "?locale=%00",
            400,
            names="locale",
            key="editor",
            etag_of="/treatments/immunotherapy",
            headers=JSON,
            content=patch_body,
        ),
        id="patch-locale-nul",
    )
    yield pytest.param(
        Case(
            "PATCH",
            TREATMENT + "?locale=" + "a" * 5000,
            400,
            names="locale",
            key="editor",
            etag_of="/treatments/immunotherapy",
            headers=JSON,
            content=patch_body,
        ),
        id="patch-locale-5000",
    )


@pytest.mark.parametrize("case", list(_write_cases()))
def test_malformed_bodies_are_refused_and_write_nothing(api: Api, case: Case) -> None:
    assert_refused_untouched(api, case)


@pytest.mark.parametrize("case", list(_text_cases()))
def test_nul_bytes_and_lone_surrogates_are_422_naming_the_field(api: Api, case: Case) -> None:
    assert_refused_untouched(api, case)


@pytest.mark.parametrize("case", list(_time_cases()))
def test_times_without_a_utc_equivalent_are_422_naming_the_field(api: Api, case: Case) -> None:
    assert_refused_untouched(api, case)


@pytest.mark.parametrize("case", list(_big_value_cases()))
def test_huge_values_are_refused_by_name_and_never_stored(api: Api, case: Case) -> None:
    assert_refused_untouched(api, case)


@pytest.mark.parametrize("case", list(_query_cases()))
def test_bad_query_parameters_are_400_naming_them(api: Api, case: Case) -> None:
    assert_refused_untouched(api, case)


@pytest.mark.parametrize("case", list(_slug_cases()))
def test_path_tricks_in_slugs_find_nothing_and_change_nothing(api: Api, case: Case) -> None:
    assert_refused_untouched(api, case)


@pytest.mark.parametrize("case", list(_header_cases()))
def test_bad_headers_are_refused_and_write_nothing(api: Api, case: Case) -> None:
    assert_refused_untouched(api, case)
