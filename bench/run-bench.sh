#!/usr/bin/env bash
# Runs the JMH benchmarks and writes JMH JSON to bench-results/results.json.
#
#   bench/run-bench.sh                    every benchmark (about 14 minutes on 2 cores)
#   bench/run-bench.sh Glz                only benchmarks matching a JMH pattern (a regexp)
#   bench/run-bench.sh Lz4 -p impl=java   a pattern, then extra arguments for JMH
#   bench/run-bench.sh -f 1 -wi 1 -i 2 -w 1 -r 1   every benchmark, short smoke run
#
# A first argument that does not start with '-' is the pattern; everything else goes to JMH.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=bench/target/benchmarks.jar

pattern=()
if [[ $# -gt 0 && $1 != -* ]]; then
    pattern=("$1")
    shift
fi

# Rebuild when the jar is missing or older than any source or pom it is made from.
if [[ ! -f $jar ]] || [[ -n $(find pom.xml codec-core quic-image lz-glz jpeg-mjpeg audio-opus video-h26x corpus bench -path '*/target' -prune \
        -o -type f \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit) ]]; then
    echo "Building $jar ..."
    mvn -q -B -ntp -DskipTests -pl bench -am package
fi

mkdir -p bench-results
# JAVA_HOME, when set, picks the JDK that runs the benchmarks. With no pattern JMH runs every
# benchmark in the jar.
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar "$jar" ${pattern[@]+"${pattern[@]}"} -prof gc -rf json \
    -rff bench-results/results.json "$@"
