#include "ledger/tsa_roll.h"

#include <algorithm>
#include <vector>

#include "signing/tsa_cert_info.h"
#include "signing/tsa_identity.h"

namespace ledger {

using base::Result;
using base::Status;

namespace {

constexpr uint64_t kMaxKeyFile = 1 << 20;
constexpr char kRetiredDir[] = "tsa-retired";

std::string KeyFile(const DataDirLayout& layout, std::string_view name) {
  return base::JoinPath(layout.keys(), name);
}

bool Exists(base::FileSystem* fs, const std::string& path) { return fs->Stat(path).ok(); }

Result<std::string> ReadKey(base::FileSystem* fs, const std::string& path) {
  auto r = fs->ReadFile(path, kMaxKeyFile);
  if (!r.ok() && r.status().IsNotFound()) {
    return Status::NotFound(path + " がありません");
  }
  return r;
}

// Finishes a roll whose .next pair was written: the current certificate
// into tsa-retired/ (once), then key and certificate into place. A lone
// .next file (a crash while the pair was written) is dropped.
Status FinishPendingRoll(base::FileSystem* fs, const DataDirLayout& layout) {
  const std::string next_key = KeyFile(layout, "tsa.key.next");
  const std::string next_crt = KeyFile(layout, "tsa.crt.next");
  const bool has_key = Exists(fs, next_key), has_crt = Exists(fs, next_crt);
  if (!has_key || !has_crt) {
    if (has_key) RETURN_IF_ERROR(fs->RemoveFile(next_key));
    if (has_crt) RETURN_IF_ERROR(fs->RemoveFile(next_crt));
    return Status::OK();
  }
  ASSIGN_OR_RETURN(const std::string current, ReadKey(fs, KeyFile(layout, "tsa.crt")));
  ASSIGN_OR_RETURN(const std::string next, ReadKey(fs, next_crt));
  if (current != next) {
    ASSIGN_OR_RETURN(const signing::CertificateValidity v,
                     signing::PemCertificateValidity(current));
    const std::string dir = KeyFile(layout, kRetiredDir);
    RETURN_IF_ERROR(fs->CreateDirs(dir, 0755));
    const std::string retired = base::JoinPath(dir, v.serial_hex + ".crt");
    if (!Exists(fs, retired)) RETURN_IF_ERROR(base::WriteFileDurably(fs, retired, current, 0644));
  }
  RETURN_IF_ERROR(fs->Rename(next_key, KeyFile(layout, "tsa.key")));
  RETURN_IF_ERROR(fs->Rename(next_crt, KeyFile(layout, "tsa.crt")));
  return fs->SyncDir(layout.keys());
}

}  // namespace

Result<TsaRollOutcome> RollTsaCertificateIfDue(base::FileSystem* fs, const DataDirLayout& layout,
                                               base::Time now, std::chrono::microseconds margin,
                                               bool force) {
  ASSIGN_OR_RETURN(const std::unique_ptr<base::FileLock> lock, fs->LockFile(layout.lock()));
  RETURN_IF_ERROR(FinishPendingRoll(fs, layout));
  ASSIGN_OR_RETURN(const std::string cert_pem, ReadKey(fs, KeyFile(layout, "tsa.crt")));
  ASSIGN_OR_RETURN(const signing::CertificateValidity current,
                   signing::PemCertificateValidity(cert_pem));
  TsaRollOutcome out;
  out.old_serial = current.serial_hex;
  out.old_not_after = current.not_after;
  if (!force && current.not_after > now + margin) return out;
  if (!Exists(fs, KeyFile(layout, "ca.key"))) {
    return Status::FailedPrecondition(
        "タイムスタンプ局の証明書を更新できません: ルート CA の秘密鍵 keys/ca.key がありません");
  }
  ASSIGN_OR_RETURN(const std::string ca_key, ReadKey(fs, KeyFile(layout, "ca.key")));
  ASSIGN_OR_RETURN(const std::string ca_crt, ReadKey(fs, KeyFile(layout, "ca.crt")));
  signing::TsaIdentityOptions options;
  options.not_before = now;
  options.clamp_to_ca = true;
  ASSIGN_OR_RETURN(const signing::TsaIdentity next,
                   signing::RenewTsaIdentity(ca_key, ca_crt, options));
  // The key first: a certificate without its key would be useless.
  RETURN_IF_ERROR(
      base::WriteFileDurably(fs, KeyFile(layout, "tsa.key.next"), next.tsa_key_pem, 0600));
  RETURN_IF_ERROR(
      base::WriteFileDurably(fs, KeyFile(layout, "tsa.crt.next"), next.tsa_cert_pem, 0644));
  RETURN_IF_ERROR(FinishPendingRoll(fs, layout));
  ASSIGN_OR_RETURN(const signing::CertificateValidity v,
                   signing::PemCertificateValidity(next.tsa_cert_pem));
  out.rolled = true;
  out.new_serial = v.serial_hex;
  out.new_not_after = v.not_after;
  return out;
}

Result<std::string> RetiredTsaCertificatesPem(base::FileSystem* fs, const DataDirLayout& layout) {
  const std::string dir = KeyFile(layout, kRetiredDir);
  if (!Exists(fs, dir)) return std::string();
  ASSIGN_OR_RETURN(std::vector<std::string> names, fs->ListDir(dir));
  std::sort(names.begin(), names.end());
  std::string pem;
  for (const std::string& name : names) {
    if (name.size() < 4 || name.substr(name.size() - 4) != ".crt") continue;
    ASSIGN_OR_RETURN(const std::string one, ReadKey(fs, base::JoinPath(dir, name)));
    pem += one;
  }
  return pem;
}

}  // namespace ledger
