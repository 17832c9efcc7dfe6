#!/usr/bin/env bash
# The scale-out test (issue 9): starts a real single-node Slurm cluster on localhost (munged,
# slurmctld, slurmd, all configured here in a temporary folder), submits the project's sbatch
# array over a synthesised set of 4 issues in 2 shards, waits for it, and checks that its output
# has the same articles and the same text as a local run of the same set. Then re-runs one shard
# alone, as README.md says to do with a failed one, and checks that it reads nothing again.
#
#   bash tests/slurm/slurm_test.sh BROADSHEET BROADSHEET_SYNTH SBATCH_SCRIPT
#
# Budget: about 2 minutes on 2 idle cores (two OCR passes over 4 small pages: the local run and
# the array), at most 5 (each wait has a deadline).
#
# Exits 77 (ctest's SKIP_RETURN_CODE, shown as a skip with the reason) where Slurm cannot be
# started: not root, slurm-wlm or munge not installed, or a daemon that does not come up.
# Needs root (slurmd runs jobs as their user). BROADSHEET_KEEP_TEST_OUTPUT=1 keeps the folder.
set -uo pipefail

broadsheet=${1:?usage: slurm_test.sh BROADSHEET BROADSHEET_SYNTH SBATCH_SCRIPT}
synth=${2:?}
script=${3:?}
started=$SECONDS

say() { printf 'slurm_test: %s\n' "$*" >&2; }
skip() {
  say "SKIPPED: $*"
  exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root to start slurmd (run the tests as root, as CI does)"
for cmd in munged mungekey slurmctld slurmd sbatch sinfo scontrol python3; do
  command -v "$cmd" >/dev/null ||
    skip "$cmd not found; install the 'scale-out test' packages of .ci/packages.txt (apt-get install slurm-wlm munge)"
done
tessdata=${TESSDATA_PREFIX:-/usr/share/tesseract-ocr/5/tessdata}
[ -f "$tessdata/chi_tra.traineddata" ] || skip "chi_tra.traineddata not found in $tessdata"

tmp=$(mktemp -d /tmp/broadsheet-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  if [ -n "${BROADSHEET_KEEP_TEST_OUTPUT:-}" ]; then
    say "kept $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

logs() {
  for f in "$tmp"/munged.log "$tmp"/slurmctld.log "$tmp"/slurmd.log "$tmp"/job-*.out; do
    [ -f "$f" ] || continue
    echo "---- $f (last lines)" >&2
    tail -n 15 "$f" >&2
  done
}
fail() {
  say "FAILED: $*"
  logs
  exit 1
}
# A daemon that does not come up is the environment, not broadsheet: skip, visibly, with why.
daemon_skip() {
  logs
  skip "$*"
}

# --- munge: its own key and socket, so nothing of the machine's set-up is touched or needed.
mkdir -m 700 "$tmp/munge"
mungekey --create --keyfile="$tmp/munge/munge.key" >/dev/null 2>&1 ||
  daemon_skip "mungekey could not create a key"
chmod 600 "$tmp/munge/munge.key"
munged --foreground --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/socket" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/seed" \
  --log-file="$tmp/munged.log" >"$tmp/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$tmp/munge/socket" ] && break; sleep 0.1; done
[ -S "$tmp/munge/socket" ] || daemon_skip "munged did not start: $(tail -n 3 "$tmp/munged.out")"

# --- Slurm: controller and one node on localhost, on free ports, state and logs in $tmp.
read -r ctl_port node_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
# The node as slurmd sees it (CPUs, sockets, cores, memory), renamed localhost: a node declared
# bigger than it is would be drained.
node=$(slurmd -C 2>/dev/null | head -n 1 | sed -E 's/^NodeName=[^ ]+/NodeName=localhost/')
[[ $node == NodeName=localhost* ]] || node="NodeName=localhost CPUs=$(nproc)"
mkdir -p "$tmp/state" "$tmp/spool"
: >"$tmp/plugstack.conf"
cat >"$tmp/slurm.conf" <<EOF
ClusterName=broadsheet-test
SlurmctldHost=localhost
SlurmctldPort=$ctl_port
SlurmdPort=$node_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
$node State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$tmp/slurm.conf"

slurmctld -D -c -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)

# Meanwhile: the set (4 small one-page issues) and the local run everything is compared with.
"$synth" --seed 7 --issues 4 --pages-min 1 --pages-max 1 --dpi 150 -q -o "$tmp/scans" ||
  fail "broadsheet-synth failed"
local_start=$SECONDS
"$broadsheet" run "$tmp/scans" -o "$tmp/out-local" --jobs 2 -q || fail "local run failed"
say "local run: $((SECONDS - local_start)) s"

