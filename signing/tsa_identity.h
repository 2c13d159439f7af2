// The identity of kura's built-in RFC 3161 time-stamping authority: an ECDSA
// P-256 key and certificate issued by a self-signed root CA made for it.
// Generated once by `kura init`; the caller stores the PEM bytes (keys with
// mode 0600 via base::WriteFileDurably) and later hands them to signing::Tsa.
//
// The TSA certificate carries what RFC 3161 §2.3 and OpenSSL's timestamp
// purpose check demand: exactly one extendedKeyUsage, id-kp-timeStamping,
// marked critical; keyUsage digitalSignature (critical); basicConstraints
// CA:FALSE. The root CA has basicConstraints CA:TRUE, pathlen 0 and keyUsage
// keyCertSign, cRLSign. Certificate serials are 128-bit random numbers.
//
// Thread safety: a pure function.
#ifndef SIGNING_TSA_IDENTITY_H_
#define SIGNING_TSA_IDENTITY_H_

#include <string>

#include "base/result.h"
#include "base/time.h"

namespace signing {

struct TsaIdentityOptions {
  /// Subject organisation (O) of both certificates, e.g. the city's name.
  /// UTF-8; Japanese is fine.
  std::string organization = "kura";
  std::string ca_common_name = "kura time-stamping root CA";
  std::string tsa_common_name = "kura built-in time-stamping authority";
  /// Start of validity of both certificates: pass the current time. Tokens
  /// can only be made for instants at or after it.
  base::Time not_before;
  /// Validity of the TSA certificate in calendar years. Documents are kept
  /// ten years and `openssl ts -verify` checks the certificate at the time
  /// of verification, so the default leaves a year of margin.
  int tsa_validity_years = 11;
  /// Validity of the root CA in calendar years (must cover the TSA's).
  int ca_validity_years = 20;
  /// RenewTsaIdentity only: end the new TSA certificate with the root's
  /// notAfter when tsa_validity_years would outlive it (a roll late in
  /// the root's life), instead of refusing.
  bool clamp_to_ca = false;
};

struct TsaIdentity {
  std::string tsa_key_pem;   ///< TSA private key, PKCS#8 PEM. Secret (0600).
  std::string tsa_cert_pem;  ///< TSA certificate, PEM.
  /// Root CA private key, PKCS#8 PEM. Only needed to issue a successor TSA
  /// certificate under the same root; keep it offline or destroy it.
  std::string ca_key_pem;
  std::string ca_cert_pem;  ///< Root CA certificate, PEM: the trust anchor.

  /// TSA certificate followed by the root: what `openssl ts -verify
  /// -CAfile` and VerifyTimestampResponse() take.
  std::string ChainPem() const { return tsa_cert_pem + ca_cert_pem; }
};

/// Generates keys and certificates. InvalidArgument for empty names or
/// validities that are not positive or where the root expires before the
/// TSA certificate; Internal if OpenSSL fails.
base::Result<TsaIdentity> GenerateTsaIdentity(
    const TsaIdentityOptions& options);

/// Issues a new TSA certificate (same profile) for a fresh key under an
/// existing root, for when the old one nears its end. Same errors, plus
/// InvalidArgument for unreadable PEM.
base::Result<TsaIdentity> RenewTsaIdentity(const std::string& ca_key_pem,
                                           const std::string& ca_cert_pem,
                                           const TsaIdentityOptions& options);

}  // namespace signing

#endif  // SIGNING_TSA_IDENTITY_H_
