"""Request bodies that read a JSON ``null`` in an optional field as "not sent" (the field keeps its default).

Shops and scripts send ``"lot": null`` for "no lot" all the time; a field declared ``lot: str = ""`` would
refuse it with 422. Every request model of the server derives from `RequestBody`; a field that already admits
None (``X | None = None``) keeps its null, and a required field still refuses it. It lives in `sync/` because
the server's schemas and the wire (sync/schemas.py) both import it, and neither imports the other's internals.

The push path does not use this base: it validates 500 events a push inside pydantic-core, and a Python
validator per event would cost more than the event's whole validation. Its one field with a non-None default
(PushRequest.outbox_depth) takes `NoneAs`, a validator on that field alone.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel, BeforeValidator, model_validator


class RequestBody(BaseModel):
    """A request model whose optional fields take JSON null as absent (see the module docstring)."""

    #: the input keys whose null is dropped: fields with a default that do not admit None
    null_is_absent: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.null_is_absent = frozenset(
            field.alias or name
            for name, field in cls.model_fields.items()
            if not field.is_required() and not _admits_none(field.annotation)
        )

    @model_validator(mode="before")
    @classmethod
    def _drop_nulls(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not cls.null_is_absent:
            return data
        drop = cls.null_is_absent
        if not any(data.get(key, 0) is None for key in drop):
            return data
        return {key: value for key, value in data.items() if value is not None or key not in drop}


def NoneAs(default: Any) -> BeforeValidator:
    """A field validator that reads null as `default`: ``Annotated[int, NoneAs(0)] = 0`` (one field, no model
    validator: for the hot push path)."""
    replace: Callable[[Any], Any] = lambda value: default if value is None else value  # noqa: E731
    return BeforeValidator(replace)


def _admits_none(annotation: Any) -> bool:
    """True when a field's type accepts None itself (``X | None``, ``Optional[X]``, ``Any``, ``None``)."""
    if annotation is None or annotation is type(None) or annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _admits_none(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return any(_admits_none(arg) for arg in typing.get_args(annotation))
    return False
