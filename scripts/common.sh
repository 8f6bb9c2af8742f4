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
