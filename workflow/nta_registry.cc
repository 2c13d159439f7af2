// The registry's snapshots (nta_registry.h): building one with MDB_APPEND,
// swapping it in, applying a 差分, looking numbers up, and the check.
#include "workflow/nta_registry.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <utility>

#include "base/json.h"
#include "base/status.h"
#include "base/text.h"
#include "storage/lmdb_env.h"
#include "workflow/internal/registry_codec.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;
namespace fs = std::filesystem;

namespace internal {

std::string RegistryKey(uint64_t key) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%013llu", static_cast<unsigned long long>(key));
  return buf;
}

void AppendRegistryValue(const RegistryEntry& e, std::string* out) {
  constexpr char kSep = '\x1f';
  for (const std::string* s : {&e.kind, &e.process}) out->append(*s).push_back(kSep);
  out->push_back(e.latest ? '1' : '0');
  out->push_back(kSep);
  for (const std::string* s : {&e.registered, &e.updated, &e.cancelled, &e.expired}) {
    out->append(*s).push_back(kSep);
  }
  out->append(std::to_string(e.sequence)).push_back(kSep);
  out->append(e.name).push_back(kSep);
  out->append(e.kana).push_back(kSep);
  out->append(e.address);
}

Result<RegistryEntry> DecodeRegistryValue(std::string_view key, std::string_view value) {
  std::vector<std::string_view> f;
  for (size_t pos = 0;;) {
    const size_t sep = value.find('\x1f', pos);
    f.push_back(value.substr(pos, sep == std::string_view::npos ? sep : sep - pos));
    if (sep == std::string_view::npos) break;
    pos = sep + 1;
  }
  if (f.size() != 11 || key.size() != 13) {
    return Status::Corruption("公表データの記録が壊れています: " + std::string(key));
  }
  RegistryEntry e;
  e.number = "T" + std::string(key);
  e.kind = f[0];
  e.process = f[1];
  e.latest = f[2] == "1";
  e.registered = f[3];
  e.updated = f[4];
  e.cancelled = f[5];
  e.expired = f[6];
  e.sequence = std::strtoull(std::string(f[7]).c_str(), nullptr, 10);
  e.name = f[8];
  e.kana = f[9];
  e.address = f[10];
  return e;
}

}  // namespace internal

namespace {

constexpr char kCurrent[] = "current";
constexpr char kSnapshotKey[] = "snapshot";
constexpr size_t kBatchRows = 250000;

Status FsError(const std::string& what, const std::error_code& ec) {
  return Status::IOError(what + ": " + ec.message());
}

RegistrySnapshot SnapshotFromJson(const json& j) {
  RegistrySnapshot s;
  s.seq = j.value("seq", uint64_t{0});
  s.id = j.value("id", "");
  s.kind = j.value("kind", "");
  s.diff_date = j.value("diff_date", "");
  s.imported_at = j.value("imported_at", "");
  s.rows = j.value("rows", uint64_t{0});
  if (j.contains("files")) s.files = j.at("files");
  return s;
}

Status SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Status::FromErrno(dir, errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  return rc == 0 ? Status::OK() : Status::FromErrno(dir, err);
}

}  // namespace

json ToJson(const RegistrySnapshot& s) {
  return {{"id", s.id},           {"seq", s.seq},   {"kind", s.kind},
          {"diff_date", s.diff_date}, {"imported_at", s.imported_at},
          {"rows", s.rows},       {"files", s.files}};
}

struct NtaRegistry::Rep {
  std::string dir;
  mutable std::mutex mu;
  // The snapshot in use: its directory name (the link's target), env, tables.
  mutable std::string target;
  mutable std::shared_ptr<storage::Env> env;
  mutable storage::Table rows, meta;
  mutable RegistrySnapshot snapshot;
  mutable uint64_t snapshot_txn = 0;  // LastCommitted() when snapshot was read
  int lock_fd = -1;

