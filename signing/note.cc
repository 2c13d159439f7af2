#include "signing/note.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>

#include <botan/data_src.h>
#include <botan/ed25519.h>
#include <botan/pkcs8.h>
#include <botan/pubkey.h>
#include <botan/system_rng.h>
#include <botan/x509_key.h>

#include "base/text.h"
#include "signing/internal/text_util.h"
#include "signing/pkcs11.h"
#include "signing/sha256.h"

namespace signing {
namespace {

constexpr uint8_t kAlgEd25519 = 0x01;
constexpr size_t kEd25519KeySize = 32;
constexpr size_t kEd25519SigSize = 64;
constexpr size_t kMaxSignatures = 100;
constexpr std::string_view kSigPrefix =
    "\xE2\x80\x94 ";  // U+2014 EM DASH, space

uint32_t ComputeKeyId(std::string_view name, std::string_view public_key) {
  Sha256Hasher h;
  h.Update(name);
  h.Update("\n");
  h.Update(std::string_view("\x01", 1));
  h.Update(public_key);
  const Digest d = h.Finish();
  return (uint32_t{d.bytes[0]} << 24) | (uint32_t{d.bytes[1]} << 16) |
         (uint32_t{d.bytes[2]} << 8) | uint32_t{d.bytes[3]};
}

std::string KeyIdHex(uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

base::Result<uint32_t> ParseKeyIdHex(std::string_view hex) {
  if (hex.size() != 8) {
    return base::Status::InvalidArgument("署名付きノート: 鍵 ID が 16 進数 8 文字ではありません");
  }
  uint32_t id = 0;
  for (const char c : hex) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else {
      return base::Status::InvalidArgument(
          "署名付きノート: 鍵 ID が小文字の 16 進数 8 文字ではありません");
    }
    id = (id << 4) | static_cast<uint32_t>(v);
  }
  return id;
}

// The "name+hexid+base64" shape shared by verifier keys and (after the
// PRIVATE+KEY+ prefix) signer keys. `what` names the key in errors. The name
// contains no '+', the hex ID none either; base64 may.
struct KeyParts {
  std::string_view name;
  uint32_t id = 0;
  std::string material;  // the decoded base64
};
base::Result<KeyParts> SplitKeyString(std::string_view text, const char* what,
                                      const char* shape) {
  const size_t p1 = text.find('+');
  const size_t p2 = p1 == std::string_view::npos ? p1 : text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) {
    return base::Status::InvalidArgument(std::string("署名付きノート: ") + what + "が " + shape +
                                         " の形式ではありません");
  }
  KeyParts parts;
  parts.name = text.substr(0, p1);
  ASSIGN_OR_RETURN(parts.id, ParseKeyIdHex(text.substr(p1 + 1, p2 - p1 - 1)));
  std::optional<std::string> material = internal::Base64Decode(text.substr(p2 + 1));
  if (!material || material->empty()) {
    return base::Status::InvalidArgument(std::string("署名付きノート: ") + what +
                                         "の鍵の部分が base64 ではありません");
  }
  parts.material = std::move(*material);
  return parts;
}

}  // namespace

base::Result<std::string> GenerateEd25519KeyPem() {
  try {
    Botan::System_RNG rng;
    const Botan::Ed25519_PrivateKey key(rng);
    return Botan::PKCS8::PEM_encode(key);
  } catch (const std::exception& e) {
    return base::Status::Internal(std::string("署名付きノート: Ed25519 の鍵を生成できません（") +
                                  e.what() + "）");
  }
}

// --- NoteVerifier ---------------------------------------------------------

NoteVerifier::NoteVerifier(std::string name, std::string public_key,
                           uint32_t key_id)
    : name_(std::move(name)),
      public_key_(std::move(public_key)),
      key_id_(key_id) {}

