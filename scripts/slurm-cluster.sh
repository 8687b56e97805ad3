#!/usr/bin/env bash
# A single-node Slurm cluster for tests and for trying `asym … --slurm` on one machine, without systemd.
#   scripts/slurm-cluster.sh start   starts munged (unless one already answers), slurmctld and slurmd; prints SLURM_CONF
#   scripts/slurm-cluster.sh stop    stops only the daemons this script started
#   scripts/slurm-cluster.sh status  sinfo of the cluster
# Needs Debian's slurm-wlm and munge (scripts/setup.sh --test installs them) and root (daemons run as root here).
# Settings: ASYM_SLURM_DIR (state, logs, slurm.conf; default /tmp/asym-slurm), ASYM_SLURM_CTLD_PORT (6817),
# ASYM_SLURM_D_PORT (6818). Clients need SLURM_CONF=$ASYM_SLURM_DIR/slurm.conf.
set -euo pipefail
dir="${ASYM_SLURM_DIR:-/tmp/asym-slurm}"
ctld_port="${ASYM_SLURM_CTLD_PORT:-6817}"
d_port="${ASYM_SLURM_D_PORT:-6818}"
conf="$dir/slurm.conf"
node="$(uname -n)"

say() { printf '[slurm-cluster] %s\n' "$*" >&2; }
fail() { printf '[slurm-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# Alive and not a zombie (PID 1 here reaps late: an exited daemon can still answer kill -0).
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" != Z ]; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  for b in slurmctld slurmd sbatch munged; do command -v "$b" >/dev/null || fail "$b not found: install Debian's slurm-wlm and munge (scripts/setup.sh --test)"; done
  [ "$(id -u)" = 0 ] || fail "the test cluster runs its daemons as root; run as root"
  if [ -f "$dir/slurmctld.started" ] && alive "$(cat "$dir/slurmctld.started")"; then say "already running ($conf)"; echo "$conf"; return; fi
  for p in "$ctld_port" "$d_port"; do port_taken "$p" && fail "port $p is taken (another Slurm?); set ASYM_SLURM_CTLD_PORT / ASYM_SLURM_D_PORT"; done
  rm -rf "$dir"; mkdir -p "$dir/state" "$dir/spool"

  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -f /etc/munge/munge.key ] || fail "/etc/munge/munge.key is missing (reinstall munge)"
    mkdir -p /run/munge /var/log/munge /var/lib/munge; chown munge:munge /run/munge /var/log/munge /var/lib/munge; chmod 0755 /run/munge
    runuser -u munge -- munged --force
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n | unmunge >/dev/null 2>&1 || fail "munged did not come up"
    pgrep -u munge -n munged >"$dir/munged.started"
  fi

  topology="$(slurmd -C | head -1 | sed -e 's/^NodeName=[^ ]* //')"
  cat >"$conf" <<CONF
ClusterName=asym
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MailProg=/bin/true
DependencyParameters=kill_invalid_depend
SchedulerParameters=batch_sched_delay=0
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge=300
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 $topology State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$conf"
  slurmctld -D -i -f "$conf" >"$dir/slurmctld.out" 2>&1 &
  echo $! >"$dir/slurmctld.started"
  slurmd -D -N "$node" -f "$conf" >"$dir/slurmd.out" 2>&1 &
  echo $! >"$dir/slurmd.started"
  for _ in $(seq 100); do
    if sinfo -h -o '%T' 2>/dev/null | grep -q idle; then say "up: SLURM_CONF=$conf"; echo "$conf"; return; fi
    alive "$(cat "$dir/slurmctld.started")" || { tail -20 "$dir/slurmctld.out" "$dir/slurmctld.log" >&2 2>/dev/null; stop; fail "slurmctld exited"; }
    alive "$(cat "$dir/slurmd.started")" || { tail -20 "$dir/slurmd.out" "$dir/slurmd.log" >&2 2>/dev/null; stop; fail "slurmd exited"; }
    sleep 0.2
  done
  stop; fail "the node did not become idle in 20 s (logs in $dir)"
}

stop() {
  # Cancel this cluster's jobs first, so no task outlives the daemons.
  if [ -f "$dir/slurmctld.started" ] && alive "$(cat "$dir/slurmctld.started")"; then
    SLURM_CONF="$conf" scancel --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 50); do [ -z "$(SLURM_CONF="$conf" squeue -h 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  for d in slurmd slurmctld munged; do
    f="$dir/$d.started"
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if alive "$pid"; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
      alive "$pid" && kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$f"
  done
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) SLURM_CONF="$conf" sinfo ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
