"""The two ways a label fails before it prints: bad data, or a shop template that does not render."""

from __future__ import annotations

__all__ = ["LabelDataError", "LabelTemplateError"]


class LabelDataError(ValueError):
    """A label cannot be made from these data (a bad SSCC, an unknown country, …); the message says which."""


class LabelTemplateError(Exception):
    """A label template does not render or leaves out what a label must carry.

    The message names the template file and, for a render error, its line.
    """
