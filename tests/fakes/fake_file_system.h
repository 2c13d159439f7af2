// FakeFileSystem: an in-memory FileSystem for tests (after ninja's
// VirtualFileSystem and leveldb's memenv), with fault injection: a test can
// make the next N operations of a kind fail, and can simulate a power cut
// that drops every write not yet made durable (leveldb
// db/fault_injection_test.cc).
//
// Durability model: file data becomes durable on WritableFile::Sync or
// SyncFileSystem; a directory entry (creation, rename) becomes durable on
// SyncDir of its directory or SyncFileSystem.
//
// Thread safety: all methods lock one mutex.
#ifndef TESTS_FAKES_FAKE_FILE_SYSTEM_H_
#define TESTS_FAKES_FAKE_FILE_SYSTEM_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "base/file_system.h"

namespace kura_test {

class FakeFileSystem final : public base::FileSystem {
 public:
  enum class Op { kWrite, kSync, kRename, kSyncDir, kCreate };

  /// The next `count` operations of kind `op` fail with an IOError.
  void FailNext(Op op, int count = 1);
  /// Forgets every write and directory change not yet durable.
  void DropUnsyncedData();
  /// A power cut: DropUnsyncedData, then every change fails (the process
  /// that was writing cannot reach the disk any more, even from its
  /// destructors) until PowerOn.
  void PowerOff();
  void PowerOn();
  /// Test access to raw contents: corrupt or read a file behind the API.
  bool Exists(const std::string& path) const;
  std::string Contents(const std::string& path) const;
  void Overwrite(const std::string& path, const std::string& data);
  /// How many SyncFileSystem calls have succeeded (rounds of syncs).
  uint64_t sync_count() const;
  /// True if the file, with its current contents, would survive a power cut.
  bool IsDurable(const std::string& path) const;
  /// Runs at the start of every SyncFileSystem call, outside the fake's
  /// lock (a test can hold a sync there while other threads go on).
  void SetSyncHook(std::function<void()> hook);

  base::Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) override;
  base::Result<std::unique_ptr<base::SequentialFile>> OpenSequential(
      const std::string& path) override;
  base::Result<std::unique_ptr<base::WritableFile>> NewWritableFile(const std::string& path,
                                                                    uint32_t mode = 0644) override;
  base::Result<base::FileInfo> Stat(const std::string& path) override;
  base::Status CreateDirs(const std::string& path, uint32_t mode = 0755) override;
  base::Status Rename(const std::string& from, const std::string& to) override;
  base::Status SyncDir(const std::string& path) override;
  base::Status SyncFileSystem(const std::string& path) override;
  base::Status SetMode(const std::string& path, uint32_t mode) override;
  base::Status RemoveFile(const std::string& path) override;
  base::Result<std::vector<std::string>> ListDir(const std::string& path) override;
  base::Result<std::unique_ptr<base::FileLock>> LockFile(const std::string& path) override;

 private:
  friend class FakeWritableFile;
  struct Node {
    std::string data;         // what readers see
    std::string synced_data;  // what survives DropUnsyncedData
    uint32_t mode = 0644;
    int64_t mtime_ns = 0;  // a change counter, not a time
  };
  using NodePtr = std::shared_ptr<Node>;
  base::Status MaybeFail(Op op);  // REQUIRES: mu_ held

  mutable std::mutex mu_;
  std::map<std::string, NodePtr> files_;    // the visible namespace
  std::map<std::string, NodePtr> durable_;  // the namespace after a power cut
  std::set<std::string> dirs_{"/", "."};
  std::map<Op, int> failures_;
  std::set<const void*> locks_;  // locked nodes
  int64_t change_counter_ = 0;
  uint64_t syncs_ = 0;
  bool powered_off_ = false;
  std::function<void()> sync_hook_;
};

}  // namespace kura_test

#endif  // TESTS_FAKES_FAKE_FILE_SYSTEM_H_
