// The modules above the archive (workflow, ...) keep their records in tables
// of the archive's LMDB environment and change them only through
// Archive::Write, which records every change in the transaction's last
// event. `kura verify` replays those write sets over the tables: a record
// edited, added, removed or brought back behind kura's back is reported,
// just like a catalog record.
#include <algorithm>

#include <gtest/gtest.h>

#include <set>

#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "ledger/internal/write_set.h"
#include "base/hex.h"
#include "signing/sha256.h"
#include "storage/lmdb_env.h"
#include "tests/archive/offline.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using base::Status;
using nlohmann::json;

class ModuleTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    Open();
    std::vector<IncomingFile> files;
    files.push_back({"a.pdf", "somu", "cli", "cli:test", "%PDF-1.4 a"});
    ASSERT_OK(archive_->Ingest(std::move(files))[0]);
    auto t = archive_->ledger().OpenTable("test_orders");
    ASSERT_OK(t);
    orders_ = *t;
    // Three changes: two orders created, one changed, one created and then
    // deleted again.
    ASSERT_OK(Change({{"O-1", "draft"}, {"O-2", "draft"}}, {}));
    ASSERT_OK(Change({{"O-1", "approved"}, {"O-3", "draft"}}, {}));
    ASSERT_OK(Change({}, {"O-3"}));
  }
  void Open() {
    archive_.reset();
    auto a = Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
  }
  Status Change(const std::map<std::string, std::string>& puts,
                const std::vector<std::string>& deletes) {
    return archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
      for (const auto& [k, v] : puts) RETURN_IF_ERROR(txn.Put(orders_, k, v));
      for (const auto& k : deletes) RETURN_IF_ERROR(txn.Delete(orders_, k));
      return append(json{{"type", "test.orders_changed"}}).status();
    });
  }
  VerifyReport VerifyNow() {
    archive_.reset();
    return VerifyReadOnly(options_, fs_.get(), &clock_);
  }
  // Someone with file access edits a table directly.
  void EditTable(const std::string& name,
                 const std::function<Status(storage::WriteTxn&, const storage::Table&)>& edit) {
    archive_.reset();
    EditTableOffline(options_.data_dir, name, edit);
  }
  static std::set<std::string> Failures(const VerifyReport& r) {
    std::set<std::string> out;
    for (const auto& f : r.failed) out.insert(f.id + " " + f.reason);
    return out;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T01:00:00Z")};
  ArchiveOptions options_;
  std::unique_ptr<Archive> archive_;
  storage::Table orders_;
};

TEST_F(ModuleTablesTest, TheLastEventOfAWriteCarriesWhatItChanged) {
  std::vector<json> log;
  ASSERT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view event) {
    log.push_back(json::parse(event));
    return Status::OK();
  }));
  ASSERT_EQ(log.size(), 4u);
  EXPECT_FALSE(log[0].contains("writes"));  // the receipt: the catalog's own
  const std::string o1 = base::HexEncode("O-1"), o2 = base::HexEncode("O-2"),
                    o3 = base::HexEncode("O-3");
  EXPECT_EQ(log[1]["writes"],
            (json{{"test_orders", {{o1, signing::Sha256("draft").Hex()},
                                   {o2, signing::Sha256("draft").Hex()}}}}));
  EXPECT_EQ(log[2]["writes"]["test_orders"][o1], signing::Sha256("approved").Hex());
  EXPECT_EQ(log[3]["writes"], (json{{"test_orders", {{o3, nullptr}}}}));
}

TEST_F(ModuleTablesTest, UntouchedTablesVerify) {
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(r.failed.empty()) << ToJson(r).dump();
  EXPECT_EQ(r.module_records, 2u);
  EXPECT_EQ(r.events, 4u);
}

TEST_F(ModuleTablesTest, EditedRecordIsDetected) {
  EditTable("test_orders", [](storage::WriteTxn& txn, const storage::Table& t) {
    return txn.Put(t, "O-2", "paid");  // paid without any approval
  });
  EXPECT_EQ(Failures(VerifyNow()), (std::set<std::string>{"test_orders/O-2 record_mismatch"}));
}

TEST_F(ModuleTablesTest, AddedRecordIsDetected) {
  EditTable("test_orders", [](storage::WriteTxn& txn, const storage::Table& t) {
    return txn.Put(t, "O-0", "approved");
  });
  EXPECT_EQ(Failures(VerifyNow()), (std::set<std::string>{"test_orders/O-0 unexplained_record"}));
}

