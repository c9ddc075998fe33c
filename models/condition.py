"""Conditions (cancer types and other diseases): a kind of their own, so one
condition is named, coded (ICD-10, SNOMED CT) and reviewed once and linked
from every treatment, doctor and clinic that deals with it.

The condition owns its links (a treatment, doctor or clinic does not list
its conditions in its own document), so the links are reviewed with the
condition and a condition can be added without touching the other kinds.
"""

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, EditorialMixin, JSONValue, ReviewedMixin, review_overdue
from models.links import condition_clinic, condition_doctor, condition_treatment

if TYPE_CHECKING:
    from models.clinic import Clinic
    from models.doctor import Doctor
    from models.treatment import Treatment


class Condition(ReviewedMixin, EditorialMixin, Base):
    """A condition a treatment is used for, such as multiple myeloma.

    Codes are child rows so `?condition_code=` is an indexed lookup.
    """

    __tablename__ = "condition"

    name: Mapped[str] = mapped_column(String(200), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSONValue, default=list)
    last_reviewed: Mapped[date | None] = mapped_column(default=None)
    next_review_due: Mapped[date | None] = mapped_column(default=None, index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))

    code_rows: Mapped[list["ConditionCode"]] = relationship(
        cascade="all, delete-orphan", order_by="ConditionCode.position", lazy="raise"
    )
    treatments: Mapped[list["Treatment"]] = relationship(
        secondary=condition_treatment, back_populates="conditions", lazy="raise"
    )
    doctors: Mapped[list["Doctor"]] = relationship(secondary=condition_doctor, lazy="raise")
    clinics: Mapped[list["Clinic"]] = relationship(secondary=condition_clinic, lazy="raise")

    @property
    def codes(self) -> list["ConditionCode"]:
        return self.code_rows

    def _code(self, system: str) -> str | None:
        return next((row.code for row in self.code_rows if row.system == system), None)

    # One code per system at most (app.schemas.condition): what JSON-LD's MedicalCodes read.
    @property
    def icd10_code(self) -> str | None:
        return self._code("ICD-10")

    @property
    def icd10cm_code(self) -> str | None:
        return self._code("ICD-10-CM")

    @property
    def snomed_code(self) -> str | None:
        return self._code("SNOMED-CT")

    @property
    def review_overdue(self) -> bool:
        return review_overdue(self.next_review_due)


class ConditionCode(Base):
    """One code of a condition in one code system (ICD-10, ICD-10-CM, SNOMED-CT)."""

    __tablename__ = "condition_code"

    condition_id: Mapped[str] = mapped_column(
        ForeignKey("condition.id", ondelete="CASCADE"), primary_key=True
    )
    system: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
    display: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
