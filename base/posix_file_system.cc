// The POSIX FileSystem. Errors carry the path (control characters made
// visible, base::PrintableText) and Japanese text for errno (base::ErrnoText).
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/file_system.h"
#include "base/text.h"

namespace base {
namespace {

constexpr size_t kMaxPathCodePoints = 1024;

// A path as messages show it: verbatim, but with no raw control characters.
std::string ShownPath(const std::string& path) { return PrintableText(path, kMaxPathCodePoints); }

Status PathError(const std::string& path, int err) {
  return Status::FromErrno(ShownPath(path), err);
}

Status TooLarge(const std::string& path, uint64_t max_bytes) {
  return Status::ResourceExhausted(ShownPath(path) + " は上限の " + std::to_string(max_bytes) +
                                   " バイトを超えています");
}

Status IsADirectory(const std::string& path) {
  return Status::InvalidArgument(ShownPath(path) +
                                 " はディレクトリです。ファイルを指定してください");
}

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Append(std::string_view data) override {
    while (!data.empty()) {
      const ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return PathError(path_, errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }
  Status Sync() override {
    if (::fdatasync(fd_) != 0) return PathError(path_, errno);
    return Status::OK();
  }
  Status Close() override {
    const int fd = fd_;
    fd_ = -1;
    if (fd >= 0 && ::close(fd) != 0) return PathError(path_, errno);
    return Status::OK();
  }

 private:
  std::string path_;
  int fd_;
};

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixSequentialFile() override { ::close(fd_); }
  Status Read(size_t n, std::string* out) override {
    out->resize(n);
    for (;;) {
      const ssize_t r = ::read(fd_, out->data(), n);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        out->clear();
        return PathError(path_, errno);
      }
      out->resize(static_cast<size_t>(r));
      return Status::OK();
    }
  }

 private:
  std::string path_;
  int fd_;
};

class PosixMappedFile final : public MappedFile {
 public:
  PosixMappedFile(void* addr, size_t size) : addr_(addr), size_(size) {}
  ~PosixMappedFile() override {
    if (addr_ != nullptr) ::munmap(addr_, size_);
  }
  std::string_view data() const override {
    return addr_ == nullptr ? std::string_view()
                            : std::string_view(static_cast<const char*>(addr_), size_);
  }

 private:
  void* addr_;  // null for an empty file (mmap refuses length 0)
  size_t size_;
};

// The bytes of a file read whole (FileSystem::MapFile's default).
class ReadMappedFile final : public MappedFile {
 public:
  explicit ReadMappedFile(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string_view data() const override { return bytes_; }

 private:
  std::string bytes_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

 private:
  int fd_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PathError(path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return PathError(path, err);
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return IsADirectory(path);
    }
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      ::close(fd);
      return TooLarge(path, max_bytes);
    }
    std::string data;
    data.reserve(static_cast<size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int err = errno;
        ::close(fd);
        return PathError(path, err);
      }
      if (n == 0) break;
      data.append(buf, static_cast<size_t>(n));
      if (data.size() > max_bytes) {  // grew while we read
        ::close(fd);
        return TooLarge(path, max_bytes);
      }
    }
    ::close(fd);
    return data;
  }

  Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PathError(path, errno);
    return std::unique_ptr<SequentialFile>(new PosixSequentialFile(path, fd));
  }

  Result<std::unique_ptr<MappedFile>> MapFile(const std::string& path,
                                              uint64_t max_bytes) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PathError(path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      const int err = errno;
      ::close(fd);
      return PathError(path, err);
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return IsADirectory(path);
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (size > max_bytes) {
      ::close(fd);
      return TooLarge(path, max_bytes);
    }
    void* addr = nullptr;
    if (size > 0) {
      addr = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (addr == MAP_FAILED) {
        const int err = errno;
        ::close(fd);
        return PathError(path, err);
      }
    }
    ::close(fd);  // the mapping keeps the file
    return std::unique_ptr<MappedFile>(new PosixMappedFile(addr, static_cast<size_t>(size)));
  }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                        uint32_t mode) override {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return PathError(path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }

  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return PathError(path, errno);
    FileInfo info;
    info.size = static_cast<uint64_t>(st.st_size);
    info.is_regular = S_ISREG(st.st_mode);
    info.is_directory = S_ISDIR(st.st_mode);
    info.mode = st.st_mode & 07777;
    info.mtime_ns = int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
    return info;
  }

  Status CreateDirs(const std::string& path, uint32_t mode) override {
    if (path.empty()) return Status::OK();
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
      return S_ISDIR(st.st_mode)
                 ? Status::OK()
                 : Status::AlreadyExists(ShownPath(path) +
                                         " は既に存在し、ディレクトリではありません");
    }
    const std::string parent = DirName(path);
    if (parent != path && parent != "." && parent != "/") {
      RETURN_IF_ERROR(CreateDirs(parent, mode));
    }
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) return PathError(path, errno);
    return Status::OK();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return Status::FromErrno(ShownPath(from) + " から " + ShownPath(to) + " への名前の変更",
                               errno);
    }
    return Status::OK();
  }

  Status SyncDir(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return PathError(path, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return PathError(path, err);
    return Status::OK();
  }

  Status SyncFileSystem(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return PathError(path, errno);
    const int rc = ::syncfs(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) return PathError(path, err);
    return Status::OK();
  }

  Status SetMode(const std::string& path, uint32_t mode) override {
    if (::chmod(path.c_str(), mode) != 0) return PathError(path, errno);
    return Status::OK();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PathError(path, errno);
    return Status::OK();
  }

  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return PathError(path, errno);
    std::vector<std::string> names;
    while (const dirent* e = ::readdir(dir)) {
      const std::string_view name = e->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
  }

  Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) override {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return PathError(path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd);
      if (err == EWOULDBLOCK) {
        return Status::FailedPrecondition(ShownPath(path) + " は別のプロセスがロックしています");
      }
      return PathError(path, err);
    }
    return std::unique_ptr<FileLock>(new PosixFileLock(fd));
  }
};

}  // namespace

std::unique_ptr<FileSystem> NewPosixFileSystem() { return std::make_unique<PosixFileSystem>(); }

Result<std::unique_ptr<MappedFile>> FileSystem::MapFile(const std::string& path,
                                                        uint64_t max_bytes) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path, max_bytes));
  return std::unique_ptr<MappedFile>(new ReadMappedFile(std::move(bytes)));
}

Status WriteFileDurably(FileSystem* fs, const std::string& path, std::string_view data,
                        uint32_t mode) {
  const std::string tmp = path + ".tmp";
  ASSIGN_OR_RETURN(auto file, fs->NewWritableFile(tmp, mode));
  Status s = file->Append(data);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = file->Close();
  if (s.ok()) s = fs->Rename(tmp, path);
  if (!s.ok()) {
    fs->RemoveFile(tmp).IgnoreError();  // best effort; the error that matters is s
    return s;
  }
  return fs->SyncDir(DirName(path));
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out(dir);
  if (out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string DirName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace base
