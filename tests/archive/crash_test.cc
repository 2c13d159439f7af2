// Crash safety of group commit: a child process ingests batches (files in
// memory and spooled files, as uploads arrive) and reports every
// acknowledged document through a pipe; the parent kills it with SIGKILL in
// the middle of a later batch, re-opens the data directory and checks that
// every acknowledged document is there and verifies, and that nothing
// partial is visible (no record without its object, no object without its
// record, no temp file). And a child killed while an upload streams into its
// spool leaves nothing behind either.
#include <filesystem>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive/archive.h"
#include "base/file_system.h"
#include "base/random.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

// The real file system, except that the child stops dead at its n-th
// pause point — a syncfs (Publish's, after the batch wrote its temp files
// and intent log) or a rename of an object into place (Publish, before the
// commit) — and tells the parent, which then kills it there. So the kill
// lands where a crash hurts most, every time: objects staged or in place,
// their catalog records not yet committed.
class PausingFileSystem final : public base::FileSystem {
 public:
  PausingFileSystem(std::unique_ptr<base::FileSystem> real, int pause_at, int fd)
      : real_(std::move(real)), pause_at_(pause_at), fd_(fd) {}
  void Arm() { armed_ = true; }

  base::Status SyncFileSystem(const std::string& path) override {
    base::Status s = real_->SyncFileSystem(path);
    MaybePause();
    return s;
  }
  base::Result<std::string> ReadFile(const std::string& p, uint64_t m) override {
    return real_->ReadFile(p, m);
  }
  base::Result<std::unique_ptr<base::SequentialFile>> OpenSequential(
      const std::string& p) override {
    return real_->OpenSequential(p);
  }
  base::Result<std::unique_ptr<base::MappedFile>> MapFile(const std::string& p,
                                                          uint64_t m) override {
    return real_->MapFile(p, m);
  }
  base::Result<std::unique_ptr<base::WritableFile>> NewWritableFile(const std::string& p,
                                                                    uint32_t mode) override {
    return real_->NewWritableFile(p, mode);
  }
  base::Result<base::FileInfo> Stat(const std::string& p) override { return real_->Stat(p); }
  base::Status CreateDirs(const std::string& p, uint32_t mode) override {
    return real_->CreateDirs(p, mode);
  }
  base::Status Rename(const std::string& a, const std::string& b) override {
    base::Status s = real_->Rename(a, b);
    if (b.find("/objects/sha256/") != std::string::npos) MaybePause();
    return s;
  }
  base::Status SyncDir(const std::string& p) override { return real_->SyncDir(p); }
  base::Status SetMode(const std::string& p, uint32_t mode) override {
    return real_->SetMode(p, mode);
  }
  base::Status RemoveFile(const std::string& p) override { return real_->RemoveFile(p); }
  base::Result<std::vector<std::string>> ListDir(const std::string& p) override {
    return real_->ListDir(p);
  }
  base::Result<std::unique_ptr<base::FileLock>> LockFile(const std::string& p) override {
    return real_->LockFile(p);
  }

 private:
  std::unique_ptr<base::FileSystem> real_;
  const int pause_at_;
  const int fd_;
  bool armed_ = false;
  int syncs_ = 0;  // pause points passed

  void MaybePause() {
    if (armed_ && ++syncs_ == pause_at_) {
      if (::write(fd_, "P\n", 2) != 2) _exit(6);
      for (;;) ::pause();
    }
  }
};

// Runs in the child: ingest batches until stopped, writing "id sha256\n" per
// acknowledged document.
[[noreturn]] void ChildIngestLoop(const std::string& data_dir, int out_fd, uint64_t seed,
                                  int pause_at) {
  PausingFileSystem fs(base::NewPosixFileSystem(), pause_at, out_fd);
  base::SystemClock clock;
  ArchiveOptions options;
  options.data_dir = data_dir;
  auto archive = Archive::Open(options, &fs, &clock);  // recovers the previous crash
  if (!archive.ok()) _exit(3);
  fs.Arm();
  base::Random rnd(seed);
  for (uint64_t batch = 0;; ++batch) {
    std::vector<IncomingFile> files;
    for (int i = 0; i < 40; ++i) {
      std::string bytes(2000 + rnd.Uniform(30000), 'x');
      const std::string tag = std::to_string(rnd.Next());
      bytes.replace(0, tag.size(), tag);
      files.push_back({"f" + std::to_string(batch) + "-" + std::to_string(i), "somu", "cli",
                       "cli:crash", std::move(bytes)});
    }
    // The last file repeats the first: duplicates are part of the mix. Every
    // third file arrives as an upload does, through a spool.
    files.back().bytes = files.front().bytes;
    for (size_t i = 1; i < files.size(); i += 3) {
      auto spool = (*archive)->NewSpool();
      if (!spool.ok() || !(*spool)->Append(files[i].bytes).ok() || !(*spool)->Close().ok()) {
        _exit(7);
      }
      files[i].bytes.clear();
      files[i].spooled = std::move(*spool);
    }
    auto results = (*archive)->Ingest(std::move(files));
    std::string acks;
    for (const auto& r : results) {
      if (!r.ok()) _exit(4);
      acks += r->id + " " + r->sha256 + "\n";
    }
    if (::write(out_fd, acks.data(), acks.size()) != static_cast<ssize_t>(acks.size())) _exit(5);
  }
}

