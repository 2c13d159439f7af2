// FileSystem: the narrow set of file operations kura needs, behind an
// interface so that tests can substitute an in-memory or fault-injecting
// implementation (leveldb include/leveldb/env.h, ninja src/disk_interface.h).
// Paths are plain strings; no operation follows a path outside what it is
// given.
//
// Thread safety: implementations are safe for concurrent use; a single
// WritableFile or SequentialFile is not.
#ifndef BASE_FILE_SYSTEM_H_
#define BASE_FILE_SYSTEM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/time.h"

namespace base {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  /// Makes the appended data durable (fdatasync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  /// Reads up to n bytes into *out (replacing its contents); an empty result
  /// means end of file.
  virtual Status Read(size_t n, std::string* out) = 0;
};

/// A file's bytes, read-only, for as long as the object lives
/// (FileSystem::MapFile).
class MappedFile {
 public:
  virtual ~MappedFile() = default;
  virtual std::string_view data() const = 0;
};

/// Held while an exclusive lock on a file is held; the destructor releases it.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

struct FileInfo {
  uint64_t size = 0;
  bool is_regular = false;
  bool is_directory = false;
  uint32_t mode = 0;  ///< permission bits
  int64_t mtime_ns = 0;  ///< last modification, nanoseconds since the epoch
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  /// The whole file. A file larger than max_bytes is ResourceExhausted; a
  /// directory is InvalidArgument; a missing file NotFound.
  virtual Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) = 0;
  virtual Result<std::unique_ptr<SequentialFile>> OpenSequential(const std::string& path) = 0;
  /// The whole file, mapped read-only (mmap(2)) where the implementation
  /// can: its pages are read as they are touched and are page cache, not
  /// heap, so a large file costs the process little memory. Errors as
  /// ReadFile. The default implementation reads the file (ReadFile).
  /// Caveat: the file must not shrink while it is mapped (SIGBUS).
  virtual Result<std::unique_ptr<MappedFile>> MapFile(const std::string& path, uint64_t max_bytes);
  /// Creates (or truncates) path with the given permission bits.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path,
                                                                uint32_t mode = 0644) = 0;
  /// NotFound if path does not exist.
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  /// mkdir -p; existing directories are fine.
  virtual Status CreateDirs(const std::string& path, uint32_t mode = 0755) = 0;
  /// Atomically replaces `to` with `from` (rename(2)).
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  /// fsync(2) of a directory, making renames and creations in it durable.
  virtual Status SyncDir(const std::string& path) = 0;
  /// Flushes every dirty page and inode of the file system holding path
  /// (syncfs(2)): one round of durability for many files at once.
  virtual Status SyncFileSystem(const std::string& path) = 0;
  virtual Status SetMode(const std::string& path, uint32_t mode) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  /// Entry names (not paths) in a directory, without "." and "..", sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  /// An exclusive advisory lock on path (created if missing); does not wait:
  /// a lock held elsewhere is FailedPrecondition.
  virtual Result<std::unique_ptr<FileLock>> LockFile(const std::string& path) = 0;
};

/// The real POSIX file system. Only app/ and tests construct one.
std::unique_ptr<FileSystem> NewPosixFileSystem();

/// Writes data to path durably: path.tmp → fsync → rename → fsync of the
/// directory (leveldb SetCurrentFile). After OK, a crash leaves either the
/// old file or the complete new one.
Status WriteFileDurably(FileSystem* fs, const std::string& path, std::string_view data,
                        uint32_t mode = 0644);

/// "a/b" + "c" → "a/b/c".
std::string JoinPath(std::string_view dir, std::string_view name);
/// "a/b/c" → "a/b"; "c" → ".".
std::string DirName(std::string_view path);
/// "a/b/c.pdf" → "c.pdf".
std::string BaseName(std::string_view path);

}  // namespace base

#endif  // BASE_FILE_SYSTEM_H_
