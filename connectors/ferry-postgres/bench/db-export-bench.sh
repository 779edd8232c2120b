#!/usr/bin/env bash
# Benchmark: ferry db export of a 1M-row table (~100 MB of CSV) against the baseline
# psql \copy | gzip -6 and | zstd -1, at equal compression levels, measured in the same run.
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth), psql, gzip, zstd, and a built ferry-cli/target/ferry.jar.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=$ROOT/ferry-cli/target/ferry.jar
DB=ferry_bench_$$
WORK=$(mktemp -d)
PSQL=(psql -q -X -h 127.0.0.1 -U postgres)
trap '"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres; rm -rf "$WORK"' EXIT
"${PSQL[@]}" -c "CREATE DATABASE $DB" postgres
"${PSQL[@]}" "$DB" -c "CREATE TABLE bench (id bigserial PRIMARY KEY, base_id int, updated_at timestamptz, amount numeric(12,2), payload text)" \
  -c "INSERT INTO bench (base_id, updated_at, amount, payload) SELECT g % 50000, timestamptz '2024-01-01' + g * interval '1 second', (g % 100000) / 100.0, md5(g::text) || ' ' || md5((g * 7)::text) FROM generate_series(1, 1000000) g" \
  -c "VACUUM ANALYZE bench"
QUERY="SELECT * FROM bench"
mkdir -p "$WORK/tasks/bench"
echo "COPY ($QUERY) TO STDOUT WITH CSV HEADER" > "$WORK/tasks/bench/select.sql"
CSV_BYTES=$("${PSQL[@]}" "$DB" -c "\\copy ($QUERY) to stdout csv header" | wc -c)
ROWS=1000000
report() { # name seconds output-bytes
  awk -v n="$1" -v s="$2" -v o="$3" -v c="$CSV_BYTES" -v r="$ROWS" \
    'BEGIN { printf "| %-34s | %6.2f s | %9.0f rows/s | %6.1f MB/s | %6.1f MB |\n", n, s, r / s, c / s / 1e6, o / 1e6 }'
}
timed() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>"$WORK/err.log" || { cat "$WORK/err.log" >&2; exit 1; }; end=$(date +%s.%N); echo "$end - $start" | bc; }
echo "CSV: $CSV_BYTES bytes, $ROWS rows, $(nproc) cores"
echo "| run | time | rows/s | CSV MB/s | output |"
echo "|---|---|---|---|---|"
for round in 1 2; do
  t=$(timed bash -c "${PSQL[*]} $DB -c '\\copy ($QUERY) to stdout csv header' | gzip -6 > $WORK/base.csv.gz"); report "psql | gzip -6 (round $round)" "$t" "$(stat -c %s "$WORK/base.csv.gz")"
  t=$(timed bash -c "${PSQL[*]} $DB -c '\\copy ($QUERY) to stdout csv header' | zstd -q -1 > $WORK/base.csv.zst"); report "psql | zstd -1 (round $round)" "$t" "$(stat -c %s "$WORK/base.csv.zst")"
  for spec in "gzip 6" "zstd 1"; do
    set -- $spec
    rm -rf "$WORK/out"
    t=$(timed "$JAVA" -jar "$JAR" db export bench --keep --tasks "$WORK/tasks" --to "$WORK/out" \
          --database "postgresql://postgres@127.0.0.1:5432/$DB" --compression "$1" --compression-level "$2")
    report "ferry db export --compression $1 -$2 (round $round)" "$t" "$(stat -c %s $(ls "$WORK"/out/*.csv.gz "$WORK"/out/*.csv.zst 2>/dev/null | head -1))"
  done
done
