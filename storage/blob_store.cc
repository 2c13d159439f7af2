#include "storage/blob_store.h"

#include <unistd.h>

#include <set>

#include "base/hex.h"

namespace storage {

using base::Result;
using base::Status;

namespace {
constexpr uint32_t kObjectMode = 0444;
constexpr std::string_view kIntentSuffix = ".intent";
}  // namespace

BlobStore::BlobStore(base::FileSystem* fs, std::string root) : fs_(fs), root_(std::move(root)) {}

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

Status BlobStore::Prepare(Batch* batch) {
  batch->created_.clear();
  // 1. Which blobs are new (not stored yet, not earlier in this batch)?
  std::set<std::string_view> seen;
  std::vector<const Batch::Item*> fresh;
  for (const auto& item : batch->items_) {
    if (!seen.insert(item.hex).second) continue;
    ASSIGN_OR_RETURN(const bool exists, Contains(item.hex));
    if (!exists) fresh.push_back(&item);
  }
  if (fresh.empty()) return Status::OK();

  // 2. Intent first, then the temp files; one syncfs makes all of it durable.
  std::string intent;
  for (const auto* item : fresh) {
    intent += item->hex;
    intent += '\n';
  }
  batch->intent_path_ = base::JoinPath(
      TmpDir(), std::to_string(::getpid()) + "-" + std::to_string(++batch_counter_) +
                    std::string(kIntentSuffix));
  {
    ASSIGN_OR_RETURN(auto f, fs_->NewWritableFile(batch->intent_path_, 0644));
    RETURN_IF_ERROR(f->Append(intent));
    RETURN_IF_ERROR(f->Close());
  }
  for (const auto* item : fresh) {
    const std::string tmp = base::JoinPath(TmpDir(), item->hex + ".tmp");
    // A read-only leftover of a failed batch would refuse O_TRUNC.
    fs_->RemoveFile(tmp).IgnoreError();  // NotFound is the normal case
    ASSIGN_OR_RETURN(auto f, fs_->NewWritableFile(tmp, kObjectMode));
    RETURN_IF_ERROR(f->Append(item->bytes).WithContext(tmp));
    RETURN_IF_ERROR(f->Close());
  }
  RETURN_IF_ERROR(fs_->SyncFileSystem(root_));

  // 3. Into place (already read-only: created with mode 0444), then make the
  // directory entries durable.
  for (const auto* item : fresh) {
    const std::string path = PathFor(item->hex);
    RETURN_IF_ERROR(fs_->CreateDirs(base::DirName(path)));
    RETURN_IF_ERROR(fs_->Rename(base::JoinPath(TmpDir(), item->hex + ".tmp"), path));
    batch->created_.push_back(item->hex);
  }
  return fs_->SyncFileSystem(root_);
}

void BlobStore::Finish(const Batch& batch) {
  // Not synced: if the removal is lost in a crash, Recover finds every
  // object referenced and only deletes the intent again.
  if (!batch.intent_path_.empty()) fs_->RemoveFile(batch.intent_path_).IgnoreError();
}

Status BlobStore::Recover(const std::function<Result<bool>(std::string_view)>& referenced) {
  ASSIGN_OR_RETURN(const auto names, fs_->ListDir(TmpDir()));
  bool changed = false;
  for (const auto& name : names) {
    const std::string path = base::JoinPath(TmpDir(), name);
    if (name.size() > kIntentSuffix.size() &&
        name.compare(name.size() - kIntentSuffix.size(), kIntentSuffix.size(), kIntentSuffix) ==
            0) {
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
    }
    RETURN_IF_ERROR(fs_->RemoveFile(path));
    changed = true;
  }
  return changed ? fs_->SyncFileSystem(root_) : Status::OK();
}

}  // namespace storage
