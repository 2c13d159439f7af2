#include "signing/tsa_cert_info.h"

#include <openssl/err.h>
#include <openssl/pkcs7.h>

#include "signing/internal/openssl_util.h"

namespace signing {
namespace {

using internal::OsslPtr;

base::Result<base::Time> AsnTime(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ::ASN1_TIME_to_tm(t, &tm) != 1) {
    return base::Status::Corruption("証明書の有効期間を読めません");
  }
  return base::Time(std::chrono::seconds(::timegm(&tm)));
}

base::Result<CertificateValidity> ValidityOf(X509* cert) {
  CertificateValidity v;
  ASSIGN_OR_RETURN(v.not_before, AsnTime(::X509_get0_notBefore(cert)));
  ASSIGN_OR_RETURN(v.not_after, AsnTime(::X509_get0_notAfter(cert)));
  OsslPtr<BIO> bio(::BIO_new(::BIO_s_mem()));
  if (bio && ::X509_NAME_print_ex(bio.get(), ::X509_get_subject_name(cert), 0,
                                  XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
    v.subject = internal::BioContents(bio.get());
  }
  v.serial_hex = internal::IntegerToHex(::X509_get0_serialNumber(cert));
  ASSIGN_OR_RETURN(v.pem, internal::CertificateToPem(cert));
  return v;
}

}  // namespace

base::Result<CertificateValidity> PemCertificateValidity(std::string_view pem) {
  ASSIGN_OR_RETURN(OsslPtr<X509> cert, internal::CertificateFromPem(pem));
  return ValidityOf(cert.get());
}

base::Result<CertificateValidity> TokenSignerValidity(std::string_view der_response) {
  ::ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(der_response.data());
  OsslPtr<TS_RESP> resp(
      ::d2i_TS_RESP(nullptr, &p, static_cast<long>(der_response.size())));  // NOLINT
  PKCS7* token = resp ? ::TS_RESP_get_token(resp.get()) : nullptr;
  if (token == nullptr || !PKCS7_type_is_signed(token)) {
    ::ERR_clear_error();
    return base::Status::Corruption("タイムスタンプ応答として読めません");
  }
  STACK_OF(X509)* signers = ::PKCS7_get0_signers(token, nullptr, 0);
  X509* signer =
      signers != nullptr && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : nullptr;
  base::Result<CertificateValidity> out =
      signer != nullptr ? ValidityOf(signer)
                        : base::Result<CertificateValidity>(base::Status::NotFound(
                              "タイムスタンプトークンに署名者の証明書が含まれていません"));
  sk_X509_free(signers);
  ::ERR_clear_error();
  return out;
}

}  // namespace signing
