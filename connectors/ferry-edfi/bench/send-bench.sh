#!/usr/bin/env bash
# The Ed-Fi send benchmark of issue 4: `ferry edfi send` against a lightbeam-shaped Python sender
# (requests + threads, bench/python_sender.py; not lightbeam itself), both POSTing the same N
# localEducationAgencies payloads to the standalone TestingEdFiApi (in-memory, answers at once).
#
# For each round and each pool size the server is restarted before each client, so every run
# starts from an empty store and a cold server JVM. Wall and CPU seconds are measured with
# /usr/bin/time for the CLIENT process only; the server's CPU is read from /proc for information.
# Every run must deliver all N payloads (the server's Total-Count, and the client's own counts),
# or the script stops with an error.
#
# Builds nothing: needs ferry-cli/target/ferry.jar and ferry-testing/target/ferry-testing-*.jar
# (build them with: ./mvnw -B -q -pl ferry-cli -am package -DskipTests).
#
# Settings (environment): N (payloads, default 50000), ROUNDS (default 3), POOLS (default "8 64"),
# WORK (scratch directory, default /tmp/ferry-edfi-bench, emptied at start), JAVA_HOME (default
# Temurin 25), PYTHON (default python3), QUIET_UNTIL (see below).
set -euo pipefail

N=${N:-50000}
ROUNDS=${ROUNDS:-3}
POOLS=${POOLS:-"8 64"}
WORK=${WORK:-/tmp/ferry-edfi-bench}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
PYTHON=${PYTHON:-python3}
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
BENCH="$REPO/connectors/ferry-edfi/bench"
RESOURCE=localEducationAgencies
CLIENT_ID=testkey
# The test server's default secret; only written to the 0600 YAML file and the sender's environment.
CLIENT_SECRET=testsecret

fail() {
    echo "send-bench: $*" >&2
    exit 1
}

[[ "$N" =~ ^[1-9][0-9]*$ ]] || fail "N must be a positive whole number, got '$N'"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || fail "ROUNDS must be a positive whole number, got '$ROUNDS'"
[[ -x "$JAVA" ]] || fail "no java at $JAVA; set JAVA_HOME to a JDK 21+ (example: JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64)"
[[ -x /usr/bin/time ]] || fail "/usr/bin/time (GNU time) is missing; install it (apt-get install time)"
PYTHON_BIN=$("$PYTHON" -c 'import sys, requests; print(sys.executable)') \
    || fail "$PYTHON with the 'requests' module is needed (pip install requests), or set PYTHON"

FERRY_JAR="$REPO/ferry-cli/target/ferry.jar"
TESTING_JAR=$(ls "$REPO"/ferry-testing/target/ferry-testing-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1 || true)
BUILD_HINT="build them first: cd $REPO && ./mvnw -B -q -pl ferry-cli,ferry-testing -am package -DskipTests"
[[ -f "$FERRY_JAR" ]] || fail "$FERRY_JAR is missing; $BUILD_HINT"
[[ -n "$TESTING_JAR" && -f "$TESTING_JAR" ]] || fail "no ferry-testing jar in $REPO/ferry-testing/target; $BUILD_HINT"
"$JAVA" -jar "$FERRY_JAR" edfi --help >/dev/null 2>&1 \
    || fail "$FERRY_JAR has no 'edfi' command (stale build?); $BUILD_HINT"