TEST_F(ModuleTablesTest, RemovedRecordIsDetected) {
  EditTable("test_orders",
            [](storage::WriteTxn& txn, const storage::Table& t) { return txn.Delete(t, "O-1"); });
  EXPECT_EQ(Failures(VerifyNow()), (std::set<std::string>{"test_orders/O-1 missing_record"}));
}

TEST_F(ModuleTablesTest, RecordBroughtBackAfterItsDeletionIsDetected) {
  EditTable("test_orders", [](storage::WriteTxn& txn, const storage::Table& t) {
    return txn.Put(t, "O-3", "draft");  // exactly what it was before the deletion
  });
  const VerifyReport r = VerifyNow();
  EXPECT_EQ(Failures(r), (std::set<std::string>{"test_orders/O-3 unexplained_record"}));
  EXPECT_NE(ToJson(r).dump().find("削除されたはずのレコード"), std::string::npos);
}

TEST_F(ModuleTablesTest, RecordInATableNoEventEverWroteIsDetected) {
  EditTable("test_users", [](storage::WriteTxn& txn, const storage::Table& t) {
    return txn.Put(t, std::string("\x01\x02", 2), "admin");
  });
  EXPECT_EQ(Failures(VerifyNow()),
            (std::set<std::string>{"test_users/0x0102 unexplained_record"}));
}

TEST_F(ModuleTablesTest, AChangeWithoutItsEventIsRefused) {
  const Status s = archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) {
    return txn.Put(orders_, "O-9", "draft");
  });
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition) << s.ToString();
  ASSERT_OK(archive_->ledger().Read([&](const storage::ReadTxn& txn) {
    EXPECT_TRUE(txn.Get(orders_, "O-9").status().IsNotFound());
    return Status::OK();
  }));
  // A module cannot write its own "writes", nor open the archive's tables.
  EXPECT_FALSE(archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    RETURN_IF_ERROR(txn.Put(orders_, "O-9", "draft"));
    return append(json{{"type", "test.x"}, {"writes", json::object()}}).status();
  }).ok());
  EXPECT_EQ(archive_->ledger().OpenTable("documents").status().code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(VerifyNow().failed.empty());
}

// Every table the archive and the ledger create must be known to the
// ledger as replayed: one forgotten would be taken for a module's recorded
// table, and be reported as unexplained by every verify.
TEST_F(ModuleTablesTest, TheArchiveKnowsItsOwnTables) {
  std::vector<std::string> names;
  {
    auto env = storage::Env::Open(options_.data_dir + "/catalog", {});
    ASSERT_OK(env);
    auto listed = (*env)->TableNames();
    ASSERT_OK(listed);
    names = *listed;
  }
  std::vector<std::string> own;
  for (const std::string& n : names) {
    if (n != "test_orders") {
      EXPECT_TRUE(archive_->ledger().IsReplayedTable(n)) << n;
      own.push_back(n);
    }
  }
  // idx_pending, the pending documents, and disposed / idx_unremoved (the
  // tombstones of disposal and the bytes still to remove) among them.
  EXPECT_EQ(own.size(), 26u);
  EXPECT_TRUE(std::find(own.begin(), own.end(), "idx_pending") != own.end());
  EXPECT_FALSE(archive_->ledger().IsReplayedTable("test_orders"));
  EXPECT_FALSE(archive_->ledger().IsReplayedTable("wf_orders"));
}

TEST(WriteSetTest, RoundTripsAndRejectsWhatIsNotAWriteSet) {
  ledger::WriteSet w;
  w.Record("t", "k", std::string_view("v"));
  w.Record("t", std::string("\0k", 2), std::nullopt);
  auto back = ledger::WriteSet::FromJson(w.ToJson());
  ASSERT_OK(back);
  EXPECT_EQ(back->tables, w.tables);
  for (const char* bad : {R"([])", R"({"t":{}})", R"({"t":{"6B":null}})", R"({"t":{"6":null}})",
                          R"({"t":{"6b":"ab"}})", R"({"t":{"6b":5}})", R"({"t":[]})",
                          R"({"":{"6b":null}})"}) {
    EXPECT_FALSE(ledger::WriteSet::FromJson(json::parse(bad)).ok()) << bad;
  }
}

}  // namespace
}  // namespace archive
