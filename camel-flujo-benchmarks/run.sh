#!/usr/bin/env bash
# Runs the JMH suite and writes docs/benchmarks.md from the results.
#   run.sh quick   about 12 minutes on 2 cores: 1 fork, 5 short iterations (wide errors; read the ratios)
#   run.sh full    longer: 2 forks, more and longer iterations
# Extra arguments are passed to JMH (e.g. a benchmark regex: run.sh quick StepOverhead).
set -euo pipefail
mode="${1:-quick}"
shift || true
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

case "$mode" in
  quick) jmh_opts=(-f 1 -wi 3 -w 1s -i 5 -r 1s) ;;
  full)  jmh_opts=(-f 2 -wi 5 -w 2s -i 5 -r 2s) ;;
  *) echo "usage: $0 [quick|full] [JMH args...]" >&2; exit 2 ;;
esac

echo "building the benchmarks (tests skipped: they are not what is measured here)"
mvn -B -q -DskipTests -pl camel-flujo-benchmarks -am package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt

target="$here/target"
rm -rf "$target/jmh-extra" "$target/jmh-result.json"
cp="$target/classes:$(cat "$target/classpath.txt")"
jvm_opts=(-Xms1g -Xmx1g "-Dflujo.bench.extra=$target/jmh-extra")
jmh_args=("${jmh_opts[@]}" -prof gc -jvmArgsAppend "${jvm_opts[*]}" -rf json -rff "$target/jmh-result.json" "$@")

echo "java -cp <classpath> org.openjdk.jmh.Main ${jmh_args[*]}"
java -cp "$cp" org.openjdk.jmh.Main "${jmh_args[@]}"

java -cp "$cp" dev.flujo.benchmarks.report.BenchmarkReport "$target/jmh-result.json" "$target/jmh-extra" \
  "$root/docs/benchmarks.md" "$mode" "java -cp <classpath> org.openjdk.jmh.Main ${jmh_args[*]/$target/target}"
