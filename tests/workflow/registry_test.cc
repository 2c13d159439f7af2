// The 国税庁 registry offline (workflow/nta_registry.h): a small file in the
// published layout (UTF-8 CSV, no header, 24 columns) imported into a
// snapshot; registrations checked as of an invoice date (valid, not yet
// registered, cancelled before, lapsed after, name mismatch); a 差分 that
// changes and deletes rows; a malformed record reported with its line;
// an import recorded as one event; the invoices whose registration lapsed
// after their date listed for the accounting office, not for a clerk.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "ledger/data_dir.h"
#include "ledger/event_types.h"
#include "tests/fakes/test_util.h"
#include "tests/workflow/order_fixture.h"
#include "workflow/nta_registry.h"
#include "workflow/workflow.h"

namespace workflow {
namespace {

using nlohmann::json;

// One record of the published layout: 一連番号, 登録番号, 事業者処理区分,
// 訂正区分, 人格区分, 国内外区分, 最新履歴, 登録年月日, 更新年月日, 取消年月日,
// 失効年月日, 所在地 (+2 codes), 公表申出所在地 (+2), フリガナ, 氏名又は名称,
// 国内所在地 (+2), 屋号, 通称・旧姓.
std::string Row(int seq, const std::string& number, const std::string& process,
                const std::string& kind, const std::string& registered,
                const std::string& cancelled, const std::string& expired,
                const std::string& name) {
  return std::to_string(seq) + "," + number + "," + process + ",0," + kind + ",1,1," + registered +
         ",2024-01-10," + cancelled + "," + expired +
         ",\"東京都千代田区霞が関3丁目1-1\",13,101,,,,,\"" + name + "\",,,,,\n";
}

// valid (since 2023-10-01), registered later (2024-06-01), cancelled on
// 2024-02-01, expired on 2025-03-31 (after the invoice), an individual.
const std::string kFull =
    Row(1, "T1000000000001", "01", "2", "2023-10-01", "", "", "株式会社大隅商事") +
    Row(2, "T1000000000002", "01", "2", "2024-06-01", "", "", "北斗建設株式会社") +
    Row(3, "T1000000000003", "04", "2", "2023-10-01", "2024-02-01", "", "東和物産株式会社") +
    Row(4, "T1000000000004", "03", "2", "2023-10-01", "", "2025-03-31", "有限会社みなと") +
    "5,T10000000000X5,01,0,2,1,1,2023-10-01,,,,x,,,,,,,壊れた番号,,,,,\n" +
    Row(6, "T1000000000006", "01", "1", "2023-10-01", "", "", "");

constexpr char kInvoiceDate[] = "2024-04-15";
constexpr char kToday[] = "2025-05-01";

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = NtaRegistry::Open(dir_.Join("registry"));
    ASSERT_OK(r);
    registry_ = std::move(*r);
  }
  RegistrySnapshot Import(const std::string& csv, bool diff, uint64_t seq, int* commits) {
    RegistryRows rows;
    std::vector<RegistryRowError> errors;
    RegistryFileInfo info;
    EXPECT_OK(ReadRegistryFile("file.csv", csv, &rows, &errors, &info));
    RegistrySnapshot s;
    s.seq = seq;
    s.id = "R" + std::to_string(seq);
    s.kind = diff ? "diff" : "full";
    auto commit = [commits] {
      ++*commits;
      return base::Status::OK();
    };
    auto done = diff ? registry_->ApplyDiff(std::move(rows), s, commit)
                     : registry_->InstallFull(std::move(rows), s, commit);
    EXPECT_OK(done);
    return done.ok() ? *done : RegistrySnapshot{};
  }
  RegistryCheck Check(const std::string& number, const std::string& vendor = "") {
    return CheckRegistration(registry_.get(), number, kInvoiceDate, vendor, kToday);
  }

  kura_test::TempDir dir_;
  std::unique_ptr<NtaRegistry> registry_;
};

TEST_F(RegistryTest, MalformedRecordIsReportedWithItsLineAndSkipped) {
  RegistryRows rows;
  std::vector<RegistryRowError> errors;
  RegistryFileInfo info;
  const std::string csv = kFull + "7,T1000000000007,01\n" + "8,\"unterminated\n";
  ASSERT_OK(ReadRegistryFile("nta.csv", csv, &rows, &errors, &info));
  EXPECT_EQ(rows.size(), 5u);
  EXPECT_EQ(info.rows, 5u);
  EXPECT_EQ(info.errors, 3u);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].line, 5);
  EXPECT_NE(errors[0].message.find("登録番号"), std::string::npos) << errors[0].message;
  EXPECT_EQ(errors[1].line, 7);
  EXPECT_NE(errors[1].message.find("19 列"), std::string::npos) << errors[1].message;
  EXPECT_EQ(errors[2].line, 8);
  EXPECT_EQ(info.sha256.size(), 64u);
}

