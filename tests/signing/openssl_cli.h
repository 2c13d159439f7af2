// Test helpers that drive the openssl command-line tool: an independent
// implementation against which kura's signing/ code is checked. Everything
// is written into a caller-supplied scratch directory.
#ifndef TESTS_SIGNING_OPENSSL_CLI_H_
#define TESTS_SIGNING_OPENSSL_CLI_H_

#include <cstdint>
#include <string>

namespace kura_test {

/// Runs `command 2>&1` and returns its exit status; *output gets the text.
int Sh(const std::string& command, std::string* output = nullptr);

/// A CA and TSA made with `openssl req`/`openssl x509`, plus an
/// `openssl ts -reply` configuration (ess_cert_id_alg = sha256).
struct OpensslTsa {
  std::string dir;
  std::string ca_pem;         ///< path of the root CA certificate
  std::string tsa_pem;        ///< TSA certificate: critical EKU timeStamping
  std::string tsa_key;        ///< TSA private key (also used by the two below)
  std::string no_eku_pem;     ///< same key, certificate without any EKU
  std::string noncrit_pem;    ///< same key, EKU timeStamping NOT critical
  std::string config;         ///< ts.cnf, default policy 1.2.3.4.1
  std::string sha512_config;  ///< ts.cnf that accepts SHA-512 imprints only
};

/// An `openssl ts -reply` configuration (serial file dir/tsaserial,
/// policies 1.2.3.4.1 and 1.2.3.4.5, ess_cert_id_alg = sha256). extra_certs,
/// if not empty, is a PEM file of certificates to include in tokens.
std::string TsConfig(const std::string& dir, const std::string& signer_cert,
                     const std::string& signer_key,
                     const std::string& extra_certs,
                     const std::string& digests);

/// Creates the above under dir; returns false (with the failing output in
/// *error) if any openssl command fails.
bool MakeOpensslTsa(const std::string& dir, OpensslTsa* tsa,
                    std::string* error);

/// Runs `openssl ts -reply` for a DER query; returns the DER response or ""
/// on failure.
std::string OpensslReply(const OpensslTsa& tsa, const std::string& config,
                         const std::string& query_der);

/// The nonce of a DER TimeStampReq, as upper-case hex without "0x" (what
/// `openssl ts -query -text` prints), or "" if it has none.
std::string QueryNonceHex(const std::string& dir, const std::string& query_der);

/// A time-stamp token (CMS SignedData over a TSTInfo) built without any TS
/// code: the TSTInfo from `openssl asn1parse -genconf`, signed by `openssl
/// cms -sign -cades` (which adds the ESS signing-certificate-v2 attribute).
/// The signer certificate may lack the EKU that a real TSA must have.
std::string CraftToken(const std::string& dir, const std::string& cert_pem_path,
                       const std::string& key_path,
                       const std::string& digest_hex,
                       const std::string& nonce_hex,
                       const std::string& policy_oid);

/// TimeStampResp { status granted, token } around a DER token.
std::string WrapTokenInResponse(const std::string& token_der);

}  // namespace kura_test

#endif  // TESTS_SIGNING_OPENSSL_CLI_H_
