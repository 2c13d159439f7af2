#include "storage/blob_store.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>

#include <unistd.h>

#include "base/hex.h"

namespace storage {

using base::Result;
using base::Status;

namespace {
constexpr uint32_t kObjectMode = 0444;
constexpr std::string_view kIntentSuffix = ".intent";
}  // namespace

BlobStore::BlobStore(base::FileSystem* fs, std::string root) : fs_(fs), root_(std::move(root)) {}

BlobStore::~BlobStore() {
  if (!live_) return;
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
             : Status::InvalidArgument("not a SHA-256 digest: \"" + std::string(hex) + "\"");
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
  items_.push_back(Item{std::move(hex), bytes});
}

std::vector<std::string> BlobStore::Batch::digests() const {
  std::vector<std::string> out;
  out.reserve(items_.size());
  for (const auto& item : items_) out.push_back(item.hex);
  return out;
}

namespace {

// tmp/ file names: "<tag>.live" (the lock), "<tag>.new" (a live lock being
// created), "<tag>.<n>.intent", "<tag>.<n>.<hex>.tmp". Files of kura
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
  return last.WithContext("objects: claiming a writer tag");
}

Status BlobStore::Stage(Batch* batch) {
  if (tag_.empty()) return Status::FailedPrecondition("objects: Stage before OpenForWriting");
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
  if (!s.ok()) {
    // Nothing of the batch is at a final path yet: take it all back.
    for (const std::string& hex : batch->fresh_) {
      fs_->RemoveFile(TempPath(*batch, hex)).IgnoreError();
    }
    fs_->RemoveFile(batch->intent_path_).IgnoreError();
    batch->fresh_.clear();
    batch->intent_path_.clear();
  }
  return s;
}

std::string BlobStore::TempPath(const Batch& batch, std::string_view hex) const {
  return base::JoinPath(
      TmpDir(), tag_ + "." + std::to_string(batch.number_) + "." + std::string(hex) + ".tmp");
}

Status BlobStore::StageFiles(Batch* batch, const std::vector<const Batch::Item*>& fresh) {
  // Intent first, then the temp files; one syncfs makes all of it durable
  // before Stage returns. The writer pays it on its own thread, beside the
  // other writers (concurrent syncfs calls share their work), not in the
  // group's serialised commit. (One syncfs measured cheaper here than an
  // fsync of the intent, the file and tmp/ for even a single document.)
  std::string intent;
  for (const auto* item : fresh) {
    intent += item->hex;
    intent += '\n';
  }
  batch->intent_path_ = base::JoinPath(
      TmpDir(), tag_ + "." + std::to_string(batch->number_) + std::string(kIntentSuffix));
  {
    ASSIGN_OR_RETURN(auto f, fs_->NewWritableFile(batch->intent_path_, 0644));
    RETURN_IF_ERROR(f->Append(intent));
    RETURN_IF_ERROR(f->Close());
  }
  for (const auto* item : fresh) {
    const std::string tmp = TempPath(*batch, item->hex);
    batch->fresh_.push_back(item->hex);
    ASSIGN_OR_RETURN(auto f, fs_->NewWritableFile(tmp, kObjectMode));
    RETURN_IF_ERROR(f->Append(item->bytes).WithContext(tmp));
    RETURN_IF_ERROR(f->Close());
  }
  return fs_->SyncFileSystem(root_);
}

Status BlobStore::Publish(const std::vector<Batch*>& batches) {
  bool any = false;
  for (const Batch* b : batches) any = any || !b->fresh_.empty();
  if (!any) return Status::OK();
  // Into place (already read-only: created with mode 0444), then make the
  // directory entries durable. Two writers of a group may carry the same
  // bytes: the second rename replaces an identical file.
  for (Batch* b : batches) {
    for (const std::string& hex : b->fresh_) {
      const std::string path = PathFor(hex);
      RETURN_IF_ERROR(fs_->CreateDirs(base::DirName(path)));
      RETURN_IF_ERROR(fs_->Rename(TempPath(*b, hex), path));
      b->created_.push_back(hex);
    }
  }
  return fs_->SyncFileSystem(root_);
}

Status BlobStore::Prepare(Batch* batch) {
  RETURN_IF_ERROR(OpenForWriting());
  RETURN_IF_ERROR(Stage(batch));
  return Publish({batch});
}

void BlobStore::Finish(const Batch& batch) {
  // Not synced: if the removal is lost in a crash, Recover finds every
  // object referenced and only deletes the intent again.
  if (!batch.intent_path_.empty()) fs_->RemoveFile(batch.intent_path_).IgnoreError();
}

Status BlobStore::RecoverIntent(const std::string& path,
                                const std::function<Result<bool>(std::string_view)>& referenced) {
  ASSIGN_OR_RETURN(const std::string list, fs_->ReadFile(path, uint64_t{1} << 30));
  size_t pos = 0;
  while (pos < list.size()) {
    size_t nl = list.find('\n', pos);
    if (nl == std::string::npos) nl = list.size();
    const std::string hex = list.substr(pos, nl - pos);
    pos = nl + 1;
    if (hex.size() != 64) continue;  // torn last line: its object was never renamed
    ASSIGN_OR_RETURN(const bool used, referenced(hex));
    if (used) continue;
    const Status s = fs_->RemoveFile(PathFor(hex));
    if (!s.ok() && !s.IsNotFound()) return s;
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
  for (const std::string& name : names) {
    if (TagOf(name) != tag || name == tag + ".live") continue;
    const std::string path = base::JoinPath(TmpDir(), name);
    if (HasSuffix(name, kIntentSuffix)) RETURN_IF_ERROR(RecoverIntent(path, referenced));
    const Status s = fs_->RemoveFile(path);
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
