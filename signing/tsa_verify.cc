#include "signing/tsa_verify.h"

#include <cstdio>
#include <cstring>
#include <ctime>
#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/tserr.h>
#include <openssl/x509v3.h>

#include "base/hex.h"
#include "signing/internal/openssl_util.h"
#include "signing/internal/ts_util.h"

namespace signing {

using internal::OsslPtr;

namespace {

constexpr std::string_view kStatusNames[] = {
    "granted", "grantedWithMods",   "rejection",
    "waiting", "revocationWarning", "revocationNotification"};

struct FailureBit {
  int bit;
  const char* name;
};
constexpr FailureBit kFailureBits[] = {
    {TS_INFO_BAD_ALG, "badAlg"},
    {TS_INFO_BAD_REQUEST, "badRequest"},
    {TS_INFO_BAD_DATA_FORMAT, "badDataFormat"},
    {TS_INFO_TIME_NOT_AVAILABLE, "timeNotAvailable"},
    {TS_INFO_UNACCEPTED_POLICY, "unacceptedPolicy"},
    {TS_INFO_UNACCEPTED_EXTENSION, "unacceptedExtension"},
    {TS_INFO_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable"},
    {TS_INFO_SYSTEM_FAILURE, "systemFailure"},
};

std::string DescribeStatus(const TS_STATUS_INFO* info,
                           long status) {  // NOLINT(runtime/int)
  std::string out = status >= 0 && status < 6
                        ? std::string(kStatusNames[status])
                        : "status " + std::to_string(status);
  if (const ASN1_BIT_STRING* fail = ::TS_STATUS_INFO_get0_failure_info(info)) {
    for (const FailureBit& f : kFailureBits) {
      if (::ASN1_BIT_STRING_get_bit(fail, f.bit))
        out += std::string(" (") + f.name + ")";
    }
  }
  if (const STACK_OF(ASN1_UTF8STRING)* text =
          ::TS_STATUS_INFO_get0_text(info)) {
    for (int i = 0; i < sk_ASN1_UTF8STRING_num(text); ++i) {
      const ASN1_UTF8STRING* s = sk_ASN1_UTF8STRING_value(text, i);
      out += ": ";
      out.append(reinterpret_cast<const char*>(::ASN1_STRING_get0_data(s)),
                 static_cast<size_t>(::ASN1_STRING_length(s)));
    }
  }
  return out;
}

base::Status CheckImprint(const TS_TST_INFO* tst, const Digest& expected) {
  TS_MSG_IMPRINT* mi =
      ::TS_TST_INFO_get_msg_imprint(const_cast<TS_TST_INFO*>(tst));
  const ASN1_OBJECT* alg = nullptr;
  ::X509_ALGOR_get0(&alg, nullptr, nullptr, ::TS_MSG_IMPRINT_get_algo(mi));
  if (::OBJ_obj2nid(alg) != NID_sha256) {
    return base::Status::Corruption(
        "tsa verify: imprint mismatch: the token hashes with " +
        internal::OidToText(alg) + ", not SHA-256");
  }
  const ASN1_OCTET_STRING* msg = ::TS_MSG_IMPRINT_get_msg(mi);
  const std::string_view got(
      reinterpret_cast<const char*>(::ASN1_STRING_get0_data(msg)),
      static_cast<size_t>(::ASN1_STRING_length(msg)));
  if (got != expected.AsStringView()) {
    return base::Status::Corruption(
        "tsa verify: imprint mismatch: the token is for " +
        base::HexEncode(got) + ", expected " + expected.Hex());
  }
  return base::Status::OK();
}

std::string HexU64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(v));  // NOLINT
  return buf;
}

base::Status CheckNonce(const TS_TST_INFO* tst,
                        std::optional<uint64_t> expected) {
  if (!expected) return base::Status::OK();
  const ASN1_INTEGER* nonce = ::TS_TST_INFO_get_nonce(tst);
  if (nonce == nullptr)
    return base::Status::Corruption("tsa verify: nonce missing");
  uint64_t got = 0;
  if (::ASN1_INTEGER_get_uint64(&got, nonce) != 1 || got != *expected) {
    ::ERR_clear_error();
    return base::Status::Corruption(
        "tsa verify: nonce mismatch: the token has " +
        internal::IntegerToHex(nonce) + ", the request had " +
        HexU64(*expected));
  }
  return base::Status::OK();
}

// RFC 3161 §2.3: the TSA certificate has exactly one extendedKeyUsage,
// id-kp-timeStamping, and it is critical.
base::Status CheckTimestampEku(X509* signer) {
  int critical = -1;
  OsslPtr<EXTENDED_KEY_USAGE> eku(static_cast<EXTENDED_KEY_USAGE*>(
      ::X509_get_ext_d2i(signer, NID_ext_key_usage, &critical, nullptr)));
  ::ERR_clear_error();
  if (!eku) {
    return base::Status::Corruption(critical == -1
                                        ? "tsa verify: signer certificate has "
                                          "no extendedKeyUsage (needs critical "
                                          "timeStamping)"
                                        : "tsa verify: signer certificate has "
                                          "a malformed extendedKeyUsage");
  }
  if (sk_ASN1_OBJECT_num(eku.get()) != 1 ||
      ::OBJ_obj2nid(sk_ASN1_OBJECT_value(eku.get(), 0)) != NID_time_stamp) {
    return base::Status::Corruption(
        "tsa verify: signer certificate's extendedKeyUsage is not exactly "
        "timeStamping");
  }
  if (critical != 1) {
    return base::Status::Corruption(
        "tsa verify: signer certificate's timeStamping extendedKeyUsage is not "
        "critical");
  }
  return base::Status::OK();
}

// Turns the error queue of a failed TS_RESP_verify_response into a Status:
// a chain failure is "untrusted chain", anything else "signature invalid".
base::Status VerificationFailure() {
  bool chain = false;
  std::string detail;
  const char* data = nullptr;
  int flags = 0;
  for (unsigned long e = ::ERR_get_error_all(nullptr, nullptr, nullptr, &data,
                                             &flags);  // NOLINT
       e != 0;
       e = ::ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    if (ERR_GET_LIB(e) == ERR_LIB_TS &&
        ERR_GET_REASON(e) == TS_R_CERTIFICATE_VERIFY_ERROR) {
      chain = true;
    }
    if (!detail.empty()) detail += "; ";
    const char* reason = ::ERR_reason_error_string(e);
    detail += reason ? reason : "error " + std::to_string(e);
    if (data != nullptr && (flags & ERR_TXT_STRING) && *data != '\0') {
      detail += " (";
      detail += data;
      detail += ")";
    }
  }
  if (detail.empty()) detail = "unknown reason";
  return base::Status::Corruption(
      std::string("tsa verify: ") +
      (chain ? "untrusted chain: " : "signature invalid: ") + detail);
}

base::Result<OsslPtr<X509_STORE>> TrustStore(
    const std::vector<OsslPtr<X509>>& certs, time_t at) {
  ::ERR_clear_error();
  OsslPtr<X509_STORE> store(::X509_STORE_new());
  if (!store) return internal::InternalError("tsa verify: trust store");
  for (const OsslPtr<X509>& cert : certs) {
    if (::X509_STORE_add_cert(store.get(), cert.get()) != 1) {
      return internal::InternalError("tsa verify: trust store");
    }
  }
  ::X509_VERIFY_PARAM_set_time(::X509_STORE_get0_param(store.get()), at);
  return store;
}

// Serial, policy, nonce and accuracy of a TSTInfo into *info.
void ReadTstFields(TS_TST_INFO* tst, TimestampInfo* info) {
  info->serial_hex = internal::IntegerToHex(::TS_TST_INFO_get_serial(tst));
  info->policy_oid = internal::OidToText(::TS_TST_INFO_get_policy_id(tst));
  if (const ASN1_INTEGER* nonce = ::TS_TST_INFO_get_nonce(tst)) {
    uint64_t n = 0;
    if (::ASN1_INTEGER_get_uint64(&n, nonce) == 1) info->nonce = n;
    ::ERR_clear_error();
  }
  if (const TS_ACCURACY* acc = ::TS_TST_INFO_get_accuracy(tst)) {
    const auto get = [](const ASN1_INTEGER* v) -> int64_t {
      return v == nullptr ? 0 : ::ASN1_INTEGER_get(v);
    };
    info->accuracy =
        std::chrono::seconds(get(::TS_ACCURACY_get_seconds(acc))) +
        std::chrono::milliseconds(get(::TS_ACCURACY_get_millis(acc))) +
        std::chrono::microseconds(get(::TS_ACCURACY_get_micros(acc)));
  }
}

}  // namespace

