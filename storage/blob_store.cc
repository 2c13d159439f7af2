#include "storage/blob_store.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>

#include <unistd.h>

#include "base/hex.h"
#include "base/text.h"

namespace storage {

using base::Result;
using base::Status;

namespace {
constexpr uint32_t kObjectMode = 0444;
constexpr std::string_view kIntentSuffix = ".intent";  // kura before intent logs
constexpr std::string_view kIntentLogSuffix = ".intents";
constexpr uint64_t kIntentLogBytes = 64 * 1024;  // then a new generation
}  // namespace

BlobStore::BlobStore(base::FileSystem* fs, std::string root) : fs_(fs), root_(std::move(root)) {}

BlobStore::~BlobStore() {
  if (!live_) return;
  // A clean exit makes the last renames durable and drops the logs whose
  // batches all finished; a log with an unfinished batch stays for Recover.
  bool finished = false;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (log_file_) log_file_->Close().IgnoreError();
    log_file_.reset();
    for (const auto& [gen, log] : logs_) finished = finished || log.open_batches == 0;
  }
  if (finished) Sync().IgnoreError();  // if it fails, the next Recover finishes the job
  // Unlinked while still locked, so no Recover takes it for a dead writer's.
  fs_->RemoveFile(base::JoinPath(TmpDir(), tag_ + ".live")).IgnoreError();
  live_.reset();
}

std::string BlobStore::TmpDir() const { return base::JoinPath(root_, "tmp"); }

Status BlobStore::Init() {
  RETURN_IF_ERROR(fs_->CreateDirs(base::JoinPath(root_, "sha256")));
  return fs_->CreateDirs(TmpDir());
}

std::string BlobStore::PathFor(std::string_view hex) const {
  std::string p = root_;
  p += "/sha256/";
  p.append(hex.substr(0, 2));
  p += '/';
  p.append(hex.substr(2, 2));
  p += '/';
  p.append(hex);
  return p;
}

namespace {
Status CheckHex(std::string_view hex) {
  return base::IsLowerHex(hex, 64)
             ? Status::OK()
             : Status::InvalidArgument("「" + base::PrintableText(hex) +
                                       "」は SHA-256 のダイジェスト（小文字の 16 進数 64 文字）"
                                       "ではありません");
}
}  // namespace

Result<bool> BlobStore::Contains(std::string_view hex) const {
  RETURN_IF_ERROR(CheckHex(hex));
  auto info = fs_->Stat(PathFor(hex));
  if (info.ok()) return true;
  if (info.status().IsNotFound()) return false;
  return info.status();
}

Result<std::string> BlobStore::Read(std::string_view hex, uint64_t max_bytes) const {
  RETURN_IF_ERROR(CheckHex(hex));
  return fs_->ReadFile(PathFor(hex), max_bytes);
}

Result<std::unique_ptr<base::SequentialFile>> BlobStore::Open(std::string_view hex) const {
  RETURN_IF_ERROR(CheckHex(hex));
  return fs_->OpenSequential(PathFor(hex));
}

void BlobStore::Batch::Add(std::string hex, std::string_view bytes) {
  items_.push_back(Item{std::move(hex), bytes, std::string()});
}

void BlobStore::Batch::AddFile(std::string hex, std::string path) {
  items_.push_back(Item{std::move(hex), std::string_view(), std::move(path)});
}

std::vector<std::string> BlobStore::Batch::digests() const {
  std::vector<std::string> out;
  out.reserve(items_.size());
  for (const auto& item : items_) out.push_back(item.hex);
  return out;
}

