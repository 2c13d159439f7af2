// 効果の見える化 (workflow/figures.h): known receipts and orders on a fake
// clock give known counts per month, electronic against paper, payments
// and late payments, the median days to payment, × rates per field and
// the documents still waiting for input; who may see them and which
// departments they cover.
#include "workflow/figures.h"

#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "archive/correction.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace workflow {
namespace {

using base::Date;
using Code = base::Status::Code;
using nlohmann::json;

constexpr char kPassword[] = "correct horse battery";

base::Time Jst(const std::string& date) {  // 10:00 in Japan on date
  return *base::ParseRfc3339(date + "T01:00:00Z");
}

class FiguresTest : public ::testing::Test {
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
  invoice::InvoiceFields Xml(const std::string& number) {
    invoice::InvoiceFields f;
    f.format = "jp-pint";
    f.document_type = "invoice";
    f.invoice_number = number;
    f.issue_date = "2026-04-01";
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

  // The history the tests share (FY 2026, 総務課 unless said):
  //   4/10 received A, B, F (XML), S1 (scan, never entered), D (XML, 土木課)
  //   4/12 A drafted, paid 4/30 (20 days, on time); B drafted, paid 5/20
  //        (40 days: due 5/10, late); F drafted and withdrawn
  //   5/15 received C (XML, another bank account: ×) and S2 (scan, entered)
  //   5/20 C drafted, its account confirmed by 会計室, paid 6/10 (26 days)
  void WriteHistory() {
    clock_.Set(Jst("2026-04-10"));
    const std::string a = Receive(Xml("A")), b = Receive(Xml("B")), f = Receive(Xml("F"));
    Receive(Scan(1));
    Receive(Xml("D"), "doboku");
    clock_.Set(Jst("2026-04-12"));
    commitment_ = Commitment();
    const OrderView order_a = Accepted(a), order_b = Accepted(b);
    auto withdrawn = wf_->Draft(f, commitment_, U("kato"));
    ASSERT_OK(withdrawn);
    Act(*withdrawn, Action::kWithdraw, "kato");
    PayOn(order_a, "2026-04-30");

    clock_.Set(Jst("2026-05-15"));
    invoice::InvoiceFields other_account = Xml("C");
    other_account.bank_account = "0005:123:1:7654321";
    const std::string c = Receive(other_account);
    const std::string s2 = Receive(Scan(2));
    auto entered = archive::NormalizeCorrection(
        json{{"issue_date", "2026-05-01"}, {"total", "5500"}, {"counterparty", "山田商事"},
             {"needs_metadata", false}});
    ASSERT_OK(entered);
    ASSERT_OK(wf_->CorrectDocument({s2, *entered, "紙の請求書から入力", 0}, U("kato")));
    // B is paid before C's new account goes into the vendor master (after
    // that B's own account would be a × to settle).
    PayOn(order_b, "2026-05-20");
    const OrderView order_c = Accepted(c);
    PayOn(order_c, "2026-06-10");
    clock_.Set(Jst("2026-06-20"));
  }
  Figures Get(FiguresQuery q, const std::string& who) {
    auto f = wf_->GetFigures(std::move(q), U(who));
    EXPECT_OK(f);
    return f.ok() ? *f : Figures{};
  }
  static const MonthFigures& Month(const Figures& f, const std::string& month) {
    for (const MonthFigures& m : f.months) {
      if (m.month == month) return m;
    }
    static const MonthFigures none;
    ADD_FAILURE() << "no month " << month;
    return none;
  }
  static const FieldMismatchRate& Rate(const Figures& f, const std::string& field) {
    for (const FieldMismatchRate& r : f.mismatch_rates) {
      if (r.field == field) return r;
    }
    static const FieldMismatchRate none;
    ADD_FAILURE() << "no field " << field;
    return none;
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

TEST_F(FiguresTest, KnownReceiptsAndOrdersGiveKnownFigures) {
  WriteHistory();
  // 課長 of 総務課, the fiscal year so far (4/1 to today, 6/20).
  const Figures f = Get({}, "kacho");
  EXPECT_EQ(f.from, Date(2026, 4, 1));
  EXPECT_EQ(f.to, Date(2026, 6, 20));
  EXPECT_EQ(f.department, "somu");
  ASSERT_EQ(f.months.size(), 3u);
  EXPECT_EQ(f.months[0].month, "2026-04");
  EXPECT_EQ(f.months[2].month, "2026-06");

  const MonthFigures& april = Month(f, "2026-04");
  EXPECT_EQ(april.received, 4u);  // A, B, F, S1 (D is 土木課's)
  EXPECT_EQ(april.electronic, 3u);
  EXPECT_EQ(april.paper, 1u);
  EXPECT_EQ(april.waiting_for_input, 1u);  // S1
  EXPECT_EQ(april.paid, 1u);
  EXPECT_EQ(april.paid_late, 0u);
  EXPECT_EQ(april.median_days_to_payment, 20.0);

  const MonthFigures& may = Month(f, "2026-05");
  EXPECT_EQ(may.received, 2u);
  EXPECT_EQ(may.electronic, 1u);
  EXPECT_EQ(may.paper, 1u);
  EXPECT_EQ(may.waiting_for_input, 0u);  // S2's keys were entered
  EXPECT_EQ(may.paid, 1u);
  EXPECT_EQ(may.paid_late, 1u);  // B: 40 days, due after 30
  EXPECT_EQ(may.median_days_to_payment, 40.0);

  const MonthFigures& june = Month(f, "2026-06");
  EXPECT_EQ(june.received, 0u);
  EXPECT_EQ(june.paid, 1u);
  EXPECT_EQ(june.paid_late, 0u);
  EXPECT_EQ(june.median_days_to_payment, 26.0);

  EXPECT_EQ(f.totals.received, 6u);
  EXPECT_EQ(f.totals.electronic, 4u);
  EXPECT_EQ(f.totals.paper, 2u);
  EXPECT_EQ(f.totals.paid, 3u);
  EXPECT_EQ(f.totals.paid_late, 1u);
  EXPECT_EQ(f.totals.median_days_to_payment, 26.0);  // of 20, 40, 26
  EXPECT_EQ(f.totals.waiting_for_input, 1u);

  // × rates over A, B and C (F was withdrawn). C's bank account was ×
  // until 会計室 confirmed it; its match shows ○ now, and it still counts.
  EXPECT_EQ(f.orders_drafted, 3u);
  EXPECT_EQ(Rate(f, "bank_account").orders, 3u);
  EXPECT_EQ(Rate(f, "bank_account").mismatch, 1u);
  EXPECT_EQ(Rate(f, "amount").mismatch, 0u);
  EXPECT_EQ(Rate(f, "vendor").mismatch, 0u);
  EXPECT_EQ(f.mismatch_rates.front().field, "vendor");  // the match's order
}

TEST_F(FiguresTest, APeriodAndADepartmentNarrowThem) {
  WriteHistory();
  // 会計室 sees every department: 土木課's D is counted in April.
  const Figures all = Get({Date(2026, 4, 1), Date(2026, 4, 30), ""}, "kaikei");
  ASSERT_EQ(all.months.size(), 1u);
  EXPECT_EQ(all.department, "");
  EXPECT_EQ(all.totals.received, 5u);
  EXPECT_EQ(all.totals.paid, 1u);  // only A was paid in April
  EXPECT_EQ(all.orders_drafted, 2u);  // A and B were drafted in April

  const Figures doboku = Get({Date(2026, 4, 1), Date(2026, 6, 30), "doboku"}, "admin");
  EXPECT_EQ(doboku.totals.received, 1u);
  EXPECT_EQ(doboku.totals.paid, 0u);
  EXPECT_FALSE(doboku.totals.median_days_to_payment.has_value());
  EXPECT_EQ(doboku.orders_drafted, 0u);

  // A period across two fiscal years has every month, empty ones too.
  const Figures long_period = Get({Date(2026, 1, 15), Date(2026, 7, 2), ""}, "kaikei");
  ASSERT_EQ(long_period.months.size(), 7u);
  EXPECT_EQ(long_period.months.front().month, "2026-01");
  EXPECT_EQ(long_period.months.back().month, "2026-07");
  EXPECT_EQ(long_period.totals.paid, 3u);
}

TEST_F(FiguresTest, ManagersAccountantsAndAdminsSeeThemInTheirScope) {
  WriteHistory();
  EXPECT_EQ(wf_->GetFigures({}, U("kato")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->GetFigures({}, U("kansa")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->GetFigures({std::nullopt, std::nullopt, "doboku"}, U("kacho")).status().code(),
            Code::kPermissionDenied);
  EXPECT_OK(wf_->GetFigures({std::nullopt, std::nullopt, "somu"}, U("kacho")));
  EXPECT_OK(wf_->GetFigures({}, U("admin")));

  EXPECT_EQ(wf_->GetFigures({Date(2026, 5, 1), Date(2026, 4, 1), ""}, U("kaikei")).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(wf_->GetFigures({Date(2022, 4, 1), Date(2026, 4, 1), ""}, U("kaikei")).status().code(),
            Code::kInvalidArgument);
}

TEST(FiguresQueryTest, ParametersAreDatesAndADepartment) {
  auto q = FiguresQueryFromParams({{"from", "2026-04-01"}, {"department", "somu"}});
  ASSERT_OK(q);
  EXPECT_EQ(q->from, Date(2026, 4, 1));
  EXPECT_FALSE(q->to.has_value());
  EXPECT_EQ(q->department, "somu");
  EXPECT_EQ(FiguresQueryFromParams({{"to", "2026/04/01"}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(FiguresQueryFromParams({{"month", "4"}}).status().code(), Code::kInvalidArgument);
}

TEST(FiguresMedianTest, MiddleValueOrMeanOfTheMiddleTwo) {
  std::vector<int> none, odd{40, 20, 26}, even{10, 40, 20, 30};
  EXPECT_FALSE(Median(&none).has_value());
  EXPECT_EQ(Median(&odd), 26.0);
  EXPECT_EQ(Median(&even), 25.0);
}

}  // namespace
}  // namespace workflow
