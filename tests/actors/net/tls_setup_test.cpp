// Checking a TLS identity before CAF uses it: files made by
// scripts/make-test-ca pass; a certificate of another CA, a key of another
// certificate, a file that is not PEM or not a file fail with an error
// that names the file and never shows what it holds.

#include <filesystem>
#include <gtest/gtest.h>

#include "actors/net/tls_setup.hpp"
#include "runtime/core/errc.hpp"
#include "tests/support/temp_files.hpp"
#include "tests/support/test_ca.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class TlsSetup : public temp_dir_test {
protected:
  void SetUp() override {
    temp_dir_test::SetUp();
    make_test_ca((dir_ / "a").string(), {"n1", "n2"});
    make_test_ca((dir_ / "b").string(), {"n1"});
  }

  tls_files files(const std::string& ca_dir, const std::string& name) {
    auto id = identity((dir_ / ca_dir).string(), name);
    return {id.cert, id.key, id.ca};
  }

  std::string error_of(const tls_files& f) {
    auto err = check_tls_files(f);
    return err ? describe(err) : std::string{};
  }
};

} // namespace

TEST_F(TlsSetup, AcceptsWhatTheScriptMakes) {
  EXPECT_EQ(error_of(files("a", "n1")), "");
  EXPECT_EQ(error_of(files("a", "n2")), "");
  EXPECT_EQ(error_of(files("b", "n1")), "");
}

TEST_F(TlsSetup, RefusesACertificateOfAnotherCa) {
  auto f = files("b", "n1");
  f.ca = files("a", "n1").ca;
  auto text = error_of(f);
  EXPECT_NE(text.find("certificate " + f.cert + ": is not accepted by the CA"),
            std::string::npos)
    << text;
}

TEST_F(TlsSetup, RefusesAKeyOfAnotherCertificate) {
  auto f = files("a", "n1");
  f.key = files("a", "n2").key;
  auto text = error_of(f);
  EXPECT_NE(text.find("key " + f.key + ": does not belong to " + f.cert),
            std::string::npos)
    << text;
}

TEST_F(TlsSetup, RefusesWhatIsNotAnIdentityWithoutShowingIt) {
  auto secret = write("secret.txt", "root:SECRET-HASH:19000:0:99999:7:::\n");
  auto f = files("a", "n1");
  for (auto field : {&tls_files::cert, &tls_files::key, &tls_files::ca}) {
    auto bad = f;
    bad.*field = secret;
    auto text = error_of(bad);
    EXPECT_NE(text.find(secret), std::string::npos) << text;
    EXPECT_EQ(text.find("SECRET"), std::string::npos) << text;
  }
  auto dir = f;
  dir.cert = dir_.string();
  EXPECT_NE(error_of(dir).find("certificate " + dir_.string()),
            std::string::npos);
  auto missing = f;
  missing.ca = (dir_ / "nope.pem").string();
  EXPECT_NE(error_of(missing).find("No such file"), std::string::npos)
    << error_of(missing);
  auto partial = f;
  partial.key.clear();
  EXPECT_EQ(error_of(partial), "TLS needs all three of cert, key and ca");
}
