#!/usr/bin/env bash
# Installs (Debian packages slurm-wlm, munge) and starts a single-node Slurm
# cluster for the Slurm tests: munged, slurmctld and slurmd on this host, one
# node named after `hostname -s` with this machine's CPUs and two "GPUs"
# declared as generic resources backed by two plain device files
# (/dev/null, /dev/zero). There is no GPU: Slurm allocates them and sets
# CUDA_VISIBLE_DEVICES all the same. select/cons_tres, accounting off, no
# cgroups (proctrack/linuxproc, task/none). No systemd: the daemons are
# started directly, with pid files under /run.
# Idempotent; needs root. A second run with everything up does nothing; a run
# after a daemon died starts it again; a state folder left by a cluster of
# another name (slurmctld: "CLUSTER NAME MISMATCH") is cleared.
set -euo pipefail

CLUSTER=${LEM_SLURM_CLUSTER:-lem-tui}
CONF_DIR=/etc/slurm
STATE=/var/spool/slurmctld
SPOOL=/var/spool/slurmd
CTLD_LOG=/var/log/lem-tui-slurmctld.log
SLURMD_LOG=/var/log/lem-tui-slurmd.log
MUNGED_LOG=/var/log/lem-tui-munged.log
CTLD_PID=/run/lem-tui-slurmctld.pid
SLURMD_PID=/run/lem-tui-slurmd.pid

missing=()
command -v slurmctld >/dev/null 2>&1 || missing+=(slurmctld)
command -v slurmd >/dev/null 2>&1 || missing+=(slurmd)
command -v srun >/dev/null 2>&1 || missing+=(slurm-client)
command -v munged >/dev/null 2>&1 || missing+=(munge)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A pid file names a live slurm daemon (not a pid reused since, not a zombie).
alive() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == slurm* ]] &&
    [[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]]
}
stop() {
  if alive "$1"; then
    kill "$(cat "$1")" 2>/dev/null || true
    for _ in $(seq 1 20); do alive "$1" || break; sleep 0.5; done
  fi
  rm -f "$1"
}

# munge: the package makes a key; make one if it is missing.
if [[ ! -s /etc/munge/munge.key ]]; then
  echo "creating the munge key"
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
fi
chown munge:munge /etc/munge /etc/munge/munge.key
chmod 0700 /etc/munge
chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  echo "starting munged (log: $MUNGED_LOG)"
  touch "$MUNGED_LOG" && chown munge:munge "$MUNGED_LOG"
  runuser -u munge -- munged --log-file="$MUNGED_LOG"
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n | unmunge >/dev/null || { echo "munged does not answer; its log:" >&2; tail -n 20 "$MUNGED_LOG" >&2; exit 1; }
fi

# The node as slurmd sees it (CPUs, sockets, cores, threads), memory left at
# its default: memory is not a consumable resource here (CR_Core).
NODE=$(hostname -s)
topology=$(slurmd -C | head -n1 | tr ' ' '\n' | grep -E '^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore)=' | tr '\n' ' ')

conf=$(mktemp)
cat >"$conf" <<EOF
# Written by lem-tui's scripts/start-slurm.sh: a single-node test cluster.
ClusterName=$CLUSTER
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE
SlurmdSpoolDir=$SPOOL
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$CTLD_LOG
SlurmdLogFile=$SLURMD_LOG
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MailProg=/bin/true
ReturnToService=2
SlurmdTimeout=30
SlurmctldTimeout=30
MessageTimeout=10
InactiveLimit=0
KillWait=5
MinJobAge=10
NodeName=$NODE NodeAddr=127.0.0.1 ${topology}Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
gres=$(mktemp)
printf 'AutoDetect=off\nNodeName=%s Name=gpu File=/dev/null\nNodeName=%s Name=gpu File=/dev/zero\n' "$NODE" "$NODE" >"$gres"

mkdir -p "$CONF_DIR"
changed=0
cmp -s "$conf" $CONF_DIR/slurm.conf || changed=1
cmp -s "$gres" $CONF_DIR/gres.conf || changed=1

