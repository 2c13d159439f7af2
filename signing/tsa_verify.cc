#include "signing/tsa_verify.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/tserr.h>
#include <openssl/x509v3.h>

#include "base/hex.h"
#include "base/text.h"
#include "signing/internal/openssl_util.h"
#include "signing/internal/ts_util.h"

namespace signing {

using internal::OsslPtr;

namespace {

// RFC 3161 PKIStatus values and PKIFailureInfo bits: Japanese for people,
// with the RFC's identifier so that the TSA's operator recognises it.
constexpr std::string_view kStatusNames[] = {
    "許可 (granted)",     "変更付きで許可 (grantedWithMods)", "拒否 (rejection)",
    "処理待ち (waiting)", "失効予告 (revocationWarning)",     "失効 (revocationNotification)"};

struct FailureBit {
  int bit;
  const char* name;
};
constexpr FailureBit kFailureBits[] = {
    {TS_INFO_BAD_ALG, "対応していないハッシュ方式 (badAlg)"},
    {TS_INFO_BAD_REQUEST, "受け付けられない要求 (badRequest)"},
    {TS_INFO_BAD_DATA_FORMAT, "データ形式の誤り (badDataFormat)"},
    {TS_INFO_TIME_NOT_AVAILABLE, "時刻源を利用できない (timeNotAvailable)"},
    {TS_INFO_UNACCEPTED_POLICY, "要求したポリシーを受け付けない (unacceptedPolicy)"},
    {TS_INFO_UNACCEPTED_EXTENSION, "要求した拡張を受け付けない (unacceptedExtension)"},
    {TS_INFO_ADD_INFO_NOT_AVAILABLE, "追加情報を利用できない (addInfoNotAvailable)"},
    {TS_INFO_SYSTEM_FAILURE, "タイムスタンプ局のシステム障害 (systemFailure)"},
};

// "拒否 (rejection)、対応していないハッシュ方式 (badAlg)" and the TSA's own
// text (shown through base::PrintableText: it comes from the network).
std::string DescribeStatus(const TS_STATUS_INFO* info,
                           long status) {  // NOLINT(runtime/int)
  std::string out = status >= 0 && status < 6 ? std::string(kStatusNames[status])
                                              : "状態 " + std::to_string(status);
  if (const ASN1_BIT_STRING* fail = ::TS_STATUS_INFO_get0_failure_info(info)) {
    for (const FailureBit& f : kFailureBits) {
      if (::ASN1_BIT_STRING_get_bit(fail, f.bit)) out += std::string("、") + f.name;
    }
  }
  if (const STACK_OF(ASN1_UTF8STRING)* text = ::TS_STATUS_INFO_get0_text(info)) {
    for (int i = 0; i < sk_ASN1_UTF8STRING_num(text); ++i) {
      const ASN1_UTF8STRING* s = sk_ASN1_UTF8STRING_value(text, i);
      out += ": ";
      out += base::PrintableText(
          std::string_view(reinterpret_cast<const char*>(::ASN1_STRING_get0_data(s)),
                           static_cast<size_t>(::ASN1_STRING_length(s))),
          200);
    }
  }
  return out;
}

base::Status CheckImprint(const TS_TST_INFO* tst, const Digest& expected) {
  TS_MSG_IMPRINT* mi = ::TS_TST_INFO_get_msg_imprint(const_cast<TS_TST_INFO*>(tst));
  const ASN1_OBJECT* alg = nullptr;
  ::X509_ALGOR_get0(&alg, nullptr, nullptr, ::TS_MSG_IMPRINT_get_algo(mi));
  if (::OBJ_obj2nid(alg) != NID_sha256) {
    return base::Status::Corruption(
        "タイムスタンプトークンのハッシュ方式が SHA-256 ではありません（" +
        internal::OidToText(alg) + "）");
  }
  const ASN1_OCTET_STRING* msg = ::TS_MSG_IMPRINT_get_msg(mi);
  const std::string_view got(reinterpret_cast<const char*>(::ASN1_STRING_get0_data(msg)),
                             static_cast<size_t>(::ASN1_STRING_length(msg)));
  if (got != expected.AsStringView()) {
    return base::Status::Corruption(
        "タイムスタンプトークンのハッシュが対象のデータと一致しません（トークン " +
        base::HexEncode(got) + "、対象 " + expected.Hex() + "）");
  }
  return base::Status::OK();
}

std::string HexU64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(v));  // NOLINT
  return buf;
}