namespace {

// tmp/ file names: "<tag>.live" (the lock), "<tag>.new" (a live lock being
// created), "<tag>.<gen>.intents", "<tag>.<n>.<hex>.tmp", "<tag>.<n>.incoming"
// (IncomingPath; "<tag>.<n>.intent" of the last version before logs). Files of kura
// versions before tags ("<pid>-<n>.intent", "<hex>.tmp") parse as tags of
// their own without a live file, i.e. as dead writers.
std::string TagOf(std::string_view name) { return std::string(name.substr(0, name.find('.'))); }

bool HasSuffix(std::string_view name, std::string_view suffix) {
  return name.size() > suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string NewTag() {
  std::random_device rd;
  char buf[32];
  std::snprintf(buf, sizeof buf, "w%d-%08x", static_cast<int>(::getpid()),
                static_cast<unsigned>(rd()));
  return buf;
}

}  // namespace

Status BlobStore::OpenForWriting() {
  if (live_) return Status::OK();
  // The lock is taken on a file under a temporary name and then renamed to
  // <tag>.live, so that "<tag>.live" only ever names a locked file. A
  // Recover that removes the ".new" file first makes the rename fail: try
  // again with another tag.
  Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    const std::string tag = NewTag();
    const std::string fresh = base::JoinPath(TmpDir(), tag + ".new");
    {
      ASSIGN_OR_RETURN(auto f, fs_->NewWritableFile(fresh, 0644));
      RETURN_IF_ERROR(f->Close());
    }
    auto lock = fs_->LockFile(fresh);
    if (!lock.ok()) {
      last = lock.status();
      continue;
    }
    last = fs_->Rename(fresh, base::JoinPath(TmpDir(), tag + ".live"));
    if (last.ok()) {
      tag_ = tag;
      live_ = std::move(*lock);
      return Status::OK();
    }
  }
  return last.WithContext("原本の保管場所（objects/tmp）に書き込み用のロックを作れません");
}

Result<std::string> BlobStore::IncomingPath() {
  if (tag_.empty()) {
    return Status::FailedPrecondition(
        "原本の保管場所が書き込み用に開かれていません（IncomingPath の前に OpenForWriting "
        "が必要です）");
  }
  return base::JoinPath(TmpDir(), tag_ + "." + std::to_string(++batch_counter_) + ".incoming");
}

Status BlobStore::Stage(Batch* batch) {
  if (tag_.empty()) {
    return Status::FailedPrecondition(
        "原本の保管場所が書き込み用に開かれていません（Stage の前に OpenForWriting が必要です）");
  }
  batch->store_ = this;
  batch->fresh_.clear();
  batch->created_.clear();
  // Which blobs are new (not stored yet, not earlier in this batch)?
  std::set<std::string_view> seen;
  std::vector<const Batch::Item*> fresh;
  for (const auto& item : batch->items_) {
    if (!seen.insert(item.hex).second) continue;
    ASSIGN_OR_RETURN(const bool exists, Contains(item.hex));
    if (!exists) fresh.push_back(&item);
  }
  if (fresh.empty()) return Status::OK();
  batch->number_ = ++batch_counter_;
  const Status s = StageFiles(batch, fresh);
  if (!s.ok()) Abandon(batch);
  return s;
}

void BlobStore::Abandon(Batch* batch) {
  // Nothing of the batch is at a final path yet: take it all back.
  for (const std::string& hex : batch->fresh_) {
    fs_->RemoveFile(TempPath(*batch, hex)).IgnoreError();
  }
  if (batch->log_ != 0) {
    // Its lines stay in the log; they name no object at a final path.
    std::lock_guard<std::mutex> l(mu_);
    --logs_[batch->log_].open_batches;
  }
  batch->fresh_.clear();
  batch->log_ = 0;
}

std::string BlobStore::TempPath(const Batch& batch, std::string_view hex) const {
  return base::JoinPath(
      TmpDir(), tag_ + "." + std::to_string(batch.number_) + "." + std::string(hex) + ".tmp");
}

Status BlobStore::StageFiles(Batch* batch, const std::vector<const Batch::Item*>& fresh) {
  // Intents first, then the temp files; Publish's syncfs makes them
  // durable. A line is "<n>.<hex>": the temp file is "<tag>.<n>.<hex>.tmp".
  std::string lines;
  for (const auto* item : fresh) {
    lines += std::to_string(batch->number_) + "." + item->hex + "\n";
  }
  RETURN_IF_ERROR(AppendIntents(batch, lines));
  for (const auto* item : fresh) {
    // The object's directory too, here on the writer's thread rather than
    // in Publish, which the whole group waits for.
    RETURN_IF_ERROR(fs_->CreateDirs(base::DirName(PathFor(item->hex))));
    const std::string tmp = TempPath(*batch, item->hex);
    batch->fresh_.push_back(item->hex);
    if (!item->path.empty()) {
      // A file received beforehand: taken over, not copied. Publish's
      // syncfs covers its bytes and the rename alike.
      RETURN_IF_ERROR(fs_->Rename(item->path, tmp));
      RETURN_IF_ERROR(fs_->SetMode(tmp, kObjectMode));
      continue;
    }
    ASSIGN_OR_RETURN(auto f, fs_->NewWritableFile(tmp, kObjectMode));
    RETURN_IF_ERROR(f->Append(item->bytes).WithContext("原本の一時ファイルへの書き込み"));
    RETURN_IF_ERROR(f->Close());
  }
  return Status::OK();
}

