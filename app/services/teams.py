"""Teams of advisors: a branch, a desk, a speciality; with topics and locations."""

from __future__ import annotations

from sqlmodel import Session, col

from app.models import Team, User
from app.services import audit
from app.services.context import TenantContext, get_scoped, scoped
from app.services.errors import AccessDenied, InvalidInput
from app.services.guard import ADMINS, STAFF


def _clean_list(raw: list[str] | str) -> list[str]:
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else raw
    cleaned = [" ".join(item.split()) for item in items]
    result = [item for item in dict.fromkeys(cleaned) if item]
    if any(len(item) > 80 for item in result) or len(result) > 50:
        raise InvalidInput("error.list_too_long")
    return result


def list_teams(session: Session, ctx: TenantContext) -> list[Team]:
    """The tenant's teams by name (staff)."""
    if ctx.role not in STAFF:
        raise AccessDenied()
    return list(session.exec(scoped(ctx, Team).order_by(col(Team.name))).all())


def save_team(
    session: Session,
    ctx: TenantContext,
    *,
    team_id: int | None,
    name: str,
    topics: list[str] | str,
    locations: list[str] | str,
) -> Team:
    """Create a team (``team_id=None``) or rename / re-describe one (admins only)."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > 120:
        raise InvalidInput("error.name_required")
    duplicate = session.exec(scoped(ctx, Team).where(Team.name == clean_name)).first()
    if duplicate is not None and duplicate.id != team_id:
        raise InvalidInput("error.team_name_taken", name=clean_name)
    team = (
        get_scoped(session, ctx, Team, team_id)
        if team_id is not None
        else Team(tenant_id=ctx.tenant_id, name=clean_name)
    )
    team.name = clean_name
    team.topics = _clean_list(topics)
    team.locations = _clean_list(locations)
    session.add(team)
    session.flush()
    audit.record(
        session,
        ctx,
        "team.saved" if team_id else "team.created",
        target_type="team",
        target_id=team.id,
        details={"name": clean_name},
    )
    return team


def delete_team(session: Session, ctx: TenantContext, team_id: int | str) -> None:
    """Remove a team; its members stay, without a team (admins only)."""
    if ctx.role not in ADMINS:
        raise AccessDenied()
    team = get_scoped(session, ctx, Team, team_id)
    for member in session.exec(scoped(ctx, User).where(User.team_id == team.id)).all():
        member.team_id = None
        member.is_team_lead = False
        session.add(member)
    session.delete(team)
    audit.record(
        session,
        ctx,
        "team.deleted",
        target_type="team",
        target_id=team_id,
        details={"name": team.name},
    )
