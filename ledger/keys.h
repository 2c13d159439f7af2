// The data directory's keys: the built-in time-stamping authority (a root CA
// and the TSA certificate it issued, ECDSA P-256) and the event log's
// checkpoint signing key (Ed25519). Generated once, by `kura init` or the
// first writer to open a directory without them; private keys are 0600.
//
//   keys/ca.key  ca.crt      root of the built-in TSA (kept for renewal)
//   keys/tsa.key tsa.crt     the TSA's signing key and certificate
//   keys/log.key             checkpoint signing key, PKCS#8
//   keys/log.vkey            its verifier key "<origin>+<hash>+<key>" (public)
//
// With kura.toml [keys] the private keys are in a PKCS#11 token instead and
// keys/ holds only the public files (ledger/token_keys.h); LoadKeys is then
// called without private keys.
//
// The log's origin (its name in checkpoints) is "kura/" plus the first 16 hex
// digits of the SHA-256 of its public key, so two data directories never
// share one.
//
// Thread safety: functions over a FileSystem; Keys is a value.
#ifndef LEDGER_KEYS_H_
#define LEDGER_KEYS_H_

#include <string>

#include "base/file_system.h"
#include "base/time.h"
#include "ledger/data_dir.h"

namespace ledger {

struct Keys {
  std::string ca_cert_pem;
  std::string tsa_key_pem;  ///< empty when loaded without private keys
  std::string tsa_cert_pem;
  std::string log_key_pem;  ///< empty when loaded without private keys
  std::string log_vkey;
  std::string origin;
  /// The certificates that verify the built-in TSA's tokens (TSA + root).
  std::string ChainPem() const { return tsa_cert_pem + ca_cert_pem; }
};

/// Creates whichever keys are missing. now is the TSA certificate's
/// notBefore.
base::Status EnsureKeys(base::FileSystem* fs, const DataDirLayout& layout, base::Time now);

/// Loads the keys; with_private also reads the private keys (a writer needs
/// them, a reader does not). NotFound names a missing file.
base::Result<Keys> LoadKeys(base::FileSystem* fs, const DataDirLayout& layout, bool with_private);

}  // namespace ledger

#endif  // LEDGER_KEYS_H_