TEST_F(RegistryTest, ChecksAsOfTheInvoiceDate) {
  int commits = 0;
  EXPECT_EQ(Check("T1000000000001").status, "no_registry");
  const RegistrySnapshot s = Import(kFull, false, 1, &commits);
  EXPECT_EQ(commits, 1);
  EXPECT_EQ(s.rows, 5u);
  EXPECT_EQ(s.id, "R1");

  const RegistryCheck valid = Check("T1000000000001", "(株)大隅商事");
  EXPECT_EQ(valid.status, "valid");
  EXPECT_EQ(valid.name_matches, std::optional<bool>(true));
  EXPECT_TRUE(valid.ok());
  EXPECT_EQ(valid.snapshot.id, "R1");

  EXPECT_EQ(Check("T1000000000002").status, "not_yet_registered");
  EXPECT_FALSE(Check("T1000000000002").ok());
  const RegistryCheck cancelled = Check("T1000000000003");
  EXPECT_EQ(cancelled.status, "cancelled");
  ASSERT_EQ(cancelled.reasons.size(), 1u);
  EXPECT_NE(cancelled.reasons[0].find("2024-02-01"), std::string::npos);

  const RegistryCheck lapsed = Check("T1000000000004");
  EXPECT_EQ(lapsed.status, "valid");
  EXPECT_EQ(lapsed.lapsed_on, "2025-03-31");
  // Before the lapse it is not listed.
  EXPECT_EQ(CheckRegistration(registry_.get(), "T1000000000004", kInvoiceDate, "", "2025-03-30")
                .lapsed_on,
            "");

  const RegistryCheck mismatch = Check("T1000000000001", "株式会社大隅商会");
  EXPECT_EQ(mismatch.status, "valid");
  EXPECT_EQ(mismatch.name_matches, std::optional<bool>(false));
  EXPECT_FALSE(mismatch.ok());
  // An individual's name is not compared.
  EXPECT_EQ(Check("T1000000000006", "山田商店").name_matches, std::nullopt);
  EXPECT_EQ(Check("T9999999999999").status, "not_found");

  const json j = ToJson(mismatch);
  EXPECT_EQ(j["attribution"], std::string(kRegistryAttribution));
  EXPECT_EQ(j["snapshot"]["id"], "R1");
  EXPECT_EQ(j["registered_name"], "株式会社大隅商事");
}

TEST_F(RegistryTest, DiffChangesAndDeletesRows) {
  int commits = 0;
  Import(kFull, false, 1, &commits);
  const std::string diff =
      Row(1, "T1000000000001", "04", "2", "2023-10-01", "2024-03-01", "", "株式会社大隅商事") +
      Row(2, "T1000000000002", "99", "2", "", "", "", "") +
      Row(3, "T1000000000008", "01", "2", "2024-04-01", "", "", "新日本商事株式会社");
  const RegistrySnapshot s = Import(diff, true, 2, &commits);
  EXPECT_EQ(commits, 2);
  EXPECT_EQ(s.id, "R2");
  EXPECT_EQ(s.rows, 5u);  // one deleted, one added
  EXPECT_EQ(Check("T1000000000001").status, "cancelled");
  EXPECT_EQ(Check("T1000000000002").status, "not_found");
  EXPECT_EQ(Check("T1000000000008").status, "valid");
  EXPECT_EQ(Check("T1000000000008").snapshot.id, "R2");

  // A full import replaces everything; a failed commit leaves it as it was.
  const auto failed = registry_->InstallFull(RegistryRows{}, RegistrySnapshot{3, "R3"},
                                             [] { return base::Status::Aborted("no"); });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(registry_->snapshot().id, "R2");
  Import(kFull, false, 3, &commits);
  EXPECT_EQ(Check("T1000000000001").status, "valid");
  EXPECT_EQ(Check("T1000000000008").status, "not_found");
}

