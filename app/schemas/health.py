"""What the liveness and readiness probes answer."""

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(description="The SQL dialect answering.", examples=["postgresql"])
