"""Which function delivers each kind of notice. Apps register theirs in ``AppConfig.ready``;
this module imports no app, so imports keep running one way (apps -> notices)."""

from collections.abc import Callable
from importlib import import_module

_handlers: dict[str, str] = {}


class UnknownKind(LookupError):
    pass


def register(kind: str, handler_path: str) -> None:
    """``handler_path`` names a function taking the notice's ``subject_id`` (a dotted path,
    imported when a notice of this kind is delivered: web processes never import it)."""
    existing = _handlers.setdefault(kind, handler_path)
    if existing != handler_path:
        raise ValueError(f"notice kind {kind!r} is already delivered by {existing}")


def is_registered(kind: str) -> bool:
    return kind in _handlers


def handler_for(kind: str) -> Callable[[int], object]:
    try:
        module_path, _, name = _handlers[kind].rpartition(".")
    except KeyError:
        raise UnknownKind(kind) from None
    return getattr(import_module(module_path), name)
