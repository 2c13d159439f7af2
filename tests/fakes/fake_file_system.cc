#include "tests/fakes/fake_file_system.h"

#include <algorithm>

namespace kura_test {

using base::Result;
using base::Status;

class FakeWritableFile final : public base::WritableFile {
 public:
  FakeWritableFile(FakeFileSystem* fs, std::shared_ptr<FakeFileSystem::Node> node)
      : fs_(fs), node_(std::move(node)) {}
  Status Append(std::string_view data) override {
    std::lock_guard<std::mutex> l(fs_->mu_);
    RETURN_IF_ERROR(fs_->MaybeFail(FakeFileSystem::Op::kWrite));
    node_->data.append(data);
    node_->mtime_ns = ++fs_->change_counter_;
    return Status::OK();
  }
  Status Sync() override {
    std::lock_guard<std::mutex> l(fs_->mu_);
    RETURN_IF_ERROR(fs_->MaybeFail(FakeFileSystem::Op::kSync));
    node_->synced_data = node_->data;
    return Status::OK();
  }
  Status Close() override { return Status::OK(); }

 private:
  FakeFileSystem* fs_;
  std::shared_ptr<FakeFileSystem::Node> node_;
};

namespace {
class FakeSequentialFile final : public base::SequentialFile {
 public:
  explicit FakeSequentialFile(std::string data) : data_(std::move(data)) {}
  Status Read(size_t n, std::string* out) override {
    const size_t take = std::min(n, data_.size() - pos_);
    out->assign(data_, pos_, take);
    pos_ += take;
    return Status::OK();
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// Like flock(2), a lock belongs to the file (the node), not to its name:
// it follows a rename and outlives an unlink.
class FakeLock final : public base::FileLock {
 public:
  FakeLock(std::mutex* mu, std::set<const void*>* locks, std::shared_ptr<const void> node)
      : mu_(mu), locks_(locks), node_(std::move(node)) {}
  ~FakeLock() override {
    std::lock_guard<std::mutex> l(*mu_);
    locks_->erase(node_.get());
  }

 private:
  std::mutex* mu_;
  std::set<const void*>* locks_;
  std::shared_ptr<const void> node_;
};
}  // namespace

Status FakeFileSystem::MaybeFail(Op op) {
  if (powered_off_) return Status::IOError("the power is off");
  auto it = failures_.find(op);
  if (it == failures_.end() || it->second == 0) return Status::OK();
  --it->second;
  return Status::IOError("injected fault");
}

void FakeFileSystem::FailNext(Op op, int count) {
  std::lock_guard<std::mutex> l(mu_);
  failures_[op] = count;
}

void FakeFileSystem::DropUnsyncedData() {
  std::lock_guard<std::mutex> l(mu_);
  files_ = durable_;
  for (auto& [name, node] : files_) node->data = node->synced_data;
}

void FakeFileSystem::PowerOff() {
  DropUnsyncedData();
  std::lock_guard<std::mutex> l(mu_);
  powered_off_ = true;
}

void FakeFileSystem::PowerOn() {
  std::lock_guard<std::mutex> l(mu_);
  powered_off_ = false;
}

bool FakeFileSystem::Exists(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  return files_.count(path) > 0 || dirs_.count(path) > 0;
}

std::string FakeFileSystem::Contents(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? std::string() : it->second->data;
}

void FakeFileSystem::Overwrite(const std::string& path, const std::string& data) {
  std::lock_guard<std::mutex> l(mu_);
  auto& node = files_[path];
  if (!node) node = std::make_shared<Node>();
  node->data = node->synced_data = data;
  node->mtime_ns = ++change_counter_;
}

Result<std::string> FakeFileSystem::ReadFile(const std::string& path, uint64_t max_bytes) {
  std::lock_guard<std::mutex> l(mu_);
  if (dirs_.count(path)) return Status::InvalidArgument(path + ": is a directory, not a file");
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path + ": No such file or directory");
  if (it->second->data.size() > max_bytes) {
    return Status::ResourceExhausted(path + ": file is larger than the limit");
  }
  return it->second->data;
}

Result<std::unique_ptr<base::SequentialFile>> FakeFileSystem::OpenSequential(
    const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path + ": No such file or directory");
  return std::unique_ptr<base::SequentialFile>(new FakeSequentialFile(it->second->data));
}

Result<std::unique_ptr<base::WritableFile>> FakeFileSystem::NewWritableFile(const std::string& path,
                                                                            uint32_t mode) {
  std::lock_guard<std::mutex> l(mu_);
  RETURN_IF_ERROR(MaybeFail(Op::kCreate));
  if (!dirs_.count(base::DirName(path))) {
    return Status::NotFound(path + ": No such file or directory");
  }
  auto it = files_.find(path);
  if (it != files_.end() && (it->second->mode & 0200) == 0) {
    return Status::PermissionDenied(path + ": Permission denied");
  }
  auto node = std::make_shared<Node>();
  node->mode = mode;
  files_[path] = node;
  return std::unique_ptr<base::WritableFile>(new FakeWritableFile(this, node));
}

Result<base::FileInfo> FakeFileSystem::Stat(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  base::FileInfo info;
  if (dirs_.count(path)) {
    info.is_directory = true;
    info.mode = 0755;
    return info;
  }
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path + ": No such file or directory");
  info.is_regular = true;
  info.size = it->second->data.size();
  info.mode = it->second->mode;
  info.mtime_ns = it->second->mtime_ns;
  return info;
}

