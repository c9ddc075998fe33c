"""Settings, read once from the environment and `.env`, validated at start-up.

A bad value stops the process with a clear message rather than surfacing as a
500 on the first request that happens to need it.
"""

import ipaddress
import re
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def normalize_database_url(url: str) -> str:
    """Accept the URL forms operators paste (`postgres://`, `postgresql://`).

    SQLAlchemy would pick psycopg2 for a bare `postgresql://`, which we do not
    ship; psycopg 3 is the driver in the lock file.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


def parse_rate(value: str) -> tuple[int, int]:
    """`"600/minute"` -> (600, 60): requests allowed per window of that many seconds."""
    match = _RATE.match(value)
    if match is None or int(match.group(1)) < 1:
        raise ValueError(
            f"rate limit {value!r} must look like '600/minute' (per second|minute|hour|day)"
        )
    return int(match.group(1)), RATE_PERIODS[match.group(2)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./treatments.db"
    environment: Literal["development", "test", "production"] = "development"
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Absolute origin used to make links in rendered HTML absolute.",
    )
    default_locale: str = "en"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_allow_credentials: bool = False
    cache_control_public: str = "public, max-age=60, stale-while-revalidate=600"
    cache_control_error: str = Field(
        default="no-store",
        description="Cache-Control on every non-2xx answer, so a CDN never pins an error.",
    )
    cache_control_routes: dict[str, str] = Field(
        default_factory=lambda: {"/healthz": "no-store", "/readyz": "no-store"},
        description="Route path template -> Cache-Control, overriding the public default.",
    )
    compression_min_bytes: int = 1024
    response_cache: bool = Field(
        default=True, description="In-memory cache of anonymous GETs (RESPONSE_CACHE=off)."
    )
    response_cache_max_entries: int = Field(default=10_000, ge=1)
    response_cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1)
    cache_poll_seconds: float = Field(
        default=0.5,
        gt=0,
        description="SQLite only: how often a worker checks whether another process wrote.",
    )
    max_body_bytes: int = 1_048_576
    db_pool_size: int = 10
    db_max_overflow: int = 10
    db_pool_timeout: float = 10.0
    sqlite_busy_timeout_ms: int = 15_000
    db_connect_timeout: int = Field(
        default=5, ge=1, description="Seconds; a dead database fails requests fast, never hangs."
    )
    docs_enabled: bool | None = Field(
        default=None, description="/docs and /openapi.json; default on, off in production."
    )
    hsts_seconds: int = Field(default=0, ge=0, description="Strict-Transport-Security max-age.")
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="CIDRs of reverse proxies whose X-Forwarded-For is believed.",
    )
    rate_limit_enabled: bool = True
    rate_limit_anon: str = "600/minute"
    rate_limit_key: str = "1200/minute"
    redis_url: str | None = Field(
        default=None, description="Shares rate-limit counters across workers when set."
    )
    redis_prefix: str = Field(
        default="tca:ratelimit:", description="Keeps deployments sharing one Redis apart."
    )
    metrics_enabled: bool = True
    access_log: bool = True

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        value = normalize_database_url(value.strip())
        if not value.startswith(("sqlite://", "postgresql+psycopg://")):
            raise ValueError(
                "DATABASE_URL must be a sqlite:/// file URL or a postgresql:// URL, "
                f"got scheme {value.split(':', 1)[0]!r}"
            )
        return value

    @field_validator("cors_origins", "trusted_proxies", mode="before")
    @classmethod
    def _split_lists(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"TRUSTED_PROXIES entry {item!r} is not an IP address or CIDR"
                ) from None
        return value

    @field_validator("rate_limit_anon", "rate_limit_key")
    @classmethod
    def _check_rate(cls, value: str) -> str:
        parse_rate(value)
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("REDIS_URL must start with redis://, rediss:// or unix://")
        return value or None

    @model_validator(mode="after")
    def _refuse_unsafe_combinations(self) -> "Settings":
        if "*" in self.cors_origins and self.cors_allow_credentials:
            raise ValueError(
                "CORS_ORIGINS='*' together with CORS_ALLOW_CREDENTIALS=true lets any site "
                "act with a visitor's credentials; list the portal origins instead"
            )
        if self.environment == "production" and not self.public_base_url.startswith("https://"):
            raise ValueError(
                "ENVIRONMENT=production needs an https:// PUBLIC_BASE_URL, "
                f"got {self.public_base_url!r}"
            )
        return self

    @property
    def docs_on(self) -> bool:
        """Explicit DOCS_ENABLED wins; otherwise docs are hidden only in production."""
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.environment != "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
