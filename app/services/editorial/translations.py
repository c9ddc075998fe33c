"""Writing translations: one locale's text fields of one item.

A translation is a partial input document holding only the kind's text
fields (`Kind.text_fields`), each validated with the same types as the
kind's create schema, so a translated title obeys the same limits as the
original. Non-text fields are shared by every locale and cannot be
translated. The editorial API exposes this as `PATCH /v1/{kind}/{slug}?locale=`.
"""

from functools import lru_cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.content.entry import Kind
from app.errors import ValidationFailed
from app.services.change_hook import Action, Change, content_changed
from app.services.editorial import review
from app.text.language_tags import canonical, is_locale
from models import Translation
from models.base import EditorialMixin, Status, utcnow

MAX_ENTRIES = 500


def _inner_model(annotation: Any) -> type[BaseModel]:
    """`list[SectionInput]` or `ScheduleInput | None` -> the input model inside."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        try:
            return _inner_model(arg)
        except TypeError:
            continue
    raise TypeError(f"no input model in {annotation!r}")


def _adapter_for(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


@lru_cache(maxsize=512)
def _leaf(model: type[BaseModel], name: str, sub_key: str | None) -> TypeAdapter[Any]:
    if sub_key is None:
        return _adapter_for(model, name)
    return _adapter_for(_inner_model(model.model_fields[name].annotation), sub_key)


def _is_list(model: type[BaseModel], name: str) -> bool:
    origin = get_origin(model.model_fields[name].annotation)
    return origin is list


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.items.append({"field": field, "message": message})

    def validate(self, adapter: TypeAdapter[Any], value: Any, field: str) -> Any:
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            for err in exc.errors():
                suffix = ".".join(str(p) for p in err["loc"])
                self.add(f"{field}.{suffix}" if suffix else field, err["msg"])
            return None


def _clean_object(
    kind: Kind, name: str, sub_keys: tuple[str, ...], value: Any, field: str, errors: _Errors
) -> dict[str, Any]:
    if not isinstance(value, dict):
        errors.add(field, "must be an object of text fields")
        return {}
    cleaned: dict[str, Any] = {}
    for key, sub_value in value.items():
        if key not in sub_keys:
            errors.add(f"{field}.{key}", f"not translatable; text fields: {', '.join(sub_keys)}")
        elif sub_value is not None:
            adapter = _leaf(kind.create_schema, name, key)
            cleaned[key] = errors.validate(adapter, sub_value, f"{field}.{key}")
    return cleaned


def clean_patch(kind: Kind, *, patch: dict[str, Any]) -> dict[str, Any]:
    """Validate a translation patch; `None` values mean "remove, fall back again"."""
    errors = _Errors()
    cleaned: dict[str, Any] = {}
    for name, value in patch.items():
        sub_keys = kind.text_fields.get(name)
        if sub_keys is None:
            allowed = ", ".join(kind.text_fields) or "none"
            errors.add(name, f"not a translatable text field of {kind.path}; allowed: {allowed}")
        elif value is None:
            cleaned[name] = None
        elif not sub_keys:
            cleaned[name] = errors.validate(_leaf(kind.create_schema, name, None), value, name)
        elif _is_list(kind.create_schema, name):
            if not isinstance(value, list) or len(value) > MAX_ENTRIES:
                errors.add(name, f"must be a list of at most {MAX_ENTRIES} objects")
                continue
            cleaned[name] = [
                _clean_object(kind, name, sub_keys, entry, f"{name}.{i}", errors)
                for i, entry in enumerate(value)
            ]
        else:
            cleaned[name] = _clean_object(kind, name, sub_keys, value, name, errors)
    if errors.items:
        fields = ", ".join(e["field"] for e in errors.items)
        raise ValidationFailed(f"The translation is not valid: {fields}", errors=errors.items)
    return cleaned


def _live(item: EditorialMixin) -> bool:
    return item.status == Status.published and item.deleted_at is None


def has_pending(session: Session, *, kind: Kind, item: EditorialMixin) -> bool:
    stmt = select(Translation.id).where(
        Translation.kind == kind.name,
        Translation.item_id == item.id,
        Translation.draft.is_not(None),
    )
    return session.scalar(stmt.limit(1)) is not None


def apply_pending(session: Session, *, kind: Kind, item: EditorialMixin) -> None:
    """Publish the item's pending translations along with its own draft."""
    pending = session.scalars(
        select(Translation).where(
            Translation.kind == kind.name,
            Translation.item_id == item.id,
            Translation.draft.is_not(None),
        )
    )
    for translation in pending:
        translation.data = dict(translation.draft or {})
        translation.draft = None
        translation.review_hash, translation.draft_review_hash = translation.draft_review_hash, None
        translation.updated_at = utcnow()


def write_translation(
    session: Session, *, kind: Kind, item: EditorialMixin, locale: str, patch: dict[str, Any]
) -> Translation:
    """Merge `patch` into the item's translation for `locale` (created on first write).

    Top-level fields are replaced whole; a `None` value removes that field so
    it falls back to the item's own text. The item's version goes up too,
    since its public representation in that locale changed; the change hook
    then re-indexes and logs it for the sync feed like any other update.
    """
    if not is_locale(locale):
        raise ValidationFailed(
            f"{locale!r} is not a locale tag.", errors=[{"field": "locale", "message": "invalid"}]
        )
    locale = canonical(locale)
    if locale == canonical(item.locale):
        raise ValidationFailed(
            f"{locale!r} is the item's own locale; change the item itself instead.",
            errors=[{"field": "locale", "message": "the item's own locale"}],
        )
    cleaned = clean_patch(kind, patch=patch)
    translation = session.scalars(
        select(Translation).where(
            Translation.kind == kind.name,
            Translation.item_id == item.id,
            Translation.locale == locale,
        )
    ).first()
    if translation is None:
        translation = Translation(kind=kind.name, item_id=item.id, locale=locale, data={})
        translation.version = 0
        session.add(translation)
    if _live(item):
        # Health content is served only as published: text for a live item
        # waits in `draft` until the item is published again (apply_pending).
        data = {**(translation.draft or translation.data), **cleaned}
        new = {key: value for key, value in data.items() if value is not None}
        review.settle_translation(kind, translation=translation, new=new, into_draft=True)
        translation.draft = new
    else:
        data = {**translation.data, **cleaned}
        new = {key: value for key, value in data.items() if value is not None}
        review.settle_translation(kind, translation=translation, new=new, into_draft=False)
        translation.data = new
    translation.version += 1
    translation.updated_at = utcnow()
    item.version += 1
    content_changed(session, change=Change(kind.name, item, Action.updated))
    review.enforce_schedule(session, kind=kind, item=item)
    return translation
