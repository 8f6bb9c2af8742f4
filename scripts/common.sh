# Shared by scripts/run, scripts/test and scripts/bench: installs what is
# missing with apt-get and builds into build/. Source it; do not run it.

SHOAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHOAL_BUILD=${SHOAL_BUILD:-$SHOAL_ROOT/build}

# Debian packages the build and the tests need.
SHOAL_PACKAGES=(
  build-essential cmake pkg-config
  libcaf-dev libtomlplusplus-dev liblua5.4-dev libgtest-dev
  libmsgpack-cxx-dev libboost-dev libcli11-dev
  libmosquitto-dev mosquitto mosquitto-clients
  libxgboost-dev libonnx-dev libprotobuf-dev nlohmann-json3-dev
  librocksdb-dev influxdb libjemalloc-dev
  python3-xgboost python3-onnx python3-numpy python3-protobuf
  prometheus  # its promtool checks the /metrics page in the tests
  chromium
)

shoal_install_deps() {
  local missing=()
  for p in "${SHOAL_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "shoal: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

shoal_build() {
  # ccache, where installed, keeps rebuilds of unchanged files cheap.
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$SHOAL_ROOT" -B "$SHOAL_BUILD" -DCMAKE_BUILD_TYPE=Release \
    "${launcher[@]}" >/dev/null
  cmake --build "$SHOAL_BUILD" -j "$(nproc)" "$@"
}

# Prints $1 ports on 127.0.0.1 that are free now, one a line, picked at
# random below the kernel's ephemeral range: a port the kernel hands out
# for a bind to port 0 comes from that range, where other processes'
# outgoing connections take their local ports too, and one of them could
# take it before the member it is meant for binds it.
shoal_free_ports() {
  /usr/bin/python3 - "$1" <<'PY'
import random, socket, sys
try:
    low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
want, got, socks = int(sys.argv[1]), [], []
for _ in range(20000):
    if len(got) == want:
        break
    if low > 13024:
        port = random.randrange(low - 12000, low)
    else:
        port = 0
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        continue
    port = s.getsockname()[1]
    if port in got:
        s.close()
        continue
    socks.append(s)
    got.append(port)
for s in socks:
    s.close()
if len(got) < want:
    sys.exit("no %d free ports on 127.0.0.1" % want)
print("\n".join(str(p) for p in got))
PY
}
