#include "ledger/keys.h"

#include "signing/note.h"
#include "signing/sha256.h"
#include "signing/tsa_identity.h"

namespace ledger {

using base::Result;
using base::Status;

namespace {
constexpr uint32_t kSecret = 0600;
constexpr uint32_t kPublic = 0644;
constexpr uint64_t kMaxKeyFile = 1 << 20;

std::string KeyFile(const DataDirLayout& layout, const char* name) {
  return base::JoinPath(layout.keys(), name);
}

bool Exists(base::FileSystem* fs, const std::string& path) { return fs->Stat(path).ok(); }

Result<std::string> Read(base::FileSystem* fs, const std::string& path) {
  auto r = fs->ReadFile(path, kMaxKeyFile);
  if (!r.ok() && r.status().IsNotFound()) {
    return Status::NotFound(path + " がありません（kura init を実行して鍵を作成してください）");
  }
  return r;
}
}  // namespace

Status EnsureKeys(base::FileSystem* fs, const DataDirLayout& layout, base::Time now) {
  RETURN_IF_ERROR(fs->CreateDirs(layout.keys(), 0700));
  if (!Exists(fs, KeyFile(layout, "tsa.crt"))) {
    signing::TsaIdentityOptions options;
    options.not_before = now;
    ASSIGN_OR_RETURN(const signing::TsaIdentity id, signing::GenerateTsaIdentity(options));
    // Private keys first: a certificate without its key would be useless.
    RETURN_IF_ERROR(base::WriteFileDurably(fs, KeyFile(layout, "ca.key"), id.ca_key_pem, kSecret));
    RETURN_IF_ERROR(
        base::WriteFileDurably(fs, KeyFile(layout, "tsa.key"), id.tsa_key_pem, kSecret));
    RETURN_IF_ERROR(base::WriteFileDurably(fs, KeyFile(layout, "ca.crt"), id.ca_cert_pem, kPublic));
    RETURN_IF_ERROR(
        base::WriteFileDurably(fs, KeyFile(layout, "tsa.crt"), id.tsa_cert_pem, kPublic));
  }
  if (!Exists(fs, KeyFile(layout, "log.vkey"))) {
    ASSIGN_OR_RETURN(const std::string pem, signing::GenerateEd25519KeyPem());
    // The origin names the key, so it needs the public key first.
    ASSIGN_OR_RETURN(const signing::NoteSigner probe,
                     signing::NoteSigner::FromPkcs8Pem("kura", pem));
    const std::string origin =
        "kura/" + signing::Sha256(probe.verifier().public_key()).Hex().substr(0, 16);
    ASSIGN_OR_RETURN(const signing::NoteSigner signer,
                     signing::NoteSigner::FromPkcs8Pem(origin, pem));
    RETURN_IF_ERROR(base::WriteFileDurably(fs, KeyFile(layout, "log.key"), pem, kSecret));
    RETURN_IF_ERROR(base::WriteFileDurably(fs, KeyFile(layout, "log.vkey"),
                                           signer.verifier().VerifierKey() + "\n", kPublic));
  }
  return Status::OK();
}

Result<Keys> LoadKeys(base::FileSystem* fs, const DataDirLayout& layout, bool with_private) {
  Keys k;
  ASSIGN_OR_RETURN(k.ca_cert_pem, Read(fs, KeyFile(layout, "ca.crt")));
  ASSIGN_OR_RETURN(k.tsa_cert_pem, Read(fs, KeyFile(layout, "tsa.crt")));
  ASSIGN_OR_RETURN(std::string vkey, Read(fs, KeyFile(layout, "log.vkey")));
  while (!vkey.empty() && (vkey.back() == '\n' || vkey.back() == '\r')) vkey.pop_back();
  k.log_vkey = vkey;
  ASSIGN_OR_RETURN(const signing::NoteVerifier verifier,
                   signing::NoteVerifier::FromVerifierKey(k.log_vkey));
  k.origin = verifier.name();
  if (with_private) {
    ASSIGN_OR_RETURN(k.tsa_key_pem, Read(fs, KeyFile(layout, "tsa.key")));
    ASSIGN_OR_RETURN(k.log_key_pem, Read(fs, KeyFile(layout, "log.key")));
  }
  return k;
}

}  // namespace ledger
