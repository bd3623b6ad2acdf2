#!/usr/bin/env bash
# Every issuance strategy under the same load on this machine's PostgreSQL and Redis, then docs/benchmarks.md.
# Builds the service jar first. Options are -Dbench.* properties (docs/load-testing.md), for example:
#   load-test/benchmark.sh -Dbench.strategies=atomic-update,group-commit -Dbench.holdSeconds=20
#   load-test/benchmark.sh -Dbench.jdks=/usr/lib/jvm/java-17-openjdk-amd64,/usr/lib/jvm/temurin-25-jdk-amd64
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -ntp -Pload -DskipTests package exec:java -Dbench.command="load-test/benchmark.sh $*" "$@"
