"""Tenant meeting settings (admins) and the feedback participants give after a meeting."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import Session, select

from app.models import AuditEvent, MeetingFeedback, Tenant
from app.services import meeting_feedback, meetings
from app.services.errors import AccessDenied, InvalidInput
from app.services.meeting_settings import (
    MeetingSettings,
    get_meeting_settings,
    update_meeting_settings,
)
from tests.factories import TenantWorld
from tests.services.test_meetings import guest, host_of

GOOD = MeetingSettings(
    file_max_mb=5,
    file_types=["pdf", "jpeg"],
    media_on=False,
    feedback_text="Danke, dass Sie da waren.",
    feedback_url="https://umfrage.alpina.example/x",
)


def test_admin_sets_the_tenants_meeting_settings_and_it_is_audited(
    db: Session, alpha: TenantWorld
) -> None:
    update_meeting_settings(db, alpha.admin_ctx, GOOD)
    db.commit()
    assert get_meeting_settings(db, alpha.admin_ctx) == GOOD
    event = db.exec(
        select(AuditEvent).where(AuditEvent.action == "tenant.meeting_settings_changed")
    ).one()
    assert event.details["meeting_file_max_mb"] == {"from": 10, "to": 5}


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"file_max_mb": 0}, "meeting_settings.size_range"),
        ({"file_max_mb": 26}, "meeting_settings.size_range"),
        ({"file_types": []}, "meeting_settings.types_required"),
        ({"file_types": ["pdf", "exe"]}, "meeting_settings.types_required"),
        ({"feedback_url": "javascript:alert(1)"}, "error.url_invalid"),
        ({"feedback_text": "x" * 501}, "meeting_settings.text_too_long"),
    ],
)
def test_bad_meeting_settings_are_refused_and_change_nothing(
    db: Session, alpha: TenantWorld, change: dict[str, object], key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        update_meeting_settings(db, alpha.admin_ctx, dataclasses.replace(GOOD, **change))
    assert refused.value.key == key
    db.rollback()
    tenant = db.get(Tenant, alpha.tenant.id)
    assert tenant is not None and tenant.meeting_file_max_mb == 10


def test_an_advisor_cannot_change_meeting_settings(db: Session, alpha: TenantWorld) -> None:
    with pytest.raises(AccessDenied):
        update_meeting_settings(db, alpha.advisor_ctx, GOOD)


def test_feedback_is_one_rating_per_participant_with_the_tenants_words(
    db: Session, alpha: TenantWorld
) -> None:
    update_meeting_settings(db, alpha.admin_ctx, GOOD)
    room = meetings.start_meeting(db, alpha.advisor_ctx, "Beratung").room
    db.commit()
    eva = guest(db, alpha, host_of(db, alpha, room))
    assert meeting_feedback.invitation(db, eva).text == "Danke, dass Sie da waren."
    with pytest.raises(InvalidInput):
        meeting_feedback.give_feedback(db, eva, stars=0, comment="")
    meeting_feedback.give_feedback(db, eva, stars=4, comment="Gut erklärt")
    db.commit()
    meeting_feedback.give_feedback(db, eva, stars=5, comment="Sehr gut erklärt")
    db.commit()
    [row] = db.exec(select(MeetingFeedback)).all()
    assert (row.stars, row.comment) == (5, "Sehr gut erklärt")
