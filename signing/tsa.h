// kura's built-in RFC 3161 time-stamping authority, the embedded default
// (production points kura at an accredited external TSA through
// signing/tsa_client.h instead). Tokens verify with `openssl ts -verify`.
//
// Every token's TSTInfo carries: policy kKuraTsaPolicyOid (or the configured
// one), the SHA-256 message imprint, a serial number of 128 random bits,
// genTime = the instant passed in (microsecond precision; never the system
// clock), accuracy (1 s by default), the TSA name, the nonce if there was
// one; the SignedData carries the TSA certificate and the ESS
// signing-certificate-v2 attribute (SHA-256). Signature: ECDSA P-256 with
// SHA-256.
//
// Serial numbers: RFC 3161 requires them to be unique per TSA, across
// crashes and restarts. kura does not keep a counter (a counter that must be
// written durably before each token would need its own fsync, and a restored
// backup would repeat it); each serial is 128 bits from OpenSSL's CSPRNG
// with the top bit set, i.e. 127 random bits: the chance of any collision
// among 2^32 tokens is about 2^-64.
//
// Thread safety: a Tsa is immutable after Create(); Timestamp() and
// Respond() may be called from many threads at once.
#ifndef SIGNING_TSA_H_
#define SIGNING_TSA_H_

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

class Pkcs11Token;

/// kura's arc is the UUID OID 2.25.<UUID 0982b512-3d09-46bf-9609-e839a6d2106a
/// as an integer> (ITU-T X.667: anyone may mint such an OID without
/// registration). Under it, .1 is signing/ and .1.1 the policy of the
/// built-in TSA, version 1: "the time is that of the kura server's clock,
/// which the operator keeps synchronised (NTP); no other assurance".
inline constexpr char kKuraTsaPolicyOid[] =
    "2.25.12641723114808756688219966724858056810.1.1";

struct TsaOptions {
  std::string policy_oid = kKuraTsaPolicyOid;
  /// The accuracy the tokens claim (RFC 3161 §2.4.2); zero leaves it out.
  std::chrono::microseconds accuracy = std::chrono::seconds(1);
};

class Tsa {
 public:
  /// From the PEM key and certificate of a TsaIdentity. InvalidArgument if
  /// they do not parse, do not belong together, or the certificate is not a
  /// TSA certificate (critical, sole extendedKeyUsage timeStamping), or the
  /// policy OID is not dotted decimal.
  static base::Result<std::unique_ptr<Tsa>> Create(
      std::string_view key_pem, std::string_view cert_pem,
      const TsaOptions& options = {});
  /// As Create(), but the private key is the ECDSA P-256 key labelled
  /// key_label in a PKCS#11 token (signing/pkcs11.h): every token is signed
  /// there. The Tsa keeps the token open. NotFound if the token has no such
  /// key; InvalidArgument as for Create() (the certificate must be for the
  /// token's key).
  static base::Result<std::unique_ptr<Tsa>> CreateWithToken(
      std::shared_ptr<Pkcs11Token> token, const std::string& key_label,
      std::string_view cert_pem, const TsaOptions& options = {});
  ~Tsa();
  Tsa(const Tsa&) = delete;
  Tsa& operator=(const Tsa&) = delete;

  /// A DER TimeStampResp with status granted whose token time-stamps
  /// `imprint` (a SHA-256 digest) at `now`, with `nonce` if given.
  /// FailedPrecondition if `now` lies outside the certificate's validity;
  /// Internal if OpenSSL fails. If serial_hex is set it receives the token's
  /// serial number (lower-case hex), so callers need not parse the token.
  base::Result<std::string> Timestamp(const Digest& imprint,
                                      std::optional<uint64_t> nonce,
                                      base::Time now,
                                      std::string* serial_hex = nullptr) const;

  /// Answers a DER TimeStampReq the way an HTTP TSA does (for web/ or tests).
  /// A request OpenSSL cannot accept (malformed, unsupported hash — SHA-256,
  /// SHA-384 and SHA-512 are accepted —, unknown policy) gets a DER
  /// TimeStampResp with status rejection, not an error. FailedPrecondition
  /// if `now` lies outside the certificate's validity; Internal if no
  /// response at all can be made.
  base::Result<std::string> Respond(std::string_view der_request,
                                    base::Time now) const;

 private:
  struct Impl;
  explicit Tsa(std::unique_ptr<Impl> impl);
  static base::Result<std::unique_ptr<Tsa>> Finish(std::unique_ptr<Impl> impl,
                                                   std::string_view cert_pem,
                                                   const TsaOptions& options);
  std::unique_ptr<Impl> impl_;
};

}  // namespace signing

#endif  // SIGNING_TSA_H_