base::Status CheckNonce(const TS_TST_INFO* tst, std::optional<uint64_t> expected) {
  if (!expected) return base::Status::OK();
  const ASN1_INTEGER* nonce = ::TS_TST_INFO_get_nonce(tst);
  if (nonce == nullptr) {
    return base::Status::Corruption("タイムスタンプトークンにナンス（nonce）がありません");
  }
  uint64_t got = 0;
  if (::ASN1_INTEGER_get_uint64(&got, nonce) != 1 || got != *expected) {
    ::ERR_clear_error();
    return base::Status::Corruption(
        "タイムスタンプトークンのナンス（nonce）が要求と一致しません（トークン " +
        internal::IntegerToHex(nonce) + "、要求 " + HexU64(*expected) +
        "。古い応答が再送された可能性があります）");
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
    return base::Status::Corruption(critical == -1 ? "タイムスタンプの署名者の証明書に拡張鍵用途 "
                                                     "(extendedKeyUsage) がありません（critical の "
                                                     "timeStamping が必要です）"
                                                   : "タイムスタンプの署名者の証明書の拡張鍵用途 "
                                                     "(extendedKeyUsage) が壊れています");
  }
  if (sk_ASN1_OBJECT_num(eku.get()) != 1 ||
      ::OBJ_obj2nid(sk_ASN1_OBJECT_value(eku.get(), 0)) != NID_time_stamp) {
    return base::Status::Corruption(
        "タイムスタンプの署名者の証明書の拡張鍵用途 (extendedKeyUsage) が timeStamping "
        "だけではありません");
  }
  if (critical != 1) {
    return base::Status::Corruption(
        "タイムスタンプの署名者の証明書の拡張鍵用途 timeStamping が critical ではありません");
  }
  return base::Status::OK();
}

// Turns the error queue of a failed TS_RESP_verify_response into a Status:
// a chain failure is "証明書チェーンを信頼できません", anything else
// "署名が正しくありません", with OpenSSL's own words in parentheses.
base::Status VerificationFailure() {
  bool chain = false;
  std::string detail;
  const char* data = nullptr;
  int flags = 0;
  for (unsigned long e = ::ERR_get_error_all(nullptr, nullptr, nullptr, &data,
                                             &flags);  // NOLINT
       e != 0; e = ::ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    if (ERR_GET_LIB(e) == ERR_LIB_TS && ERR_GET_REASON(e) == TS_R_CERTIFICATE_VERIFY_ERROR) {
      chain = true;
    }
    if (!detail.empty()) detail += "; ";
    const char* reason = ::ERR_reason_error_string(e);
    detail += reason ? reason : "OpenSSL エラー " + std::to_string(e);
    if (data != nullptr && (flags & ERR_TXT_STRING) && *data != '\0') {
      detail += " (";
      detail += data;
      detail += ")";
    }
  }
  if (detail.empty()) detail = "理由不明";
  return base::Status::Corruption(
      std::string(chain ? "タイムスタンプの証明書チェーンを信頼できません（"
                        : "タイムスタンプの署名が正しくありません（") +
      base::PrintableText(detail, 500) + "）");
}

base::Result<OsslPtr<X509_STORE>> TrustStore(const std::vector<OsslPtr<X509>>& certs, time_t at) {
  ::ERR_clear_error();
  OsslPtr<X509_STORE> store(::X509_STORE_new());
  if (!store) return internal::InternalError("タイムスタンプ検証用の信頼ストアを作れません");
  for (const OsslPtr<X509>& cert : certs) {
    if (::X509_STORE_add_cert(store.get(), cert.get()) != 1) {
      return internal::InternalError("タイムスタンプ検証用の信頼ストアを作れません");
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
    info->accuracy = std::chrono::seconds(get(::TS_ACCURACY_get_seconds(acc))) +
                     std::chrono::milliseconds(get(::TS_ACCURACY_get_millis(acc))) +
                     std::chrono::microseconds(get(::TS_ACCURACY_get_micros(acc)));
  }
}

}  // namespace

base::Result<TimestampInfo> InspectTimestampResponse(std::string_view der_response) {
  ::ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(der_response.data());
  const auto* end = p + der_response.size();
  OsslPtr<TS_RESP> resp(
      ::d2i_TS_RESP(nullptr, &p, static_cast<long>(der_response.size())));  // NOLINT
  if (!resp || p != end) {
    ::ERR_clear_error();
    return base::Status::Corruption(
        "タイムスタンプ応答として読めません（DER 形式の TimeStampResp ではありません）");
  }
  TS_STATUS_INFO* status_info = ::TS_RESP_get_status_info(resp.get());
  const long status = ::ASN1_INTEGER_get(::TS_STATUS_INFO_get0_status(status_info));  // NOLINT
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
    return base::Status::FailedPrecondition("タイムスタンプ局が要求を受け付けませんでした: " +
                                            DescribeStatus(status_info, status));
  }
  TS_TST_INFO* tst = ::TS_RESP_get_tst_info(resp.get());
  if (tst == nullptr) {
    return base::Status::Corruption("タイムスタンプ応答にトークンの内容 (TSTInfo) がありません");
  }
  TimestampInfo info;
  ASSIGN_OR_RETURN(info.gen_time, internal::GeneralizedTimeToTime(::TS_TST_INFO_get_time(tst)));
  const ASN1_OCTET_STRING* imprint = ::TS_MSG_IMPRINT_get_msg(::TS_TST_INFO_get_msg_imprint(tst));
  auto digest = Digest::FromBytes(
      std::string_view(reinterpret_cast<const char*>(::ASN1_STRING_get0_data(imprint)),
                       static_cast<size_t>(::ASN1_STRING_length(imprint))));
  if (digest.ok()) info.imprint = *digest;
  ReadTstFields(tst, &info);
  return info;
}

