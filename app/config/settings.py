"""The Settings class: every setting with its default, read once from the
environment and `.env`. The checks of single values live in app.config.values,
so this file reads as the list of what an operator can set."""

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.config.values import (
    check_networks,
    check_public_base_url,
    is_loopback,
    normalize_database_url,
    parse_rate,
)
from app.webhooks.allowlist import parse_entry


class Settings(BaseSettings):
    """Every setting, read from the environment and checked at start-up, so a bad value
    stops the process instead of surfacing on the first request."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./treatments.db"
    environment: Literal["development", "test", "production"] = "development"
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The deployment's public origin (and optional path prefix): every "
        "absolute URL the API prints starts with it, whatever the request's Host says.",
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
    response_cache_max_bytes: int = Field(
        default=12 * 1024 * 1024,
        ge=1,
        description="Bytes of responses kept in memory per worker, tags and headers counted. "
        "The document store behind it keeps every rendered answer in the database, so a "
        "memory miss costs one indexed SELECT; 12 MiB keeps a worker under 150 MB with "
        "its cache full at 1,000 treatments (bench/README.md).",
    )
    document_store: bool = Field(
        default=True,
        description="Rendered-document store: finished public responses kept in the database, "
        "shared by every worker, behind the in-memory cache (DOCUMENT_STORE=off).",
    )
    document_store_max_documents: int = Field(
        default=100_000,
        ge=1,
        description="Documents the store keeps; the oldest go first beyond this.",
    )
    cache_poll_seconds: float = Field(
        default=0.5,
        gt=0,
        description="SQLite only: how often a worker checks whether another process wrote.",
    )
    max_body_bytes: int = 1_048_576
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    db_pool_timeout: float = Field(default=10.0, gt=0)
    threadpool_size: int | None = Field(
        default=None,
        ge=1,
        description="Threads that run sync endpoints; defaults to the pool's capacity.",
    )
    render_concurrency: int | None = Field(
        default=None,
        ge=1,
        description="Anonymous content reads rendered at once per worker; more wait their "
        "turn. Default: 1 on SQLite, where a render is CPU-bound Python under one GIL, and "
        "2 on PostgreSQL, where it also waits on the network. More slots did not fill a "
        "worker's cache faster but each kept more memory (figures: bench/README.md).",
    )
    sqlite_busy_timeout_ms: int = 15_000
    sqlite_cache_kib: int = Field(
        default=512,
        ge=16,
        description="SQLite page cache per connection, in KiB. The operating system caches "
        "the file too, and SQLite's default of 2 MiB per connection across a whole pool "
        "held far more memory per worker (figures: bench/README.md).",
    )
    readability_target_grade: float = Field(
        default=8.0, description="Warn editors when a text field reads above this grade."
    )
    review_interval_days: int = Field(
        default=365, ge=1, description="Default time from a clinical review to the next one."
    )
    review_grace_days: int | None = Field(
        default=None,
        ge=0,
        description="Hide treatments and FAQs from the public once their review is overdue "
        "by more than this many days; unset never hides.",
    )
    schedule_check_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How often (at most) a worker promotes due scheduled publishes.",
    )
    webhook_worker_enabled: bool = Field(
        default=True,
        description="Send webhook deliveries from a thread in each API process; turn off "
        "when `treatments webhooks worker` runs on its own.",
    )
    webhook_poll_seconds: float = Field(default=0.5, gt=0, le=3600)
    webhook_batch_size: int = Field(default=20, ge=1, le=500)
    webhook_concurrency: int = Field(default=4, ge=1, le=64)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_lease_seconds: float = Field(
        default=120.0, gt=0, description="A claimed delivery is retried after this long."
    )
    webhook_backoff_base_seconds: float = Field(default=10.0, gt=0)
    webhook_backoff_max_seconds: float = Field(default=3600.0, gt=0)
    webhook_retry_window_seconds: float = Field(
        default=86_400.0, gt=0, description="Stop retrying a delivery after this long."
    )
    webhook_allow_http: bool = Field(
        default=False, description="Accept http:// webhook URLs (https only by default)."
    )
    webhook_allowed_networks: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="CIDRs that webhooks may reach although private, loopback or link-local.",
    )
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Host names whose addresses are not checked (e.g. an internal gateway).",
    )
    webhook_url_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="If set, every webhook URL must lie under one of these "
        "scheme://host[:port][/path] entries: scheme, host and port equal, path on a / boundary.",
    )
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
    rate_limit_ipv6_prefix: int = Field(
        default=64,
        ge=32,
        le=128,
        description="IPv6 clients share one rate-limit bucket per network of this prefix "
        "length: one subscriber usually holds a whole /64, so per-address buckets would "
        "give one client 2^64 of them. 128 counts every address on its own.",
    )
    rate_limit_max_buckets: int = Field(
        default=100_000,
        ge=1,
        description="In-memory limiter only: counters kept per worker; beyond this the least "
        "recently used are dropped (counted in /metrics as rate_limit_buckets_dropped_total).",
    )
    api_key_cache_seconds: float = Field(
        default=10.0,
        ge=0,
        le=300,
        description="How long a worker remembers whether an API key is valid before asking "
        "the database again; a revoked key still counts as a key on public reads for up to "
        "this long (editorial routes check on every request). 0 asks every time.",
    )
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

    @field_validator(
        "cors_origins",
        "trusted_proxies",
        "webhook_allowed_networks",
        "webhook_allowed_hosts",
        "webhook_url_allowlist",
        mode="before",
    )
    @classmethod
    def _split_lists(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("webhook_allowed_networks")
    @classmethod
    def _check_networks(cls, value: list[str]) -> list[str]:
        return check_networks(value, problem="{item!r} is not a CIDR network (e.g. 10.0.0.0/8)")

    @field_validator("public_base_url")
    @classmethod
    def _check_public_base_url(cls, value: str) -> str:
        return check_public_base_url(value)

    @field_validator("webhook_url_allowlist")
    @classmethod
    def _check_allowlist(cls, value: list[str]) -> list[str]:
        for item in value:
            parse_entry(item)
        return value

    @field_validator("webhook_allowed_hosts")
    @classmethod
    def _lower_hosts(cls, value: list[str]) -> list[str]:
        return [item.lower().rstrip(".") for item in value]

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        return check_networks(
            value, problem="TRUSTED_PROXIES entry {item!r} is not an IP address or CIDR"
        )

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
        if self.environment == "production" and is_loopback(self.public_base_url):
            raise ValueError(
                "ENVIRONMENT=production refuses a loopback PUBLIC_BASE_URL "
                f"({self.public_base_url!r}): every link the API prints would point at the "
                "client's own machine; set it to the public origin, e.g. "
                "https://content.hospital.example"
            )
        return self

    @model_validator(mode="after")
    def _threads_fit_the_pool(self) -> "Settings":
        """More threads than connections lets every thread wait on the pool at once.

        Sync endpoints each hold one connection while they run; with no more
        threads than connections, a thread that starts can always get one, so
        load queues in front of the threadpool instead of timing out on the pool.
        """
        capacity = self.db_pool_size + self.db_max_overflow
        if self.threadpool_size is None:
            self.threadpool_size = capacity
        elif self.threadpool_size > capacity:
            raise ValueError(
                f"THREADPOOL_SIZE={self.threadpool_size} exceeds the database pool "
                f"(DB_POOL_SIZE + DB_MAX_OVERFLOW = {capacity}); under load the extra "
                "threads would only wait for a connection and time out"
            )
        return self

    @property
    def render_slots(self) -> int:
        if self.render_concurrency is not None:
            return self.render_concurrency
        return 1 if self.is_sqlite else 2

    @property
    def threads(self) -> int:
        return self.threadpool_size or self.db_pool_size + self.db_max_overflow

    @model_validator(mode="after")
    def _lease_outlasts_a_send(self) -> "Settings":
        if self.webhook_lease_seconds <= self.webhook_timeout_seconds:
            raise ValueError(
                "WEBHOOK_LEASE_SECONDS must exceed WEBHOOK_TIMEOUT_SECONDS, or a slow "
                "delivery could be claimed and sent twice"
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
