#!/bin/bash
# The .deb of cmake/packaging.cmake: runs cpack in the build folder (into a
# temporary folder), reads the package back with dpkg-deb (name, version,
# the Depends that dpkg-shlibdeps computed, the maintainer scripts, the
# conffile, the files), extracts it into a temporary root with dpkg -x and
# runs the extracted tools' --version. Exits 77 (ctest: skipped) when a
# Debian packaging tool is missing.
#
# usage: deb_package_test.sh BUILD_DIR VERSION BIN_DIR DATA_DIR DOC_DIR
#          CONF_DIR UNIT_DIR
#   (the folders as installed: /usr/bin /usr/share/shoal /usr/share/doc/shoal
#   /etc/shoal /usr/lib/systemd/system under the prefix /usr)
set -euo pipefail
build=$1 version=$2 bindir=$3 datadir=$4 docdir=$5 confdir=$6 unitdir=$7

for tool in cpack dpkg-deb dpkg-shlibdeps dpkg; do
  if ! command -v "$tool" >/dev/null; then
    echo "skipped: $tool is not installed (apt-get install dpkg-dev)"
    exit 77
  fi
done

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

fail() {
  echo "FAIL: $*"
  exit 1
}

# expect TEXT PATTERN WHAT: PATTERN (grep -E) is in TEXT.
expect() {
  grep -Eq -- "$2" <<<"$1" || fail "$3: no '$2' in:"$'\n'"$1"
}

(cd "$build" && cpack -G DEB -B "$out") >"$out/cpack.log" 2>&1 \
  || fail "cpack: $(cat "$out/cpack.log")"
debs=("$out"/shoal_"$version"_*.deb)
[ -f "${debs[0]}" ] || fail "no shoal_${version}_*.deb: $(ls "$out")"
deb=${debs[0]}

info=$(dpkg-deb -I "$deb")
expect "$info" '^ Package: shoal$' "control"
expect "$info" "^ Version: $version\$" "control"
expect "$info" '^ Maintainer: .+' "control"
expect "$info" '^ Description: .+' "control"
# Depends: what postinst needs, and the shared libraries that
# dpkg-shlibdeps found in the binaries (CAF, RocksDB, Lua, libc).
depends=$(grep '^ Depends:' <<<"$info") || fail "no Depends in:"$'\n'"$info"
for dep in adduser 'libcaf-core0\.17' 'libcaf-io0\.17' 'librocksdb' \
  'liblua5\.4' 'libc6 \(>= '; do
  expect "$depends" "$dep" "Depends"
done
for script in postinst prerm postrm conffiles; do
  expect "$info" "^ +[0-9]+ bytes, +[0-9]+ lines( +\*)? +$script" "control files"
done
expect "$info" '\* +postinst' "postinst executable"

conffiles=$(dpkg-deb -I "$deb" conffiles)
[ "$conffiles" = "$confdir/shoal.toml" ] \
  || fail "conffiles: '$conffiles', not '$confdir/shoal.toml'"

files=$(dpkg-deb -c "$deb")
for path in "$bindir/shoal-node" "$bindir/shoalctl" "$bindir/shoal-bench" \
  "$confdir/shoal.toml" "$unitdir/shoal-node.service" \
  "$datadir/demo/plant.toml" "$datadir/demo/models/pump_fault.ubj" \
  "$datadir/examples/shoal.toml" "$docdir/README.md" \
  "$docdir/operations.md" "$docdir/cluster.md"; do
  expect "$files" " \.$path\$" "dpkg-deb -c"
done

dpkg -x "$deb" "$out/root"
root=$out/root
for tool in shoal-node shoalctl shoal-bench; do
  v=$("$root$bindir/$tool" --version) || fail "$tool --version failed"
  expect "$v" "^$tool $version \(commit [0-9a-z]+, malloc [a-z]+\)\$" "$tool --version"
  # Stripped: without its debug information a tool is a fraction of the
  # build's.
  if command -v file >/dev/null; then
    expect "$(file "$root$bindir/$tool")" ", stripped" "$tool"
  fi
done
unit=$(cat "$root$unitdir/shoal-node.service")
expect "$unit" "^ExecStart=$bindir/shoal-node --config $confdir/shoal.toml\$" \
  "the unit"
cmp -s "$root$confdir/shoal.toml" "$root$datadir/examples/shoal.toml" \
  || fail "the conffile differs from share/shoal/examples/shoal.toml"
echo "ok: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