Status BlobStore::AppendIntents(Batch* batch, const std::string& lines) {
  // One log for all batches: a file per batch would cost a file creation
  // and a removal per document, which ext4 makes slow when many files of a
  // directory have just been removed.
  std::lock_guard<std::mutex> l(mu_);
  if (!log_file_ || log_bytes_ >= kIntentLogBytes) {
    if (log_file_) RETURN_IF_ERROR(log_file_->Close());
    log_file_.reset();
    const std::string path = base::JoinPath(
        TmpDir(), tag_ + "." + std::to_string(++log_gen_) + std::string(kIntentLogSuffix));
    ASSIGN_OR_RETURN(log_file_, fs_->NewWritableFile(path, 0644));
    logs_[log_gen_].path = path;
    log_bytes_ = 0;
  }
  // A failed or torn append leaves at most a partial last line, which
  // Recover skips: nothing of this batch is renamed before Stage returns.
  RETURN_IF_ERROR(log_file_->Append(lines));
  log_bytes_ += lines.size();
  ++logs_[log_gen_].open_batches;
  batch->log_ = log_gen_;
  return Status::OK();
}

std::vector<std::string> BlobStore::TakeDoneLogs() {
  std::vector<std::string> done;
  for (auto it = logs_.begin(); it != logs_.end();) {
    const IntentLog& log = it->second;
    const bool current = it->first == log_gen_ && log_file_ != nullptr;
    if (!current && log.open_batches == 0 && log.durable_at <= syncs_done_) {
      done.push_back(log.path);
      it = logs_.erase(it);
    } else {
      ++it;
    }
  }
  return done;
}

Status BlobStore::Sync() {
  uint64_t ticket;
  {
    std::lock_guard<std::mutex> l(mu_);
    ticket = ++syncs_started_;
  }
  RETURN_IF_ERROR(fs_->SyncFileSystem(root_));
  std::unique_lock<std::mutex> l(mu_);
  // A sync that completes covers everything done before any sync with a
  // smaller ticket started.
  syncs_done_ = std::max(syncs_done_, ticket);
  // Every rename done before the sync started is durable now, and with it
  // the objects the logs of those batches protected.
  const std::vector<std::string> done = TakeDoneLogs();
  l.unlock();
  // Not synced: a removal lost in a crash only makes Recover look again.
  for (const std::string& log : done) fs_->RemoveFile(log).IgnoreError();
  return Status::OK();
}

Status BlobStore::Publish(const std::vector<Batch*>& batches) {
  bool any = false;
  for (const Batch* b : batches) any = any || !b->fresh_.empty();
  if (!any) return Status::OK();
  // First every staged file and intent of the group durable, in one syncfs
  // (issue 11: one per group instead of one per few writers). If it fails,
  // nothing is at a final path: the batches are taken back, as a failed
  // Stage's.
  if (const Status synced = Sync(); !synced.ok()) {
    for (Batch* b : batches) Abandon(b);
    return synced.WithContext("原本を確定できません");
  }
  // Into place (already read-only: created with mode 0444). The renames are
  // not synced here: until a later sync makes them durable, the intent
  // stays, and Recover redoes a rename a crash lost from the durable temp
  // file. Two writers of a group may carry the same bytes: the second
  // rename replaces an identical file.
  for (Batch* b : batches) {
    for (const std::string& hex : b->fresh_) {
      const std::string path = PathFor(hex);
      Status s = fs_->Rename(TempPath(*b, hex), path);
      if (s.IsNotFound()) {  // Stage made the directory; it should be there
        RETURN_IF_ERROR(fs_->CreateDirs(base::DirName(path)));
        s = fs_->Rename(TempPath(*b, hex), path);
      }
      RETURN_IF_ERROR(s);
      b->created_.push_back(hex);
    }
  }
  return Status::OK();
}

Status BlobStore::Prepare(Batch* batch) {
  RETURN_IF_ERROR(OpenForWriting());
  RETURN_IF_ERROR(Stage(batch));
  return Publish({batch});
}

void BlobStore::Finish(const Batch& batch) {
  if (batch.log_ == 0) return;
  // Its renames are durable after the next sync that starts from now on.
  std::lock_guard<std::mutex> l(mu_);
  IntentLog& log = logs_[batch.log_];
  --log.open_batches;
  log.durable_at = std::max(log.durable_at, syncs_started_ + 1);
}

