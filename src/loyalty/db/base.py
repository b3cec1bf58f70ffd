"""Declarative bases for every model: time-ordered UUIDv7 keys and audit timestamps set by callables."""

from __future__ import annotations

from advanced_alchemy.base import UUIDv7AuditBase, UUIDv7Base, orm_registry

metadata = orm_registry.metadata

__all__ = ["UUIDv7AuditBase", "UUIDv7Base", "metadata"]
