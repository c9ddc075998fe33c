"""The hospital's own profile: one published row per deployment."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import NotFound
from models import Organization


def get_organization(session: Session) -> Organization:
    # Oldest first, so a second row added by mistake never replaces the profile.
    item = session.scalars(
        select(Organization).order_by(Organization.created_at, Organization.id).limit(1)
    ).first()
    if item is None:
        raise NotFound("No organization profile has been published.")
    return item
