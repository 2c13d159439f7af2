#include "signing/tsa_cert_info.h"

#include <openssl/asn1.h>
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


namespace {

// One DER element: where it starts (its header), where its contents start,
// and where it ends.
struct Tlv {
  const unsigned char* begin = nullptr;
  const unsigned char* contents = nullptr;
  const unsigned char* end = nullptr;
  int tag = -1, cls = -1;
  bool constructed = false;
};

// Reads the header of the element at p (definite lengths only, as DER
// has), within end.
bool ReadTlv(const unsigned char* p, const unsigned char* end, Tlv* out) {
  if (p >= end) return false;
  long len = 0;
  int tag = 0, cls = 0;
  const unsigned char* q = p;
  const int rc = ::ASN1_get_object(&q, &len, &tag, &cls, end - p);
  if ((rc & 0x80) != 0 || (rc & 0x01) != 0 || len < 0 || len > end - q) return false;
  *out = Tlv{p, q, q + len, tag, cls, (rc & V_ASN1_CONSTRUCTED) != 0};
  return true;
}

bool Is(const Tlv& t, int cls, int tag, bool constructed) {
  return t.cls == cls && t.tag == tag && t.constructed == constructed;
}

void AppendRaw(std::string& key, const Tlv& t) {
  const std::string size = std::to_string(t.end - t.begin);
  key.append(size).push_back(':');
  key.append(reinterpret_cast<const char*>(t.begin), static_cast<size_t>(t.end - t.begin));
}

// The SignedData's certificates ([0], if any) and its signer identifiers.
bool SignedDataKey(const Tlv& signed_data, std::string& key) {
  const unsigned char* end = signed_data.end;
  Tlv t;
  // version, digestAlgorithms, encapContentInfo
  const unsigned char* p = signed_data.contents;
  for (int i = 0; i < 3; ++i) {
    if (!ReadTlv(p, end, &t)) return false;
    p = t.end;
  }
  if (!ReadTlv(p, end, &t)) return false;
  if (Is(t, V_ASN1_CONTEXT_SPECIFIC, 0, true)) {  // certificates
    AppendRaw(key, t);
    if (!ReadTlv(t.end, end, &t)) return false;
  } else {
    key += "no certificates;";
  }
  if (Is(t, V_ASN1_CONTEXT_SPECIFIC, 1, true) && !ReadTlv(t.end, end, &t)) return false;  // crls
  if (!Is(t, V_ASN1_UNIVERSAL, V_ASN1_SET, true) || t.end != end) return false;  // signerInfos
  for (const unsigned char* s = t.contents; s < t.end;) {
    Tlv info, version, sid;
    if (!ReadTlv(s, t.end, &info) || !Is(info, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, true) ||
        !ReadTlv(info.contents, info.end, &version) || !ReadTlv(version.end, info.end, &sid)) {
      return false;
    }
    AppendRaw(key, sid);
    s = info.end;
  }
  return true;
}

}  // namespace

std::string TokenSignerKey(std::string_view der_response) {
  const auto* p = reinterpret_cast<const unsigned char*>(der_response.data());
  const unsigned char* end = p + der_response.size();
  Tlv resp, status, token, type, explicit0, signed_data;
  if (!ReadTlv(p, end, &resp) || !Is(resp, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, true) ||
      !ReadTlv(resp.contents, resp.end, &status) ||
      !ReadTlv(status.end, resp.end, &token) || !Is(token, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, true) ||
      !ReadTlv(token.contents, token.end, &type) || !Is(type, V_ASN1_UNIVERSAL, V_ASN1_OBJECT, false) ||
      !ReadTlv(type.end, token.end, &explicit0) ||
      !Is(explicit0, V_ASN1_CONTEXT_SPECIFIC, 0, true) ||
      !ReadTlv(explicit0.contents, explicit0.end, &signed_data) ||
      !Is(signed_data, V_ASN1_UNIVERSAL, V_ASN1_SEQUENCE, true)) {
    return "";
  }
  std::string key;
  AppendRaw(key, type);
  if (!SignedDataKey(signed_data, key)) return "";
  return key;
}

base::Result<CertificateValidity> TokenSignerCache::Get(std::string_view der_response) {
  const std::string key = TokenSignerKey(der_response);
  if (!key.empty()) {
    std::lock_guard<std::mutex> l(mu_);
    if (const auto it = known_.find(key); it != known_.end()) return it->second;
  }
  base::Result<CertificateValidity> v = TokenSignerValidity(der_response);
  if (v.ok() && !key.empty()) {
    std::lock_guard<std::mutex> l(mu_);
    known_.emplace(key, *v);
  }
  return v;
}

}  // namespace signing