  // Re-reads registry/current and reopens if it names another snapshot.
  Status Refresh() const {
    char buf[256];
    const ssize_t n = ::readlink((dir + "/" + kCurrent).c_str(), buf, sizeof buf - 1);
    const std::string now = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    std::lock_guard<std::mutex> lock(mu);
    if (now == target && (env || now.empty())) return Status::OK();
    env.reset();
    snapshot = RegistrySnapshot{};
    target = now;
    if (now.empty()) return Status::OK();
    ASSIGN_OR_RETURN(std::unique_ptr<storage::Env> opened,
                     storage::Env::Open(dir + "/" + now, storage::EnvOptions{}));
    ASSIGN_OR_RETURN(rows, opened->OpenTable("rows"));
    ASSIGN_OR_RETURN(meta, opened->OpenTable("meta"));
    env = std::move(opened);
    snapshot_txn = 0;
    return ReadSnapshotLocked();
  }

  // Re-reads the snapshot record if a write (a 差分, perhaps by another
  // process) committed since it was read. REQUIRES: mu held, env set.
  Status ReadSnapshotLocked() const {
    const uint64_t last = env->LastCommitted();
    if (last == snapshot_txn) return Status::OK();
    RETURN_IF_ERROR(env->Read([&](const storage::ReadTxn& txn) {
      ASSIGN_OR_RETURN(const std::string_view bytes, txn.Get(meta, kSnapshotKey));
      ASSIGN_OR_RETURN(const json j, base::ParseJson(bytes));
      snapshot = SnapshotFromJson(j);
      return Status::OK();
    }));
    snapshot_txn = last;
    return Status::OK();
  }
};

NtaRegistry::NtaRegistry(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
NtaRegistry::~NtaRegistry() {
  if (rep_->lock_fd >= 0) ::close(rep_->lock_fd);
}

Result<std::unique_ptr<NtaRegistry>> NtaRegistry::Open(const std::string& dir) {
  auto rep = std::make_unique<Rep>();
  rep->dir = dir;
  RETURN_IF_ERROR(rep->Refresh());
  return std::unique_ptr<NtaRegistry>(new NtaRegistry(std::move(rep)));
}

RegistrySnapshot NtaRegistry::snapshot() const {
  (void)rep_->Refresh();
  std::lock_guard<std::mutex> lock(rep_->mu);
  if (rep_->env) (void)rep_->ReadSnapshotLocked();
  return rep_->snapshot;
}

Result<std::optional<RegistryEntry>> NtaRegistry::Lookup(std::string_view number) const {
  RETURN_IF_ERROR(rep_->Refresh());
  std::shared_ptr<storage::Env> env;
  storage::Table rows;
  {
    std::lock_guard<std::mutex> lock(rep_->mu);
    env = rep_->env;
    rows = rep_->rows;
  }
  if (!env) {
    return Status::FailedPrecondition(
        "国税庁の公表データがまだ取り込まれていません（kura registry import で取り込みます）");
  }
  if (number.size() == 14 && number[0] == 'T') number.remove_prefix(1);
  std::optional<RegistryEntry> out;
  RETURN_IF_ERROR(env->Read([&](const storage::ReadTxn& txn) {
    auto v = txn.Get(rows, number);
    if (!v.ok()) return v.status().IsNotFound() ? Status::OK() : v.status();
    ASSIGN_OR_RETURN(out, internal::DecodeRegistryValue(number, *v));
    return Status::OK();
  }));
  return out;
}

Status NtaRegistry::LockForImport() {
  std::error_code ec;
  fs::create_directories(rep_->dir, ec);
  if (ec) return FsError(rep_->dir + " を作れません", ec);
  const std::string path = rep_->dir + "/LOCK";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Status::FromErrno(path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::Unavailable("別の公表データの取り込みが実行中です。終わってからやり直してください");
  }
  rep_->lock_fd = fd;
  return Status::OK();
}

namespace {

// Writes the sorted rows into a new environment in dir with MDB_APPEND,
// in batches (each a commit), then the snapshot record.
Status BuildSnapshot(const std::string& dir, const RegistryRows::Rep& rows,
                     const RegistrySnapshot& snapshot) {
  storage::EnvOptions options;
  options.max_tables = 4;
  options.initial_map_size = ((rows.arena.size() * 3 / 2 + rows.items.size() * 64) | 0xFFFFF) + 1 +
                             (uint64_t{64} << 20);
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Env> env, storage::Env::Open(dir, options));
  ASSIGN_OR_RETURN(const storage::Table table, env->OpenTable("rows"));
  ASSIGN_OR_RETURN(const storage::Table meta, env->OpenTable("meta"));
  for (size_t i = 0; i < rows.items.size(); i += kBatchRows) {
    const size_t end = std::min(rows.items.size(), i + kBatchRows);
    RETURN_IF_ERROR(env->Write([&](storage::WriteTxn& txn) {
      for (size_t k = i; k < end; ++k) {
        const internal::RegistryItem& item = rows.items[k];
        if (item.deleted) continue;
        RETURN_IF_ERROR(txn.Append(table, internal::RegistryKey(item.key),
                                   std::string_view(rows.arena).substr(item.offset, item.length)));
      }
      return Status::OK();
    }));
  }
  return env->Write([&](storage::WriteTxn& txn) {
    RegistrySnapshot s = snapshot;
    ASSIGN_OR_RETURN(s.rows, txn.Count(table));
    return txn.Put(meta, kSnapshotKey, base::DumpJson(ToJson(s)));
  });
}

std::string SnapshotDirName(uint64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "snap-%06llu", static_cast<unsigned long long>(seq));
  return buf;
}

}  // namespace

