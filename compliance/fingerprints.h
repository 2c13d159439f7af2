// What an auditor pins out of band (on paper, on the city's web site) to
// trust kura's evidence without trusting kura: the event log's verifier key
// (the signed-note verifier string that checks every checkpoint) and the
// SHA-256 fingerprints of the TSA's root certificates (the trust anchors of
// every time-stamp token), written as `openssl x509 -fingerprint -sha256`
// prints them ("AB:CD:…", upper-case hex with colons).
//
// Everything here is computed from public material only — the verifier key
// and the certificates' PEM — never from a private key, so it works the
// same whether the keys lie in keys/ or in a PKCS#11 token.
//
// Thread safety: pure functions.
#ifndef COMPLIANCE_FINGERPRINTS_H_
#define COMPLIANCE_FINGERPRINTS_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "ledger/ledger.h"

namespace compliance {

/// One certificate as an auditor compares it.
struct CertificateFingerprint {
  std::string subject;    ///< distinguished name, as text
  std::string sha256;     ///< "AB:CD:…" (32 bytes), as openssl prints it
  std::string not_after;  ///< YYYY-MM-DD (UTC)
};

struct PinnedKeys {
  std::string verifier_key;  ///< "<origin>+<hash>+<key>"
  std::string log_origin;    ///< the part before the first '+'
  /// The trust anchors of the TSA chain(s): the self-signed certificates,
  /// and any whose issuer is not in the PEM (an external TSA configured
  /// with its intermediate only); each once, in the PEM's order.
  std::vector<CertificateFingerprint> tsa_roots;
};

/// The anchors of a PEM bundle. InvalidArgument if it holds no
/// certificate or one that does not parse.
base::Result<std::vector<CertificateFingerprint>> RootFingerprints(std::string_view pem);

/// The ledger's verifier key and the anchors of TrustedTsaPem().
base::Result<PinnedKeys> ReadPinnedKeys(const ledger::Ledger& ledger);

/// {"verifier_key", "log_origin", "tsa_roots": [{"subject", "sha256", "not_after"}]}
nlohmann::json ToJson(const PinnedKeys& keys);

/// The lines `kura init` and `kura keys fingerprints` print: the values
/// with Japanese labels, and the advice to keep them out of band.
std::string PinningText(const PinnedKeys& keys);

}  // namespace compliance

#endif  // COMPLIANCE_FINGERPRINTS_H_
