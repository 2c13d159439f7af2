// Workflow integrity (issue 12, items 3 and 4): an order is drafted only
// from its own department's invoice; the vendor and bank-account × are the
// accounting office's to settle, never a clerk's; a correction of the
// invoice under an order in flight is refused, a draft follows it; the
// match an order shows and is decided on is always the current one; 代決.
#include <algorithm>
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
namespace {

using base::Date;
using base::Decimal;
using Code = base::Status::Code;
using nlohmann::json;

constexpr char kPassword[] = "correct horse battery";

// somu's vendor and another vendor whose invoice somu must not pay from
// somu's commitment (the tester's 東和ビルメンテナンス and 有限会社植松園芸).
const Vendor kTowa{"V00001", "東和ビルメンテナンス株式会社", "T7010705000725", "0005:123:1:1234567",
                   "埼玉県草加市栄町3丁目2番8号"};
const Vendor kUematsu{"V00002", "有限会社植松園芸", "T8040001079502", "0138:456:1:7654321",
                      "千葉県千葉市中央区1丁目1番1号"};

class WorkflowIntegrityTest : public ::testing::Test {
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
    for (auto [code, name] : {std::pair{"somu", "総務課"},
                              {"doboku", "土木課"},
                              {"kaikei", "会計課"},
                              {"hisho", "秘書課"}}) {
      ASSERT_OK(wf_->CreateDepartment({code, name}, root));
    }
    AddUser("tanto", "somu", {Role::kClerk});
    AddUser("doboku.tanto", "doboku", {Role::kClerk});
    AddUser("kacho", "somu", {Role::kApprover}, "課長");
    AddUser("bucho", "somu", {Role::kApprover}, "部長");
    AddUser("doboku.bucho", "doboku", {Role::kApprover}, "部長");
    AddUser("fuku", "hisho", {Role::kApprover}, "副市長");
    AddUser("kaikei", "kaikei", {Role::kAccountant});
    AddUser("admin", "hisho", {Role::kAdmin});
    ASSERT_OK(wf_->PutVendor(kTowa, U("admin")));
    ASSERT_OK(wf_->PutVendor(kUematsu, U("admin")));
  }
  void AddUser(const std::string& login, const std::string& dept, std::vector<Role> roles,
               const std::string& title = "") {
    User u{login, login + "さん", dept, std::move(roles), title, true};
    ASSERT_OK(wf_->AddUser(u, kPassword, Workflow::SystemUser("test")));
    users_[login] = u;
  }
  const User& U(const std::string& login) { return users_.at(login); }