Result<RegistrySnapshot> NtaRegistry::InstallFull(RegistryRows rows, RegistrySnapshot snapshot,
                                                  const std::function<Status()>& commit) {
  rows.SortAndDeduplicate();
  const std::string& dir = rep_->dir;
  const std::string tmp = dir + "/tmp-" + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec) return FsError(tmp + " を作れません", ec);
  Status s = BuildSnapshot(tmp, *rows.rep_, snapshot);
  if (s.ok()) s = commit();
  if (!s.ok()) {
    fs::remove_all(tmp, ec);
    return s;
  }
  const std::string name = SnapshotDirName(snapshot.seq);
  fs::remove_all(dir + "/" + name, ec);
  fs::rename(tmp, dir + "/" + name, ec);
  if (ec) return FsError(name + " に名前を変えられません", ec);
  const std::string link = dir + "/current.tmp";
  fs::remove(link, ec);
  fs::create_symlink(name, link, ec);
  if (!ec) fs::rename(link, dir + "/" + kCurrent, ec);
  if (ec) return FsError("公表データの切り替え（current）", ec);
  RETURN_IF_ERROR(SyncDir(dir));
  std::string old;
  {
    std::lock_guard<std::mutex> lock(rep_->mu);
    old = rep_->target;
  }
  RETURN_IF_ERROR(rep_->Refresh());
  if (!old.empty() && old != name) fs::remove_all(dir + "/" + old, ec);
  return this->snapshot();
}

Result<RegistrySnapshot> NtaRegistry::ApplyDiff(RegistryRows rows, RegistrySnapshot snapshot,
                                                const std::function<Status()>& commit) {
  RETURN_IF_ERROR(rep_->Refresh());
  std::shared_ptr<storage::Env> env;
  {
    std::lock_guard<std::mutex> lock(rep_->mu);
    env = rep_->env;
  }
  if (!env) {
    return Status::FailedPrecondition("差分を当てる前に、全件データを取り込んでください");
  }
  rows.SortAndDeduplicate();
  RETURN_IF_ERROR(commit());
  const RegistryRows::Rep& r = *rows.rep_;
  RETURN_IF_ERROR(env->Write([&](storage::WriteTxn& txn) {
    for (const internal::RegistryItem& item : r.items) {
      const std::string key = internal::RegistryKey(item.key);
      if (item.deleted) {
        const Status d = txn.Delete(rep_->rows, key);
        if (!d.ok() && !d.IsNotFound()) return d;
        continue;
      }
      RETURN_IF_ERROR(
          txn.Put(rep_->rows, key, std::string_view(r.arena).substr(item.offset, item.length)));
    }
    RegistrySnapshot s = snapshot;
    ASSIGN_OR_RETURN(s.rows, txn.Count(rep_->rows));
    return txn.Put(rep_->meta, kSnapshotKey, base::DumpJson(ToJson(s)));
  }));
  return this->snapshot();  // the record is re-read: a write committed
}

// ---- The check ----

