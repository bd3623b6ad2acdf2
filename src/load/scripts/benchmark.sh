#!/usr/bin/env bash
# Every issuance strategy under the same load on this machine's PostgreSQL and Redis, then the run's report in
# docs/benchmarks/ (docs/benchmarks.md explains it).
# Builds the service jar first. Options are -Dbench.* properties (docs/load-testing.md), for example:
#   src/load/scripts/benchmark.sh -Dbench.strategies=atomic-update,group-commit -Dbench.holdSeconds=20
#   src/load/scripts/benchmark.sh -Dbench.jdks=/usr/lib/jvm/java-17-openjdk-amd64,/usr/lib/jvm/temurin-25-jdk-amd64
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec ./mvnw -B -ntp -Pload -DskipTests package exec:java -Dbench.command="src/load/scripts/benchmark.sh $*" "$@"
