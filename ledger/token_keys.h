// Keys in a PKCS#11 token (kura.toml [keys]): the built-in TSA's root CA
// key and TSA key (ECDSA P-256) and the log's checkpoint key (Ed25519) are
// generated inside the token, sensitive and non-extractable, and every
// signature is made there. keys/ then holds only public material:
//
//   keys/ca.crt  tsa.crt   the certificates, issued by the token's CA key
//   keys/log.vkey          the log's verifier key (public)
//   keys/pkcs11.txt        where the private keys are (module, token and
//                          key labels; never the PIN)
//
// and no ca.key, tsa.key or log.key. Readers (kura verify) need no token.
// Without [keys] the keys stay files (ledger/keys.h).
//
// Thread safety: functions; the token serialises its own calls.
#ifndef LEDGER_TOKEN_KEYS_H_
#define LEDGER_TOKEN_KEYS_H_

#include <memory>
#include <string>

#include "base/file_system.h"
#include "base/time.h"
#include "ledger/data_dir.h"
#include "ledger/keys.h"
#include "signing/note.h"
#include "signing/pkcs11.h"
#include "signing/timestamper.h"

namespace ledger {

struct TokenKeyOptions {
  std::string module_path;  ///< empty: the keys are files in keys/
  std::string token_label;
  std::string pin;  ///< from the environment or a file, never kura.toml
  std::string ca_key_label = "kura-ca";
  std::string tsa_key_label = "kura-tsa";
  std::string log_key_label = "kura-log";
  bool enabled() const { return !module_path.empty(); }
};

/// Opens and logs in to the configured token (errors of Pkcs11Token::Open).
base::Result<std::shared_ptr<signing::Pkcs11Token>> OpenKeyToken(const TokenKeyOptions& options);

/// Creates whichever keys are missing, in the token, and writes their
/// certificates and verifier key to keys/. now is the certificates'
/// notBefore. FailedPrecondition if keys/ holds private key files (a data
/// directory made with file keys is not moved into a token).
base::Status EnsureTokenKeys(base::FileSystem* fs, const DataDirLayout& layout, base::Time now,
                             const std::shared_ptr<signing::Pkcs11Token>& token,
                             const TokenKeyOptions& options);

/// FailedPrecondition naming kura.toml [keys] if the data directory's keys
/// are in a token (keys/pkcs11.txt) but no token is configured.
base::Status CheckFileKeyMode(base::FileSystem* fs, const DataDirLayout& layout);

/// The log signer over the token's key; FailedPrecondition if that key is
/// not the one keys/log.vkey names.
base::Result<std::unique_ptr<signing::NoteSigner>> OpenTokenNoteSigner(
    const std::shared_ptr<signing::Pkcs11Token>& token, const TokenKeyOptions& options,
    const Keys& keys);

/// The built-in TSA signing in the token with keys/tsa.crt.
base::Result<std::unique_ptr<signing::Timestamper>> OpenTokenTimestamper(
    const std::shared_ptr<signing::Pkcs11Token>& token, const TokenKeyOptions& options,
    const Keys& keys);

}  // namespace ledger

#endif  // LEDGER_TOKEN_KEYS_H_
