#include "base/file_system.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_file_system.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"

namespace base {
namespace {

// One suite, run against the real and the fake implementation (Trillian's
// storage/testonly pattern), so the fake cannot drift from the real thing.
class FileSystemTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      fs_ = NewPosixFileSystem();
      root_ = tmp_.path();
    } else {
      fs_ = std::make_unique<kura_test::FakeFileSystem>();
      root_ = "/root";
      ASSERT_OK(fs_->CreateDirs(root_));
    }
  }
  kura_test::TempDir tmp_;
  std::unique_ptr<FileSystem> fs_;
  std::string root_;
};

TEST_P(FileSystemTest, WriteFileDurablyThenRead) {
  const std::string path = JoinPath(root_, "a.txt");
  ASSERT_OK(WriteFileDurably(fs_.get(), path, "hello"));
  auto data = fs_->ReadFile(path, 100);
  ASSERT_OK(data);
  EXPECT_EQ(*data, "hello");
  EXPECT_TRUE(fs_->Stat(path + ".tmp").status().IsNotFound());
}

TEST_P(FileSystemTest, ReadFileEnforcesSizeLimit) {
  const std::string path = JoinPath(root_, "big");
  ASSERT_OK(WriteFileDurably(fs_.get(), path, std::string(101, 'x')));
  EXPECT_EQ(fs_->ReadFile(path, 100).status().code(), Status::Code::kResourceExhausted);
}

