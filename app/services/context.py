"""The tenant-scoped context every service takes, and the one helper that scopes queries."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from sqlmodel import Session, SQLModel, select
from sqlmodel.sql.expression import SelectOfScalar

from app.models import Role
from app.services.errors import NotFound

ModelT = TypeVar("ModelT", bound=SQLModel)


@dataclasses.dataclass(frozen=True)
class TenantContext:
    """Who acts, in which tenant. Built only by the guard (or by system jobs)."""

    tenant_id: int
    tenant_slug: str
    user_id: int | None = None
    role: Role | None = None
    actor_label: str = "system"
    timezone: str = "UTC"

    @classmethod
    def system(cls, tenant_id: int, tenant_slug: str) -> TenantContext:
        """A context for jobs acting on behalf of the platform in one tenant."""
        return cls(tenant_id=tenant_id, tenant_slug=tenant_slug)


def scoped(ctx: TenantContext, model: type[ModelT]) -> SelectOfScalar[ModelT]:
    """``select(model)`` limited to the caller's tenant. Every tenant read goes through here."""
    column: Any = model.tenant_id  # type: ignore[attr-defined]
    return select(model).where(column == ctx.tenant_id)


def get_scoped(session: Session, ctx: TenantContext, model: type[ModelT], row_id: Any) -> ModelT:
    """Load one row of the caller's tenant by id, or raise NotFound (also for other tenants)."""
    id_column: Any = model.id  # type: ignore[attr-defined]
    try:
        row_id = int(row_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    row = session.exec(scoped(ctx, model).where(id_column == row_id)).first()
    if row is None:
        raise NotFound()
    return row