namespace {

// The response decoded, with a granted status and a signed token.
base::Result<OsslPtr<TS_RESP>> DecodeGranted(std::string_view der_response) {
  ::ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(der_response.data());
  const auto* end = p + der_response.size();
  OsslPtr<TS_RESP> resp(
      ::d2i_TS_RESP(nullptr, &p, static_cast<long>(der_response.size())));  // NOLINT
  if (!resp || p != end) {
    ::ERR_clear_error();
    return base::Status::Corruption(
        "タイムスタンプ応答として読めません（DER 形式の TimeStampResp ではありません）");
  }
  TS_STATUS_INFO* status_info = ::TS_RESP_get_status_info(resp.get());
  const long status = ::ASN1_INTEGER_get(::TS_STATUS_INFO_get0_status(status_info));  // NOLINT
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
    return base::Status::FailedPrecondition("タイムスタンプ局が要求を受け付けませんでした: " +
                                            DescribeStatus(status_info, status));
  }
  PKCS7* token = ::TS_RESP_get_token(resp.get());
  if (token == nullptr || ::TS_RESP_get_tst_info(resp.get()) == nullptr ||
      !PKCS7_type_is_signed(token)) {
    return base::Status::Corruption("タイムスタンプ応答に署名付きのトークンがありません");
  }
  return resp;
}

// The one signer, found in the token or among the trusted certificates,
// with the timestamping EKU RFC 3161 requires.
base::Result<OsslPtr<X509>> FindSigner(PKCS7* token, const std::vector<OsslPtr<X509>>& trusted) {
  if (sk_PKCS7_SIGNER_INFO_num(::PKCS7_get_signer_info(token)) != 1) {
    return base::Status::Corruption(
        "タイムスタンプの署名が正しくありません（署名者がちょうど 1 人ではありません）");
  }
  OsslPtr<STACK_OF(X509)> trusted_stack = internal::CertificateStack(trusted);
  STACK_OF(X509)* signers = ::PKCS7_get0_signers(token, trusted_stack.get(), 0);
  X509* signer =
      signers != nullptr && sk_X509_num(signers) == 1 ? sk_X509_value(signers, 0) : nullptr;
  if (signer != nullptr) ::X509_up_ref(signer);
  OsslPtr<X509> signer_owner(signer);
  sk_X509_free(signers);
  ::ERR_clear_error();
  if (signer == nullptr) {
    return base::Status::Corruption(
        "タイムスタンプの証明書チェーンを信頼できません（署名者の証明書がトークンにも、"
        "信頼する証明書の中にもありません）");
  }
  RETURN_IF_ERROR(CheckTimestampEku(signer));
  return signer_owner;
}

// OpenSSL's own checks: version, imprint, nonce, TSA name against the
// signer, the signature over the signed attributes, the ESS
// signing-certificate(-v2) attribute and the chain with the timestamping
// purpose, against a trust store valid at `at`.
base::Status OpensslChecks(TS_RESP* resp, const Digest& data_digest,
                           const std::vector<OsslPtr<X509>>& trusted,
                           const TimestampVerifyOptions& options, base::Time at) {
  ASSIGN_OR_RETURN(
      OsslPtr<X509_STORE> store,
      TrustStore(trusted,
                 static_cast<time_t>(
                     std::chrono::floor<std::chrono::seconds>(at).time_since_epoch().count())));
  ASSIGN_OR_RETURN(OsslPtr<TS_REQ> req,
                   internal::BuildTsRequest(data_digest, options.expected_nonce));
  ::ERR_clear_error();
  OsslPtr<TS_VERIFY_CTX> ctx(::TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
  if (!ctx) return internal::InternalError("タイムスタンプの検証を準備できません");
  ::TS_VERIFY_CTX_add_flags(ctx.get(), TS_VFY_SIGNATURE | TS_VFY_SIGNER);
  ::TS_VERIFY_CTX_set_store(ctx.get(), store.release());  // ctx owns it now
  // (OpenSSL builds the chain with the certificates the token carries as
  // untrusted intermediates.)
  if (::TS_RESP_verify_response(ctx.get(), resp) != 1) return VerificationFailure();
  return base::Status::OK();
}

base::Result<TimestampInfo> VerifyWithCertificates(std::string_view der_response,
                                                   const Digest& data_digest,
                                                   const std::vector<OsslPtr<X509>>& trusted_certs,
                                                   const TimestampVerifyOptions& options) {
  ASSIGN_OR_RETURN(OsslPtr<TS_RESP> resp, DecodeGranted(der_response));
  TS_TST_INFO* tst = ::TS_RESP_get_tst_info(resp.get());
  RETURN_IF_ERROR(CheckImprint(tst, data_digest));
  RETURN_IF_ERROR(CheckNonce(tst, options.expected_nonce));
  ASSIGN_OR_RETURN(OsslPtr<X509> signer,
                   FindSigner(::TS_RESP_get_token(resp.get()), trusted_certs));
  TimestampInfo info;
  ASSIGN_OR_RETURN(info.gen_time, internal::GeneralizedTimeToTime(::TS_TST_INFO_get_time(tst)));
  RETURN_IF_ERROR(OpensslChecks(resp.get(), data_digest, trusted_certs, options,
                                options.validation_time.value_or(info.gen_time)));
  ReadTstFields(tst, &info);
  info.imprint = data_digest;
  OsslPtr<BIO> bio(::BIO_new(::BIO_s_mem()));
  ::X509_NAME_print_ex(bio.get(), ::X509_get_subject_name(signer.get()), 0, XN_FLAG_RFC2253);
  info.tsa_subject = internal::BioContents(bio.get());
  return info;
}

}  // namespace

