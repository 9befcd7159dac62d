#!/usr/bin/env bash
# Builds bench/target/gpu-bundle (and gpu-bundle.tgz): everything a GPU host without Java needs to run the
# GPU backend's parity test and the GPU benchmark — a jlink'd Temurin runtime, the JCuda jar, JCuda's natives
# trimmed to the driver-API library, the processor's and the benchmark's classes, the parity test and JUnit's
# console launcher — and its run.sh. Not a test; run by hand:
#   bench/gpu-bundle.sh            then, on the GPU host:   gpu-bundle/run.sh [GpuBenchmark arguments]
# Env: SKIP_BUILD=1 (reuse the Maven build), JDK (a Temurin JDK home; Debian's runtime needs a newer glibc
# than the GPU hosts have).
set -euo pipefail
cd "$(dirname "$0")/.."
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
# The JUnit of quarkus-bom 3.33.2, which compiles the processor's tests; the assertj of the parent pom.
JUNIT_VERSION=6.0.3
ASSERTJ_VERSION=$(sed -n 's:.*<assertj.version>\(.*\)</assertj.version>.*:\1:p' pom.xml)
out=bench/target/gpu-bundle

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn -B -q package -DskipTests -pl bench -am   # -DskipTests still compiles the processor's tests
fi
rm -rf "$out" "$out.tgz"
mkdir -p "$out/lib" "$out/classes"

classpath=$(cat bench/target/classpath.txt)
jar_of() { tr ':' '\n' <<<"$classpath" | grep -E "/$1-[0-9][^/]*\.jar$" | head -1; }
cp "$(jar_of jcuda)" "$(jar_of streamfold-contract)" "$(jar_of jboss-logging)" "$out/lib/"
cp -r processor/target/classes "$out/classes/processor"
cp -r processor/target/test-classes "$out/classes/processor-tests"
mkdir -p "$out/classes/bench/io/streamfold/bench"
cp bench/target/classes/io/streamfold/bench/{GpuBenchmark,Arguments}*.class "$out/classes/bench/io/streamfold/bench/"

# JCuda's natives hold five libraries (26 MB); the driver API needs one: repack it at the path JCuda loads it from.
natives=$(tr ':' '\n' <<<"$classpath" | grep -E '/jcuda-natives-[^/]*-linux-x86_64\.jar$' | head -1)
trim=$(mktemp -d)
trap 'rm -rf "$trim"' EXIT
(cd "$trim" && "$JDK/bin/jar" xf "$natives" lib/ && find lib -type f ! -name 'libJCudaDriver-*' -delete)
"$JDK/bin/jar" cf "$out/lib/$(basename "$natives" .jar)-driver-only.jar" -C "$trim" lib

mvn -B -q dependency:copy -Dartifact="org.assertj:assertj-core:$ASSERTJ_VERSION" -DoutputDirectory="$out/lib"
mvn -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$JUNIT_VERSION" \
  -DoutputDirectory="$out/lib"

# The modules the bundle's code needs (jdeps), plus jdk.zipfs for JUnit's class-path scanning of jars.
modules=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
  "$out"/lib/*.jar "$out/classes/processor" "$out/classes/bench")
"$JDK/bin/jlink" --add-modules "$modules,jdk.zipfs" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
  --output "$out/runtime"

cat >"$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# On a GPU host (no Java needed): what the probe finds, the GPU parity test, then the GPU benchmark.
#   ./run.sh [GpuBenchmark arguments, e.g. sizes=1000,1000000 rounds=5]
# Exits 3, saying why, where no CUDA driver or device is usable.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export LD_LIBRARY_PATH="/usr/local/nvidia/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gpu-bundle.XXXXXX")   # fresh and absolute: JCuda extracts its library here
trap 'rm -rf "$tmp"' EXIT
java=("$here/runtime/bin/java" -Xmx16g "-Djava.io.tmpdir=$tmp" --enable-native-access=ALL-UNNAMED)
classes="$here/classes/processor:$here/classes/bench:$here/lib/*"
tests="$here/classes/processor-tests:$here/classes/processor:$(printf '%s:' "$here"/lib/*.jar)"

echo "== probe (and what auto and gpu would choose at 1,000-event batches)"
"${java[@]}" -cp "$classes:$here/classes/processor-tests" io.streamfold.processor.gpu.ProbeMain | tee "$tmp/probe.txt"
if ! grep -qx 'probe=AVAILABLE' "$tmp/probe.txt"; then
  echo "no usable CUDA device here ($(sed -n 's/^reason=//p' "$tmp/probe.txt")): nothing to test or measure" >&2
  exit 3
fi
echo "== GpuParityTest"
"${java[@]}" -jar "$(ls "$here"/lib/junit-platform-console-standalone-*.jar)" execute --disable-banner \
  --details=tree --fail-if-no-tests --class-path "$tests" --select-class io.streamfold.processor.gpu.GpuParityTest \
  | tee "$tmp/parity.txt"
if ! grep -Eq '\[ +0 tests aborted +\]' "$tmp/parity.txt"; then
  echo "GpuParityTest did not run on the device: its tests were skipped (see above)" >&2
  exit 1
fi
echo "== GpuBenchmark"
"${java[@]}" -cp "$classes" io.streamfold.bench.GpuBenchmark "$@"
RUN
chmod +x "$out/run.sh"

tar czf "$out.tgz" -C "$(dirname "$out")" "$(basename "$out")"
echo "modules: $modules,jdk.zipfs"
echo "bundle: $(du -sb "$out" | cut -f1) bytes in $out, $(stat -c %s "$out.tgz") bytes as $out.tgz"