base::Result<NoteVerifier> NoteVerifier::FromPublicKey(
    std::string_view name, std::string_view public_key) {
  if (!internal::IsValidKeyName(name)) {
    return base::Status::InvalidArgument(
        "署名付きノート: 鍵の名前「" + base::PrintableText(name) +
        "」が正しくありません（空白や + を含まない 1 語にしてください）");
  }
  if (public_key.size() != kEd25519KeySize) {
    return base::Status::InvalidArgument("署名付きノート: Ed25519 の公開鍵は 32 バイトですが、" +
                                         std::to_string(public_key.size()) + " バイトあります");
  }
  return NoteVerifier(std::string(name), std::string(public_key),
                      ComputeKeyId(name, public_key));
}

base::Result<NoteVerifier> NoteVerifier::FromVerifierKey(
    std::string_view vkey) {
  auto split = SplitKeyString(vkey, "検証鍵", "名前+ID+鍵");
  if (!split.ok()) return split.status();
  const KeyParts& parts = *split;
  const std::string_view name = parts.name;
  const uint32_t id = parts.id;
  const std::string& key = parts.material;
  if (static_cast<uint8_t>(key[0]) != kAlgEd25519) {
    return base::Status::InvalidArgument("署名付きノート: 検証鍵のアルゴリズム " +
                                         std::to_string(static_cast<uint8_t>(key[0])) +
                                         " は Ed25519 (1) ではありません");
  }
  ASSIGN_OR_RETURN(NoteVerifier v,
                   FromPublicKey(name, std::string_view(key).substr(1)));
  if (v.key_id() != id) {
    return base::Status::InvalidArgument("署名付きノート: 検証鍵の ID " + KeyIdHex(id) +
                                         " が鍵から計算した ID " + KeyIdHex(v.key_id()) +
                                         " と一致しません");
  }
  return v;
}

std::string NoteVerifier::VerifierKey() const {
  return name_ + "+" + KeyIdHex(key_id_) + "+" +
         internal::Base64Encode(std::string(1, static_cast<char>(kAlgEd25519)) +
                                public_key_);
}

std::string NoteVerifier::PublicKeyPem() const {
  try {
    const Botan::Ed25519_PublicKey key(
        reinterpret_cast<const uint8_t*>(public_key_.data()),
        public_key_.size());
    return Botan::X509::PEM_encode(key);
  } catch (const std::exception&) {
    std::abort();  // the key was checked to be 32 bytes on construction
  }
}

bool NoteVerifier::VerifySignature(std::string_view message,
                                   std::string_view signature) const {
  if (signature.size() != kEd25519SigSize) return false;
  try {
    const Botan::Ed25519_PublicKey key(
        reinterpret_cast<const uint8_t*>(public_key_.data()),
        public_key_.size());
    Botan::PK_Verifier verifier(key, "Pure");
    return verifier.verify_message(
        reinterpret_cast<const uint8_t*>(message.data()), message.size(),
        reinterpret_cast<const uint8_t*>(signature.data()), signature.size());
  } catch (const std::exception&) {
    return false;
  }
}

// --- NoteSigner -----------------------------------------------------------

// The key is in memory (key) or in a PKCS#11 token (token, label).
struct NoteSigner::Impl {
  explicit Impl(const Botan::secure_vector<uint8_t>& seed_or_key)
      : key(std::in_place, seed_or_key) {}
  Impl(std::shared_ptr<Pkcs11Token> t, std::string l)
      : token(std::move(t)), label(std::move(l)) {}
  std::optional<Botan::Ed25519_PrivateKey> key;
  std::shared_ptr<Pkcs11Token> token;
  std::string label;
};

NoteSigner::NoteSigner(std::unique_ptr<Impl> impl, NoteVerifier verifier)
    : impl_(std::move(impl)), verifier_(std::move(verifier)) {}
NoteSigner::NoteSigner(NoteSigner&&) noexcept = default;
NoteSigner& NoteSigner::operator=(NoteSigner&&) noexcept = default;
NoteSigner::~NoteSigner() = default;

