#!/usr/bin/env bash
# Runs the QUIC JMH benchmarks and writes JMH JSON to bench-results/quic.json.
# Extra arguments go to JMH, e.g. a short run: bench/run-bench.sh -f 1 -wi 1 -i 1 -w 1 -r 1
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=bench/target/benchmarks.jar

# Rebuild when the jar is missing or older than any source or pom it is made from.
if [[ ! -f $jar ]] || [[ -n $(find pom.xml codec-core quic-image corpus bench -path '*/target' -prune \
        -o -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit) ]]; then
    echo "Building $jar ..."
    mvn -q -B -ntp -DskipTests -pl bench -am package
fi

mkdir -p bench-results
# JAVA_HOME, when set, picks the JDK that runs the benchmarks.
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar "$jar" QuicBenchmark -prof gc -rf json -rff bench-results/quic.json "$@"
