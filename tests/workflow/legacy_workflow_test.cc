// Legacy creditor numbers in the workflow (workflow/workflow_legacy.cc):
// an import is one event with the rows in the write set, merges and their
// undo are events that never delete, a merged number resolves to its
// survivor for the vendor master and commitments, and only the accounting
// office and admins change anything (auditors read).
#include <memory>

#include <gtest/gtest.h>

#include "ledger/data_dir.h"
#include "ledger/event_types.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace workflow {
namespace {

using Code = base::Status::Code;
using nlohmann::json;

constexpr char kCsv[] =
    "債権者番号,債権者名,登録番号,住所,利用回数,最終利用日\n"
    "1001,株式会社大隅商事,T7010705000725,東京都千代田区丸の内1-2-3,40,2024-01-05\n"
    "1002,㈱大隅商事,,東京都千代田区丸の内一丁目2番3号,3,2019-04-01\n"
    "1003,大隅商事（株）,T7010705000725,,12,2022-11-30\n"
    "2001,北斗建設株式会社,,広島県府中市府川町1-1-1,9,2024-02-01\n"
    "bad,壊れた行\n";

class LegacyWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{ao.data_dir}, ""));
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    WorkflowOptions wo;
    wo.password = PasswordParams{64, 1, 1};
    auto w = Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    ASSERT_OK(wf_->CreateDepartment({"somu", "総務課"}, root_));
    for (auto [login, role] : {std::pair{"kaikei", Role::kAccountant}, {"kansa", Role::kAuditor},
                               {"kato", Role::kClerk}}) {
      ASSERT_OK(wf_->AddUser(User{login, login, "somu", {role}, "", true}, "correct horse battery",
                             root_));
    }
  }
  User U(const std::string& login) { return *wf_->GetUser(login); }
  std::string Import() {
    auto parsed = ParseLegacyCreditors(kCsv, LegacyEncoding::kAuto);
    EXPECT_OK(parsed);
    auto id = wf_->ImportLegacyCreditors(*parsed, "export.csv", std::string(64, 'a'), U("kaikei"));
    EXPECT_OK(id);
    return id.ok() ? *id : "";
  }
  std::vector<json> Events(std::string_view type) {
    std::vector<json> out;
    EXPECT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view e) {
      json j = json::parse(e);
      if (j["type"] == type) out.push_back(j);
      return base::Status::OK();
    }));
    return out;
  }
  void ExpectVerified() {
    auto report = archive_->Verify();
    ASSERT_OK(report);
    EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-12T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<Workflow> wf_;
  User root_ = Workflow::SystemUser("test");
};

TEST_F(LegacyWorkflowTest, ImportIsOneEventAndKeepsTheRowsLeftOut) {
  EXPECT_EQ(Import(), "L000001");
  const auto events = Events(ledger::event::kLegacyCreditorsImported);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["import"]["rows"], 4);
  EXPECT_EQ(events[0]["import"]["file"], "export.csv");
  EXPECT_EQ(events[0]["import"]["skipped"][0]["line"], 6);
  EXPECT_EQ(events[0]["actor"], "kaikei");
  auto rows = wf_->ListLegacyCreditors(U("kansa"));
  ASSERT_OK(rows);
  EXPECT_EQ(rows->size(), 4u);
  // A second import of a number takes the later row.
  auto again = ParseLegacyCreditors("債権者番号,債権者名,利用回数\n1002,㈱大隅商事,77\n",
                                    LegacyEncoding::kAuto);
  ASSERT_OK(wf_->ImportLegacyCreditors(*again, "more.csv", "", U("kaikei")));
  rows = wf_->ListLegacyCreditors(U("kaikei"));
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[1].use_count, 77);
  ExpectVerified();
}

TEST_F(LegacyWorkflowTest, DuplicatesProposeTheClusterWithReasons) {
  Import();
  auto clusters = wf_->FindDuplicateCreditors(U("kaikei"));
  ASSERT_OK(clusters);
  ASSERT_EQ(clusters->size(), 1u);  // 2001 is another company
  EXPECT_EQ((*clusters)[0].survivor, "1001");
  EXPECT_EQ((*clusters)[0].members.size(), 3u);
  EXPECT_EQ((*clusters)[0].links.size(), 2u);
  // With the vendor in the master, the master entry is suggested.
  ASSERT_OK(wf_->PutVendor(Vendor{"V00001", "株式会社大隅商事", "T7010705000725", "", "", ""},
                           U("kaikei")));
  clusters = wf_->FindDuplicateCreditors(U("kaikei"));
  ASSERT_EQ((*clusters)[0].survivor, "V00001");
}

