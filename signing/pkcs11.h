// Keys in a PKCS#11 token (an HSM, a smart card, SoftHSM2): kura's own
// small adapter over the standard PKCS#11 C API, used by the built-in TSA
// (signing/tsa.h, Tsa::CreateWithToken), the TSA's certificates
// (signing/token_identity.h) and the log's checkpoint signer
// (NoteSigner::FromToken).
//
// Why not Botan: Debian 12's Botan 2 is built without its PKCS#11 module (no
// botan/p11*.h, no Botan::PKCS11 symbols), and Botan 2 has no EdDSA class for
// PKCS#11 anyway. The adapter loads the module named in kura.toml with
// dlopen, takes its function list (C_GetFunctionList) and uses only
// PKCS#11 2.40/3.0 calls; the OASIS declarations come from p11-kit's
// header-only pkcs11.h (libp11-kit-dev). Nothing of PKCS#11 appears here.
//
// Keys: ECDSA P-256 (CKM_EC_KEY_PAIR_GEN, CKM_ECDSA over a SHA-256 digest
// computed outside) and Ed25519 (CKM_EC_EDWARDS_KEY_PAIR_GEN, CKM_EDDSA,
// PKCS#11 3.0; SoftHSM2 2.6 has both). Generated private keys are token
// objects with CKA_SENSITIVE true and CKA_EXTRACTABLE false: they never
// leave the token. Each key pair's CKA_LABEL and CKA_ID are the label given.
//
// The module is initialised once per process (with the OS locking flag)
// and finalised when the last Pkcs11Token using it is destroyed. Each
// Pkcs11Token is one logged-in read-write session.
//
// Thread safety: all methods may be called from several threads; the
// session's operations are serialised by a mutex (a PKCS#11 session runs
// one operation at a time).
#ifndef SIGNING_PKCS11_H_
#define SIGNING_PKCS11_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace signing {

struct Pkcs11Options {
  /// Path of the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so.
  std::string module_path;
  /// CKA_LABEL of the token (its label as softhsm2-util --init-token set it).
  std::string token_label;
  /// The user PIN. Never logged or put into a message.
  std::string pin;
};

enum class TokenKeyType {
  kEcdsaP256,  ///< public key: 65-byte uncompressed point 0x04‖X‖Y
  kEd25519,    ///< public key: 32 bytes (RFC 8032)
};

class Pkcs11Token {
 public:
  /// Loads the module, finds the token by label, opens a session and logs
  /// in. InvalidArgument if the module cannot be loaded or is not a
  /// PKCS#11 module; NotFound if no token has that label;
  /// PermissionDenied for a wrong or locked PIN; Unavailable for other
  /// token failures. Messages are Japanese and name module and token.
  static base::Result<std::shared_ptr<Pkcs11Token>> Open(const Pkcs11Options& options);
  ~Pkcs11Token();
  Pkcs11Token(const Pkcs11Token&) = delete;
  Pkcs11Token& operator=(const Pkcs11Token&) = delete;

  /// Generates a key pair labelled `label` in the token (private half
  /// sensitive and non-extractable) and returns its public key.
  /// AlreadyExists if the token holds a key with that label.
  base::Result<std::string> GenerateKey(TokenKeyType type, const std::string& label);

  /// The public key of the pair `label`. NotFound if the token has none.
  base::Result<std::string> PublicKey(TokenKeyType type, const std::string& label);

  /// True if the token holds a private key labelled `label`.
  base::Result<bool> HasPrivateKey(const std::string& label);

  /// Signs with the private key `label`: for kEcdsaP256, `data` is a
  /// 32-byte SHA-256 digest and the result r‖s (64 bytes); for kEd25519,
  /// `data` is the message and the result the 64-byte signature.
  base::Result<std::string> Sign(TokenKeyType type, const std::string& label,
                                 std::string_view data);

  /// "token「label」(module path)", for messages.
  const std::string& description() const;

 private:
  struct Impl;
  explicit Pkcs11Token(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace signing

#endif  // SIGNING_PKCS11_H_