base::Result<TimestampInfo> InspectTimestampResponse(std::string_view der_response) {
  ::ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(der_response.data());
  const auto* end = p + der_response.size();
  OsslPtr<TS_RESP> resp(::d2i_TS_RESP(
      nullptr, &p, static_cast<long>(der_response.size())));  // NOLINT
  if (!resp || p != end) {
    ::ERR_clear_error();
    return base::Status::Corruption("tsa inspect: not a DER TimeStampResp");
  }
  TS_STATUS_INFO* status_info = ::TS_RESP_get_status_info(resp.get());
  const long status =
      ::ASN1_INTEGER_get(::TS_STATUS_INFO_get0_status(status_info));  // NOLINT
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
    return base::Status::FailedPrecondition("tsa inspect: status not granted: " +
                                            DescribeStatus(status_info, status));
  }
  TS_TST_INFO* tst = ::TS_RESP_get_tst_info(resp.get());
  if (tst == nullptr) return base::Status::Corruption("tsa inspect: no TSTInfo");
  TimestampInfo info;
  ASSIGN_OR_RETURN(info.gen_time, internal::GeneralizedTimeToTime(::TS_TST_INFO_get_time(tst)));
  const ASN1_OCTET_STRING* imprint =
      ::TS_MSG_IMPRINT_get_msg(::TS_TST_INFO_get_msg_imprint(tst));
  auto digest = Digest::FromBytes(std::string_view(
      reinterpret_cast<const char*>(::ASN1_STRING_get0_data(imprint)),
      static_cast<size_t>(::ASN1_STRING_length(imprint))));
  if (digest.ok()) info.imprint = *digest;
  ReadTstFields(tst, &info);
  return info;
}