# QUIET_UNTIL=HH:MM (UTC): first wait, polling every 30 s, until no CI or Maven build runs and the
# 1-minute load average is below 1.5, or until that time, whichever comes first.
QUIET="not checked (QUIET_UNTIL unset)"
if [[ -n "${QUIET_UNTIL:-}" ]]; then
    deadline=$(date -u -d "$QUIET_UNTIL" +%s) || fail "QUIET_UNTIL must be a UTC time such as 16:10, got '$QUIET_UNTIL'"
    while :; do
        load1=$(cut -d' ' -f1 /proc/loadavg)
        if ! pgrep -f 'ci-clone|maven' >/dev/null && awk -v l="$load1" 'BEGIN { exit !(l < 1.5) }'; then
            QUIET="quiet at $(date -u +%H:%M:%S) UTC (no build running, 1-minute load $load1)"
            break
        fi
        if (($(date -u +%s) >= deadline)); then
            QUIET="STILL BUSY at $(date -u +%H:%M:%S) UTC (1-minute load $load1, build running: $(pgrep -f 'ci-clone|maven' >/dev/null && echo yes || echo no)); ran anyway"
            break
        fi
        echo "send-bench: waiting for a quiet machine (1-minute load $load1) until $QUIET_UNTIL UTC" >&2
        sleep 30
    done
    echo "send-bench: machine $QUIET"
fi

rm -rf "$WORK"
mkdir -p "$WORK/jars" "$WORK/data" "$WORK/runs"

# Copies of the jars, so that a rebuild during the run cannot mix builds.
cp "$FERRY_JAR" "$WORK/ferry.jar"
(cd "$REPO" && ./mvnw -q -o -pl ferry-testing dependency:build-classpath -Dmdep.outputFile="$WORK/testing.classpath" >"$WORK/classpath.log" 2>&1) \
    || fail "cannot get ferry-testing's class path (see $WORK/classpath.log); run once without -o, or $BUILD_HINT"
SERVER_CP="$WORK/jars/ferry-testing.jar"
cp "$TESTING_JAR" "$SERVER_CP"
IFS=: read -r -a deps <"$WORK/testing.classpath" || true # no newline at the end
i=0
for dep in "${deps[@]}"; do
    [[ -n "$dep" ]] || continue
    i=$((i + 1))
    cp "$dep" "$WORK/jars/$i-$(basename "$dep")"
    SERVER_CP="$SERVER_CP:$WORK/jars/$i-$(basename "$dep")"
done

# N local education agencies, ids 100000.., about 330 bytes a line.
"$PYTHON_BIN" - "$N" "$WORK/data/$RESOURCE.jsonl" <<'EOF'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", encoding="utf-8") as out:
    for i in range(n):
        out.write(json.dumps({
            "localEducationAgencyId": 100000 + i,
            "nameOfInstitution": f"Benchmark District {i}",
            "localEducationAgencyCategoryDescriptor": "uri://ed-fi.org/LocalEducationAgencyCategoryDescriptor#Independent",
            "categories": [{"educationOrganizationCategoryDescriptor":
                            "uri://ed-fi.org/EducationOrganizationCategoryDescriptor#Local Education Agency"}],
        }) + "\n")
EOF
DATA_BYTES=$(stat -c %s "$WORK/data/$RESOURCE.jsonl")

SERVER_PID=""
BASE_URL=""
SERVER_CPU0=0
CLK_TCK=$(getconf CLK_TCK)

cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

start_server() {
    local log="$1"
    "$JAVA" -cp "$SERVER_CP" io.ferry.testing.edfi.TestingEdFiApi --port 0 >"$log" 2>&1 &
    SERVER_PID=$!
    local waited=0
    until grep -q '^http://' "$log" 2>/dev/null; do
        kill -0 "$SERVER_PID" 2>/dev/null || fail "the test server exited at start; see $log"
        sleep 0.1
        waited=$((waited + 1))
        ((waited < 600)) || fail "the test server did not print its URL within 60 s; see $log"
    done
    BASE_URL=$(grep -m 1 '^http://' "$log")
    SERVER_CPU0=$(cpu_ticks "$SERVER_PID")
}

stop_server() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap stop_server EXIT

