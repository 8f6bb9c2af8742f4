// Certificates for TLS tests, made by the script users run
// (scripts/make-test-ca): a CA in a folder and, per name, a certificate it
// signed with its key. Each call makes a fresh CA, so two folders are two
// clusters that must not trust each other. `ctl_identity` makes the
// shoalctl that the helpers run present one of them. For the test's main
// thread.

#pragma once

#include <string>
#include <vector>

namespace shoal::test_support {

/// The files of one identity made by `make_test_ca`.
struct test_identity {
  std::string cert;
  std::string key;
  std::string ca;
};

/// Runs scripts/make-test-ca `dir` `names`; fails the test if it fails.
void make_test_ca(const std::string& dir,
                  const std::vector<std::string>& names);

/// The files of `name` in a folder made by `make_test_ca`.
test_identity identity(const std::string& dir, const std::string& name);

/// `[security]` for NODE.toml naming `id`'s files.
std::string security_table(const test_identity& id);

/// shoalctl's options for `id`.
std::string ctl_tls_args(const test_identity& id);

/// Sets shoalctl's identity for the commands the helpers run (SHOAL_CERT,
/// SHOAL_KEY, SHOAL_CA), and clears it again.
class ctl_identity {
public:
  explicit ctl_identity(const test_identity& id);
  ctl_identity(const ctl_identity&) = delete;
  ctl_identity& operator=(const ctl_identity&) = delete;
  ~ctl_identity();
};

} // namespace shoal::test_support
