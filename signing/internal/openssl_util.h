// RAII owners for OpenSSL handles and the conversions that every OpenSSL
// adapter in signing/ needs: error-queue draining into Status, PEM and DER
// in and out of memory. Internal to signing/; other modules never include
// OpenSSL (see STYLE.md §6).
//
// One deleter functor overloaded per type, as shaka-packager's
// scoped_xml_ptr.h does for libxml2: OsslPtr<X509> owns an X509*.
// (OpenSSL's sk_* stack functions are macros, so they are called without
// the leading "::" that other C calls get.)
//
// Thread safety: stateless helpers; the OpenSSL error queue they read is
// per thread.
#ifndef SIGNING_INTERNAL_OPENSSL_UTIL_H_
#define SIGNING_INTERNAL_OPENSSL_UTIL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "base/result.h"

namespace signing::internal {

struct OsslDeleter {
  void operator()(ASN1_INTEGER* p) const { ::ASN1_INTEGER_free(p); }
  void operator()(ASN1_OBJECT* p) const { ::ASN1_OBJECT_free(p); }
  void operator()(BIGNUM* p) const { ::BN_free(p); }
  void operator()(BIO* p) const { ::BIO_free_all(p); }
  void operator()(EVP_PKEY* p) const { ::EVP_PKEY_free(p); }
  void operator()(EXTENDED_KEY_USAGE* p) const { ::EXTENDED_KEY_USAGE_free(p); }
  void operator()(TS_MSG_IMPRINT* p) const { ::TS_MSG_IMPRINT_free(p); }
  void operator()(TS_REQ* p) const { ::TS_REQ_free(p); }
  void operator()(TS_RESP* p) const { ::TS_RESP_free(p); }
  void operator()(TS_RESP_CTX* p) const { ::TS_RESP_CTX_free(p); }
  void operator()(TS_VERIFY_CTX* p) const { ::TS_VERIFY_CTX_free(p); }
  void operator()(X509* p) const { ::X509_free(p); }
  void operator()(X509_ALGOR* p) const { ::X509_ALGOR_free(p); }
  void operator()(X509_EXTENSION* p) const { ::X509_EXTENSION_free(p); }
  void operator()(X509_NAME* p) const { ::X509_NAME_free(p); }
  void operator()(X509_STORE* p) const { ::X509_STORE_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};

template <class T>
using OsslPtr = std::unique_ptr<T, OsslDeleter>;

/// Drains this thread's OpenSSL error queue into "context（OpenSSL: reason; reason）"
/// (just context if the queue is empty).
/// Call ::ERR_clear_error() before the OpenSSL calls whose errors matter.
std::string DrainErrors(std::string_view context);
/// Internal(DrainErrors(context)): an OpenSSL call failed that should not.
base::Status InternalError(std::string_view context);

/// A read-only memory BIO over data (which must outlive it).
OsslPtr<BIO> MemBio(std::string_view data);
/// The bytes written to a memory BIO.
std::string BioContents(BIO* bio);

/// The first PEM private key in pem. InvalidArgument if there is none.
base::Result<OsslPtr<EVP_PKEY>> PrivateKeyFromPem(std::string_view pem);
/// Every PEM certificate in pem, in order. InvalidArgument if there is none
/// or one is malformed.
base::Result<std::vector<OsslPtr<X509>>> CertificatesFromPem(
    std::string_view pem);
/// The first PEM certificate in pem.
base::Result<OsslPtr<X509>> CertificateFromPem(std::string_view pem);
/// PKCS#8 PEM ("BEGIN PRIVATE KEY"), unencrypted.
base::Result<std::string> PrivateKeyToPem(EVP_PKEY* key);
base::Result<std::string> CertificateToPem(X509* cert);

/// A new owning stack holding a reference to each certificate.
OsslPtr<STACK_OF(X509)> CertificateStack(
    const std::vector<OsslPtr<X509>>& certs);

/// Lower-case hex of a non-negative INTEGER's value ("0" for zero).
std::string IntegerToHex(const ASN1_INTEGER* n);
/// The dotted form of an OID ("1.2.840.113549").
std::string OidToText(const ASN1_OBJECT* oid);

/// DER encoding through an i2d function; empty on failure.
template <class T, class F>
std::string ToDer(const T* object, F i2d) {
  unsigned char* der = nullptr;
  const int n = i2d(object, &der);
  if (n <= 0) return {};
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(n));
  ::OPENSSL_free(der);
  return out;
}

}  // namespace signing::internal

#endif  // SIGNING_INTERNAL_OPENSSL_UTIL_H_
