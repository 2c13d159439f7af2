#include "signing/internal/openssl_util.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

namespace signing::internal {

std::string DrainErrors(std::string_view context) {
  std::string out(context);
  const char* data = nullptr;
  int flags = 0;
  bool first = true;
  for (unsigned long e =
           ::ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags);
       e != 0;
       e = ::ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    out += first ? "（OpenSSL: " : "; ";
    first = false;
    const char* reason = ::ERR_reason_error_string(e);
    out += reason ? reason : "error " + std::to_string(e);
    if (data != nullptr && (flags & ERR_TXT_STRING) && *data != '\0') {
      out += " (";
      out += data;
      out += ")";
    }
  }
  if (!first) out += "）";
  return out;
}

base::Status InternalError(std::string_view context) {
  return base::Status::Internal(DrainErrors(context));
}

OsslPtr<BIO> MemBio(std::string_view data) {
  return OsslPtr<BIO>(
      ::BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioContents(BIO* bio) {
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio, &p);
  return n > 0 ? std::string(p, static_cast<size_t>(n)) : std::string();
}

base::Result<OsslPtr<EVP_PKEY>> PrivateKeyFromPem(std::string_view pem) {
  ::ERR_clear_error();
  OsslPtr<BIO> bio = MemBio(pem);
  OsslPtr<EVP_PKEY> key(
      ::PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return base::Status::InvalidArgument(DrainErrors("PEM 形式の秘密鍵がありません"));
  }
  return key;
}

base::Result<std::vector<OsslPtr<X509>>> CertificatesFromPem(
    std::string_view pem) {
  ::ERR_clear_error();
  OsslPtr<BIO> bio = MemBio(pem);
  std::vector<OsslPtr<X509>> certs;
  while (true) {
    OsslPtr<X509> cert(
        ::PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    certs.push_back(std::move(cert));
  }
  // Running out of PEM blocks ends the loop with "no start line"; anything
  // else is a malformed certificate.
  const unsigned long e = ::ERR_peek_last_error();
  if (e != 0 && !(ERR_GET_LIB(e) == ERR_LIB_PEM &&
                  ERR_GET_REASON(e) == PEM_R_NO_START_LINE)) {
    return base::Status::InvalidArgument(DrainErrors("PEM 形式の証明書が壊れています"));
  }
  ::ERR_clear_error();
  if (certs.empty()) {
    return base::Status::InvalidArgument("PEM 形式の証明書がありません");
  }
  return certs;
}

base::Result<OsslPtr<X509>> CertificateFromPem(std::string_view pem) {
  ASSIGN_OR_RETURN(std::vector<OsslPtr<X509>> certs, CertificatesFromPem(pem));
  return std::move(certs.front());
}

base::Result<std::string> PrivateKeyToPem(EVP_PKEY* key) {
  ::ERR_clear_error();
  OsslPtr<BIO> bio(::BIO_new(::BIO_s_mem()));
  if (!bio || ::PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr,
                                              0, nullptr, nullptr) != 1) {
    return InternalError("PKCS#8 形式の秘密鍵を書き出せません");
  }
  return BioContents(bio.get());
}

base::Result<std::string> CertificateToPem(X509* cert) {
  ::ERR_clear_error();
  OsslPtr<BIO> bio(::BIO_new(::BIO_s_mem()));
  if (!bio || ::PEM_write_bio_X509(bio.get(), cert) != 1) {
    return InternalError("PEM 形式の証明書を書き出せません");
  }
  return BioContents(bio.get());
}

OsslPtr<STACK_OF(X509)> CertificateStack(
    const std::vector<OsslPtr<X509>>& certs) {
  OsslPtr<STACK_OF(X509)> stack(sk_X509_new_null());
  for (const OsslPtr<X509>& cert : certs) {
    if (::X509_up_ref(cert.get()) != 1) std::abort();
    if (sk_X509_push(stack.get(), cert.get()) <= 0) std::abort();
  }
  return stack;
}

std::string IntegerToHex(const ASN1_INTEGER* n) {
  OsslPtr<BIGNUM> bn(::ASN1_INTEGER_to_BN(n, nullptr));
  if (!bn) return {};
  char* hex = ::BN_bn2hex(bn.get());
  if (hex == nullptr) return {};
  std::string out(hex);
  ::OPENSSL_free(hex);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return out;
}

std::string OidToText(const ASN1_OBJECT* oid) {
  char buf[256];
  const int n = ::OBJ_obj2txt(buf, sizeof buf, oid, /*no_name=*/1);
  if (n <= 0) return {};
  if (static_cast<size_t>(n) < sizeof buf)
    return std::string(buf, static_cast<size_t>(n));
  std::string big(static_cast<size_t>(n) + 1, '\0');
  ::OBJ_obj2txt(big.data(), n + 1, oid, 1);
  big.resize(static_cast<size_t>(n));
  return big;
}

}  // namespace signing::internal
