# The README's two commands: `make run` and `make test`. Both create the
# virtualenv from the lock file on first use, so a fresh clone needs only
# Python 3.11+ and make. CI (.ci/run) calls these same targets.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DATABASE_URL ?= sqlite:///./treatments.db

.PHONY: install run serve migrate seed test fuzz lint typecheck check bench soak lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Create the virtualenv with the locked dependencies

migrate: install ## Apply database migrations
	$(BIN)/treatments migrate

seed: migrate ## Load the seed content (idempotent)
	$(BIN)/treatments seed

run: seed ## Migrate, seed and serve on $(HOST):$(PORT)
	$(BIN)/treatments serve --host $(HOST) --port $(PORT)

test: install ## The whole suite against $(DATABASE_URL)'s engine
	$(BIN)/pytest

fuzz: install ## Contract fuzzing: schemathesis, every operation and check (FUZZ_ARGS="--max-examples 50")
	$(BIN)/python tests/contract/run.py $(FUZZ_ARGS)

lint: install ## ruff, and the layer contracts in pyproject.toml (import-linter)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy app models routers

check: lint typecheck test

bench: install ## Benchmark beside a bare Starlette baseline (BENCH_ARGS="--scale seed,large")
	$(BIN)/python bench/run.py $(BENCH_ARGS)

soak: install ## 5-minute soak on PostgreSQL, 2 workers, reads and writes (SOAK_ARGS="--duration 60")
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

lock: ## Re-resolve requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --universal -o requirements.lock

clean:
	rm -rf $(VENV) treatments.db treatments.db-wal treatments.db-shm