// ---------------------------------------------------------------------------
// The fast path for many tokens from the same TSA certificate.
//
// Checking a token in full costs, on OpenSSL 3.0, far more than its one
// ECDSA signature: d2i_TS_RESP decodes the TSA certificate every token
// embeds (OpenSSL 3.0 decodes its public key through the provider decoders,
// ~0.3 ms), and the chain verification checks the CA's signature over that
// certificate again. TimestampVerifier therefore remembers, per distinct
// embedded certificate (by its DER bytes), what does not depend on the
// token: the decoded certificate, the chain X509_verify_cert built for it
// (purpose timestampSigning, against the same trusted store) and the
// certificate kura's own signer lookup finds, with its EKU checked. For a
// token carrying exactly that certificate, it decodes the response with the
// certificate field cut out and checks everything that does depend on the
// token, exactly as the full path does: status, imprint, nonce, version,
// one signer named by issuer and serial, ESS signing-certificate(-v2)
// against the chain, the signature, the TSA name against the signer.
//
// Time: the chain was verified at one instant and is reused only for a
// validation time at which every trusted certificate and the token's
// certificate are valid (notBefore <= t < notAfter, as X509_cmp_time has
// it; certificates whose times X509_cmp_time would not read never qualify).
// At such instants no validity check in X509_verify_cert fails and its
// choice among candidate issuers (it prefers ones valid at the time) does
// not change; nothing else in it depends on the time (no CRLs are used), so
// it gives the same verdict and chain at any of them.
//
// The fast path only ever accepts: whatever it cannot confirm (another
// certificate, more than one, CRLs, unusual encodings, a time outside that
// period, any failed check) goes through the full path, which decides and
// words the error. It is therefore exactly as strict as the full path.
// ---------------------------------------------------------------------------
namespace {

// One DER TLV: tag (single byte, low tag number), header and content.
struct Tlv {
  unsigned char tag = 0;
  size_t header = 0;  // bytes of tag and length
  std::string_view content;
  std::string_view all;
};

// Reads the TLV at the start of in: definite, minimally encoded lengths
// only (DER); anything else is nullopt, which sends the caller to the full
// path.
std::optional<Tlv> ReadTlv(std::string_view in) {
  if (in.size() < 2) return std::nullopt;
  const auto* b = reinterpret_cast<const unsigned char*>(in.data());
  Tlv t;
  t.tag = b[0];
  if ((t.tag & 0x1f) == 0x1f) return std::nullopt;  // high tag number
  size_t len = 0;
  size_t pos = 2;
  if (b[1] < 0x80) {
    len = b[1];
  } else {
    const size_t n = b[1] & 0x7f;
    if (n == 0 || n > 4 || in.size() < 2 + n || b[2] == 0) return std::nullopt;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | b[2 + i];
    if (len < 0x80 || (n > 1 && len < (size_t{1} << (8 * (n - 1))))) return std::nullopt;
    pos += n;
  }
  if (in.size() - pos < len) return std::nullopt;
  t.header = pos;
  t.content = in.substr(pos, len);
  t.all = in.substr(0, pos + len);
  return t;
}

void AppendTlv(unsigned char tag, std::string_view content, std::string* out) {
  out->push_back(static_cast<char>(tag));
  const size_t n = content.size();
  if (n < 0x80) {
    out->push_back(static_cast<char>(n));
  } else {
    int bytes = 0;
    for (size_t v = n; v != 0; v >>= 8) ++bytes;
    out->push_back(static_cast<char>(0x80 | bytes));
    for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  }
  out->append(content);
}

// A TimeStampResp whose SignedData carries exactly one certificate and no
// CRLs, split into that certificate and the same response without it.
struct SplitResponse {
  std::string_view cert;  // the certificate's DER, inside the input
  std::string stripped;   // the response with the certificates field removed
};

//   TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken ContentInfo }
//   ContentInfo   ::= SEQUENCE { contentType OID, content [0] EXPLICIT SignedData }
//   SignedData    ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo,
//                                certificates [0] IMPLICIT SET OF Certificate,
//                                signerInfos SET }
std::optional<SplitResponse> SplitCertificate(std::string_view der) {
  auto resp = ReadTlv(der);
  if (!resp || resp->tag != 0x30 || resp->all.size() != der.size()) return std::nullopt;
  auto status = ReadTlv(resp->content);
  if (!status || status->tag != 0x30) return std::nullopt;
  auto ci = ReadTlv(resp->content.substr(status->all.size()));
  if (!ci || ci->tag != 0x30 || status->all.size() + ci->all.size() != resp->content.size()) {
    return std::nullopt;
  }
  auto oid = ReadTlv(ci->content);
  if (!oid || oid->tag != 0x06) return std::nullopt;
  auto explicit0 = ReadTlv(ci->content.substr(oid->all.size()));
  if (!explicit0 || explicit0->tag != 0xa0 ||
      oid->all.size() + explicit0->all.size() != ci->content.size()) {
    return std::nullopt;
  }
  auto sd = ReadTlv(explicit0->content);
  if (!sd || sd->tag != 0x30 || sd->all.size() != explicit0->content.size()) return std::nullopt;
  // version, digestAlgorithms, encapContentInfo, certificates, signerInfos
  std::string_view rest = sd->content;
  std::string_view before_certs = rest;
  size_t before_len = 0;
  const unsigned char expected[] = {0x02, 0x31, 0x30};
  for (unsigned char tag : expected) {
    auto f = ReadTlv(rest);
    if (!f || f->tag != tag) return std::nullopt;
    before_len += f->all.size();
    rest.remove_prefix(f->all.size());
  }
  auto certs = ReadTlv(rest);
  if (!certs || certs->tag != 0xa0) return std::nullopt;
  rest.remove_prefix(certs->all.size());
  auto cert = ReadTlv(certs->content);
  if (!cert || cert->tag != 0x30 || cert->all.size() != certs->content.size()) return std::nullopt;
  auto signer_infos = ReadTlv(rest);
  if (!signer_infos || signer_infos->tag != 0x31 || signer_infos->all.size() != rest.size()) {
    return std::nullopt;
  }

  std::string sd_body(before_certs.substr(0, before_len));
  sd_body.append(signer_infos->all);
  std::string sd_der, explicit_der, ci_body, ci_der, resp_body;
  AppendTlv(0x30, sd_body, &sd_der);
  AppendTlv(0xa0, sd_der, &explicit_der);
  ci_body.append(oid->all);
  ci_body.append(explicit_der);
  AppendTlv(0x30, ci_body, &ci_der);
  resp_body.append(status->all);
  resp_body.append(ci_der);
  SplitResponse out;
  out.cert = cert->all;
  AppendTlv(0x30, resp_body, &out.stripped);
  return out;
}

// X509_cmp_time compares only times in this strict form (anything else is
// an error there); ASN1_TIME_to_tm reads them exactly.
bool StrictTime(const ASN1_TIME* t) {
  const int type = ::ASN1_STRING_type(t);
  const int len = ::ASN1_STRING_length(t);
  const unsigned char* d = ::ASN1_STRING_get0_data(t);
  if (!((type == V_ASN1_UTCTIME && len == 13) || (type == V_ASN1_GENERALIZEDTIME && len == 15))) {
    return false;
  }
  for (int i = 0; i < len - 1; ++i) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  return d[len - 1] == 'Z';
}

// [notBefore, notAfter] of a certificate as time_t; nullopt if unreadable.
std::optional<std::pair<time_t, time_t>> Validity(const X509* cert) {
  if (!StrictTime(::X509_get0_notBefore(cert)) || !StrictTime(::X509_get0_notAfter(cert))) {
    return std::nullopt;
  }
  struct tm nb {
  }, na{};
  if (::ASN1_TIME_to_tm(::X509_get0_notBefore(cert), &nb) != 1 ||
      ::ASN1_TIME_to_tm(::X509_get0_notAfter(cert), &na) != 1) {
    ::ERR_clear_error();
    return std::nullopt;
  }
  return std::make_pair(::timegm(&nb), ::timegm(&na));
}

// The instants at which every certificate of a set is valid, as
// X509_verify_cert sees it: X509_cmp_time(notBefore, t) < 0 (notBefore <= t)
// and X509_cmp_time(notAfter, t) > 0 (t < notAfter), at second precision.
struct Period {
  time_t from = 0;   // the latest notBefore
  time_t until = 0;  // the earliest notAfter (excluded)
  bool empty = true;
  bool Contains(time_t t) const { return !empty && from <= t && t < until; }
};

Period PeriodOf(const X509* cert) {
  auto v = Validity(cert);
  if (!v) return Period{};
  return Period{v->first, v->second, v->first >= v->second};
}

Period Intersect(Period p, const X509* cert) {
  const Period c = PeriodOf(cert);
  if (p.empty || c.empty) return Period{};
  p.from = std::max(p.from, c.from);
  p.until = std::min(p.until, c.until);
  p.empty = p.from >= p.until;
  return p;
}

struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* p) const { ::X509_STORE_CTX_free(p); }
};

