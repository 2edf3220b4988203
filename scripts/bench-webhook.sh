#!/usr/bin/env bash
# Webhook intake under load (a benchmark, not a test): starts `breakglass watch` on loopback with a SQLite store and
# no Graph credentials (the webhook is its only source), drives /hooks/azure-monitor from wrk in a second process at
# about RATE alerts per second for DURATION seconds, each alert with its own id, then checks that every alert that
# got a 202 is in the database. Prints wrk's latency distribution (p99 included) and the counts.
#
#   apt-get install -y wrk          # once
#   swift build                     # or: BIN=path/to/breakglass
#   scripts/bench-webhook.sh        # RATE=1000 DURATION=60 CONNECTIONS=50 by default
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-$(swift build --show-bin-path)/breakglass}
RATE=${RATE:-1000}
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
command -v wrk > /dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }

work=$(mktemp -d)
trap 'kill "$watch_pid" 2> /dev/null || true; rm -rf "$work"' EXIT
cat > "$work/breakglass.yml" <<YAML
tenant: bench.onmicrosoft.com
emergencyAccounts:
  - id: b9000001-0000-4000-8000-000000000001
monitoring:
  watch:
    tokenEnv: BENCH_TOKEN
    webhookSecretEnv: BENCH_ALERT_SECRET
YAML
export BENCH_TOKEN=$(head -c 24 /dev/urandom | base64)
export BENCH_ALERT_SECRET=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
env -u AZURE_CLIENT_ID -u AZURE_CLIENT_SECRET -u AZURE_CLIENT_CERTIFICATE_PATH -u BREAKGLASS_GRAPH_TOKEN \
  "$BIN" watch --config "$work/breakglass.yml" --database "$work/watch.sqlite" --port 0 \
  > "$work/watch.out" 2> "$work/watch.err" &
watch_pid=$!
for _ in $(seq 1 100); do grep -q '^listening on' "$work/watch.out" 2> /dev/null && break; sleep 0.2; done
port=$(sed -n 's/^listening on http:\/\/127.0.0.1:\([0-9]*\)$/\1/p' "$work/watch.out")
[ -n "$port" ] || { cat "$work/watch.err" >&2; exit 1; }

# Each connection waits DELAY ms after each answer: CONNECTIONS / (DELAY + latency) ≈ RATE per second. wrk's Lua has
# no wall clock to pace by, so DELAY allows for the answer's own time (LATENCY_MS, 4 ms: the answers take 2–3 ms on average): without it 1,000/s
# came out as 942/s.
LATENCY_MS=${LATENCY_MS:-4}
delay=$(( CONNECTIONS * 1000 / RATE - LATENCY_MS ))
[ "$delay" -ge 0 ] || delay=0
cat > "$work/alerts.lua" <<'LUA'
local template = '{"schemaId":"azureMonitorCommonAlertSchema","data":{"essentials":{"alertId":"/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.AlertsManagement/alerts/%s","alertRule":"breakglass-signin","severity":"Sev0","signalType":"Log","monitorCondition":"Fired","monitoringService":"Log Alerts V2","firedDateTime":"2026-11-29T10:00:00Z","essentialsVersion":"1.0","alertContextVersion":"1.0"},"alertContext":{"properties":{"breakglass.detection":"signin","breakglass.tenant":"bench.onmicrosoft.com"},"conditionType":"LogQueryCriteria","condition":{"windowSize":"PT5M","allOf":[{"searchQuery":"SigninLogs","operator":"GreaterThan","threshold":"0","timeAggregation":"Count","dimensions":[{"name":"AccountObjectId","value":"b9000001-0000-4000-8000-000000000001"}],"metricValue":1.0}],"windowStartTime":"2026-11-29T09:55:00Z","windowEndTime":"2026-11-29T10:00:00Z"}},"customProperties":null}}'
local count = 0
function setup(thread)
  count = count + 1
  thread:set("tid", count)
end
function init(args)
  counter = 0
  pause = tonumber(args[1]) or 0
  out = io.open(args[2] .. "/accepted-" .. tid .. ".txt", "w")
end
function request()
  counter = counter + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, string.format(template, "bench-" .. tid .. "-" .. counter))
end
function delay()
  return pause
end
function response(status, headers, body)
  if status == 202 then
    out:write(body:match('alerts/([^"]+)"') or "?", "\n")
    out:flush()
  end
end
function done(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("rate: %.1f alerts/s over %.1f s\n", summary.requests / (summary.duration / 1e6), summary.duration / 1e6))
end
LUA

url="http://127.0.0.1:$port/hooks/azure-monitor?secret=$BENCH_ALERT_SECRET"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s --latency -s "$work/alerts.lua" "$url" -- "$delay" "$work"
# CPU the service used (user + system), whatever else the machine was doing: the cost per alert.
ticks=$(getconf CLK_TCK)
cpu=$(awk -v t="$ticks" '{printf "%.1f", ($14 + $15) / t}' "/proc/$watch_pid/stat")
echo "watch used $cpu s of CPU; load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
kill -TERM "$watch_pid"
wait "$watch_pid" || true

python3 - "$work" <<'PY'
import glob, sqlite3, sys
work = sys.argv[1]
accepted = set()
for name in glob.glob(work + "/accepted-*.txt"):
    accepted.update(line.strip() for line in open(name) if line.strip())
stored = {row[0].split("/")[-1].split("|")[0] for row in sqlite3.connect(work + "/watch.sqlite").execute("SELECT id FROM watch_alerts")}
lost = accepted - stored
print(f"accepted (202) {len(accepted)}, stored {len(stored)}, lost {len(lost)}")
print(f"(stored may exceed accepted by the requests in flight when wrk stopped)")
sys.exit(1 if lost else 0)
PY