server_count() { # Total-Count of the resource, asked with its own token
    EDFI_CLIENT_SECRET="$CLIENT_SECRET" "$PYTHON_BIN" - "$BASE_URL" "$CLIENT_ID" "$RESOURCE" <<'EOF'
import os, sys, requests
base, client_id, resource = sys.argv[1:4]
token = requests.post(base + "oauth/token", data={"grant_type": "client_credentials"},
                      auth=(client_id, os.environ["EDFI_CLIENT_SECRET"]), timeout=60).json()["access_token"]
answer = requests.get(f"{base}data/v3/ed-fi/{resource}", params={"totalCount": "true", "limit": "0"},
                      headers={"Authorization": "Bearer " + token}, timeout=60)
answer.raise_for_status()
print(answer.headers["Total-Count"])
EOF
}

RESULTS="$WORK/results.tsv"
printf 'round\tpool\tclient\texit\twall_s\tuser_s\tsys_s\tserver_cpu_s\tserver_count\n' >"$RESULTS"

# run ROUND POOL CLIENT: one measured run against a fresh server.
run() {
    local round="$1" pool="$2" client="$3"
    local dir="$WORK/runs/r$round-p$pool-$client"
    mkdir -p "$dir"
    start_server "$dir/server.log"
    local status=0
    case "$client" in
        baseline)
            EDFI_CLIENT_SECRET="$CLIENT_SECRET" /usr/bin/time -f "%e %U %S" -o "$dir/time" \
                "$PYTHON_BIN" "$BENCH/python_sender.py" --base-url "$BASE_URL" --client-id "$CLIENT_ID" \
                --resource "$RESOURCE" --file "$WORK/data/$RESOURCE.jsonl" --workers "$pool" \
                --state-file "$dir/state.json" >"$dir/out" 2>"$dir/err" || status=$?
            ;;
        ferry)
            (
                umask 077
                cat >"$dir/lightbeam.yaml" <<EOF
state_dir: $dir/state
data_dir: $WORK/data
edfi_api:
  base_url: $BASE_URL
  mode: shared_instance
  client_id: $CLIENT_ID
  client_secret: $CLIENT_SECRET
connection:
  pool_size: $pool
EOF
            )
            /usr/bin/time -f "%e %U %S" -o "$dir/time" \
                "$JAVA" -jar "$WORK/ferry.jar" edfi send -c "$dir/lightbeam.yaml" \
                --results-file "$dir/results.json" >"$dir/out" 2>"$dir/err" || status=$?
            ;;
    esac
    local server_cpu
    server_cpu=$(awk -v a="$(cpu_ticks "$SERVER_PID")" -v b="$SERVER_CPU0" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (a - b) / hz }')
    local count
    count=$(server_count) || fail "cannot count $RESOURCE on the server after $dir; see $dir/server.log"
    stop_server
    read -r wall user sys <"$dir/time"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$pool" "$client" "$status" "$wall" "$user" "$sys" \
        "$server_cpu" "$count" >>"$RESULTS"
    printf 'round %s pool %3s %-8s exit %s  wall %7.2f s  cpu %6.2f s  server cpu %6.2f s  stored %s\n' \
        "$round" "$pool" "$client" "$status" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" \
        "$server_cpu" "$count"
    if [[ "$status" != 0 ]]; then
        fail "$client (pool $pool, round $round) exited with $status, not 0; see $dir/err and $dir/out"
    fi
    if [[ "$count" != "$N" ]]; then
        fail "$client (pool $pool, round $round): the server stores $count $RESOURCE, not $N; see $dir"
    fi
    if [[ "$client" == ferry ]]; then
        "$PYTHON_BIN" -c 'import json,sys; r=json.load(open(sys.argv[1]))["resources"][sys.argv[3]]; n=int(sys.argv[2]); sys.exit(0 if r["records_processed"]==n and r["records_failed"]==0 and r["records_skipped"]==0 else "ferry results: %s" % r)' \
            "$dir/results.json" "$N" "$RESOURCE" || fail "ferry (pool $pool, round $round) did not report $N processed; see $dir/results.json"
    fi
    if [[ "$client" == baseline ]]; then
        "$PYTHON_BIN" -c 'import json,sys; r=json.load(open(sys.argv[1])); n=int(sys.argv[2]); sys.exit(0 if r["sent"]==n and r["statuses"].get("201",0)==n else "baseline answers: %s" % r)' \
            "$dir/out" "$N" || fail "baseline (pool $pool, round $round) did not get $N answers 201; see $dir/out"
    fi
    if grep -rqF -- "$CLIENT_SECRET" "$dir/out" "$dir/err" "$dir/server.log" $([[ -f "$dir/results.json" ]] && echo "$dir/results.json"); then
        fail "the client secret appears in the output of $dir; that is a bug to report"
    fi
}

