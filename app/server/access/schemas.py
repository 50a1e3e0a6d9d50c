"""Bodies for floor operators."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sync.bodies import RequestBody


class OperatorRole(StrEnum):
    PICKER = "picker"
    PACKER = "packer"
    RETURNS = "returns"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class OperatorIn(RequestBody):
    """A person on the floor: the badge they scan, their roles and a PIN (4-12 digits, stored hashed)."""

    model_config = ConfigDict(extra="forbid")

    badge: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    roles: list[OperatorRole] = Field(min_length=1)
    pin: str = Field(pattern=r"^\d{4,12}$", description="4 to 12 digits")


class OperatorOut(BaseModel):
    badge: str
    name: str
    roles: list[str]
    active: bool
