#!/usr/bin/env bash
# npm run test:slurm: proves the Slurm path of `npm run sweep -- --shard K/N` on a
# real single-node Slurm. Opt-in (not part of npm test): it installs Debian's
# slurm-wlm and munge if they are missing, writes a minimal configuration into a
# temporary folder, starts its own munged, slurmctld and slurmd there (own key,
# socket, ports, state), submits scripts/slurm/sweep-array.sh as a 3-task array
# for a small sweep into one shared folder, waits for it, and compares the merged
# records with one unsharded run of the same sweep. On exit it stops only the
# daemons it started (by their pids) and removes the folder (kept on failure).
#
# Environment: SLURM_TEST_PORT (default 16817; slurmd uses the next port),
# SLURM_TEST_TIMEOUT seconds for the array (default 300).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=3
SWEEP=(--config regular/recipe,regular/sae-nobias --seeds 3)
PORT=${SLURM_TEST_PORT:-16817}
TIMEOUT=${SLURM_TEST_TIMEOUT:-300}
say() { echo "test:slurm: $*"; }
fail() { echo "test:slurm: FAILED: $*" >&2; exit 1; }

# ---- 1. Slurm and munge, from Debian's packages, only if missing.
missing=()
command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null || missing+=(slurm-wlm)
command -v munged >/dev/null && command -v mungekey >/dev/null || missing+=(munge)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
    fail "${missing[*]} not installed, and installing needs root or sudo: apt-get install ${missing[*]}"
  fi
  say "installing ${missing[*]} (apt-get)"
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. A temporary cluster of one node. Every daemon's pid is recorded; the trap stops only those.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ica-test-slurm-XXXXXX")
export SLURM_CONF="$TMP/slurm.conf"
PIDS=()
OK=0
# Waits up to 5 s for each pid to end, then kills it outright.
stop_all() {
  for pid in "$@"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  done
}
cleanup() {
  local code=$?
  if [ -n "${JOB:-}" ] && [ $OK = 0 ]; then # let slurmd end the job's steps before it stops
    scancel "$JOB" 2>/dev/null || true
    for _ in $(seq 100); do squeue -h -j "$JOB" 2>/dev/null | grep -q . || break; sleep 0.1; done
  fi
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  stop_all "${PIDS[@]}"
  # Job steps (slurmstepd) and job processes outlive a stopped slurmd; ours, and only
  # ours, carry this cluster's SLURM_CONF in the environment they started with.
  local ours=()
  for env in /proc/[0-9]*/environ; do
    pid=${env#/proc/}; pid=${pid%/environ}
    [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] && continue
    { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qx "SLURM_CONF=$SLURM_CONF" && ours+=("$pid")
  done
  if [ ${#ours[@]} -gt 0 ]; then
    echo "test:slurm: stopping ${#ours[@]} leftover process(es) of this cluster's jobs: ${ours[*]}" >&2
    kill "${ours[@]}" 2>/dev/null || true
    stop_all "${ours[@]}"
  fi
  if [ $OK = 1 ]; then rm -rf "$TMP"; else
    for f in "$TMP"/job-*.out "$TMP"/slurmctld.log "$TMP"/slurmctld.console "$TMP"/slurmd.log "$TMP"/slurmd.console "$TMP"/munged.log; do
      [ -f "$f" ] && { echo "----- $f (last 40 lines)"; tail -n 40 "$f"; }
    done
    echo "test:slurm: kept $TMP for inspection" >&2
  fi
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

HOST=$(hostname -s)
USER_NAME=$(id -un)
MEM=$(slurmd -C 2>/dev/null | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
[ -n "$MEM" ] || MEM=$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)
CPUS=$(nproc)
mkdir -p "$TMP/munge" "$TMP/state" "$TMP/spool" "$TMP/shared" "$TMP/whole"
chmod 700 "$TMP/munge"

mungekey --create --keyfile="$TMP/munge/munge.key" 2>/dev/null || dd if=/dev/urandom of="$TMP/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$TMP/munge/munge.key"
SOCKET="$TMP/munge/munge.socket"
munged -F --force --key-file="$TMP/munge/munge.key" --socket="$SOCKET" --pid-file="$TMP/munge/munged.pid" \
  --seed-file="$TMP/munge/munged.seed" --log-file="$TMP/munged.log" >>"$TMP/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || fail "munged did not open its socket $SOCKET"

cat > "$SLURM_CONF" <<CONF
ClusterName=icatest
SlurmctldHost=$HOST
SlurmUser=$USER_NAME
SlurmdUser=$USER_NAME
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$TMP/state
SlurmdSpoolDir=$TMP/spool
SlurmctldPidFile=$TMP/slurmctld.pid
SlurmdPidFile=$TMP/slurmd.pid
SlurmctldLogFile=$TMP/slurmctld.log
SlurmdLogFile=$TMP/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
T0=$(date +%s)
# In the foreground (-D), so that $! is the daemon; their messages go to their logs only.
slurmctld -D -i -f "$SLURM_CONF" >>"$TMP/slurmctld.console" 2>&1 &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" >>"$TMP/slurmd.console" 2>&1 &
PIDS+=($!)
for _ in $(seq 300); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.1
done
[ "$state" = idle ] || fail "the node $HOST is '${state:-not reported}', not idle, 30 s after the daemons started"
say "Slurm up on $HOST ($CPUS CPUs, $MEM MB) in $(($(date +%s) - T0)) s; pids ${PIDS[*]} (munged, slurmctld, slurmd)"

# ---- 3. The README's array script, N = 3 shards of a small sweep, one CPU each, into one folder.
cd "$ROOT"
JOB=$(sbatch --parsable --array=1-$N --cpus-per-task=1 --output="$TMP/job-%A_%a.out" scripts/slurm/sweep-array.sh "${SWEEP[@]}" --out "$TMP/shared")
say "submitted array job $JOB (${N} tasks): sweep ${SWEEP[*]}"
T1=$(date +%s)
while squeue -h -j "$JOB" 2>/dev/null | grep -q .; do
  [ $(($(date +%s) - T1)) -lt "$TIMEOUT" ] || fail "array job $JOB did not finish in $TIMEOUT s: $(squeue -j "$JOB" 2>&1)"
  sleep 1
done
say "array job $JOB left the queue after $(($(date +%s) - T1)) s"
for k in $(seq $N); do
  log="$TMP/job-${JOB}_$k.out"
  [ -f "$log" ] || fail "no log $log from array task $k"
  grep -q "Shard $k of $N done" "$log" || fail "array task $k did not finish its shard (see $log)"
done

# ---- 4. One unsharded run of the same sweep, and the records compared file by file.
say "the same sweep unsharded, for comparison"
npx tsx scripts/sweep.ts "${SWEEP[@]}" --workers "$CPUS" --out "$TMP/whole" >"$TMP/whole.log" 2>&1 || { cat "$TMP/whole.log"; fail "the unsharded sweep failed"; }
node - "$TMP/shared" "$TMP/whole" <<'JS'
const fs = require("fs"), path = require("path");
const [shared, whole] = process.argv.slice(2);
const records = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => /seed-\d+\.json$/.test(f)).sort();
const a = records(shared), b = records(whole);
if (JSON.stringify(a) !== JSON.stringify(b)) { console.error(`record files differ:\n  shards: ${a.join(" ")}\n  whole:  ${b.join(" ")}`); process.exit(1); }
const strip = (f) => { const { wallMs, recordedAt, ...r } = JSON.parse(fs.readFileSync(f, "utf8")); return JSON.stringify(r); };
const bad = a.filter((f) => strip(path.join(shared, f)) !== strip(path.join(whole, f)));
if (a.length === 0 || bad.length) { console.error(a.length ? `records differ: ${bad.join(" ")}` : "no records"); process.exit(1); }
const shards = fs.readdirSync(path.join(shared, "shards")).sort();
console.log(`test:slurm: ${a.length} records from ${shards.length} shards (${shards.join(", ")}) equal the unsharded sweep's in every field but wallMs and recordedAt`);
JS
OK=1
say "passed in $(($(date +%s) - T0)) s from the daemons' start"
