#include "tests/support/test_ca.hpp"

#include <cstdlib>
#include <gtest/gtest.h>

#include "tests/support/process.hpp"

namespace shoal::test_support {

void make_test_ca(const std::string& dir,
                  const std::vector<std::string>& names) {
  std::string cmd
    = std::string{SHOAL_SOURCE_DIR} + "/scripts/make-test-ca '" + dir + "'";
  for (auto& name : names)
    cmd += " " + name;
  auto res = run_command(cmd);
  ASSERT_EQ(res.exit_code, 0) << res.output;
}

test_identity identity(const std::string& dir, const std::string& name) {
  return {dir + "/" + name + ".pem", dir + "/" + name + ".key",
          dir + "/ca.pem"};
}

std::string security_table(const test_identity& id) {
  return "[security]\ncert = \"" + id.cert + "\"\nkey = \"" + id.key
         + "\"\nca = \"" + id.ca + "\"\n";
}

std::string ctl_tls_args(const test_identity& id) {
  return "--cert " + id.cert + " --key " + id.key + " --ca " + id.ca + " ";
}

ctl_identity::ctl_identity(const test_identity& id) {
  setenv("SHOAL_CERT", id.cert.c_str(), 1);
  setenv("SHOAL_KEY", id.key.c_str(), 1);
  setenv("SHOAL_CA", id.ca.c_str(), 1);
}

ctl_identity::~ctl_identity() {
  unsetenv("SHOAL_CERT");
  unsetenv("SHOAL_KEY");
  unsetenv("SHOAL_CA");
}

} // namespace shoal::test_support
