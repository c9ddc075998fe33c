"""What the liveness and readiness probes answer."""

from pydantic import BaseModel, Field


class Health(BaseModel):
    """The liveness answer: the process is up."""

    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    """The readiness answer: the database answers too."""

    status: str = Field(examples=["ok"])
    database: str = Field(description="The SQL dialect answering.", examples=["postgresql"])