base::Result<NoteSigner> NoteSigner::FromPkcs8Pem(std::string_view name,
                                                  std::string_view pem) {
  std::unique_ptr<Impl> impl;
  try {
    Botan::DataSource_Memory source(std::string{pem});
    Botan::System_RNG rng;  // unused by Botan for unencrypted keys
    std::unique_ptr<Botan::Private_Key> key(
        Botan::PKCS8::load_key(source, rng));
    const auto* ed = dynamic_cast<const Botan::Ed25519_PrivateKey*>(key.get());
    if (ed == nullptr) {
      return base::Status::InvalidArgument("署名付きノート: PEM の鍵が Ed25519 ではありません（" +
                                           key->algo_name() + "）");
    }
    impl = std::make_unique<Impl>(ed->get_private_key());
  } catch (const std::exception& e) {
    return base::Status::InvalidArgument(
        std::string("署名付きノート: PKCS#8 PEM 形式の秘密鍵として読めません（") + e.what() + "）");
  }
  const std::vector<uint8_t>& pub = impl->key->get_public_key();
  ASSIGN_OR_RETURN(
      NoteVerifier verifier,
      NoteVerifier::FromPublicKey(
          name, std::string_view(reinterpret_cast<const char*>(pub.data()),
                                 pub.size())));
  return NoteSigner(std::move(impl), std::move(verifier));
}

base::Result<NoteSigner> NoteSigner::FromSignerKey(std::string_view skey) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (skey.substr(0, kPrefix.size()) != kPrefix) {
    return base::Status::InvalidArgument(
        "署名付きノート: 署名鍵が PRIVATE+KEY+ で始まっていません");
  }
  // The rest has the verifier-key shape, with the seed in place of the key.
  const std::string_view rest = skey.substr(kPrefix.size());
  auto split = SplitKeyString(rest, "署名鍵", "PRIVATE+KEY+名前+ID+鍵");
  if (!split.ok()) return split.status();
  const KeyParts& parts = *split;
  const std::string_view name = parts.name;
  const uint32_t id = parts.id;
  const std::string& seed = parts.material;
  if (seed.size() != 1 + kEd25519KeySize ||
      static_cast<uint8_t>(seed[0]) != kAlgEd25519) {
    return base::Status::InvalidArgument(
        "署名付きノート: 署名鍵の鍵の部分が 0x01 ‖ 32 バイトではありません");
  }
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(
        Botan::secure_vector<uint8_t>(seed.begin() + 1, seed.end()));
  } catch (const std::exception& e) {
    return base::Status::InvalidArgument(
        std::string("署名付きノート: Ed25519 のシードが正しくありません（") + e.what() + "）");
  }
  const std::vector<uint8_t>& pub = impl->key->get_public_key();
  ASSIGN_OR_RETURN(
      NoteVerifier verifier,
      NoteVerifier::FromPublicKey(
          name, std::string_view(reinterpret_cast<const char*>(pub.data()),
                                 pub.size())));
  if (verifier.key_id() != id) {
    return base::Status::InvalidArgument("署名付きノート: 署名鍵の ID " + KeyIdHex(id) +
                                         " が鍵と一致しません");
  }
  return NoteSigner(std::move(impl), std::move(verifier));
}

base::Result<NoteSigner> NoteSigner::FromToken(std::string_view name,
                                               std::shared_ptr<Pkcs11Token> token,
                                               const std::string& key_label) {
  ASSIGN_OR_RETURN(const std::string pub, token->PublicKey(TokenKeyType::kEd25519, key_label));
  ASSIGN_OR_RETURN(NoteVerifier verifier, NoteVerifier::FromPublicKey(name, pub));
  return NoteSigner(std::make_unique<Impl>(std::move(token), key_label), std::move(verifier));
}

base::Result<std::string> NoteSigner::SignRaw(std::string_view message) const {
  if (impl_->token) return impl_->token->Sign(TokenKeyType::kEd25519, impl_->label, message);
  try {
    // Ed25519 is deterministic: the RNG is part of Botan's interface only.
    Botan::System_RNG rng;
    Botan::PK_Signer signer(*impl_->key, rng, "Pure");
    const std::vector<uint8_t> sig = signer.sign_message(
        reinterpret_cast<const uint8_t*>(message.data()), message.size(), rng);
    return std::string(sig.begin(), sig.end());
  } catch (const std::exception& e) {
    return base::Status::Internal(std::string("署名付きノート: Ed25519 で署名できません（") +
                                  e.what() + "）");
  }
}