# Same config, both daemons up, the node ready: nothing to do. (No srun here:
# jobs of a running test may hold both GPUs.)
node_ready() {
  case "$(timeout 15 sinfo -h -n "$NODE" -o '%T' 2>/dev/null | head -n1)" in
    idle* | mixed* | allocated* | completing*) return 0 ;;
    *) return 1 ;;
  esac
}
if ((!changed)) && alive "$CTLD_PID" && alive "$SLURMD_PID" && node_ready; then
  rm -f "$conf" "$gres"
  echo "slurm cluster $CLUSTER: answering"
  exit 0
fi

# Daemons started from an earlier slurm.conf (ours or another's) write the pid
# files it names (Slurm's defaults: /run/slurmctld.pid, /run/slurmd.pid).
old_pids=()
# (On a new machine there is no slurm.conf yet: sed fails, nothing to stop.)
if ((changed)); then
  old_pids+=("$(sed -n 's/^SlurmctldPidFile=//p' $CONF_DIR/slurm.conf 2>/dev/null | tail -n1 || true)")
  old_pids+=("$(sed -n 's/^SlurmdPidFile=//p' $CONF_DIR/slurm.conf 2>/dev/null | tail -n1 || true)")
  old_pids+=(/run/slurmctld.pid /run/slurmd.pid)
fi
install -m 0644 "$conf" $CONF_DIR/slurm.conf
install -m 0644 "$gres" $CONF_DIR/gres.conf
rm -f "$conf" "$gres"
if ((changed)); then
  echo "slurm config written ($CONF_DIR/slurm.conf, gres.conf): restarting any slurm daemon of ours"
  for p in "$SLURMD_PID" "$CTLD_PID" "${old_pids[@]}"; do
    if [[ -n $p ]]; then stop "$p"; fi
  done
fi

# A state folder from a cluster of another name stops slurmctld
# ("CLUSTER NAME MISMATCH"): it holds nothing of ours, clear it.
mkdir -p "$STATE" "$SPOOL"
# (slurmctld compares the file's bytes: a trailing newline is a mismatch too.)
if [[ -f $STATE/clustername ]] && ! printf %s "$CLUSTER" | cmp -s - "$STATE/clustername"; then
  echo "clearing $STATE: left by cluster '$(tr -d '\n' <"$STATE/clustername")', not '$CLUSTER'"
  stop "$SLURMD_PID"
  stop "$CTLD_PID"
  find "$STATE" -mindepth 1 -delete
fi

if ! alive "$CTLD_PID"; then
  echo "starting slurmctld (log: $CTLD_LOG)"
  slurmctld || { echo "slurmctld did not start; its log:" >&2; tail -n 20 "$CTLD_LOG" >&2; exit 1; }
fi
if ! alive "$SLURMD_PID"; then
  echo "starting slurmd (log: $SLURMD_LOG)"
  slurmd || { echo "slurmd did not start; its log:" >&2; tail -n 20 "$SLURMD_LOG" >&2; exit 1; }
fi

# Wait for the node: idle (or mixed/allocated by jobs); resume it when it
# came up down or drained.
state=""
for i in $(seq 1 60); do
  state=$(sinfo -h -n "$NODE" -o '%T' 2>/dev/null | head -n1 || true)
  case "$state" in
    idle* | mixed* | allocated* | completing*) break ;;
    down* | drain* | fail*)
      ((i % 5 == 0)) && scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
case "$state" in
  idle* | mixed* | allocated* | completing*) ;;
  *)
    echo "slurm node $NODE is not ready within 60 s (state: ${state:-no answer}); the logs:" >&2
    tail -n 20 "$CTLD_LOG" "$SLURMD_LOG" >&2 || true
    exit 1 ;;
esac
if ! timeout 60 srun --quiet --immediate=30 --gres=gpu:1 true; then
  echo "srun --gres=gpu:1 true failed; the logs:" >&2
  tail -n 20 "$CTLD_LOG" "$SLURMD_LOG" >&2 || true
  exit 1
fi
echo "slurm cluster $CLUSTER: started (node $NODE, 2 GPUs as generic resources)"