  // An invoice from vendor v for `total` yen.
  static invoice::InvoiceFields Invoice(const Vendor& v, int64_t total,
                                        const std::string& number = "INV-1") {
    const int64_t taxable = total * 10 / 11;
    invoice::InvoiceFields f;
    f.document_type = "invoice";
    f.invoice_number = number;
    f.issue_date = "2026-05-10";
    f.currency = "JPY";
    f.total = std::to_string(total);
    f.counterparty = v.name;
    f.registration_number = v.registration_number;
    f.tax_subtotals = {{"S", "10", std::to_string(taxable), std::to_string(total - taxable)}};
    f.bank_account = v.bank_account;
    f.supplier_address = v.address;
    f.needs_metadata = false;
    return f;
  }
  std::string Receive(const invoice::InvoiceFields& fields, const std::string& department) {
    std::vector<archive::IncomingFile> files;
    files.push_back({"invoice.json", department, "upload", "tanto",
                     invoice::FieldsToJson(fields).dump() + std::string(++received_, ' ')});
    auto results = archive_->Ingest(std::move(files));
    EXPECT_OK(results[0]);
    return results[0].ok() ? results[0]->id : "";
  }
  Commitment NewCommitment(const std::string& department, const Vendor& v, int64_t amount) {
    Commitment c;
    c.department = department;
    c.vendor_id = v.id;
    c.budget_line = "02-01-03-11";
    c.fiscal_year = 2026;
    c.description = "庁舎清掃 単価契約";
    c.amount = Decimal::FromInt(amount);
    c.contract_from = Date(2026, 4, 1);
    c.contract_to = Date(2027, 3, 31);
    c.expense_type = "services";
    auto created = wf_->CreateCommitment(c, U("admin"));
    EXPECT_OK(created);
    return created.ok() ? *created : Commitment{};
  }
  base::Result<OrderView> Do(const OrderView& v, Action a, const std::string& who,
                             std::string comment = "", std::vector<std::string> ack = {}) {
    ActionRequest r;
    r.action = a;
    r.version = v.order.version;
    r.comment = std::move(comment);
    r.acknowledge = std::move(ack);
    if (a == Action::kAccept) {
      for (std::string_view item : kChecklistItems) {
        r.checklist.push_back({std::string(item), true, ""});
      }
    }
    return wf_->Act(v.order.id, r, U(who));
  }
  // Drafts somu's order for an invoice of `invoice_vendor` against somu's
  // commitment with kTowa, submits and approves it: in 会計審査.
  OrderView InReview(const invoice::InvoiceFields& fields) {
    const Commitment c = NewCommitment("somu", kTowa, 10'000'000);
    auto v = wf_->Draft(Receive(fields, "somu"), c.id, U("tanto"));
    EXPECT_OK(v);
    auto s = Do(*v, Action::kSubmit, "tanto", "確認しました", v->order.UnacknowledgedMismatches());
    EXPECT_OK(s);
    auto a = Do(*s, Action::kApprove, "kacho");
    EXPECT_OK(a);
    EXPECT_EQ(a->order.state, OrderState::kAccountingReview);
    return *a;
  }
  static MatchStatus StatusOf(const PaymentOrder& o, const std::string& field) {
    const FieldMatch* m = o.MatchOf(field);
    return m ? m->status : MatchStatus::kMissing;
  }
  std::vector<json> Events() {
    std::vector<json> out;
    EXPECT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view event) {
      out.push_back(json::parse(event));
      return base::Status::OK();
    }));
    return out;
  }
  uint64_t EventCount() { return *archive_->ledger().EventCount(); }
  void ExpectVerified() {
    auto report = archive_->Verify();
    ASSERT_OK(report);
    EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
  }
  base::Result<archive::Version> Correct(const std::string& doc, json changes,
                                         const std::string& who = "tanto") {
    auto patch = archive::NormalizeCorrection(changes);
    EXPECT_OK(patch);
    return wf_->CorrectDocument({doc, *patch, "紙の請求書と照合して訂正", 0}, U(who));
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  // 2026-05-12 10:00 JST
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-12T01:00:00Z")};
  archive::ArchiveOptions options_;
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<Workflow> wf_;
  std::map<std::string, User> users_;
  int received_ = 0;
};