base::Result<std::string> NoteSigner::Sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n' || !internal::IsValidNoteText(text)) {
    return base::Status::InvalidArgument(
        "署名付きノート: 本文は空でない UTF-8 "
        "で、改行で終わり、制御文字を含まないものにしてください");
  }
  const uint32_t id = verifier_.key_id();
  std::string blob;
  blob.push_back(static_cast<char>(id >> 24));
  blob.push_back(static_cast<char>(id >> 16));
  blob.push_back(static_cast<char>(id >> 8));
  blob.push_back(static_cast<char>(id));
  ASSIGN_OR_RETURN(const std::string sig, SignRaw(text));
  blob += sig;
  std::string out(text);
  out += "\n";
  out += kSigPrefix;
  out += verifier_.name();
  out += " ";
  out += internal::Base64Encode(blob);
  out += "\n";
  return out;
}

// --- Parsing and opening ----------------------------------------------------

base::Result<Note> ParseNote(std::string_view message) {
  if (!internal::IsValidNoteText(message)) {
    return base::Status::Corruption(
        "署名付きノート: UTF-8 として正しくないか、制御文字を含んでいます");
  }
  // The text is separated from the signatures by the last blank line.
  const size_t split = message.rfind("\n\n");
  if (split == std::string_view::npos) {
    return base::Status::Corruption("署名付きノート: 署名の前に空行がありません");
  }
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  std::string_view sigs = message.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return base::Status::Corruption(
        "署名付きノート: 署名の行がないか、最後が改行で終わっていません");
  }
  while (!sigs.empty()) {
    const size_t eol = sigs.find('\n');
    std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (note.signatures.size() == kMaxSignatures) {
      return base::Status::Corruption("署名付きノート: 署名が 100 個を超えています");
    }
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
      return base::Status::Corruption("署名付きノート: 署名の行が「— 」で始まっていません");
    }
    line.remove_prefix(kSigPrefix.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) {
      return base::Status::Corruption("署名付きノート: 署名の行に署名がありません");
    }
    const std::string_view name = line.substr(0, space);
    const std::optional<std::string> blob =
        internal::Base64Decode(line.substr(space + 1));
    if (!internal::IsValidKeyName(name) || !blob || blob->size() < 5) {
      return base::Status::Corruption("署名付きノート: 鍵「" + std::string(name) +
                                      "」の署名の行が正しくありません");
    }
    NoteSignature sig;
    sig.name = std::string(name);
    for (int i = 0; i < 4; ++i) {
      sig.key_id = (sig.key_id << 8) | static_cast<uint8_t>((*blob)[i]);
    }
    sig.signature = blob->substr(4);
    note.signatures.push_back(std::move(sig));
  }
  return note;
}

base::Result<std::string> OpenNote(std::string_view message,
                                   const NoteVerifier& verifier) {
  ASSIGN_OR_RETURN(Note note, ParseNote(message));
  bool verified = false;
  for (const NoteSignature& sig : note.signatures) {
    if (sig.name != verifier.name() || sig.key_id != verifier.key_id())
      continue;
    if (!verifier.VerifySignature(note.text, sig.signature)) {
      return base::Status::Corruption(
          "署名付きノート: 鍵 " + verifier.name() + "+" + KeyIdHex(verifier.key_id()) +
          " の署名が正しくありません（内容が改ざんされた可能性があります）");
    }
    verified = true;
  }
  if (!verified) {
    return base::Status::NotFound("署名付きノート: 鍵 " + verifier.name() + "+" +
                                  KeyIdHex(verifier.key_id()) + " による署名がありません");
  }
  return std::move(note.text);
}

}  // namespace signing
