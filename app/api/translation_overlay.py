"""Serving items in the reader's locale by overlaying translations at dump time.

`Localizer` loads every translation a response needs in one query: it walks
the loaded object graph (the items plus whatever relationships were eagerly
loaded for them, e.g. a treatment's FAQs and routes) to collect every
(kind, id) pair first. `Localizer.wrap` then hands the read schemas a proxy
instead of the ORM item: attributes named in the kind's `text_fields` come
from the translation where it has them and from the item otherwise (field by
field, list entries by position); `locale` and `available_locales` say what
was served; related items come back wrapped the same way. Because the
unchanged Pydantic read schemas validate the proxy, translated Markdown goes
through the same RichText renderer and sanitizer as the original text.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from app.api.reader_locale import LocalePreference
from app.content.kinds import KINDS_BY_MODEL
from models import Translation
from models.base import Base, EditorialMixin

_PLAIN = (str, int, float, bool, dict, date, datetime, Enum, type(None))
Key = tuple[str, str]


def _kind_name(item: EditorialMixin) -> str | None:
    kind = KINDS_BY_MODEL.get(type(item))
    return kind.name if kind else None


def collect_keys(roots: Iterable[Any]) -> tuple[set[Key], Session | None]:
    """Every editorial item reachable through already loaded attributes, and a session."""
    found: set[Key] = set()
    session: Session | None = None
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        obj = stack.pop()
        if (isinstance(obj, _PLAIN) and not isinstance(obj, dict)) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, list | tuple | set):
            stack.extend(obj)
        elif isinstance(obj, dict):
            stack.extend(v for v in obj.values() if not isinstance(v, _PLAIN))
        elif isinstance(obj, Base):
            if isinstance(obj, EditorialMixin) and (name := _kind_name(obj)):
                found.add((name, obj.id))
                session = session or object_session(obj)
            # Loaded attributes only; `_sa_instance_state` leads into the mapper
            # and the session, which once made this walk most of a request's cost.
            stack.extend(
                value for key, value in sa_inspect(obj).dict.items() if not key.startswith("_sa_")
            )
        elif hasattr(obj, "__wrapped__"):
            # A wrapper such as app.services.common.WithExtras: the item and its extras.
            stack.append(obj.__wrapped__)
            stack.extend(getattr(obj, "_extras", {}).values())
    return found, session


class Localizer:
    """The translations one response needs, and the proxies that apply them."""

    def __init__(self, preference: LocalePreference) -> None:
        self.preference = preference
        self.locales: dict[Key, dict[str, dict[str, Any]]] = {}
        self.served: list[str] = []

    @classmethod
    def load(cls, preference: LocalePreference, roots: Sequence[Any]) -> "Localizer":
        localizer = cls(preference)
        keys, session = collect_keys(roots)
        if keys and session is not None:
            ids = sorted({item_id for _, item_id in keys})
            rows = session.execute(
                select(Translation.kind, Translation.item_id, Translation.locale, Translation.data)
                .where(Translation.item_id.in_(ids))
                .order_by(Translation.locale)
            )
            for kind, item_id, locale, data in rows:
                if (kind, item_id) in keys and data:
                    localizer.locales.setdefault((kind, item_id), {})[locale] = data
        return localizer

    def choose(self, kind: str, item_id: str, own_locale: str) -> tuple[str, dict[str, Any]]:
        available = self.locales.get((kind, item_id), {})
        for locale in self.preference.wanted:
            if locale in available:
                return locale, available[locale]
        return own_locale, {}

    def available(self, kind: str, item_id: str, own_locale: str) -> list[str]:
        return sorted({own_locale, *self.locales.get((kind, item_id), {})})

    def top(self, obj: Any) -> Any:
        """Wrap a response's top-level item and remember the locale it was served in."""
        wrapped = self.wrap(obj)
        self.served.append(wrapped.locale if isinstance(wrapped, Localized) else "")
        return wrapped

    def content_language(self) -> str:
        """The most preferred locale any top-level item was served in, else the default."""
        for locale in self.preference.wanted:
            if locale in self.served:
                return locale
        return self.preference.default

    def wrap(self, value: Any) -> Any:
        if isinstance(value, (*_PLAIN, Localized, Overlay)):
            return value
        if isinstance(value, list | tuple):
            return [self.wrap(v) for v in value]
        if isinstance(value, EditorialMixin) and _kind_name(value):
            return Localized(value, value, self)
        if isinstance(value, Base):
            return Overlay(value, {}, self)
        inner = getattr(value, "__wrapped__", None)
        if isinstance(inner, EditorialMixin) and _kind_name(inner):
            return Localized(value, inner, self)
        return value


def overlay_value(base: Any, translated: Any, sub_keys: tuple[str, ...], loc: Localizer) -> Any:
    """One text field: the translation where it has text, the item's value elsewhere."""
    if not sub_keys:
        return translated
    if isinstance(base, list | tuple):
        entries = translated if isinstance(translated, list) else []
        return [
            overlay_value(b, entries[i] if i < len(entries) else {}, sub_keys, loc)
            for i, b in enumerate(base)
        ]
    if base is None or not isinstance(translated, dict):
        return base
    overrides = {k: translated[k] for k in sub_keys if translated.get(k) is not None}
    if isinstance(base, dict):
        return {**base, **overrides}
    return Overlay(base, overrides, loc)


class Overlay:
    """A non-editorial object (a route link, a condition) with some attributes replaced."""

    def __init__(self, source: Any, overrides: dict[str, Any], localizer: Localizer) -> None:
        self._source = source
        self._overrides = overrides
        self._localizer = localizer

    def __getattr__(self, name: str) -> Any:
        if name in self._overrides:
            return self._overrides[name]
        return self._localizer.wrap(getattr(self._source, name))


class Localized:
    """An editorial item as read in the negotiated locale."""

    def __init__(self, source: Any, item: EditorialMixin, localizer: Localizer) -> None:
        kind = KINDS_BY_MODEL[type(item)]
        self._source = source
        self._item = item
        self._kind = kind
        self._localizer = localizer
        self.locale, self._text = localizer.choose(kind.name, item.id, item.locale)

    @property
    def available_locales(self) -> list[str]:
        return self._localizer.available(self._kind.name, self._item.id, self._item.locale)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._source, name)
        sub_keys = self._kind.text_fields.get(name)
        if sub_keys is not None and name in self._text:
            value = overlay_value(value, self._text[name], sub_keys, self._localizer)
        return self._localizer.wrap(value)