echo "send-bench: N=$N payloads ($DATA_BYTES bytes), ROUNDS=$ROUNDS, pool sizes $POOLS, work directory $WORK"
echo "send-bench: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
# ferry's fixed cost, included in every ferry run: JVM start and 'edfi --help'.
/usr/bin/time -f "%e %U %S" -o "$WORK/startup.time" "$JAVA" -jar "$WORK/ferry.jar" edfi --help >/dev/null
read -r s_wall s_user s_sys <"$WORK/startup.time"
echo "send-bench: ferry start-up ('edfi --help'): wall $s_wall s, cpu $(awk -v u="$s_user" -v s="$s_sys" 'BEGIN { print u + s }') s"
for round in $(seq 1 "$ROUNDS"); do
    for pool in $POOLS; do
        run "$round" "$pool" baseline
        run "$round" "$pool" ferry
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
echo "send-bench: load average after: $LOAD_AFTER"

"$PYTHON_BIN" - "$RESULTS" "$N" "$LOAD_BEFORE" "$LOAD_AFTER" <<'EOF'
import csv, statistics, sys
path, n = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(path), delimiter="\t"))
for r in rows:
    r["wall"] = float(r["wall_s"])
    r["cpu"] = float(r["user_s"]) + float(r["sys_s"])
    r["rps"] = n / r["wall"]
    r["cpu1k"] = r["cpu"] / n * 1000
print()
print("| round | pool | client | wall s | requests/s | client CPU s (user+sys) | client CPU s / 1,000 req | server CPU s |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['round']} | {r['pool']} | {r['client']} | {r['wall']:.2f} | {r['rps']:,.0f} | {r['cpu']:.2f} "
          f"| {r['cpu1k']:.3f} | {float(r['server_cpu_s']):.2f} |")
print()
print("Medians:")
print()
print("| pool | baseline req/s | ferry req/s | ferry / baseline (req/s) | baseline CPU s / 1k | ferry CPU s / 1k "
      "| ferry / baseline (CPU) | median of per-round req/s ratios |")
print("|---|---|---|---|---|---|---|---|")
for pool in dict.fromkeys(r["pool"] for r in rows):
    base = [r for r in rows if r["pool"] == pool and r["client"] == "baseline"]
    ferry = [r for r in rows if r["pool"] == pool and r["client"] == "ferry"]
    b_rps, f_rps = statistics.median(r["rps"] for r in base), statistics.median(r["rps"] for r in ferry)
    b_cpu, f_cpu = statistics.median(r["cpu1k"] for r in base), statistics.median(r["cpu1k"] for r in ferry)
    per_round = statistics.median(f["rps"] / b["rps"] for b, f in zip(base, ferry))
    print(f"| {pool} | {b_rps:,.0f} | {f_rps:,.0f} | {f_rps / b_rps:.2f} | {b_cpu:.3f} | {f_cpu:.3f} "
          f"| {f_cpu / b_cpu:.2f} | {per_round:.2f} |")
print()
print(f"load average before: {sys.argv[3]}; after: {sys.argv[4]}")
EOF
echo "send-bench: machine $QUIET"
echo "send-bench: raw results in $RESULTS"
