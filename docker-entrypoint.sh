#!/bin/sh
# The container's start-up, the same steps as `make run`: migrate, seed
# (idempotent), then serve. `exec` hands signals straight to the server.
set -eu
treatments migrate
treatments seed
exec treatments serve --host 0.0.0.0 --port "${PORT:-8000}" --workers "${WEB_CONCURRENCY:-1}" "$@"
