#include "app/intake.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"

namespace app {
namespace {

// The real file system in a scratch directory (LMDB needs a real disk) and
// a fake clock: the test decides when time passes, nothing sleeps.
class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{tmp_.Join("data")}, ""));
    archive::ArchiveOptions options;
    options.data_dir = tmp_.Join("data");
    options.max_file_bytes = 100;
    auto a = archive::Archive::Open(options, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    folder_ = tmp_.Join("scanner");
    ASSERT_OK(fs_->CreateDirs(folder_));
    IntakeOptions io;
    io.dir = folder_;
    io.department = "doboku";
    io.source = "scan";
    io.receiver = "watch:test";
    io.settle = std::chrono::seconds(2);
    io.max_file_bytes = 100;
    intake_ = std::make_unique<IntakeFolder>(io, fs_.get(), &clock_, archive_.get());
    ASSERT_OK(intake_->Init());
  }
  void Drop(const std::string& name, const std::string& bytes) {
    kura_test::WriteFileOrDie(folder_ + "/" + name, bytes);
  }
  std::vector<IntakeEvent> Poll() {
    auto events = intake_->Poll();
    EXPECT_OK(events);
    return events.ok() ? *events : std::vector<IntakeEvent>{};
  }
  void Tick(int seconds) { clock_.Advance(std::chrono::seconds(seconds)); }

  kura_test::TempDir tmp_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T00:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::string folder_;
  std::unique_ptr<IntakeFolder> intake_;
};

TEST_F(IntakeTest, SettledFileIsArchivedAndMovedToDoneWithALog) {
  Drop("scan001.pdf", "%PDF-1.4 scanned");
  EXPECT_TRUE(Poll().empty());  // first sight: not settled yet
  Tick(3);
  const auto events = Poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].archived);
  EXPECT_EQ(events[0].id, "D00000001");
  EXPECT_FALSE(std::filesystem::exists(folder_ + "/scan001.pdf"));
  EXPECT_EQ(kura_test::ReadFileOrDie(folder_ + "/done/scan001.pdf"), "%PDF-1.4 scanned");
  const std::string log = kura_test::ReadFileOrDie(folder_ + "/done/scan001.pdf.log");
  EXPECT_NE(log.find("id=D00000001"), std::string::npos) << log;
  auto view = archive_->Get("D00000001");
  ASSERT_OK(view);
  EXPECT_EQ(view->receipts[0].source, "scan");
  EXPECT_EQ(view->receipts[0].department, "doboku");
  EXPECT_EQ(view->receipts[0].file_name, "scan001.pdf");
}

TEST_F(IntakeTest, FileStillGrowingIsLeftAlone) {
  Drop("big.pdf", "%PDF-1.4 part one");
  Poll();
  Tick(3);
  Drop("big.pdf", "%PDF-1.4 part one, part two");  // the scanner is still writing
  EXPECT_TRUE(Poll().empty());
  Tick(1);
  EXPECT_TRUE(Poll().empty());  // changed 1 s ago: not settled
  Tick(2);
  const auto events = Poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(*archive_->ReadOriginal(events[0].id), "%PDF-1.4 part one, part two");
}

TEST_F(IntakeTest, RefusedFilesGoToFailedWithTheReason) {
  Drop("empty.pdf", "");
  Drop("huge.pdf", std::string(101, 'x'));
  Poll();
  Tick(3);
  const auto events = Poll();
  ASSERT_EQ(events.size(), 2u);
  for (const auto& e : events) {
    EXPECT_FALSE(e.archived);
    EXPECT_FALSE(e.error.empty());
  }
  EXPECT_TRUE(std::filesystem::exists(folder_ + "/failed/empty.pdf"));
  EXPECT_TRUE(std::filesystem::exists(folder_ + "/failed/huge.pdf"));
  EXPECT_NE(kura_test::ReadFileOrDie(folder_ + "/failed/empty.pdf.log").find("empty"),
            std::string::npos);
}

TEST_F(IntakeTest, SameNameTwiceDoesNotOverwriteAndIsADuplicateReceipt) {
  Drop("a.xml", "<Invoice/>");
  Poll();
  Tick(3);
  ASSERT_EQ(Poll().size(), 1u);
  Drop("a.xml", "<Invoice/>");
  Poll();
  Tick(3);
  const auto events = Poll();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(events[0].duplicate);
  EXPECT_TRUE(std::filesystem::exists(folder_ + "/done/a.xml"));
  EXPECT_TRUE(std::filesystem::exists(folder_ + "/done/a-2.xml"));
}

TEST_F(IntakeTest, PartialDownloadsAndHiddenFilesAreIgnored) {
  Drop(".scan.pdf", "%PDF hidden");
  Drop("inv.pdf.part", "%PDF partial");
  Drop("inv.tmp", "%PDF temp");
  Poll();
  Tick(10);
  EXPECT_TRUE(Poll().empty());
  EXPECT_TRUE(std::filesystem::exists(folder_ + "/inv.pdf.part"));
}

}  // namespace
}  // namespace app