// Param: the pause point at which the child is killed in the first round;
// later rounds move one point further. A batch of 40 files with one
// duplicate has 40 points: its syncfs, then 39 renames. So 81 is the third
// batch's syncfs, 82 its first rename, 120 its last, just before the commit.
class CrashTest : public ::testing::TestWithParam<int> {};

TEST_P(CrashTest, KilledMidBatchLosesNothingAcknowledged) {
  kura_test::TempDir dir;
  const std::string data_dir = dir.Join("kura-data");
  auto fs = base::NewPosixFileSystem();
  ASSERT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{data_dir}, ""));

  std::map<std::string, std::string> acked;  // id -> sha256
  for (int round = 0; round < 3; ++round) {  // crash repeatedly into the same directory
    const int pause_at = GetParam() + round;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      ChildIngestLoop(data_dir, fds[1], static_cast<uint64_t>(pause_at * 10 + round), pause_at);
    }
    ::close(fds[1]);
    std::string pending;
    bool paused = false;
    char buf[4096];
    while (!paused) {
      const ssize_t n = ::read(fds[0], buf, sizeof buf);
      ASSERT_GT(n, 0) << "child died before reaching its crash point";
      pending.append(buf, static_cast<size_t>(n));
      size_t nl;
      while ((nl = pending.find('\n')) != std::string::npos) {
        const std::string line = pending.substr(0, nl);
        pending.erase(0, nl + 1);
        if (line == "P") {
          paused = true;
          break;
        }
        acked[line.substr(0, line.find(' '))] = line.substr(line.find(' ') + 1);
      }
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited on its own with " << WEXITSTATUS(status);
    ::close(fds[0]);
    // The batch in flight left its intent and objects (or temp files).
    EXPECT_FALSE(std::filesystem::is_empty(data_dir + "/objects/tmp")) << "round " << round;
  }
  ASSERT_FALSE(acked.empty());

  base::SystemClock clock;
  ArchiveOptions options;
  options.data_dir = data_dir;
  auto archive = Archive::Open(options, fs.get(), &clock);  // runs recovery
  ASSERT_OK(archive);
  for (const auto& [id, sha] : acked) {
    auto view = (*archive)->Get(id);
    ASSERT_OK(view) << id;
    EXPECT_EQ(view->document.sha256, sha);
  }
  auto report = (*archive)->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_EQ(report->documents, acked.size());  // nothing unacknowledged became visible

  // No object without its record, no temp files.
  std::set<std::string> recorded;
  for (const auto& [id, sha] : acked) recorded.insert(sha);
  size_t objects = 0;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(data_dir + "/objects/sha256")) {
    if (!e.is_regular_file()) continue;
    ++objects;
    EXPECT_TRUE(recorded.count(e.path().filename().string())) << "orphan object " << e.path();
  }
  EXPECT_EQ(objects, recorded.size());
  // Nothing of the dead writers is left: only the live lock of this one.
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(data_dir + "/objects/tmp")) {
    left.push_back(e.path().filename().string());
  }
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].find(".live"), std::string::npos) << left[0];
}

INSTANTIATE_TEST_SUITE_P(SyncPoints, CrashTest, ::testing::Values(81, 100, 118));

// A process killed while an upload streams into its spool (kura serve
// receiving a file) leaves the incoming file; the next open removes it.
TEST(SpoolCrashTest, KilledWhileAnUploadArrivesLeavesNoIncomingFile) {
  kura_test::TempDir dir;
  const std::string data_dir = dir.Join("kura-data");
  auto fs = base::NewPosixFileSystem();
  ASSERT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{data_dir}, ""));
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(fds[0]);
    base::SystemClock clock;
    ArchiveOptions options;
    options.data_dir = data_dir;
    auto archive = Archive::Open(options, fs.get(), &clock);
    if (!archive.ok()) _exit(3);
    auto spool = (*archive)->NewSpool();
    if (!spool.ok()) _exit(4);
    for (int i = 0; i < 64; ++i) {
      if (!(*spool)->Append(std::string(16 << 10, static_cast<char>('a' + i % 26))).ok()) _exit(5);
    }
    if (::write(fds[1], "P\n", 2) != 2) _exit(6);
    for (;;) ::pause();
  }
  ::close(fds[1]);
  char buf[2];
  ASSERT_EQ(::read(fds[0], buf, 2), 2) << "child died before its upload";
  ::close(fds[0]);
  size_t incoming = 0;
  for (const auto& e : std::filesystem::directory_iterator(data_dir + "/objects/tmp")) {
    incoming += e.path().filename().string().find(".incoming") != std::string::npos;
  }
  EXPECT_EQ(incoming, 1u);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  base::SystemClock clock;
  ArchiveOptions options;
  options.data_dir = data_dir;
  auto archive = Archive::Open(options, fs.get(), &clock);  // runs recovery
  ASSERT_OK(archive);
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(data_dir + "/objects/tmp")) {
    left.push_back(e.path().filename().string());
  }
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].find(".live"), std::string::npos) << left[0];
}

}  // namespace
}  // namespace archive
