#include "actors/net/tls_setup.hpp"

#include <filesystem>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "caf/openssl/manager.hpp"

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

/// PEM files are small; a larger one is not an identity.
constexpr uint64_t max_pem_bytes = 1024 * 1024;

template <class T, void (*Free)(T*)>
struct openssl_free {
  void operator()(T* x) const {
    Free(x);
  }
};

using bio_ptr = std::unique_ptr<BIO, openssl_free<BIO, BIO_free_all>>;
using x509_ptr = std::unique_ptr<X509, openssl_free<X509, X509_free>>;
using pkey_ptr
  = std::unique_ptr<EVP_PKEY, openssl_free<EVP_PKEY, EVP_PKEY_free>>;
using store_ptr
  = std::unique_ptr<X509_STORE, openssl_free<X509_STORE, X509_STORE_free>>;
using store_ctx_ptr
  = std::unique_ptr<X509_STORE_CTX,
                    openssl_free<X509_STORE_CTX, X509_STORE_CTX_free>>;

caf::error fail(const std::string& what, const std::string& path,
                const std::string& why) {
  ERR_clear_error();
  return make_error(errc::invalid_config, what + " " + path + ": " + why);
}

/// A memory BIO over `text`, which must outlive it.
bio_ptr memory_bio(const std::string& text) {
  return bio_ptr{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
}

/// Refuses to ask for a passphrase: an encrypted key fails to load.
int no_passphrase(char*, int, int, void*) {
  return 0;
}

} // namespace

caf::error check_tls_files(const tls_files& files) {
  if (files.cert.empty() || files.key.empty() || files.ca.empty())
    return make_error(errc::invalid_config,
                      "TLS needs all three of cert, key and ca");
  auto cert_text = read_bounded_file(files.cert, max_pem_bytes);
  if (!cert_text)
    return fail("certificate", files.cert, describe(cert_text.error()));
  auto key_text = read_bounded_file(files.key, max_pem_bytes);
  if (!key_text)
    return fail("key", files.key, describe(key_text.error()));
  auto ca_text = read_bounded_file(files.ca, max_pem_bytes);
  if (!ca_text)
    return fail("CA", files.ca, describe(ca_text.error()));
  auto cert_bio = memory_bio(*cert_text);
  x509_ptr cert{PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr)};
  if (!cert)
    return fail("certificate", files.cert, "is not a PEM certificate");
  auto key_bio = memory_bio(*key_text);
  pkey_ptr key{
    PEM_read_bio_PrivateKey(key_bio.get(), nullptr, no_passphrase, nullptr)};
  if (!key)
    return fail("key", files.key,
                "is not a PEM private key without a passphrase");
  if (X509_check_private_key(cert.get(), key.get()) != 1)
    return fail("key", files.key, "does not belong to " + files.cert);
  store_ptr store{X509_STORE_new()};
  auto ca_bio = memory_bio(*ca_text);
  size_t cas = 0;
  while (auto ca = PEM_read_bio_X509(ca_bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store.get(), ca);
    X509_free(ca);
    ++cas;
  }
  if (cas == 0)
    return fail("CA", files.ca, "holds no PEM certificate");
  // Intermediate certificates may follow this process's own in its file.
  STACK_OF(X509)* chain = sk_X509_new_null();
  while (auto x = PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr))
    sk_X509_push(chain, x);
  store_ctx_ptr ctx{X509_STORE_CTX_new()};
  X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), chain);
  auto ok = X509_verify_cert(ctx.get()) == 1;
  auto why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  sk_X509_pop_free(chain, X509_free);
  if (!ok)
    return fail("certificate", files.cert,
                std::string{"is not accepted by the CA in "} + files.ca + " ("
                  + why + ")");
  ERR_clear_error();
  return caf::none;
}

void load_tls(caf::actor_system_config& cfg, const tls_files& files) {
  // CAF reopens the files for every connection: make the paths absolute so
  // that nothing depends on the working folder later.
  auto abs = [](const std::string& p) {
    return std::filesystem::absolute(p).lexically_normal().string();
  };
  cfg.openssl_certificate = abs(files.cert);
  cfg.openssl_key = abs(files.key);
  cfg.openssl_cafile = abs(files.ca);
  cfg.load<caf::openssl::manager>();
}

} // namespace shoal
