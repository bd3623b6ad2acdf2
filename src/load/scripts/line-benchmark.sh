#!/usr/bin/env bash
# The waiting line's benchmark on this machine's PostgreSQL: places given per second, the heap with 100,000
# places held, the line's decisions per second beside direct issuance, on one and on three instances; the report
# goes to docs/benchmarks/line-*.md (docs/load-testing.md explains it).
# Builds the service jar first. Options are -Dbench.* properties, for example:
#   src/load/scripts/line-benchmark.sh -Dbench.line.places=20000 -Dbench.line.instances=1
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec ./mvnw -B -ntp -Pload -DskipTests package exec:java@line-benchmark \
  -Dbench.command="src/load/scripts/line-benchmark.sh $*" "$@"