TEST_F(LegacyWorkflowTest, MergeResolvesAndUnmergeUndoesWithoutDeleting) {
  Import();
  ASSERT_OK(wf_->PutVendor(Vendor{"V00001", "株式会社大隅商事", "T7010705000725", "", "", ""},
                           U("kaikei")));
  ASSERT_OK(wf_->MergeCreditors("V00001", {"1001", "1002", "1003"}, U("kaikei"), "同じ登録番号"));
  EXPECT_EQ(*wf_->ResolveCreditor("1002"), "V00001");
  auto v = wf_->GetVendor("1002");
  ASSERT_OK(v);
  EXPECT_EQ(v->id, "V00001");
  Commitment c;
  c.department = "somu";
  c.vendor_id = "1003";
  c.budget_line = "01-01-01-11";
  c.fiscal_year = 2026;
  c.description = "事務用品";
  c.amount = *base::Decimal::Parse("10000");
  c.contract_from = base::Date(2026, 4, 1);
  c.contract_to = base::Date(2027, 3, 31);
  auto made = wf_->CreateCommitment(c, U("kaikei"));
  ASSERT_OK(made);
  EXPECT_EQ(made->vendor_id, "V00001");  // the order is drafted against the survivor
  EXPECT_TRUE(wf_->FindDuplicateCreditors(U("kaikei"))->empty());
  // Merging again changes nothing and writes nothing.
  const size_t merged_events = Events(ledger::event::kVendorMerged).size();
  ASSERT_OK(wf_->MergeCreditors("V00001", {"1002"}, U("kaikei"), "同じ登録番号"));
  EXPECT_EQ(Events(ledger::event::kVendorMerged).size(), merged_events);

  ASSERT_OK(wf_->UnmergeCreditors({"1002"}, U("kaikei")));
  EXPECT_EQ(*wf_->ResolveCreditor("1002"), "1002");
  EXPECT_FALSE(wf_->GetVendor("1002").ok());
  auto merges = wf_->ListCreditorMerges(U("kansa"));
  ASSERT_EQ(merges->size(), 2u);
  const auto undone = Events(ledger::event::kVendorUnmerged);
  ASSERT_EQ(undone.size(), 1u);
  EXPECT_EQ(undone[0]["merges"][0]["survivor"], "V00001");
  EXPECT_EQ(wf_->FindDuplicateCreditors(U("kaikei"))->size(), 1u);  // proposed again
  EXPECT_EQ(wf_->UnmergeCreditors({"1002"}, U("kaikei")).code(), Code::kNotFound);
  ExpectVerified();
}

TEST_F(LegacyWorkflowTest, VendorDepartmentsIncludeTheMergedNumbersDepartments) {
  const char csv[] =
      "債権者番号,債権者名,登録番号,所管課\n"
      "1001,株式会社大隅商事,T7010705000725,somu\n"
      "1002,㈱大隅商事,,doboku\n"
      "1003,大隅商事（株）,,doboku\n"
      "2001,北斗建設株式会社,,suido\n";
  auto parsed = ParseLegacyCreditors(csv, LegacyEncoding::kAuto);
  ASSERT_OK(parsed);
  ASSERT_OK(wf_->ImportLegacyCreditors(*parsed, "export.csv", "", U("kaikei")));
  ASSERT_OK(wf_->PutVendor(Vendor{"V00001", "株式会社大隅商事", "T7010705000725", "", "", ""},
                           U("kaikei")));
  ASSERT_OK(wf_->MergeCreditors("V00001", {"1001", "1002", "1003"}, U("kaikei"), "同じ登録番号"));
  ASSERT_OK(wf_->UnmergeCreditors({"1003"}, U("kaikei")));  // undone: no longer counts
  auto used = wf_->VendorDepartments("V00001");
  ASSERT_OK(used);
  ASSERT_EQ(used->size(), 2u);
  EXPECT_EQ((*used)[0].code, "doboku");
  EXPECT_EQ((*used)[0].name, "doboku");  // not (yet) a department of kura
  EXPECT_EQ((*used)[0].legacy_numbers, std::vector<std::string>{"1002"});
  EXPECT_EQ((*used)[1].code, "somu");
  EXPECT_EQ((*used)[1].name, "総務課");
  EXPECT_EQ((*used)[1].legacy_numbers, std::vector<std::string>{"1001"});
  EXPECT_EQ((*used)[1].commitments, 0u);
}

TEST_F(LegacyWorkflowTest, MergeRefusesWhatWouldTangleTheMapping) {
  Import();
  // Why the numbers are one vendor is part of the record, from every door.
  EXPECT_EQ(wf_->MergeCreditors("1001", {"1002"}, U("kaikei"), " \n").code(),
            Code::kInvalidArgument);
  EXPECT_EQ(wf_->MergeCreditors("1001", {"9999"}, U("kaikei"), "同じ登録番号").code(),
            Code::kNotFound);
  EXPECT_EQ(wf_->MergeCreditors("9999", {"1001"}, U("kaikei"), "同じ登録番号").code(),
            Code::kNotFound);
  EXPECT_EQ(wf_->MergeCreditors("1001", {"1001"}, U("kaikei"), "同じ登録番号").code(),
            Code::kInvalidArgument);
  ASSERT_OK(wf_->MergeCreditors("1001", {"1002"}, U("kaikei"), "同じ登録番号"));
  // Into another survivor: undo first.
  EXPECT_EQ(wf_->MergeCreditors("1003", {"1002"}, U("kaikei"), "同じ登録番号").code(),
            Code::kAborted);
  // A merged number is no survivor, and a survivor is not merged away.
  EXPECT_EQ(wf_->MergeCreditors("1002", {"1003"}, U("kaikei"), "同じ登録番号").code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(wf_->MergeCreditors("1003", {"1001"}, U("kaikei"), "同じ登録番号").code(),
            Code::kFailedPrecondition);
}

TEST_F(LegacyWorkflowTest, OnlyTheAccountingOfficeAndAdminsChangeAuditorsRead) {
  Import();
  auto parsed = ParseLegacyCreditors(kCsv, LegacyEncoding::kAuto);
  EXPECT_EQ(wf_->ImportLegacyCreditors(*parsed, "x.csv", "", U("kato")).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(wf_->ImportLegacyCreditors(*parsed, "x.csv", "", U("kansa")).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(wf_->MergeCreditors("1001", {"1002"}, U("kansa"), "同じ登録番号").code(),
            Code::kPermissionDenied);
  EXPECT_EQ(wf_->UnmergeCreditors({"1002"}, U("kato")).code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->FindDuplicateCreditors(U("kato")).status().code(), Code::kPermissionDenied);
  EXPECT_OK(wf_->FindDuplicateCreditors(U("kansa")));
}

}  // namespace
}  // namespace workflow
