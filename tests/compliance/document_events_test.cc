// CollectDocumentEvents: a document's own events, and the steps of the
// payment orders drafted from it, found by one pass over the log.
#include "compliance/document_events.h"

#include <memory>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/file_system.h"
#include "base/time.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"

namespace compliance {
namespace {

using base::Status;
using nlohmann::json;

class DocumentEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    options_.checkpoints.background = false;
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    auto l = ledger::Ledger::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(l);
    ledger_ = std::move(*l);
    ledger_->RegisterOwner("document.");
  }
  void Append(const json& e) {
    ledger::WriteOptions w;
    if (e["type"].get<std::string>().rfind("document.", 0) == 0) w.owner = "document.";
    ASSERT_OK(ledger_->Write(
        [&](storage::WriteTxn&, const ledger::AppendEvent& append) -> Status {
          return append(e).status();
        },
        w));
  }
  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T01:00:00Z")};
  ledger::LedgerOptions options_;
  std::unique_ptr<ledger::Ledger> ledger_;
};

TEST_F(DocumentEventsTest, ReceiptsCorrectionsAndOrderStepsBelongToTheirDocument) {
  Append({{"type", "document.received"}, {"id", "D00000001"}});                // 0
  Append({{"type", "document.received"}, {"id", "D00000002"}});                // 1
  Append({{"type", "workflow.user.added"}, {"login", "tanaka"}});              // 2
  Append({{"type", "workflow.order.drafted"}, {"order", "P1"}, {"document", "D00000001"}});  // 3
  Append({{"type", "document.corrected"}, {"id", "D00000001"}});               // 4
  Append({{"type", "workflow.order.submitted"}, {"order", "P1"}});             // 5
  Append({{"type", "workflow.order.drafted"}, {"order", "P2"}, {"document", "D00000002"}});  // 6
  Append({{"type", "workflow.vendor.updated"}, {"order", "P1"}, {"id", "V1"}});  // 7
  Append({{"type", "workflow.order.resumed"}, {"order", "P1"}, {"document", "D00000002"}});  // 8
  Append({{"type", "workflow.order.paid"}, {"order", "P1"}});                  // 9

  auto all = CollectDocumentEvents(*ledger_, {});
  ASSERT_OK(all);
  std::vector<uint64_t> d1, d2;
  for (const EventRef& e : (*all)["D00000001"]) d1.push_back(e.index);
  for (const EventRef& e : (*all)["D00000002"]) d2.push_back(e.index);
  EXPECT_EQ(d1, (std::vector<uint64_t>{0, 3, 4, 5, 7, 8, 9}));
  // D2: its receipt, its own order, and P1 from the resumption (the
  // corrected invoice) on.
  EXPECT_EQ(d2, (std::vector<uint64_t>{1, 6, 8, 9}));
  EXPECT_EQ((*all)["D00000001"][2].type, "document.corrected");
  EXPECT_NE((*all)["D00000001"][2].bytes.find("\"document.corrected\""), std::string::npos);

  auto one = CollectDocumentEvents(*ledger_, {"D00000002"});
  ASSERT_OK(one);
  EXPECT_EQ(one->size(), 1u);
  EXPECT_EQ(one->count("D00000001"), 0u);
}

// A retry's event names its documents as the keys of next_attempt; a
// nested object elsewhere (here one with its own "id" and
// "next_attempt") and escaped strings name none.
TEST_F(DocumentEventsTest, NextAttemptKeysNameTheDocumentsAndNestedMembersDoNot) {
  Append({{"type", "document.timestamp.retried"},
          {"note", "a \"quoted\" \u00e9 note"},
          {"detail", {{"id", "D00000009"}, {"next_attempt", {{"D00000008", 1}}}}},
          {"next_attempt", {{"D00000003", {{"at", "x"}, {"tries", json::array({1, 2})}}},
                            {"D00000001", nullptr}}}});
  auto all = CollectDocumentEvents(*ledger_, {});
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)["D00000001"].size(), 1u);
  EXPECT_EQ((*all)["D00000003"].size(), 1u);
  EXPECT_EQ(all->count("D00000008"), 0u);
  EXPECT_EQ(all->count("D00000009"), 0u);
}

}  // namespace
}  // namespace compliance