// What one distinct embedded certificate gives, whatever the token.
struct SignerEntry {
  std::string der;
  OsslPtr<X509> cert;                  // OpenSSL's signer: the token's certificate
  OsslPtr<STACK_OF(X509)> cert_stack;  // {cert}, to look the signer up
  OsslPtr<STACK_OF(X509)> chain;       // as X509_verify_cert built it
  Period period;                       // trusted certificates ∩ cert
  std::string tsa_subject;             // of kura's signer (trusted first)
};

time_t ToTimeT(base::Time t) {
  return static_cast<time_t>(
      std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

// The TSA-name check of TS_RESP_verify_response (TS_VFY_SIGNER): the name,
// if the token states one, is the signer's subject or one of its
// subjectAltNames.
bool SignerNameMatches(GENERAL_NAME* tsa_name, X509* signer) {
  if (tsa_name->type == GEN_DIRNAME &&
      ::X509_NAME_cmp(tsa_name->d.dirn, ::X509_get_subject_name(signer)) == 0) {
    return true;
  }
  int idx = -1;
  bool found = false;
  for (;;) {
    auto* names = static_cast<GENERAL_NAMES*>(
        ::X509_get_ext_d2i(signer, NID_subject_alt_name, nullptr, &idx));
    if (names == nullptr) break;
    for (int i = 0; !found && i < sk_GENERAL_NAME_num(names); ++i) {
      found = ::GENERAL_NAME_cmp(sk_GENERAL_NAME_value(names, i), tsa_name) == 0;
    }
    ::GENERAL_NAMES_free(names);
    if (found) break;
  }
  ::ERR_clear_error();
  return found;
}

// The ESS check of TS_RESP_verify_signature: the signing-certificate(-v2)
// attribute names the signer (and, if it lists more, the whole chain).
bool EssMatches(const PKCS7_SIGNER_INFO* si, const STACK_OF(X509) * chain) {
  ESS_SIGNING_CERT* ss = nullptr;
  ESS_SIGNING_CERT_V2* ssv2 = nullptr;
  if (ASN1_TYPE* a = ::PKCS7_get_signed_attribute(si, NID_id_smime_aa_signingCertificate)) {
    if (a->type != V_ASN1_SEQUENCE) return false;
    const unsigned char* p = a->value.sequence->data;
    ss = ::d2i_ESS_SIGNING_CERT(nullptr, &p, a->value.sequence->length);
  }
  if (ASN1_TYPE* a = ::PKCS7_get_signed_attribute(si, NID_id_smime_aa_signingCertificateV2)) {
    if (a->type != V_ASN1_SEQUENCE) {
      ::ESS_SIGNING_CERT_free(ss);
      return false;
    }
    const unsigned char* p = a->value.sequence->data;
    ssv2 = ::d2i_ESS_SIGNING_CERT_V2(nullptr, &p, a->value.sequence->length);
  }
  const bool ok = ::OSSL_ESS_check_signing_certs(ss, ssv2, chain, 1) > 0;
  ::ESS_SIGNING_CERT_free(ss);
  ::ESS_SIGNING_CERT_V2_free(ssv2);
  ::ERR_clear_error();
  return ok;
}

// Accepts the token (returns its info) only if every check of the full path
// holds; nullopt means "not confirmed here", never "invalid".
std::optional<TimestampInfo> FastVerify(const SplitResponse& split, const SignerEntry& e,
                                        const Digest& data_digest,
                                        const TimestampVerifyOptions& options) {
  ::ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(split.stripped.data());
  const auto* end = p + split.stripped.size();
  OsslPtr<TS_RESP> resp(::d2i_TS_RESP(nullptr, &p,
                                      static_cast<long>(split.stripped.size())));  // NOLINT
  if (!resp || p != end) {
    ::ERR_clear_error();
    return std::nullopt;
  }
  TS_STATUS_INFO* status_info = ::TS_RESP_get_status_info(resp.get());
  const long status =  // NOLINT(runtime/int)
      ::ASN1_INTEGER_get(::TS_STATUS_INFO_get0_status(status_info));
  if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) return std::nullopt;
  PKCS7* token = ::TS_RESP_get_token(resp.get());
  TS_TST_INFO* tst = ::TS_RESP_get_tst_info(resp.get());
  if (token == nullptr || tst == nullptr || !PKCS7_type_is_signed(token)) return std::nullopt;
  if (!CheckImprint(tst, data_digest).ok() || !CheckNonce(tst, options.expected_nonce).ok()) {
    ::ERR_clear_error();
    return std::nullopt;
  }
  STACK_OF(PKCS7_SIGNER_INFO)* sinfos = ::PKCS7_get_signer_info(token);
  if (sinfos == nullptr || sk_PKCS7_SIGNER_INFO_num(sinfos) != 1) return std::nullopt;
  PKCS7_SIGNER_INFO* si = sk_PKCS7_SIGNER_INFO_value(sinfos, 0);
  if (PKCS7_get_detached(token)) return std::nullopt;

  // The signer, as OpenSSL looks it up among the token's certificates
  // ({cert}): the SignerInfo must name cert's issuer and serial. kura's own
  // lookup (trusted certificates first) then finds the entry's.
  STACK_OF(X509)* signers = ::PKCS7_get0_signers(token, e.cert_stack.get(), 0);
  const bool is_cert =
      signers != nullptr && sk_X509_num(signers) == 1 && sk_X509_value(signers, 0) == e.cert.get();
  sk_X509_free(signers);
  ::ERR_clear_error();
  if (!is_cert) return std::nullopt;

  TimestampInfo info;
  auto gen_time = internal::GeneralizedTimeToTime(::TS_TST_INFO_get_time(tst));
  if (!gen_time.ok()) return std::nullopt;
  info.gen_time = *gen_time;
  if (!e.period.Contains(ToTimeT(options.validation_time.value_or(info.gen_time)))) {
    return std::nullopt;
  }

  // What TS_RESP_verify_response checks besides the signature and the TSA
  // name, with the context TS_REQ_to_TS_VERIFY_CTX makes from our request
  // (status granted, TSTInfo present: above): TS_VFY_VERSION; TS_VFY_IMPRINT
  // (the algorithm is SHA-256 and the imprint ours: CheckImprint above; its
  // parameters absent or NULL); TS_VFY_NONCE (CheckNonce above).
  if (::TS_TST_INFO_get_version(tst) != 1) return std::nullopt;
  {
    const X509_ALGOR* alg = ::TS_MSG_IMPRINT_get_algo(::TS_TST_INFO_get_msg_imprint(tst));
    const void* param = nullptr;
    int param_type = V_ASN1_UNDEF;
    ::X509_ALGOR_get0(nullptr, &param_type, &param, alg);
    if (param_type != V_ASN1_UNDEF && param_type != V_ASN1_NULL) return std::nullopt;
  }
  // TS_RESP_verify_signature after the chain: ESS attribute, signature.
  if (!EssMatches(si, e.chain.get())) return std::nullopt;
  OsslPtr<BIO> p7bio(::PKCS7_dataInit(token, nullptr));
  if (!p7bio) return std::nullopt;
  char buf[4096];
  while (::BIO_read(p7bio.get(), buf, sizeof buf) > 0) continue;
  if (::PKCS7_signatureVerify(p7bio.get(), token, si, e.cert.get()) <= 0) {
    ::ERR_clear_error();
    return std::nullopt;
  }
  // TS_VFY_SIGNER.
  if (GENERAL_NAME* tsa_name = ::TS_TST_INFO_get_tsa(tst)) {
    if (!SignerNameMatches(tsa_name, e.cert.get())) return std::nullopt;
  }

  ReadTstFields(tst, &info);
  info.imprint = data_digest;
  info.tsa_subject = e.tsa_subject;
  return info;
}

}  // namespace

