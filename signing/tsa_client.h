// A client for an external RFC 3161 time-stamping authority (in production
// an accredited one, 総務大臣認定). It sends a TimeStampReq (SHA-256
// imprint, a fresh 64-bit random nonce, certReq = true) through a
// TsaTransport and returns the reply only after verifying it completely
// (status, imprint, nonce, signature, ESS attribute, the signer's critical
// timeStamping extendedKeyUsage, the chain to the configured roots, the
// requested policy, and genTime against the local clock). It never returns
// an unverified token.
//
// The HTTP transport lives in web/ (cpp-httplib belongs there); tests use
// transports that run `openssl ts -reply` or return crafted replies.
//
// Thread safety: Timestamp() is const and safe to call concurrently if the
// transport's Post() is.
#ifndef SIGNING_TSA_CLIENT_H_
#define SIGNING_TSA_CLIENT_H_

#include <chrono>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "signing/sha256.h"
#include "signing/tsa_verify.h"

namespace signing {

/// Carries one request to a TSA and its reply back.
class TsaTransport {
 public:
  virtual ~TsaTransport() = default;
  /// POSTs body to url with the given Content-Type and returns the reply
  /// body. An implementation returns Unavailable when the TSA cannot be
  /// reached or answers with an HTTP error, and Corruption when it answers
  /// 200 with the wrong Content-Type (RFC 3161 §3.4:
  /// application/timestamp-reply) or an oversized body.
  virtual base::Result<std::string> Post(const std::string& url,
                                         const std::string& content_type,
                                         const std::string& body) = 0;
};

struct TsaClientOptions {
  std::string url;          ///< e.g. "https://tsa.example.jp/tsa"
  std::string trusted_pem;  ///< the TSA's root CA certificate(s), PEM
  /// The policy to request (reqPolicy) and to insist on; empty: the TSA's
  /// default, whatever it is.
  std::string policy_oid;
  /// Largest accepted difference between the token's genTime and `now`;
  /// nullopt disables the check.
  std::optional<std::chrono::microseconds> max_clock_skew =
      std::chrono::minutes(5);
};

/// A reply that passed every check.
struct VerifiedTimestamp {
  std::string response_der;  ///< the DER TimeStampResp exactly as received
  TimestampInfo info;
};

class TsaClient {
 public:
  /// REQUIRES: transport outlives the client.
  TsaClient(TsaTransport* transport, TsaClientOptions options);

  /// Time-stamps a SHA-256 digest. `now` is the local clock's reading,
  /// compared with genTime and used to validate the chain.
  /// Messages start with "タイムスタンプ局 <url>: ".
  /// Errors: the transport's (Unavailable, with context); Unavailable if
  /// the TSA refused (status not granted); Corruption from
  /// VerifyTimestampResponse() for garbage, another imprint, a wrong
  /// nonce, a bad signature, a signer without the critical timeStamping
  /// EKU or an untrusted chain; Corruption if the token's policy is not
  /// the requested one ("…が要求したポリシー … と一致しません");
  /// FailedPrecondition if genTime and now differ by more than
  /// max_clock_skew; Internal if no random nonce could be drawn.
  base::Result<VerifiedTimestamp> Timestamp(const Digest& digest,
                                            base::Time now) const;

 private:
  TsaTransport* const transport_;
  const TsaClientOptions options_;
};

}  // namespace signing

#endif  // SIGNING_TSA_CLIENT_H_
