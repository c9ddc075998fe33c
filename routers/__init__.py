"""One router per resource kind; ROUTERS is the order they are mounted in."""

from fastapi import APIRouter

from routers import health, search, sync, treatments

ROUTERS: list[APIRouter] = [health.router, treatments.router, search.router, sync.router]