base::Result<TimestampInfo> VerifyTimestampResponse(std::string_view der_response,
                                                    const Digest& data_digest,
                                                    std::string_view trusted_pem,
                                                    const TimestampVerifyOptions& options) {
  ASSIGN_OR_RETURN(const TimestampVerifier verifier, TimestampVerifier::Create(trusted_pem));
  return verifier.Verify(der_response, data_digest, options);
}

struct TimestampVerifier::Impl {
  std::vector<OsslPtr<X509>> trusted;
  OsslPtr<STACK_OF(X509)> trusted_stack;
  Period trusted_period;  // in which every trusted certificate is valid

  std::atomic<uint64_t> fast{0}, full{0};
  std::mutex mu;
  // SHA-256 of an embedded certificate's DER → what it gives; only
  // certificates of tokens that passed the full check.
  std::map<std::string, std::shared_ptr<const SignerEntry>> signers;

  std::shared_ptr<const SignerEntry> Find(const std::string& key) {
    std::lock_guard<std::mutex> l(mu);
    auto it = signers.find(key);
    return it == signers.end() ? nullptr : it->second;
  }

  // After the full check accepted a token carrying only `cert_der` at
  // validation time `at`: verifies that certificate's chain once, the way
  // TS_RESP_verify_signature does, and remembers it.
  void Remember(const std::string& key, std::string_view cert_der, time_t at) {
    auto e = std::make_shared<SignerEntry>();
    e->der = std::string(cert_der);
    const auto* p = reinterpret_cast<const unsigned char*>(e->der.data());
    e->cert.reset(::d2i_X509(nullptr, &p, static_cast<long>(e->der.size())));  // NOLINT
    if (!e->cert || p != reinterpret_cast<const unsigned char*>(e->der.data()) + e->der.size()) {
      ::ERR_clear_error();
      return;
    }
    e->period = Intersect(trusted_period, e->cert.get());
    if (!e->period.Contains(at)) return;
    e->cert_stack.reset(sk_X509_new_null());
    if (!e->cert_stack || !sk_X509_push(e->cert_stack.get(), e->cert.get())) return;
    ::X509_up_ref(e->cert.get());

    auto store = TrustStore(trusted, at);
    if (!store.ok()) return;
    std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> sctx(::X509_STORE_CTX_new());
    if (!sctx ||
        ::X509_STORE_CTX_init(sctx.get(), store->get(), e->cert.get(), e->cert_stack.get()) != 1) {
      ::ERR_clear_error();
      return;
    }
    ::X509_STORE_CTX_set_purpose(sctx.get(), X509_PURPOSE_TIMESTAMP_SIGN);
    if (::X509_verify_cert(sctx.get()) != 1) {
      ::ERR_clear_error();
      return;
    }
    e->chain.reset(::X509_STORE_CTX_get1_chain(sctx.get()));
    if (!e->chain) return;

    // kura's signer lookup: the trusted certificates first, then the token's.
    X509* kura_signer = ::X509_find_by_issuer_and_serial(
        trusted_stack.get(), ::X509_get_issuer_name(e->cert.get()),
        const_cast<ASN1_INTEGER*>(::X509_get0_serialNumber(e->cert.get())));
    if (kura_signer == nullptr) kura_signer = e->cert.get();
    if (!CheckTimestampEku(kura_signer).ok()) return;
    OsslPtr<BIO> bio(::BIO_new(::BIO_s_mem()));
    ::X509_NAME_print_ex(bio.get(), ::X509_get_subject_name(kura_signer), 0, XN_FLAG_RFC2253);
    e->tsa_subject = internal::BioContents(bio.get());
    ::ERR_clear_error();

    std::lock_guard<std::mutex> l(mu);
    signers.emplace(key, std::move(e));
  }
};

