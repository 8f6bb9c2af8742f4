#!/bin/bash
# The systemd unit of cmake/packaging.cmake, checked by systemd-analyze
# verify, and the settings docs/operations.md promises. verify also checks
# that ExecStart's binary exists, which the package installs only later, so
# it reads a copy whose ExecStart names the built shoal-node (the original
# line is checked as text below). Exits 77 (ctest: skipped) without
# systemd-analyze.
#
# usage: systemd_unit_test.sh UNIT_FILE SHOAL_NODE BIN_DIR CONF_DIR
#   UNIT_FILE the configured unit, SHOAL_NODE the built binary, BIN_DIR
#   where the unit expects it (/usr/bin), CONF_DIR its configuration's
#   folder (/etc/shoal)
set -euo pipefail
unit=$1 binary=$2 bindir=$3 confdir=$4

if ! command -v systemd-analyze >/dev/null; then
  echo "skipped: systemd-analyze is not installed (apt-get install systemd)"
  exit 77
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#^ExecStart=$bindir/shoal-node #ExecStart=$(readlink -f "$binary") #" \
  "$unit" >"$dir/shoal-node.service"

# verify exits 0 on an unknown key or a bad value and only prints it: any
# output is a failure.
rc=0
out=$(systemd-analyze verify "$dir/shoal-node.service" 2>&1) || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
  echo "FAIL: systemd-analyze verify (exit $rc):"
  echo "$out"
  exit 1
fi

# What the unit promises (docs/operations.md).
for line in "ExecStart=$bindir/shoal-node --config $confdir/shoal.toml" \
  "User=shoal" "StateDirectory=shoal" "Restart=on-failure" \
  "KillSignal=SIGTERM" "NoNewPrivileges=yes" "ProtectSystem=strict" \
  "ProtectHome=yes" "PrivateTmp=yes" "ReadWritePaths=/var/lib/shoal"; do
  grep -qx -- "$line" "$unit" || {
    echo "FAIL: no '$line' in $unit"
    exit 1
  }
done
# The stop timeout outlasts a planned leave's bound (10 s + 5 s at the
# defaults, docs/cluster.md).
stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)$/\1/p' "$unit")
if [ -z "$stop" ] || [ "$stop" -lt 20 ]; then
  echo "FAIL: TimeoutStopSec '$stop' is not above the planned leave's bound"
  exit 1
fi
nofile=$(sed -n 's/^LimitNOFILE=\([0-9]*\)$/\1/p' "$unit")
if [ -z "$nofile" ] || [ "$nofile" -lt 65536 ]; then
  echo "FAIL: LimitNOFILE '$nofile' is below 65536"
  exit 1
fi
echo "ok: systemd-analyze verify found nothing"
