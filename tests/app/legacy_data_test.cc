// A data directory written by an older kura opens, verifies and takes new
// writes with this one. tests/data/legacy/data-v1.tar.gz was written by the
// kura of commit 69e846b, before ledger/ existed (see make_v1.sh there):
// five documents (one received twice, one corrected), the organisation, one
// payment order walked from draft to paid through a return.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "app/commands.h"
#include "archive/archive.h"
#include "base/time.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace app {
namespace {

using base::Status;

class LegacyDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string cmd =
        "tar -xzf " KURA_SOURCE_DIR "/tests/data/legacy/data-v1.tar.gz -C " + dir_.path();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    options_.data_dir = dir_.Join("data");
    options_.checkpoints.background = false;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::SystemClock clock_;
  archive::ArchiveOptions options_;
};

TEST_F(LegacyDataTest, OpensVerifiesAndTakesNewWrites) {
  auto opened = archive::Archive::Open(options_, fs_.get(), &clock_);
  ASSERT_OK(opened);
  archive::Archive& arc = **opened;
  auto report = arc.Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
  EXPECT_EQ(report->documents, 5u);
  EXPECT_EQ(report->ok, 5u);
  EXPECT_EQ(report->events, 22u);
  EXPECT_EQ(report->checkpoint_size, 22u);
  EXPECT_EQ(report->module_records, 11u);

  // What the old kura recorded reads as it did.
  auto wf = workflow::Workflow::Open(&arc, &clock_, {});
  ASSERT_OK(wf);
  auto kaikei = (*wf)->GetUser("kaikei");
  ASSERT_OK(kaikei);
  auto order = (*wf)->GetOrder("P2026-0001", *kaikei);
  ASSERT_OK(order);
  EXPECT_EQ(workflow::StateName(order->order.state), "paid");
  auto doc = arc.Get("D00000001");
  ASSERT_OK(doc);
  EXPECT_EQ(doc->receipts.size(), 2u);

  // New writes through the ledger go on from the old log.
  std::vector<archive::IncomingFile> files;
  files.push_back({"new.xml", "somu", "cli", "cli:test", "<Invoice>after the upgrade</Invoice>"});
  auto results = arc.Ingest(std::move(files));
  ASSERT_OK(results[0]);
  EXPECT_EQ(results[0]->id, "D00000006");
  ASSERT_OK((*wf)->CreateDepartment({"doboku", "土木課"}, workflow::Workflow::SystemUser("test")));
  ASSERT_OK(arc.ledger().PublishCheckpoint());
  report = arc.Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
  EXPECT_EQ(report->documents, 6u);
  EXPECT_EQ(report->events, 24u);
  EXPECT_EQ(report->checkpoint_size, 24u);
  EXPECT_EQ(report->unpublished_events, 0u);
}

// The same through the program, as an operator would after upgrading.
TEST_F(LegacyDataTest, KuraVerifyPassesOnIt) {
  const std::string cmd = std::string(KURA_PROGRAM) + " --data " + options_.data_dir +
                          " verify --quiet > " + dir_.Join("out.json") + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dir_.Join("out.json"));
  std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(out.find("\"documents\":5"), std::string::npos) << out;
  EXPECT_NE(out.find("\"failed\":[]"), std::string::npos) << out;
}

}  // namespace
}  // namespace app