// Finding 3, first half: somu.tanto drafted from doboku's invoice.
TEST_F(WorkflowIntegrityTest, DraftFromAnotherDepartmentsInvoiceIsForbidden) {
  const Commitment somu = NewCommitment("somu", kTowa, 10'000'000);
  const Commitment doboku = NewCommitment("doboku", kUematsu, 10'000'000);
  const std::string doc = Receive(Invoice(kUematsu, 330'000), "doboku");
  const uint64_t events = EventCount();
  auto refused = wf_->Draft(doc, somu.id, U("tanto"));
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
  const std::string& message = refused.status().message();
  EXPECT_NE(message.find("土木課（doboku）"), std::string::npos) << message;
  EXPECT_NE(message.find("総務課（somu）"), std::string::npos) << message;
  EXPECT_EQ(EventCount(), events);
  // doboku still drafts its own invoice (no 409).
  auto own = wf_->Draft(doc, doboku.id, U("doboku.tanto"));
  ASSERT_OK(own);
  EXPECT_EQ(StatusOf(own->order, "department"), MatchStatus::kMatch);
  // An invoice received for no department is nobody's to draft.
  const std::string nowhere = Receive(Invoice(kTowa, 1'000, "N"), "");
  EXPECT_EQ(wf_->Draft(nowhere, somu.id, U("tanto")).status().code(), Code::kPermissionDenied);
}

// Finding 3, second half: the vendor × acknowledged by the clerk.
TEST_F(WorkflowIntegrityTest, VendorMismatchIsOverriddenOnlyByTheAccountingOfficeWithAnEvent) {
  const Commitment c = NewCommitment("somu", kTowa, 10'000'000);
  auto v = wf_->Draft(Receive(Invoice(kUematsu, 330'000), "somu"), c.id, U("tanto"));
  ASSERT_OK(v);
  EXPECT_EQ(StatusOf(v->order, "vendor"), MatchStatus::kMismatch);
  EXPECT_EQ(v->order.AccountingRequired(), (std::vector<std::string>{"vendor", "bank_account"}));
  auto ack = Do(*v, Action::kSubmit, "tanto", "何でも", {"vendor"});
  EXPECT_EQ(ack.status().code(), Code::kPermissionDenied);
  auto s = Do(*v, Action::kSubmit, "tanto", "住所は支店", v->order.UnacknowledgedMismatches());
  ASSERT_OK(s);
  auto a = Do(*s, Action::kApprove, "kacho");
  ASSERT_OK(a);
  auto accept = Do(*a, Action::kAccept, "kaikei");
  EXPECT_EQ(accept.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(accept.status().message().find("債権者"), std::string::npos);
  EXPECT_EQ(Do(*a, Action::kOverrideVendor, "kaikei").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Do(*a, Action::kOverrideVendor, "tanto", "同一の業者").status().code(),
            Code::kPermissionDenied);
  auto o = Do(*a, Action::kOverrideVendor, "kaikei", "事業譲渡の届出を確認（5/1付）");
  ASSERT_OK(o);
  // The override is an event of the same transaction as the order's change.
  const json e = Events().back();
  EXPECT_EQ(e["type"], "workflow.order.vendor_overridden");
  EXPECT_EQ(e["actor"], "kaikei");
  EXPECT_EQ(e["reason"], "事業譲渡の届出を確認（5/1付）");
  EXPECT_EQ(e["field"], "vendor");
  EXPECT_EQ(e["invoice_value"], "T8040001079502 有限会社植松園芸");
  EXPECT_EQ(e["expected_value"], "T7010705000725 東和ビルメンテナンス株式会社");
  EXPECT_TRUE(e["writes"].contains("wf_orders")) << e.dump();
  EXPECT_EQ(o->order.AccountingRequired(), std::vector<std::string>{"bank_account"});
  // Still not paid to the other vendor's account on anyone's word: the
  // bank account is settled separately (below), and the order verifies.
  EXPECT_EQ(Do(*o, Action::kAccept, "kaikei").status().code(), Code::kFailedPrecondition);
  ExpectVerified();
}

TEST_F(WorkflowIntegrityTest, ConfirmedBankAccountUpdatesTheVendorMasterWithAnEvent) {
  invoice::InvoiceFields inv = Invoice(kTowa, 220'000);
  inv.bank_account = "0009:100:1:5555555";  // the vendor's new account
  OrderView v = InReview(inv);
  EXPECT_EQ(v.order.AccountingRequired(), std::vector<std::string>{"bank_account"});
  EXPECT_EQ(Do(v, Action::kAccept, "kaikei").status().code(), Code::kFailedPrecondition);
  const uint64_t before = EventCount();
  auto confirmed = Do(v, Action::kConfirmBankAccount, "kaikei", "口座変更届（5/1付）を受領");
  ASSERT_OK(confirmed);
  EXPECT_EQ(confirmed->order.bank_account, "0009:100:1:5555555");
  EXPECT_EQ(StatusOf(confirmed->order, "bank_account"), MatchStatus::kMatch);
  auto master = wf_->GetVendor(kTowa.id);
  ASSERT_OK(master);
  EXPECT_EQ(master->bank_account, "0009:100:1:5555555");
  // Two events of one transaction: the vendor master's (as PutVendor
  // records it: old and new) and the order's, which carries the write set.
  ASSERT_EQ(EventCount(), before + 2);
  const std::vector<json> events = Events();
  const json& vendor_event = events[events.size() - 2];
  const json& order_event = events.back();
  EXPECT_EQ(vendor_event["type"], "workflow.vendor.updated");
  EXPECT_EQ(vendor_event["from"]["bank_account"], kTowa.bank_account);
  EXPECT_EQ(vendor_event["to"]["bank_account"], "0009:100:1:5555555");
  EXPECT_EQ(vendor_event["order"], v.order.id);
  EXPECT_EQ(order_event["type"], "workflow.order.bank_account_confirmed");
  EXPECT_EQ(order_event["reason"], "口座変更届（5/1付）を受領");
  EXPECT_TRUE(order_event["writes"].contains("wf_vendors")) << order_event.dump();
  EXPECT_TRUE(order_event["writes"].contains("wf_orders"));
  auto accepted = Do(*confirmed, Action::kAccept, "kaikei");
  ASSERT_OK(accepted);
  auto paid = Do(*accepted, Action::kPay, "kaikei");
  ASSERT_OK(paid);
  EXPECT_EQ(paid->order.bank_account, "0009:100:1:5555555");
  ExpectVerified();
}

TEST_F(WorkflowIntegrityTest, AccountingOfficeReturnsTheOrderInsteadOfConfirmingTheAccount) {
  invoice::InvoiceFields inv = Invoice(kTowa, 220'000);
  inv.bank_account = "0009:100:1:5555555";
  OrderView v = InReview(inv);
  EXPECT_EQ(Do(v, Action::kConfirmBankAccount, "tanto", "届出あり").status().code(),
            Code::kPermissionDenied);
  auto returned =
      Do(v, Action::kReturn, "kaikei", "振込口座が登録と違います。業者に確認してください");
  ASSERT_OK(returned);
  EXPECT_EQ(returned->order.state, OrderState::kDraft);
  EXPECT_EQ(wf_->GetVendor(kTowa.id)->bank_account, kTowa.bank_account);
  // Back in draft, the clerk still cannot acknowledge it.
  EXPECT_EQ(Do(*returned, Action::kSubmit, "tanto", "確認済み", {"bank_account"}).status().code(),
            Code::kPermissionDenied);
}

// Finding 4: corrected total, counterparty and bank account after submit
// and approval; the order kept its old ○ and was paid.
TEST_F(WorkflowIntegrityTest, CorrectionOfAnInvoiceWithAnOrderUnderWayIsRefusedNamingIt) {
  OrderView v = InReview(Invoice(kTowa, 220'000));
  const uint64_t events = EventCount();
  auto refused = Correct(v.order.document_id, {{"total", "990000"},
                                               {"counterparty", "有限会社植松園芸"},
                                               {"bank_account", "0138:456:1:7654321"}});
  EXPECT_EQ(refused.status().code(), Code::kAborted);
  EXPECT_NE(refused.status().message().find("支出命令 " + v.order.id), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("会計審査中"), std::string::npos);
  EXPECT_EQ(EventCount(), events);  // nothing written, the document neither
  EXPECT_EQ(archive_->Get(v.order.document_id)->versions.size(), 1u);
  // Accepted: still refused; the accountant's correction too.
  auto accepted = Do(v, Action::kAccept, "kaikei");
  ASSERT_OK(accepted);
  EXPECT_EQ(Correct(v.order.document_id, {{"total", "990000"}}, "kaikei").status().code(),
            Code::kAborted);
  // Paid: the order is done; the document may be corrected (e.g. for
  // search) and the paid order keeps what was paid.
  auto paid = Do(*accepted, Action::kPay, "kaikei");
  ASSERT_OK(paid);
  ASSERT_OK(Correct(v.order.document_id, {{"invoice_number", "INV-1a"}}));
  auto after = wf_->GetOrder(v.order.id, U("tanto"));
  ASSERT_OK(after);
  EXPECT_EQ(after->order.invoice_number, "INV-1");
  EXPECT_EQ(after->order.version, paid->order.version);
  ExpectVerified();
}

TEST_F(WorkflowIntegrityTest, DraftFollowsTheCorrectionOfItsInvoice) {
  const Commitment c = NewCommitment("somu", kTowa, 1'000'000);
  invoice::InvoiceFields inv = Invoice(kTowa, 100'000);
  inv.issue_date = "2026-03-31";  // before the contract: × until acknowledged
  auto v = wf_->Draft(Receive(inv, "somu"), c.id, U("tanto"));
  ASSERT_OK(v);
  // Submitted with the address acknowledged, then returned to draft.
  auto s = Do(*v, Action::kSubmit, "tanto", "3月末納品分（契約前の準備作業）", {"invoice_date"});
  ASSERT_OK(s);
  auto r = Do(*s, Action::kReturn, "kacho", "金額を確認してください");
  ASSERT_OK(r);
  auto corrected = Correct(
      v->order.document_id,
      {{"total", "660000"}, {"issue_date", "2026-03-30"}, {"bank_account", "0138:456:1:7654321"}});
  ASSERT_OK(corrected);
  EXPECT_EQ(corrected->number, 2u);
  auto now = wf_->GetOrder(v->order.id, U("tanto"));
  ASSERT_OK(now);
  EXPECT_EQ(now->order.version, r->order.version + 1);
  EXPECT_EQ(now->order.amount, Decimal::FromInt(660'000));
  EXPECT_EQ(now->order.route.size(), 2u);  // over ¥500,000: 課長 → 部長
  EXPECT_EQ(now->commitment.reserved, Decimal::FromInt(660'000));
  EXPECT_EQ(now->order.history.back().action, "document_corrected");
  // The acknowledgement was of the old date: the new one is a new ×.
  EXPECT_EQ(now->order.UnacknowledgedMismatches(), std::vector<std::string>{"invoice_date"});
  EXPECT_EQ(now->order.AccountingRequired(), std::vector<std::string>{"bank_account"});
  const json e = Events().back();
  EXPECT_EQ(e["type"], "workflow.order.document_corrected");
  EXPECT_EQ(e["amount"]["from"], "100000");
  EXPECT_EQ(e["amount"]["to"], "660000");
  EXPECT_TRUE(e["writes"].contains("wf_commitments"));
  // A correction that leaves no payable total is refused whole.
  EXPECT_EQ(Correct(v->order.document_id, {{"total", nullptr}}).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(archive_->Get(v->order.document_id)->versions.size(), 2u);
  // Who may correct is decided as before: not an approver.
  EXPECT_EQ(Correct(v->order.document_id, {{"total", "1"}}, "kacho").status().code(),
            Code::kPermissionDenied);
  ExpectVerified();
}

TEST_F(WorkflowIntegrityTest, TheMatchShownAndDecidedOnIsAlwaysTheCurrentOne) {
  OrderView v = InReview(Invoice(kTowa, 220'000));
  EXPECT_EQ(StatusOf(v.order, "bank_account"), MatchStatus::kMatch);
  // The vendor master changes behind the order (no action on it).
  Vendor moved = kTowa;
  moved.bank_account = "0001:001:1:0000001";
  ASSERT_OK(wf_->PutVendor(moved, U("admin")));
  auto got = wf_->GetOrder(v.order.id, U("kaikei"));
  ASSERT_OK(got);
  EXPECT_EQ(got->order.version, v.order.version);
  EXPECT_EQ(StatusOf(got->order, "bank_account"), MatchStatus::kMismatch);
  EXPECT_EQ(got->order.bank_account, "0001:001:1:0000001");
  EXPECT_EQ(ToJson(*got)["accounting_required"], json({"bank_account"}));
  // Decisions see it too: acceptance waits for the accounting office.
  EXPECT_EQ(Do(v, Action::kAccept, "kaikei").status().code(), Code::kFailedPrecondition);
  // And so does the inbox: the accountant is offered the confirmation.
  auto inbox = wf_->GetInbox(U("kaikei"));
  ASSERT_OK(inbox);
  ASSERT_EQ(inbox->waiting_for_me.items.size(), 1u);
  const std::vector<std::string>& actions = inbox->waiting_for_me.items[0].actions;
  EXPECT_NE(std::find(actions.begin(), actions.end(), "confirm_bank_account"), actions.end());
  // The master set back: ○ again, nothing to confirm.
  ASSERT_OK(wf_->PutVendor(kTowa, U("admin")));
  got = wf_->GetOrder(v.order.id, U("kaikei"));
  ASSERT_OK(got);
  EXPECT_EQ(StatusOf(got->order, "bank_account"), MatchStatus::kMatch);
  EXPECT_OK(Do(v, Action::kAccept, "kaikei"));
}

TEST_F(WorkflowIntegrityTest, SubstituteApprovalIsRecordedAsDaiketsu) {
  const Commitment c = NewCommitment("somu", kTowa, 10'000'000);
  auto v = wf_->Draft(Receive(Invoice(kTowa, 600'000), "somu"), c.id, U("tanto"));
  ASSERT_OK(v);
  auto s = Do(*v, Action::kSubmit, "tanto");
  ASSERT_OK(s);
  // The step waits for the 課長; the 部長 may stand in but is not asked.
  auto inbox = wf_->GetInbox(U("bucho"));
  ASSERT_OK(inbox);
  EXPECT_TRUE(inbox->waiting_for_me.items.empty());
  EXPECT_EQ(wf_->GetInbox(U("kacho"))->waiting_for_me.items.size(), 1u);
  // Another department's 部長 may not.
  EXPECT_EQ(Do(*s, Action::kApprove, "doboku.bucho").status().code(), Code::kPermissionDenied);
  auto a = Do(*s, Action::kApprove, "bucho", "課長不在のため代決");
  ASSERT_OK(a);
  const json e = Events().back();
  EXPECT_EQ(e["type"], "workflow.order.approved");
  EXPECT_EQ(e["step"], "課長");
  EXPECT_EQ(e["substitute_for"], "課長");
  // The 部長 step is then another person's: the 副市長 as 代決 here.
  EXPECT_EQ(Do(*a, Action::kApprove, "bucho").status().code(), Code::kPermissionDenied);
  auto b = Do(*a, Action::kApprove, "fuku");
  ASSERT_OK(b);
  EXPECT_EQ(b->order.state, OrderState::kAccountingReview);
  const json j = ToJson(*wf_->GetOrder(v->order.id, U("tanto")));
  EXPECT_EQ(j["route"][0]["approved_by"], "bucho");
  EXPECT_EQ(j["route"][0]["substitute_for"], "課長");
  EXPECT_EQ(j["route"][1]["substitute_for"], "部長");
  EXPECT_EQ(j["history"][2]["substitute_for"], "課長");
  EXPECT_EQ(j["history"][2]["actor"], "bucho");
  ExpectVerified();
}

}  // namespace
}  // namespace workflow
