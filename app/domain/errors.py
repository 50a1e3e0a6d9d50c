"""Errors the domain raises; each carries a message an operator or integrator can act on."""


class DomainError(Exception):
    """A business rule refused something. `code` is stable for APIs; the message is for people."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidBarcode(DomainError):
    code = "invalid_barcode"


class IllegalTransition(DomainError):
    code = "illegal_transition"


class ValidationFailed(DomainError):
    code = "validation_failed"
