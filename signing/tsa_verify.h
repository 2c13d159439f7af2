// Verification of RFC 3161 time-stamp responses, from kura's built-in TSA
// or any other: the status, the message imprint, the nonce, the signature,
// the ESS signing-certificate attribute, the signer certificate's critical
// timeStamping extendedKeyUsage and its chain to a trusted root. What
// `openssl ts -verify -digest … -CAfile …` checks, and a little more.
//
// Thread safety: a pure function.
#ifndef SIGNING_TSA_VERIFY_H_
#define SIGNING_TSA_VERIFY_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"
#include "signing/sha256.h"

namespace signing {

/// What a verified token says.
struct TimestampInfo {
  std::string serial_hex;  ///< serial number, lower-case hex, two digits a byte
  base::Time gen_time;     ///< genTime (fractions beyond µs truncated)
  std::string policy_oid;  ///< dotted decimal
  Digest imprint;          ///< the SHA-256 message imprint
  std::optional<uint64_t> nonce;
  /// The accuracy the TSA claims, if it states one.
  std::optional<std::chrono::microseconds> accuracy;
  std::string tsa_subject;  ///< the signer certificate's subject, RFC 2253
};

struct TimestampVerifyOptions {
  /// The nonce of the request; the token must carry the same. nullopt: any
  /// or no nonce is accepted (a stored token is checked without one).
  std::optional<uint64_t> expected_nonce;
  /// The instant at which the certificate chain must be valid. nullopt:
  /// the token's own genTime, i.e. "the TSA's certificate was valid when it
  /// issued the token" (`openssl ts -verify` instead uses the current time,
  /// which fails once the certificate has expired).
  std::optional<base::Time> validation_time;
};

/// Verifies a DER TimeStampResp for the SHA-256 `data_digest`, trusting the
/// certificates in `trusted_pem` (the TSA's root CA, and optionally its
/// intermediates and the TSA certificate itself). The signer certificate may
/// come from the token or from trusted_pem. Revocation is not checked.
///
/// Errors, each message saying in Japanese what failed (OpenSSL's own
/// words, where it has some, in parentheses):
///  - InvalidArgument: trusted_pem holds no certificate.
///  - Corruption "タイムスタンプ応答として読めません…": garbage, trailing bytes.
///  - FailedPrecondition "タイムスタンプ局が要求を受け付けませんでした: …": the
///    TSA refused (the message gives its status, failure info and text).
///  - Corruption "…ハッシュが対象のデータと一致しません…": the token is for
///    other data ("…ハッシュ方式が SHA-256 ではありません…": it hashes with
///    something else).
///  - Corruption "…ナンス（nonce）が要求と一致しません…" / "…ナンス（nonce）が
///    ありません".
///  - Corruption "…拡張鍵用途 (extendedKeyUsage)…": the signer lacks the
///    critical, sole timeStamping extendedKeyUsage.
///  - Corruption "タイムスタンプの証明書チェーンを信頼できません（…）": the
///    signer certificate does not chain to trusted_pem, or is not valid at
///    the validation time.
///  - Corruption "タイムスタンプの署名が正しくありません（…）": the signature,
///    the signed attributes or the ESS signing-certificate attribute do not
///    verify (the token was changed after signing).
base::Result<TimestampInfo> VerifyTimestampResponse(
    std::string_view der_response, const Digest& data_digest,
    std::string_view trusted_pem, const TimestampVerifyOptions& options = {});

/// VerifyTimestampResponse with the trusted certificates parsed once, for
/// checking many tokens against the same trust anchors (`kura verify`).
///
/// It also remembers, per distinct TSA certificate embedded in a token that
/// passed the full check, what does not depend on the token (the decoded
/// certificate, its verified chain, the EKU check), and checks later tokens
/// carrying the same certificate bytes without decoding it or verifying its
/// chain again: status, imprint, nonce, version, signer, ESS
/// signing-certificate attribute, signature and TSA name are still checked
/// for every token. Only an acceptance is taken from that path; anything it
/// cannot confirm (another certificate, a validation time outside the
/// period in which every trusted certificate and that certificate are
/// valid, any failed check) is decided by the full check, so the verdict
/// and the error are always those of VerifyTimestampResponse.
///
/// Thread safety: Verify may be called from many threads at once.
class TimestampVerifier {
 public:
  /// InvalidArgument if trusted_pem holds no certificate.
  static base::Result<TimestampVerifier> Create(std::string_view trusted_pem);
  TimestampVerifier(TimestampVerifier&&) noexcept;
  TimestampVerifier& operator=(TimestampVerifier&&) noexcept;
  ~TimestampVerifier();

  /// Exactly VerifyTimestampResponse(der_response, data_digest, trusted_pem,
  /// options), errors included.
  base::Result<TimestampInfo> Verify(std::string_view der_response, const Digest& data_digest,
                                     const TimestampVerifyOptions& options = {}) const;

  /// What the verifier did so far (for tests and benchmarks).
  struct Stats {
    uint64_t signers = 0;   ///< distinct TSA certificates remembered
    uint64_t fast = 0;      ///< tokens accepted with a remembered certificate
    uint64_t full = 0;      ///< tokens checked in full (accepted or not)
  };
  Stats GetStats() const;

 private:
  struct Impl;
  explicit TimestampVerifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Reads what a DER TimeStampResp says (serial, genTime, policy, imprint,
/// nonce, accuracy) WITHOUT verifying anything: for tokens whose signature
/// was already checked, or that kura's own TSA just issued. Corruption "not a
/// DER TimeStampResp" for garbage, FailedPrecondition if the status is not
/// granted. tsa_subject is left empty.
base::Result<TimestampInfo> InspectTimestampResponse(std::string_view der_response);

}  // namespace signing

#endif  // SIGNING_TSA_VERIFY_H_