namespace {

void CheckDates(const RegistryEntry& e, RegistryCheck* c, std::string_view today) {
  const std::string& d = c->date;
  if (e.registered > d) {
    c->status = "not_yet_registered";
    c->reasons.push_back(d + " の時点では登録されていません（登録年月日 " +
                         e.registered + "）");
  } else if (!e.cancelled.empty() && e.cancelled <= d) {
    c->status = "cancelled";
    c->reasons.push_back(d + " までに登録が取り消されています（取消年月日 " +
                         e.cancelled + "）");
  } else if (!e.expired.empty() && e.expired <= d) {
    c->status = "expired";
    c->reasons.push_back(d + " までに登録が失効しています（失効年月日 " +
                         e.expired + "）");
  } else {
    c->status = "valid";
    std::string lapse = e.cancelled;
    if (lapse.empty() || (!e.expired.empty() && e.expired < lapse)) lapse = e.expired;
    if (!lapse.empty() && lapse <= today) c->lapsed_on = lapse;
  }
}

}  // namespace

RegistryCheck CheckRegistration(const NtaRegistry* registry, std::string_view number,
                                std::string_view date, std::string_view vendor_name,
                                std::string_view today) {
  RegistryCheck c;
  c.number = std::string(number);
  c.date = std::string(date);
  c.vendor_name = std::string(vendor_name);
  if (number.empty()) {
    c.status = "no_number";
    c.reasons.push_back("登録番号が記載されていません");
    return c;
  }
  if (date.empty()) {
    c.status = "no_date";
    c.reasons.push_back("請求書の日付がないため、登録の有無を確かめられません");
    return c;
  }
  if (registry) c.snapshot = registry->snapshot();
  if (!registry || c.snapshot.seq == 0) {
    c.status = "no_registry";
    c.reasons.push_back("国税庁の公表データがまだ取り込まれていません");
    return c;
  }
  auto found = registry->Lookup(number);
  if (!found.ok() || !found->has_value()) {
    c.status = found.ok() ? "not_found" : "no_registry";
    c.reasons.push_back(found.ok() ? "登録番号 " + c.number + " は公表データにありません"
                                   : found.status().message());
    return c;
  }
  c.entry = std::move(**found);
  CheckDates(*c.entry, &c, today);
  if (c.entry->kind == "2" && !vendor_name.empty()) {
    c.name_matches = base::NormalizeName(c.entry->name) == base::NormalizeName(vendor_name);
    if (!*c.name_matches) {
      c.reasons.push_back("公表されている名称「" + c.entry->name + "」が取引先名「" +
                          c.vendor_name + "」と一致しません");
    }
  }
  return c;
}

json ToJson(const RegistryCheck& c) {
  json j = {{"status", c.status},
            {"ok", c.ok()},
            {"number", c.number},
            {"date", c.date},
            {"name_matches", c.name_matches ? json(*c.name_matches) : json(nullptr)},
            {"vendor_name", c.vendor_name},
            {"lapsed_on", c.lapsed_on},
            {"reasons", c.reasons},
            {"snapshot", ToJson(c.snapshot)},
            {"attribution", std::string(kRegistryAttribution)}};
  if (c.entry) {
    j["registered_name"] = c.entry->name;
    j["kind"] = c.entry->kind;
    j["registered_on"] = c.entry->registered;
    j["cancelled_on"] = c.entry->cancelled;
    j["expired_on"] = c.entry->expired;
  }
  return j;
}

json ToJson(const LapsedList& list) {
  json items = json::array();
  for (const LapsedRegistration& r : list.items) {
    items.push_back({{"id", r.document_id},
                     {"issue_date", r.issue_date},
                     {"counterparty", r.counterparty},
                     {"registration_number", r.registration_number},
                     {"lapsed_on", r.lapsed_on},
                     {"kind", r.kind},
                     {"cancelled_on", r.cancelled_on},
                     {"expired_on", r.expired_on},
                     {"registered_name", r.registered_name}});
  }
  return {{"count", list.items.size()},
          {"items", std::move(items)},
          {"snapshot", ToJson(list.snapshot)},
          {"attribution", std::string(kRegistryAttribution)}};
}

}  // namespace workflow
