// Turning TLS on for a process (SPEC section 9).
//
// `check_tls_files` reads the three files itself (regular files, capped, as
// every file Shoal reads) and checks what CAF's OpenSSL module would
// otherwise only find out per connection, throwing on its network thread:
// that each is PEM, that the key belongs to the certificate and is not
// encrypted, and that the certificate is signed by the CA and valid now.
// Its errors name the file and the problem, never the content.
// `load_tls` then loads CAF's OpenSSL module into a configuration with the
// files; a `member_transport` with `tls = true` uses it. Call both before
// the actor system starts; not thread-safe against other users of `cfg`.

#pragma once

#include "caf/actor_system_config.hpp"
#include "caf/error.hpp"

#include "runtime/cluster/tls_files.hpp"

namespace shoal {

/// Checks that `files` make a usable identity; all three must be set.
caf::error check_tls_files(const tls_files& files);

/// Loads CAF's OpenSSL module into `cfg` with `files` (already checked).
void load_tls(caf::actor_system_config& cfg, const tls_files& files);

} // namespace shoal
