// RFC 3161 pieces shared by the built-in TSA, the client and the verifier:
// building a TimeStampReq, reading GeneralizedTime, fresh random integers.
// Internal to signing/.
//
// Thread safety: stateless; randomness comes from OpenSSL's RAND_bytes
// (its DRBG, seeded by the operating system), which is thread-safe.
#ifndef SIGNING_INTERNAL_TS_UTIL_H_
#define SIGNING_INTERNAL_TS_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>

#include "base/result.h"
#include "base/time.h"
#include "signing/internal/openssl_util.h"
#include "signing/sha256.h"

namespace signing::internal {

/// A version 1 TimeStampReq over a SHA-256 imprint, with certReq set.
base::Result<OsslPtr<TS_REQ>> BuildTsRequest(
    const Digest& imprint, std::optional<uint64_t> nonce,
    const std::string& policy_oid = "");

/// Reads "YYYYMMDDHHMMSS[.f...]Z" (DER GeneralizedTime as RFC 3161 §2.4.2
/// requires it). Digits beyond microseconds are truncated. Anything else is
/// Corruption.
base::Result<base::Time> GeneralizedTimeToTime(const ASN1_GENERALIZEDTIME* t);

/// n random bytes from OpenSSL's CSPRNG. Internal on RNG failure.
base::Result<std::string> RandomBytes(size_t n);
/// A positive INTEGER of 128 random bits (top bit forced to 1, so the DER
/// encoding is always 17 bytes long and never zero).
base::Result<OsslPtr<ASN1_INTEGER>> RandomSerial128();
/// A random 64-bit nonce.
base::Result<uint64_t> RandomNonce();

}  // namespace signing::internal

#endif  // SIGNING_INTERNAL_TS_UTIL_H_