TimestampVerifier::TimestampVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TimestampVerifier::TimestampVerifier(TimestampVerifier&&) noexcept = default;
TimestampVerifier& TimestampVerifier::operator=(TimestampVerifier&&) noexcept = default;
TimestampVerifier::~TimestampVerifier() = default;

base::Result<TimestampVerifier> TimestampVerifier::Create(std::string_view trusted_pem) {
  base::Result<std::vector<OsslPtr<X509>>> trusted = internal::CertificatesFromPem(trusted_pem);
  if (!trusted.ok()) return trusted.status().WithContext("タイムスタンプ検証用の信頼する証明書");
  auto impl = std::make_unique<Impl>();
  impl->trusted = std::move(*trusted);
  impl->trusted_stack = internal::CertificateStack(impl->trusted);
  Period period = PeriodOf(impl->trusted.front().get());
  for (size_t i = 1; i < impl->trusted.size(); ++i)
    period = Intersect(period, impl->trusted[i].get());
  impl->trusted_period = period;
  return TimestampVerifier(std::move(impl));
}

base::Result<TimestampInfo> TimestampVerifier::Verify(std::string_view der_response,
                                                      const Digest& data_digest,
                                                      const TimestampVerifyOptions& options) const {
  std::optional<SplitResponse> split = SplitCertificate(der_response);
  std::string key;
  if (split) {
    key = std::string(Sha256(split->cert).AsStringView());
    if (std::shared_ptr<const SignerEntry> e = impl_->Find(key);
        e != nullptr && e->der == split->cert) {
      if (auto info = FastVerify(*split, *e, data_digest, options)) {
        impl_->fast.fetch_add(1, std::memory_order_relaxed);
        return *std::move(info);
      }
    }
  }
  impl_->full.fetch_add(1, std::memory_order_relaxed);
  base::Result<TimestampInfo> full =
      VerifyWithCertificates(der_response, data_digest, impl_->trusted, options);
  if (full.ok() && split && impl_->Find(key) == nullptr) {
    impl_->Remember(key, split->cert, ToTimeT(options.validation_time.value_or(full->gen_time)));
  }
  return full;
}

TimestampVerifier::Stats TimestampVerifier::GetStats() const {
  Stats s;
  s.fast = impl_->fast.load();
  s.full = impl_->full.load();
  std::lock_guard<std::mutex> l(impl_->mu);
  s.signers = impl_->signers.size();
  return s;
}

}  // namespace signing
