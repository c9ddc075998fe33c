"""Every public service function takes `session` first and the rest by keyword.

STYLE.md asks for `get_treatment(session, *, slug=...)`: a call site then
names what it passes, so two arguments of one type (a kind and a slug, two
ids) cannot be swapped silently. Pure helpers without a session follow the
same rule: one positional parameter at most. Only callbacks whose caller is
not ours (SQLAlchemy passes event arguments by position) are exempt, each
with its reason.
"""

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import app.services

# A public function whose positional parameters are fixed by someone else's caller.
EXEMPT = {
    "app.services.editorial.audit.append_only": (
        "a SQLAlchemy before_flush listener: SQLAlchemy calls it with "
        "(session, flush_context, instances) by position"
    ),
}

POSITIONAL = (
    inspect.Parameter.POSITIONAL_ONLY,
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.VAR_POSITIONAL,
)


def _modules() -> Iterator[ModuleType]:
    yield app.services
    for info in pkgutil.walk_packages(app.services.__path__, "app.services."):
        yield importlib.import_module(info.name)


def _public_callables(module: ModuleType) -> Iterator[tuple[str, Callable[..., Any], bool]]:
    """(qualified name, function, is a method) for what the module defines."""
    for name, value in vars(module).items():
        if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value):
            yield f"{module.__name__}.{name}", value, False
        elif inspect.isclass(value):
            for attr, member in vars(value).items():
                if attr.startswith("_"):
                    continue
                bound = not isinstance(member, staticmethod)
                function = getattr(member, "__func__", member)
                if inspect.isfunction(function):
                    yield f"{module.__name__}.{name}.{attr}", function, bound


def violation(function: Callable[..., Any], *, method: bool = False) -> str | None:
    """Why the signature breaks the rule, or None when it keeps it."""
    params = list(inspect.signature(function).parameters.values())[1 if method else 0 :]
    positional = [p.name for p in params if p.kind in POSITIONAL]
    if "session" in (p.name for p in params) and params[0].name != "session":
        return "`session` is not the first parameter"
    if len(positional) > 1:
        return f"positional after {positional[0]!r}: {', '.join(positional[1:])}"
    return None


def test_service_functions_take_keywords_after_the_first_parameter() -> None:
    found = {
        name: reason
        for module in _modules()
        for name, function, method in _public_callables(module)
        if (reason := violation(function, method=method)) is not None
    }
    offending = {name: reason for name, reason in found.items() if name not in EXEMPT}
    assert not offending, "\n".join(f"{name}: {reason}" for name, reason in offending.items())
    stale = set(EXEMPT) - set(found)
    assert not stale, f"exempt but no longer positional, drop from EXEMPT: {sorted(stale)}"


def test_the_check_names_positional_parameters_and_a_late_session() -> None:
    def positional(session: object, kind: str, slug: str) -> None: ...

    def late_session(kind: str, *, session: object) -> None: ...

    def keyword_only(session: object, *, kind: str, slug: str) -> None: ...

    class Cache:
        def get(self, session: object, *, slug: str) -> None: ...

    assert violation(positional) == "positional after 'session': kind, slug"
    assert violation(late_session) == "`session` is not the first parameter"
    assert violation(keyword_only) is None
    assert violation(Cache.get, method=True) is None
    assert violation(Cache.get) == "`session` is not the first parameter"