Status BlobStore::RecoverIntent(const std::string& path,
                                const std::function<Result<bool>(std::string_view)>& referenced,
                                bool* redone) {
  ASSIGN_OR_RETURN(const std::string list, fs_->ReadFile(path, uint64_t{1} << 30));
  // A log "<tag>.<gen>.intents" has lines "<n>.<hex>"; an intent file of
  // kura before logs, "<tag>.<n>.intent", lines "<hex>". Either way the
  // temp file is "<tag>.<n>.<hex>.tmp".
  const std::string name = path.substr(TmpDir().size() + 1);
  const bool log = HasSuffix(name, kIntentLogSuffix);
  const std::string prefix = log ? TagOf(name) : name.substr(0, name.size() - kIntentSuffix.size());
  size_t pos = 0;
  while (pos < list.size()) {
    size_t nl = list.find('\n', pos);
    if (nl == std::string::npos) nl = list.size();
    const std::string line = list.substr(pos, nl - pos);
    pos = nl + 1;
    // A torn last line: its object was never renamed.
    if (line.size() < 64 ||
        (log ? line.size() < 66 || line[line.size() - 65] != '.' : line.size() != 64)) {
      continue;
    }
    const std::string hex = line.substr(line.size() - 64);
    if (!base::IsLowerHex(hex, 64)) continue;
    const std::string tmp = base::JoinPath(TmpDir(), prefix + "." + line + ".tmp");
    ASSIGN_OR_RETURN(const bool used, referenced(hex));
    ASSIGN_OR_RETURN(const bool stored, Contains(hex));
    if (used && !stored && fs_->Stat(tmp).ok()) {
      // Committed, but the rename did not survive the crash: redo it from
      // the temp file, whose bytes were made durable before the commit.
      RETURN_IF_ERROR(fs_->CreateDirs(base::DirName(PathFor(hex))));
      RETURN_IF_ERROR(fs_->Rename(tmp, PathFor(hex)));
      *redone = true;
    } else if (!used && stored) {
      const Status s = fs_->RemoveFile(PathFor(hex));
      if (!s.ok() && !s.IsNotFound()) return s;
    }
  }
  return Status::OK();
}

Status BlobStore::RecoverTag(const std::string& tag, const std::vector<std::string>& names,
                             const std::function<Result<bool>(std::string_view)>& referenced) {
  const std::string live = base::JoinPath(TmpDir(), tag + ".live");
  std::unique_ptr<base::FileLock> lock;
  if (std::find(names.begin(), names.end(), tag + ".live") != names.end()) {
    auto taken = fs_->LockFile(live);
    if (!taken.ok()) return Status::OK();  // its writer is alive
    lock = std::move(*taken);
  }
  // First every intent (redoing lost renames, made durable before any
  // intent goes), then the files.
  bool redone = false;
  for (const std::string& name : names) {
    if (TagOf(name) == tag &&
        (HasSuffix(name, kIntentSuffix) || HasSuffix(name, kIntentLogSuffix))) {
      RETURN_IF_ERROR(RecoverIntent(base::JoinPath(TmpDir(), name), referenced, &redone));
    }
  }
  if (redone) RETURN_IF_ERROR(fs_->SyncFileSystem(root_));
  for (const std::string& name : names) {
    if (TagOf(name) != tag || name == tag + ".live") continue;
    const Status s = fs_->RemoveFile(base::JoinPath(TmpDir(), name));
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  if (lock) {
    const Status s = fs_->RemoveFile(live);
    if (!s.ok() && !s.IsNotFound()) return s;
  }
  return Status::OK();
}

Status BlobStore::Recover(const std::function<Result<bool>(std::string_view)>& referenced) {
  ASSIGN_OR_RETURN(const auto names, fs_->ListDir(TmpDir()));
  std::set<std::string> tags;
  for (const auto& name : names) {
    const std::string tag = TagOf(name);
    if (tag == tag_) continue;  // ours
    if (HasSuffix(name, ".new")) {
      // A live lock being created, or left by a writer that died creating
      // it; a writer whose ".new" file goes away picks another tag.
      auto taken = fs_->LockFile(base::JoinPath(TmpDir(), name));
      if (taken.ok()) fs_->RemoveFile(base::JoinPath(TmpDir(), name)).IgnoreError();
      continue;
    }
    tags.insert(tag);
  }
  for (const std::string& tag : tags) RETURN_IF_ERROR(RecoverTag(tag, names, referenced));
  return tags.empty() ? Status::OK() : fs_->SyncFileSystem(root_);
}

}  // namespace storage