TEST_P(FileSystemTest, ReadingADirectoryOrMissingFileFailsClearly) {
  EXPECT_EQ(fs_->ReadFile(root_, 100).status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(fs_->ReadFile(JoinPath(root_, "nope"), 100).status().IsNotFound());
}

TEST_P(FileSystemTest, MapFileGivesTheBytesWithReadFilesErrors) {
  const std::string path = JoinPath(root_, "mapped");
  const std::string bytes = std::string(70000, 'm') + "end";
  ASSERT_OK(WriteFileDurably(fs_.get(), path, bytes));
  auto mapped = fs_->MapFile(path, bytes.size());
  ASSERT_OK(mapped);
  EXPECT_EQ((*mapped)->data(), bytes);
  const std::string empty = JoinPath(root_, "empty");
  ASSERT_OK(WriteFileDurably(fs_.get(), empty, ""));
  auto none = fs_->MapFile(empty, 10);
  ASSERT_OK(none);
  EXPECT_TRUE((*none)->data().empty());
  EXPECT_EQ(fs_->MapFile(path, bytes.size() - 1).status().code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(fs_->MapFile(root_, 100).status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(fs_->MapFile(JoinPath(root_, "nope"), 100).status().IsNotFound());
}

TEST_P(FileSystemTest, CreateDirsIsIdempotentAndListDirSorts) {
  ASSERT_OK(fs_->CreateDirs(JoinPath(root_, "x/y/z")));
  ASSERT_OK(fs_->CreateDirs(JoinPath(root_, "x/y/z")));
  ASSERT_OK(WriteFileDurably(fs_.get(), JoinPath(root_, "x/b"), "1"));
  ASSERT_OK(WriteFileDurably(fs_.get(), JoinPath(root_, "x/a"), "2"));
  auto names = fs_->ListDir(JoinPath(root_, "x"));
  ASSERT_OK(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "b", "y"}));
}

TEST_P(FileSystemTest, LockIsExclusiveUntilReleased) {
  const std::string path = JoinPath(root_, "LOCK");
  auto first = fs_->LockFile(path);
  ASSERT_OK(first);
  if (!GetParam()) {  // flock locks are per open file; same-process re-lock is the fake's test
    EXPECT_EQ(fs_->LockFile(path).status().code(), Status::Code::kFailedPrecondition);
    first->reset();
    EXPECT_OK(fs_->LockFile(path));
  }
}

TEST_P(FileSystemTest, SetModeMakesFileReadOnly) {
  const std::string path = JoinPath(root_, "ro");
  ASSERT_OK(WriteFileDurably(fs_.get(), path, "x"));
  ASSERT_OK(fs_->SetMode(path, 0444));
  auto info = fs_->Stat(path);
  ASSERT_OK(info);
  EXPECT_EQ(info->mode, 0444u);
  EXPECT_EQ(info->size, 1u);
}

INSTANTIATE_TEST_SUITE_P(RealAndFake, FileSystemTest, ::testing::Values(true, false),
                         [](const auto& param_info) { return param_info.param ? "Posix" : "Fake"; });

TEST(FakeFileSystemTest, PowerCutDropsUnsyncedWrites) {
  kura_test::FakeFileSystem fs;
  ASSERT_OK(fs.CreateDirs("/d"));
  ASSERT_OK(WriteFileDurably(&fs, "/d/durable", "kept"));
  auto f = fs.NewWritableFile("/d/volatile", 0644);
  ASSERT_OK(f);
  ASSERT_OK((*f)->Append("lost"));
  fs.DropUnsyncedData();
  EXPECT_EQ(fs.Contents("/d/durable"), "kept");
  EXPECT_FALSE(fs.Exists("/d/volatile"));
}

TEST(FakeFileSystemTest, RenameWithoutDirSyncIsNotDurable) {
  kura_test::FakeFileSystem fs;
  ASSERT_OK(fs.CreateDirs("/d"));
  auto f = fs.NewWritableFile("/d/tmp", 0644);
  ASSERT_OK(f);
  ASSERT_OK((*f)->Append("x"));
  ASSERT_OK((*f)->Sync());
  ASSERT_OK(fs.Rename("/d/tmp", "/d/final"));
  fs.DropUnsyncedData();
  EXPECT_FALSE(fs.Exists("/d/final"));
}

TEST(FakeFileSystemTest, InjectedFailureSurfacesAndLeavesNoTemp) {
  kura_test::FakeFileSystem fs;
  ASSERT_OK(fs.CreateDirs("/d"));
  fs.FailNext(kura_test::FakeFileSystem::Op::kSync);
  EXPECT_EQ(WriteFileDurably(&fs, "/d/f", "x").code(), Status::Code::kIOError);
  EXPECT_FALSE(fs.Exists("/d/f"));
  EXPECT_FALSE(fs.Exists("/d/f.tmp"));
}

TEST(PosixFileSystemTest, ErrorsAreJapaneseAndShowThePathWithoutControlCharacters) {
  kura_test::TempDir tmp;
  const std::unique_ptr<FileSystem> fs = NewPosixFileSystem();
  const std::string missing = JoinPath(tmp.path(), "請求書\n\x1b[2J.pdf");
  const Status s = fs->ReadFile(missing, 100).status();
  EXPECT_TRUE(s.IsNotFound());
  EXPECT_EQ(s.message(), JoinPath(tmp.path(), "請求書␊␛[2J.pdf") +
                             ": ファイルまたはディレクトリが見つかりません (ENOENT)");
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
  const Status dir = fs->ReadFile(tmp.path(), 100).status();
  EXPECT_EQ(dir.message(), tmp.path() + " はディレクトリです。ファイルを指定してください");
  ASSERT_OK(WriteFileDurably(fs.get(), JoinPath(tmp.path(), "big"), std::string(11, 'x')));
  EXPECT_EQ(fs->ReadFile(JoinPath(tmp.path(), "big"), 10).status().message(),
            JoinPath(tmp.path(), "big") + " は上限の 10 バイトを超えています");
}

TEST(PathTest, JoinDirBase) {
  EXPECT_EQ(JoinPath("a/b", "c"), "a/b/c");
  EXPECT_EQ(JoinPath("a/b/", "c"), "a/b/c");
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName("/c"), "/");
  EXPECT_EQ(BaseName("a/b/c.pdf"), "c.pdf");
}

}  // namespace
}  // namespace base
