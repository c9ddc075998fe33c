"""Plain many-to-many link tables between editorial resources.

Link rows carry no data of their own; links that do (a route's notes for one
treatment) are association objects in the resource's own module.
"""

from sqlalchemy import Column, ForeignKey, Table

from models.base import Base


def _link(name: str, left: str, right: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            f"{right}_id",
            ForeignKey(f"{right}.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        ),
    )


doctor_clinic = _link("doctor_clinic", "doctor", "clinic")
doctor_treatment = _link("doctor_treatment", "doctor", "treatment")
clinic_treatment = _link("clinic_treatment", "clinic", "treatment")
media_treatment = _link("media_treatment", "media", "treatment")
media_doctor = _link("media_doctor", "media", "doctor")
media_clinic = _link("media_clinic", "media", "clinic")
condition_treatment = _link("condition_treatment", "condition", "treatment")
condition_doctor = _link("condition_doctor", "condition", "doctor")
condition_clinic = _link("condition_clinic", "condition", "clinic")