Status FakeFileSystem::CreateDirs(const std::string& path, uint32_t) {
  std::lock_guard<std::mutex> l(mu_);
  if (powered_off_) return Status::IOError("the power is off");
  // Directories are treated as durable at once: kura creates them at init.
  for (std::string p = path; p != "." && p != "/" && !p.empty(); p = base::DirName(p)) {
    if (files_.count(p)) return Status::AlreadyExists(p + ": exists and is not a directory");
    dirs_.insert(p);
  }
  return Status::OK();
}

Status FakeFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> l(mu_);
  RETURN_IF_ERROR(MaybeFail(Op::kRename));
  auto it = files_.find(from);
  if (it == files_.end()) return Status::NotFound(from + ": No such file or directory");
  files_[to] = it->second;
  files_.erase(it);
  return Status::OK();
}

Status FakeFileSystem::SyncDir(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  RETURN_IF_ERROR(MaybeFail(Op::kSyncDir));
  // Entries of this directory in the durable namespace now equal the visible ones.
  for (auto it = durable_.begin(); it != durable_.end();) {
    it = base::DirName(it->first) == path ? durable_.erase(it) : std::next(it);
  }
  for (const auto& [name, node] : files_) {
    if (base::DirName(name) == path) durable_[name] = node;
  }
  return Status::OK();
}

Status FakeFileSystem::SyncFileSystem(const std::string&) {
  std::function<void()> hook;
  {
    std::lock_guard<std::mutex> l(mu_);
    hook = sync_hook_;
  }
  if (hook) hook();
  std::lock_guard<std::mutex> l(mu_);
  RETURN_IF_ERROR(MaybeFail(Op::kSync));
  for (auto& [name, node] : files_) node->synced_data = node->data;
  durable_ = files_;
  ++syncs_;
  return Status::OK();
}

bool FakeFileSystem::IsDurable(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(path);
  auto d = durable_.find(path);
  return it != files_.end() && d != durable_.end() && d->second == it->second &&
         it->second->synced_data == it->second->data;
}

void FakeFileSystem::SetSyncHook(std::function<void()> hook) {
  std::lock_guard<std::mutex> l(mu_);
  sync_hook_ = std::move(hook);
}

uint64_t FakeFileSystem::sync_count() const {
  std::lock_guard<std::mutex> l(mu_);
  return syncs_;
}

Status FakeFileSystem::SetMode(const std::string& path, uint32_t mode) {
  std::lock_guard<std::mutex> l(mu_);
  if (powered_off_) return Status::IOError("the power is off");
  auto it = files_.find(path);
  if (it == files_.end()) return Status::NotFound(path + ": No such file or directory");
  it->second->mode = mode;
  return Status::OK();
}

Status FakeFileSystem::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  if (powered_off_) return Status::IOError("the power is off");
  if (files_.erase(path) == 0) return Status::NotFound(path + ": No such file or directory");
  return Status::OK();
}

Result<std::vector<std::string>> FakeFileSystem::ListDir(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  if (!dirs_.count(path)) return Status::NotFound(path + ": No such file or directory");
  std::set<std::string> names;
  for (const auto& [name, node] : files_) {
    if (base::DirName(name) == path) names.insert(base::BaseName(name));
  }
  for (const auto& d : dirs_) {
    if (d != path && base::DirName(d) == path) names.insert(base::BaseName(d));
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Result<std::unique_ptr<base::FileLock>> FakeFileSystem::LockFile(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  NodePtr& node = files_[path];  // created if missing, as open(O_CREAT) would
  if (!node) node = std::make_shared<Node>();
  if (!locks_.insert(node.get()).second) {
    return Status::FailedPrecondition(path + ": locked by another process");
  }
  return std::unique_ptr<base::FileLock>(new FakeLock(&mu_, &locks_, node));
}

}  // namespace kura_test