state=""
for _ in $(seq 60); do
  state=$(sinfo -h -N -n localhost -o %t 2>/dev/null | head -n 1)
  [ "$state" = idle ] && break
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || daemon_skip "a Slurm daemon exited at start ($(cat "$tmp"/slurm*.out | tail -n 3))"
  done
  sleep 1
done
[ "$state" = idle ] || daemon_skip "the node did not become idle within 60 s (state: '${state:-none}')"
say "cluster up: $(sinfo -h -N -o '%N %t %c CPUs')"

# Submits the array script and waits for every task; fails unless all completed with exit 0.
# (Polls squeue each second rather than `sbatch --wait`, which polls with growing intervals and
# returned half a minute after the tasks had finished.)
submit() {
  local array=$1 limit=$2 id
  shift 2
  id=$(sbatch --parsable --array="$array" --cpus-per-task=1 --mem-per-cpu=500M --time=10 \
    --chdir="$tmp" --export=ALL,BROADSHEET="$broadsheet" "$@" \
    "$script" "$tmp/scans" "$tmp/out-slurm" 2 2>"$tmp/sbatch.err") ||
    fail "sbatch: $(cat "$tmp/sbatch.err")"
  id=${id%%;*}
  local deadline=$((SECONDS + limit))
  while [ -n "$(squeue -h -j "$id" -o %i 2>/dev/null)" ]; do
    [ $SECONDS -lt $deadline ] || fail "job $id still running after $limit s"
    sleep 1
  done
  # Finished tasks stay known to the controller for MinJobAge (300 s): their state and exit code.
  local states
  states=$(scontrol -o show job "$id" |
    sed -E 's/.* JobState=([A-Z_]+) .* ExitCode=([0-9:]+) .*/\1 \2/')
  [ -n "$states" ] || fail "job $id: no state from scontrol"
  if grep -qv '^COMPLETED 0:0$' <<<"$states"; then
    fail "job $id: tasks did not all complete with exit 0: ${states//$'\n'/; }"
  fi
}

# --- The array, as README.md says to submit it: 2 shards, one CPU each.
slurm_start=$SECONDS
submit 1-2 300 --output="$tmp/job-%A_%a.out"
say "array (2 shards): $((SECONDS - slurm_start)) s"
grep -q 'shard 1/2' "$tmp"/job-*_1.out || fail "task 1 did not run shard 1/2"
grep -q 'shard 2/2' "$tmp"/job-*_2.out || fail "task 2 did not run shard 2/2"

# --- Same issues, same articles, same text.
python3 - "$tmp/out-local" "$tmp/out-slurm" <<'EOF' || fail "the array's output differs from the local run"
import json, pathlib, sys
local, slurm = map(pathlib.Path, sys.argv[1:3])
ids = lambda root: sorted(str(p.parent.relative_to(root)) for p in root.rglob("issue.json"))
assert ids(local) == ids(slurm), f"issues differ: {ids(local)} vs {ids(slurm)}"
assert len(ids(local)) == 4, ids(local)
fields = ("kind", "headline", "kicker", "subheadline", "byline", "text", "pages")
articles = 0
for issue in ids(local):
    a, b = (json.loads((root / issue / "issue.json").read_text()) for root in (local, slurm))
    pa = [p["text"] for p in a["pages"]]
    pb = [p["text"] for p in b["pages"]]
    assert pa == pb, f"{issue}: page text differs"
    aa = [{f: x.get(f) for f in fields} for x in a["articles"]]
    ab = [{f: x.get(f) for f in fields} for x in b["articles"]]
    assert aa, f"{issue}: no articles"
    assert aa == ab, f"{issue}: articles differ"
    articles += len(aa)
print(f"slurm_test: {len(ids(local))} issues, {articles} articles: same articles, same text",
      file=sys.stderr)
EOF

# --- The merged report: both shards, every page once, each shard with some of the issues.
"$broadsheet" report "$tmp/out-slurm" >&2 || fail "broadsheet report: not complete and clean"
"$broadsheet" report "$tmp/out-slurm" --json >"$tmp/report.json" || fail "broadsheet report --json"
python3 - "$tmp/report.json" <<'EOF' || fail "merged report is wrong: $(cat "$tmp/report.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["shards"] == 2 and r["missing"] == [] and r["complete"], r
assert r["issues"] == 4 and r["pages_read"] == 4 and r["pages_failed"] == 0, r
assert all(s["issues"] >= 1 for s in r["reports"]), "a shard got no issue: the test proves little"
EOF

# --- A failed shard is re-run alone (README.md): it resumes, reading nothing already done.
submit 2 120 --output="$tmp/rerun-%A_%a.out"
python3 - "$tmp/out-slurm/report-shard-2-of-2.json" <<'EOF' || fail "shard 2 read pages again"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["pages_read"] == 0 and r["pages_reused"] == r["issues"] >= 1, r
EOF

say "PASSED in $((SECONDS - started)) s"
