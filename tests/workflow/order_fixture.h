// A workflow over a fresh data directory on a fake clock, with 総務課,
// 土木課 and 会計課, a clerk (kato), 課長 (kacho), the accounting office
// (kaikei), an auditor and an admin, one vendor, and helpers that receive
// invoices and take orders through approval and 会計審査: what the tests of
// figures and payment runs start from.
#ifndef TESTS_WORKFLOW_ORDER_FIXTURE_H_
#define TESTS_WORKFLOW_ORDER_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/correction.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Date;
using nlohmann::json;

constexpr char kPassword[] = "correct horse battery";

inline base::Time Jst(const std::string& date) {  // 10:00 in Japan on date
  return *base::ParseRfc3339(date + "T01:00:00Z");
}

class OrderFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    auto a = archive::Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    archive_->SetFieldReader([](std::string_view bytes) {
      invoice::ReadResult r;
      r.fields = *invoice::FieldsFromJson(json::parse(bytes));
      return r;
    });
    WorkflowOptions wo;
    wo.password = PasswordParams{64, 1, 1};  // cheap for tests
    Configure(&wo);
    auto w = Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    const User root = Workflow::SystemUser("test");
    for (auto [code, name] :
         {std::pair{"somu", "総務課"}, {"doboku", "土木課"}, {"kaikei", "会計課"}}) {
      ASSERT_OK(wf_->CreateDepartment({code, name}, root));
    }
    AddUser("kato", "somu", {Role::kClerk});
    AddUser("kacho", "somu", {Role::kApprover}, "課長");
    AddUser("kaikei", "kaikei", {Role::kAccountant});
    AddUser("kansa", "kaikei", {Role::kAuditor});
    AddUser("admin", "kaikei", {Role::kAdmin});
    ASSERT_OK(wf_->PutVendor(kVendor, U("admin")));
  }
  // A test's own options (a remitter, say), before the workflow opens.
  virtual void Configure(WorkflowOptions*) {}
  void AddUser(const std::string& login, const std::string& dept, std::vector<Role> roles,
               const std::string& title = "") {
    User u{login, login + "さん", dept, std::move(roles), title, true};
    ASSERT_OK(wf_->AddUser(u, kPassword, Workflow::SystemUser("test")));
    users_[login] = u;
  }
  const User& U(const std::string& login) { return users_.at(login); }

  // Receives, on the clock's day, a document whose fields are `fields`.
  std::string Receive(const invoice::InvoiceFields& fields, const std::string& dept = "somu") {
    auto results = archive_->Ingest({archive::IncomingFile{
        "invoice-" + std::to_string(++files_) + ".json", dept, "upload", "kato",
        invoice::FieldsToJson(fields).dump()}});
    EXPECT_OK(results[0]);
    return results[0].ok() ? results[0]->id : "";
  }
  // An invoice of kVendor for 11,000 yen. Its issue date in April 2026
  // follows the number's last character, so that invoices of different
  // numbers are not taken for one another by the double-payment guard
  // (same vendor, date and total).
  invoice::InvoiceFields Xml(const std::string& number) {
    invoice::InvoiceFields f;
    f.format = "jp-pint";
    f.document_type = "invoice";
    f.invoice_number = number;
    const int day = number.empty() ? 1 : 1 + static_cast<unsigned char>(number.back()) % 28;
    f.issue_date = std::string("2026-04-") + (day < 10 ? "0" : "") + std::to_string(day);
    f.currency = "JPY";
    f.total = "11000";
    f.counterparty = "㈱山田商事";
    f.registration_number = kVendor.registration_number;
    f.tax_subtotals = {{"S", "10", "10000", "1000"}};
    f.bank_account = kVendor.bank_account;
    f.supplier_address = kVendor.address;
    f.needs_metadata = false;
    return f;
  }
  // A scanned paper invoice: no data, keys to enter (pages make the bytes
  // differ, else a second scan would be a receipt of the first).
  invoice::InvoiceFields Scan(int pages) {
    invoice::InvoiceFields f;
    f.format = "pdf";
    f.page_count = pages;
    f.needs_metadata = true;
    return f;
  }
  std::string Commitment() {
    workflow::Commitment c;
    c.department = "somu";
    c.vendor_id = kVendor.id;
    c.budget_line = "02-01-03-11";
    c.fiscal_year = 2026;
    c.description = "消耗品 単価契約";
    c.amount = base::Decimal::FromInt(1'000'000);
    c.contract_from = Date(2026, 4, 1);
    c.contract_to = Date(2027, 3, 31);
    c.expense_type = "goods";
    auto created = wf_->CreateCommitment(c, U("kato"));
    EXPECT_OK(created);
    return created.ok() ? created->id : "";
  }
  OrderView Act(const OrderView& v, Action a, const std::string& who, std::string comment = "") {
    ActionRequest r;
    r.action = a;
    r.version = v.order.version;
    r.comment = std::move(comment);
    if (a == Action::kAccept) {
      for (std::string_view item : kChecklistItems) r.checklist.push_back({std::string(item), true, ""});
    }
    auto next = wf_->Act(v.order.id, r, U(who));
    EXPECT_OK(next) << ActionName(a) << " by " << who;
    return next.ok() ? *next : v;
  }
  // Drafts an order for doc on the clock's day and takes it through
  // approval and 会計審査 (settling a bank-account ×).
  OrderView Accepted(const std::string& doc) {
    auto v = wf_->Draft(doc, commitment_, U("kato"));
    EXPECT_OK(v);
    if (!v.ok()) return {};
    OrderView o = Act(*v, Action::kSubmit, "kato");
    o = Act(o, Action::kApprove, "kacho");
    if (!o.order.AccountingRequired().empty()) {
      o = Act(o, Action::kConfirmBankAccount, "kaikei", "口座変更届を確認");
    }
    return Act(o, Action::kAccept, "kaikei");
  }
  void PayOn(const OrderView& o, const std::string& day) {
    clock_.Set(Jst(day));
    EXPECT_EQ(Act(o, Action::kPay, "kaikei").order.state, OrderState::kPaid);
  }


  const Vendor kVendor{"V00001", "山田商事株式会社", "T7010705000725", "0005:123:1:1234567",
                       "埼玉県草加市栄町3丁目2番8号"};
  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{Jst("2026-04-01")};
  archive::ArchiveOptions options_;
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<Workflow> wf_;
  std::map<std::string, User> users_;
  std::string commitment_;
  int files_ = 0;
};

}  // namespace workflow

#endif  // TESTS_WORKFLOW_ORDER_FIXTURE_H_
