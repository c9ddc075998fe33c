#!/bin/sh
# Redis on 127.0.0.1:6379 for the shared rate-limit test
# (tests/http/test_ratelimit.py::test_redis_counters_are_shared_by_two_app_instances).
# Idempotent: does nothing when Redis already answers. No persistence: CI
# needs a counter store, not a database. Call it from .ci/run before the tests.
set -eu

if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    exit 0
fi
mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
for _ in $(seq 1 50); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0
    sleep 0.1
done
echo "Redis did not answer on 127.0.0.1:6379; see /var/log/redis/ci.log" >&2
exit 1
