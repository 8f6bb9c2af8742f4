// The files of a member's or shoalctl's TLS identity (SPEC section 9).
//
// `[security]` in NODE.toml (cert, key, ca) and shoalctl's `--cert`,
// `--key`, `--ca` (or SHOAL_CERT, SHOAL_KEY, SHOAL_CA) fill one of these;
// actors/net/tls_setup.hpp checks the files and turns TLS on. A plain
// value; paths are absolute or relative to the process's working folder.

#pragma once

#include <string>

namespace shoal {

struct tls_files {
  /// This process's certificate (PEM), signed by `ca`.
  std::string cert;
  /// Its private key (PEM, not encrypted).
  std::string key;
  /// The cluster's CA certificate (PEM): every peer must present a
  /// certificate it signed.
  std::string ca;

  /// Whether TLS is configured at all.
  bool enabled() const {
    return !cert.empty() || !key.empty() || !ca.empty();
  }
};

} // namespace shoal
