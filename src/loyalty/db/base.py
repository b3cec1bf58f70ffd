"""Declarative bases for every model: time-ordered UUIDv7 keys and audit timestamps set by callables."""

from __future__ import annotations

from advanced_alchemy.base import UUIDv7AuditBase, UUIDv7Base, orm_registry
from sqlalchemy.orm import DeclarativeBase

metadata = orm_registry.metadata


class NaturalKeyBase(DeclarativeBase):
    """For link and lookup tables whose key is their content (favourites, search terms): no surrogate id."""

    registry = orm_registry
    metadata = orm_registry.metadata


__all__ = ["NaturalKeyBase", "UUIDv7AuditBase", "UUIDv7Base", "metadata"]