namespace {

base::Result<TimestampInfo> VerifyWithCertificates(
    std::string_view der_response, const Digest& data_digest,
    const std::vector<OsslPtr<X509>>& trusted_certs,
    const TimestampVerifyOptions& options) {
  const std::vector<OsslPtr<X509>>* trusted = &trusted_certs;
  ::ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(der_response.data());
  const auto* end = p + der_response.size();
  OsslPtr<TS_RESP> resp(::d2i_TS_RESP(
      nullptr, &p, static_cast<long>(der_response.size())));  // NOLINT
  if (!resp || p != end) {
    ::ERR_clear_error();
    return base::Status::Corruption("tsa verify: not a DER TimeStampResp");
  }

  TS_STATUS_INFO* status_info = ::TS_RESP_get_status_info(resp.get());
  const long status =
      ::ASN1_INTEGER_get(::TS_STATUS_INFO_get0_status(status_info));  // NOLINT
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
    return base::Status::FailedPrecondition(
        "tsa verify: status not granted: " +
        DescribeStatus(status_info, status));
  }
  PKCS7* token = ::TS_RESP_get_token(resp.get());
  TS_TST_INFO* tst = ::TS_RESP_get_tst_info(resp.get());
  if (token == nullptr || tst == nullptr || !PKCS7_type_is_signed(token)) {
    return base::Status::Corruption(
        "tsa verify: granted response without a signed token");
  }

  RETURN_IF_ERROR(CheckImprint(tst, data_digest));
  RETURN_IF_ERROR(CheckNonce(tst, options.expected_nonce));

