// C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys: the
// envelope that carries kura's log checkpoints.
//
//   <text, ending in "\n">
//   "\n"
//   "— <key name> <base64(4-byte key ID ‖ 64-byte Ed25519 signature)>\n" ...
//
// key ID = SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4], and the
// verifier key ("vkey") string is <name>+<8 hex key ID>+<base64(0x01 ‖ key)>,
// both as in golang.org/x/mod/sumdb/note, whose published example note the
// tests reproduce byte for byte.
//
// Keys: GenerateEd25519KeyPem() returns PKCS#8 PEM bytes; storing them (mode
// 0600, base::WriteFileDurably) is the caller's job. Randomness for key
// generation comes from the operating system (getrandom) inside the adapter;
// Ed25519 signing itself is deterministic and takes none.
//
// Key names must be non-empty and contain no '+', no control character and
// no Unicode space (C2SP). A checkpoint's key name should be its origin.
//
// Thread safety: NoteVerifier is an immutable value. A NoteSigner is
// immutable after creation and Sign() may be called from many threads.
#ifndef SIGNING_NOTE_H_
#define SIGNING_NOTE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace signing {

class Pkcs11Token;

/// A fresh Ed25519 private key as unencrypted PKCS#8 PEM ("BEGIN PRIVATE
/// KEY", RFC 8410). Internal if the system RNG fails.
base::Result<std::string> GenerateEd25519KeyPem();

/// An Ed25519 public key with its note key name.
class NoteVerifier {
 public:
  /// Parses "<name>+<hex key ID>+<base64(0x01 ‖ 32-byte key)>". InvalidArgument
  /// for a malformed string, an algorithm other than Ed25519 (0x01), or a
  /// key ID that does not match name and key.
  static base::Result<NoteVerifier> FromVerifierKey(std::string_view vkey);
  /// From a name and a raw 32-byte public key. InvalidArgument for an
  /// invalid name or a key of the wrong length.
  static base::Result<NoteVerifier> FromPublicKey(std::string_view name,
                                                  std::string_view public_key);

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  /// The raw 32-byte Ed25519 public key.
  const std::string& public_key() const { return public_key_; }
  /// The vkey string FromVerifierKey() accepts.
  std::string VerifierKey() const;
  /// The public key as SubjectPublicKeyInfo PEM, for other tools (openssl).
  std::string PublicKeyPem() const;
  /// True if signature is a valid Ed25519 signature of message by this key.
  bool VerifySignature(std::string_view message,
                       std::string_view signature) const;

 private:
  NoteVerifier(std::string name, std::string public_key, uint32_t key_id);
  std::string name_;
  std::string public_key_;
  uint32_t key_id_;
};

/// An Ed25519 private key with its note key name.
class NoteSigner {
 public:
  /// From a PKCS#8 PEM Ed25519 key (GenerateEd25519KeyPem()'s output) and
  /// the key name to sign under. InvalidArgument for a bad name, a PEM that
  /// is not an Ed25519 private key.
  static base::Result<NoteSigner> FromPkcs8Pem(std::string_view name,
                                               std::string_view pem);
  /// From the sumdb/note signer-key form
  /// "PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte seed)>".
  static base::Result<NoteSigner> FromSignerKey(std::string_view skey);
  /// The Ed25519 key labelled key_label in a PKCS#11 token (signing/pkcs11.h):
  /// every signature is made by the token (CKM_EDDSA), which the signer
  /// keeps open. NotFound if the token has no such key.
  static base::Result<NoteSigner> FromToken(std::string_view name,
                                            std::shared_ptr<Pkcs11Token> token,
                                            const std::string& key_label);

  NoteSigner(NoteSigner&&) noexcept;
  NoteSigner& operator=(NoteSigner&&) noexcept;
  ~NoteSigner();

  const NoteVerifier& verifier() const { return verifier_; }
  const std::string& name() const { return verifier_.name(); }

  /// The raw 64-byte Ed25519 signature of message. Internal if Botan fails.
  base::Result<std::string> SignRaw(std::string_view message) const;
  /// The signed note: text, a blank line and one signature line. The text
  /// must be a valid note text: valid UTF-8, non-empty, ending in "\n", no
  /// control characters but newline. InvalidArgument otherwise.
  base::Result<std::string> Sign(std::string_view text) const;

 private:
  struct Impl;
  NoteSigner(std::unique_ptr<Impl> impl, NoteVerifier verifier);
  std::unique_ptr<Impl> impl_;
  NoteVerifier verifier_;
};

/// One signature line of a note.
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;  ///< raw bytes after the key ID
};

/// A signed note split into its parts; nothing is verified.
struct Note {
  std::string text;  ///< including its final "\n"
  std::vector<NoteSignature> signatures;
};

/// Splits a signed note. Corruption if it is not well formed: invalid
/// UTF-8, a control character, no blank line before the signatures, a
/// signature line that is not "— name base64", more than 100 signatures.
base::Result<Note> ParseNote(std::string_view message);

/// Verifies a signed note against one trusted key and returns its text.
/// Signatures by other keys (another name or key ID) are ignored, as the
/// spec requires. Errors: Corruption for a malformed note, and Corruption
/// "invalid signature" if a signature by this key does not verify (the note
/// was changed); NotFound if the note carries no signature by this key.
base::Result<std::string> OpenNote(std::string_view message,
                                   const NoteVerifier& verifier);

}  // namespace signing

#endif  // SIGNING_NOTE_H_