TEST(RegistryWorkflowTest, AnImportIsOneEvent) {
  kura_test::TempDir dir;
  std::unique_ptr<base::FileSystem> fs = base::NewPosixFileSystem();
  base::FakeClock clock{*base::ParseRfc3339("2026-05-12T01:00:00Z")};
  archive::ArchiveOptions ao;
  ao.data_dir = dir.Join("kura-data");
  ASSERT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{ao.data_dir}, ""));
  auto a = archive::Archive::Open(ao, fs.get(), &clock);
  ASSERT_OK(a);
  WorkflowOptions wo;
  wo.password = PasswordParams{64, 1, 1};
  auto wf = Workflow::Open(a->get(), &clock, wo);
  ASSERT_OK(wf);
  auto before = (*a)->ledger().EventCount();
  ASSERT_OK(before);
  const json record = {{"id", "R000001"}, {"files", {{{"name", "a.zip"}, {"sha256", "00"}}}}};
  ASSERT_OK((*wf)->RecordRegistryImport(record, Workflow::SystemUser("test")));
  auto after = (*a)->ledger().EventCount();
  ASSERT_OK(after);
  EXPECT_EQ(*after, *before + 1);
  json last;
  ASSERT_OK((*a)->ledger().ForEachEvent(*before, [&](uint64_t, std::string_view e) {
    last = json::parse(e);
    return base::Status::OK();
  }));
  EXPECT_EQ(last["type"], std::string(ledger::event::kRegistryImported));
  EXPECT_EQ(last["import"]["id"], "R000001");
  // A clerk may not import.
  ASSERT_OK((*wf)->CreateDepartment({"somu", "総務課"}, Workflow::SystemUser("test")));
  ASSERT_OK((*wf)->AddUser(User{"kato", "kato", "somu", {Role::kClerk}, "", true},
                           "correct horse battery", Workflow::SystemUser("test")));
  EXPECT_FALSE((*wf)->RecordRegistryImport(record, *(*wf)->GetUser("kato")).ok());
  auto report = (*a)->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
}

// Two invoices of April 2026: kVendor's registration expired on 2026-05-31
// (after the invoice), the other's is valid. Listed once today is past the
// lapse; a clerk is refused.
class LapsedTest : public OrderFixture {};

TEST_F(LapsedTest, AnInvoiceWhoseRegistrationLapsedAfterItsDateIsListed) {
  const std::string lapsed = Receive(Xml("A-1"));
  invoice::InvoiceFields other = Xml("B-2");
  other.registration_number = "T1000000000001";
  other.counterparty = "株式会社大隅商事";
  Receive(other);
  auto registry = NtaRegistry::Open(options_.data_dir + "/registry");
  ASSERT_OK(registry);
  // Nothing imported: an empty list, no snapshot.
  auto none = wf_->LapsedRegistrations(registry->get(), U("kaikei"));
  ASSERT_OK(none);
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(none->snapshot.seq, 0u);

  RegistryRows rows;
  std::vector<RegistryRowError> errors;
  RegistryFileInfo info;
  ASSERT_OK(ReadRegistryFile(
      "nta.csv",
      Row(1, "T1000000000001", "01", "2", "2023-10-01", "", "", "株式会社大隅商事") +
          Row(2, kVendor.registration_number, "03", "2", "2023-10-01", "", "2026-05-31",
              "山田商事株式会社"),
      &rows, &errors, &info));
  ASSERT_OK((*registry)->InstallFull(std::move(rows), RegistrySnapshot{1, "R000001"},
                                     [] { return base::Status::OK(); }));
  clock_.Set(Jst("2026-05-30"));
  auto before = wf_->LapsedRegistrations(registry->get(), U("kaikei"));
  ASSERT_OK(before);
  EXPECT_TRUE(before->items.empty());

  clock_.Set(Jst("2026-06-01"));
  for (const char* who : {"kaikei", "kansa", "admin"}) {
    auto list = wf_->LapsedRegistrations(registry->get(), U(who));
    ASSERT_OK(list) << who;
    ASSERT_EQ(list->items.size(), 1u) << who;
    const LapsedRegistration& r = list->items[0];
    EXPECT_EQ(r.document_id, lapsed);
    EXPECT_EQ(r.registration_number, kVendor.registration_number);
    EXPECT_EQ(r.lapsed_on, "2026-05-31");
    EXPECT_EQ(r.kind, "expired");
    EXPECT_EQ(r.counterparty, "㈱山田商事");
    EXPECT_EQ(list->snapshot.id, "R000001");
  }
  EXPECT_EQ(wf_->LapsedRegistrations(registry->get(), U("kato")).status().code(),
            base::Status::Code::kPermissionDenied);
  EXPECT_EQ(wf_->RegistryStatus(registry->get(), U("kato")).status().code(),
            base::Status::Code::kPermissionDenied);
  auto status = wf_->RegistryStatus(registry->get(), U("kansa"));
  ASSERT_OK(status);
  EXPECT_EQ(status->rows, 2u);
}

}  // namespace
}  // namespace workflow