  // The one signer, found in the token or among the trusted certificates.
  if (sk_PKCS7_SIGNER_INFO_num(::PKCS7_get_signer_info(token)) != 1) {
    return base::Status::Corruption(
        "tsa verify: signature invalid: not exactly one signer");
  }
  OsslPtr<STACK_OF(X509)> trusted_stack = internal::CertificateStack(*trusted);
  STACK_OF(X509)* signers = ::PKCS7_get0_signers(token, trusted_stack.get(), 0);
  X509* signer = signers != nullptr && sk_X509_num(signers) == 1
                     ? sk_X509_value(signers, 0)
                     : nullptr;
  if (signer != nullptr) ::X509_up_ref(signer);
  OsslPtr<X509> signer_owner(signer);
  sk_X509_free(signers);
  ::ERR_clear_error();
  if (signer == nullptr) {
    return base::Status::Corruption(
        "tsa verify: untrusted chain: the signer certificate is neither in "
        "the token nor among the trusted certificates");
  }
  RETURN_IF_ERROR(CheckTimestampEku(signer));

  TimestampInfo info;
  ASSIGN_OR_RETURN(info.gen_time, internal::GeneralizedTimeToTime(
                                      ::TS_TST_INFO_get_time(tst)));
  const base::Time at = options.validation_time.value_or(info.gen_time);
  ASSIGN_OR_RETURN(
      OsslPtr<X509_STORE> store,
      TrustStore(*trusted, static_cast<time_t>(
                               std::chrono::floor<std::chrono::seconds>(at)
                                   .time_since_epoch()
                                   .count())));

  // OpenSSL's own checks: version, imprint, nonce, TSA name against the
  // signer, the signature over the signed attributes, the ESS
  // signing-certificate(-v2) attribute and the chain with the timestamping
  // purpose.
  ASSIGN_OR_RETURN(
      OsslPtr<TS_REQ> req,
      internal::BuildTsRequest(data_digest, options.expected_nonce));
  ::ERR_clear_error();
  OsslPtr<TS_VERIFY_CTX> ctx(::TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
  if (!ctx) return internal::InternalError("tsa verify: verification context");
  ::TS_VERIFY_CTX_add_flags(ctx.get(), TS_VFY_SIGNATURE | TS_VFY_SIGNER);
  ::TS_VERIFY_CTX_set_store(ctx.get(), store.release());  // ctx owns it now
  // (OpenSSL builds the chain with the certificates the token carries as
  // untrusted intermediates.)
  if (::TS_RESP_verify_response(ctx.get(), resp.get()) != 1) {
    return VerificationFailure();
  }

  ReadTstFields(tst, &info);
  info.imprint = data_digest;
  OsslPtr<BIO> bio(::BIO_new(::BIO_s_mem()));
  ::X509_NAME_print_ex(bio.get(), ::X509_get_subject_name(signer), 0,
                       XN_FLAG_RFC2253);
  info.tsa_subject = internal::BioContents(bio.get());
  return info;
}

}  // namespace

base::Result<TimestampInfo> VerifyTimestampResponse(
    std::string_view der_response, const Digest& data_digest,
    std::string_view trusted_pem, const TimestampVerifyOptions& options) {
  ASSIGN_OR_RETURN(const TimestampVerifier verifier, TimestampVerifier::Create(trusted_pem));
  return verifier.Verify(der_response, data_digest, options);
}

struct TimestampVerifier::Impl {
  std::vector<OsslPtr<X509>> trusted;
};

TimestampVerifier::TimestampVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TimestampVerifier::TimestampVerifier(TimestampVerifier&&) noexcept = default;
TimestampVerifier& TimestampVerifier::operator=(TimestampVerifier&&) noexcept = default;
TimestampVerifier::~TimestampVerifier() = default;

base::Result<TimestampVerifier> TimestampVerifier::Create(std::string_view trusted_pem) {
  base::Result<std::vector<OsslPtr<X509>>> trusted = internal::CertificatesFromPem(trusted_pem);
  if (!trusted.ok()) return trusted.status().WithContext("tsa verify: trusted certificates");
  auto impl = std::make_unique<Impl>();
  impl->trusted = std::move(*trusted);
  return TimestampVerifier(std::move(impl));
}

base::Result<TimestampInfo> TimestampVerifier::Verify(std::string_view der_response,
                                                      const Digest& data_digest,
                                                      const TimestampVerifyOptions& options) const {
  return VerifyWithCertificates(der_response, data_digest, impl_->trusted, options);
}

}  // namespace signing
