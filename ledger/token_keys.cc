#include "ledger/token_keys.h"

#include "signing/sha256.h"
#include "signing/token_identity.h"

namespace ledger {

using base::Result;
using base::Status;

namespace {
constexpr uint32_t kPublic = 0644;
constexpr const char kMarker[] = "pkcs11.txt";

std::string KeyFile(const DataDirLayout& layout, const char* name) {
  return base::JoinPath(layout.keys(), name);
}

bool Exists(base::FileSystem* fs, const std::string& path) { return fs->Stat(path).ok(); }

std::string MarkerText(const TokenKeyOptions& o) {
  return "# The private keys of this data directory are in a PKCS#11 token (kura.toml [keys]).\n"
         "module = " + o.module_path + "\ntoken = " + o.token_label +
         "\nca_key_label = " + o.ca_key_label + "\ntsa_key_label = " + o.tsa_key_label +
         "\nlog_key_label = " + o.log_key_label + "\n";
}

Status EnsureTsa(base::FileSystem* fs, const DataDirLayout& layout, base::Time now,
                 const std::shared_ptr<signing::Pkcs11Token>& token, const TokenKeyOptions& o) {
  if (Exists(fs, KeyFile(layout, "tsa.crt"))) return Status::OK();
  signing::TsaIdentityOptions options;
  options.not_before = now;
  ASSIGN_OR_RETURN(const signing::TsaIdentity id,
                   signing::GenerateTokenTsaIdentity(token, o.ca_key_label, o.tsa_key_label,
                                                     options));
  RETURN_IF_ERROR(base::WriteFileDurably(fs, KeyFile(layout, "ca.crt"), id.ca_cert_pem, kPublic));
  return base::WriteFileDurably(fs, KeyFile(layout, "tsa.crt"), id.tsa_cert_pem, kPublic);
}

Status EnsureLog(base::FileSystem* fs, const DataDirLayout& layout,
                 const std::shared_ptr<signing::Pkcs11Token>& token, const TokenKeyOptions& o) {
  if (Exists(fs, KeyFile(layout, "log.vkey"))) return Status::OK();
  ASSIGN_OR_RETURN(const std::string pub,
                   token->GenerateKey(signing::TokenKeyType::kEd25519, o.log_key_label));
  // The origin names the key, as for a key file (ledger/keys.h).
  const std::string origin = "kura/" + signing::Sha256(pub).Hex().substr(0, 16);
  ASSIGN_OR_RETURN(const signing::NoteVerifier verifier,
                   signing::NoteVerifier::FromPublicKey(origin, pub));
  return base::WriteFileDurably(fs, KeyFile(layout, "log.vkey"), verifier.VerifierKey() + "\n",
                                kPublic);
}

}  // namespace

Result<std::shared_ptr<signing::Pkcs11Token>> OpenKeyToken(const TokenKeyOptions& options) {
  signing::Pkcs11Options o;
  o.module_path = options.module_path;
  o.token_label = options.token_label;
  o.pin = options.pin;
  return signing::Pkcs11Token::Open(o);
}

Status EnsureTokenKeys(base::FileSystem* fs, const DataDirLayout& layout, base::Time now,
                       const std::shared_ptr<signing::Pkcs11Token>& token,
                       const TokenKeyOptions& options) {
  RETURN_IF_ERROR(fs->CreateDirs(layout.keys(), 0700));
  for (const char* name : {"ca.key", "tsa.key", "log.key"}) {
    if (Exists(fs, KeyFile(layout, name))) {
      return Status::FailedPrecondition(
          KeyFile(layout, name) +
          " があります: このデータディレクトリの鍵はファイルで作られています。kura.toml の [keys] "
          "（PKCS#11）は鍵のないデータディレクトリを初期化するときに設定してください");
    }
  }
  RETURN_IF_ERROR(EnsureTsa(fs, layout, now, token, options));
  RETURN_IF_ERROR(EnsureLog(fs, layout, token, options));
  if (!Exists(fs, KeyFile(layout, kMarker))) {
    RETURN_IF_ERROR(
        base::WriteFileDurably(fs, KeyFile(layout, kMarker), MarkerText(options), kPublic));
  }
  return Status::OK();
}

Status CheckFileKeyMode(base::FileSystem* fs, const DataDirLayout& layout) {
  if (!Exists(fs, KeyFile(layout, kMarker))) return Status::OK();
  return Status::FailedPrecondition(
      "このデータディレクトリの秘密鍵は PKCS#11 トークンにあります（" + KeyFile(layout, kMarker) +
      "）。kura.toml の [keys] にモジュール、トークンと PIN の渡し方を設定してください");
}

Result<std::unique_ptr<signing::NoteSigner>> OpenTokenNoteSigner(
    const std::shared_ptr<signing::Pkcs11Token>& token, const TokenKeyOptions& options,
    const Keys& keys) {
  ASSIGN_OR_RETURN(signing::NoteSigner signer,
                   signing::NoteSigner::FromToken(keys.origin, token, options.log_key_label));
  if (signer.verifier().VerifierKey() != keys.log_vkey) {
    return Status::FailedPrecondition(token->description() + " の鍵「" + options.log_key_label +
                                      "」は keys/log.vkey の台帳の鍵ではありません（別のトークンか"
                                      "ラベルを指定していませんか）");
  }
  return std::make_unique<signing::NoteSigner>(std::move(signer));
}

Result<std::unique_ptr<signing::Timestamper>> OpenTokenTimestamper(
    const std::shared_ptr<signing::Pkcs11Token>& token, const TokenKeyOptions& options,
    const Keys& keys) {
  return signing::NewTokenTimestamper(token, options.tsa_key_label, keys.tsa_cert_pem,
                                      keys.ChainPem());
}

}  // namespace ledger
