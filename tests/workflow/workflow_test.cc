#include "workflow/workflow.h"

#include <map>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "corpus/corpus.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "storage/dated_index.h"
#include "storage/lmdb_env.h"
#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

using base::Date;
using base::Decimal;
using Code = base::Status::Code;
using nlohmann::json;

constexpr char kPassword[] = "correct horse battery";

class WorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    auto a = archive::Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
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
    AddUser("kato", "somu", {Role::kClerk});
    AddUser("ito", "somu", {Role::kClerk});
    AddUser("mori", "doboku", {Role::kClerk});
    AddUser("kacho", "somu", {Role::kApprover}, "課長");
    AddUser("bucho", "somu", {Role::kApprover}, "部長");
    AddUser("fuku", "hisho", {Role::kApprover}, "副市長");
    AddUser("kaikei", "kaikei", {Role::kAccountant});
    AddUser("admin", "hisho", {Role::kAdmin});
    ASSERT_OK(wf_->PutVendor(kVendor, U("admin")));
  }
  void AddUser(const std::string& login, const std::string& dept, std::vector<Role> roles,
               const std::string& title = "") {
    User u{login, login + "さん", dept, std::move(roles), title, true};
    ASSERT_OK(wf_->AddUser(u, kPassword, Workflow::SystemUser("test")));
    users_[login] = u;
  }
  const User& U(const std::string& login) { return users_.at(login); }

  // Receives an invoice whose fields are exactly `fields` (a field reader
  // that decodes them from the bytes stands in for the invoice readers).
  std::string Receive(const invoice::InvoiceFields& fields,
                      const std::string& department = "somu") {
    archive_->SetFieldReader([](std::string_view bytes) {
      invoice::ReadResult r;
      r.fields = *invoice::FieldsFromJson(json::parse(bytes));
      return r;
    });
    std::vector<archive::IncomingFile> files;
    files.push_back(
        {"invoice.json", department, "upload", "kato", invoice::FieldsToJson(fields).dump()});
    auto results = archive_->Ingest(std::move(files));
    EXPECT_OK(results[0]);
    return results[0].ok() ? results[0]->id : "";
  }
  // Another invoice of the same vendor and total must differ in its issue
  // date, or the double-payment guard takes it for the first one.
  static invoice::InvoiceFields IssuedOn(invoice::InvoiceFields f, const std::string& date) {
    f.issue_date = date;
    return f;
  }
  invoice::InvoiceFields Invoice(int64_t total, const std::string& number = "INV-1") {
    const int64_t taxable = total * 10 / 11;
    invoice::InvoiceFields f;
    f.document_type = "invoice";
    f.invoice_number = number;
    f.issue_date = "2026-05-10";
    f.currency = "JPY";
    f.total = std::to_string(total);
    f.counterparty = "㈱山田商事";
    f.registration_number = kVendor.registration_number;
    f.tax_subtotals = {{"S", "10", std::to_string(taxable), std::to_string(total - taxable)}};
    f.bank_account = kVendor.bank_account;
    f.supplier_address = "埼玉県草加市栄町三丁目2番8号";
    f.needs_metadata = false;
    return f;
  }
  Commitment NewCommitment(int64_t amount, const std::string& type = "goods") {
    Commitment c;
    c.department = "somu";
    c.vendor_id = kVendor.id;
    c.budget_line = "02-01-03-11";
    c.fiscal_year = 2026;
    c.description = "コピー用紙 単価契約";
    c.amount = Decimal::FromInt(amount);
    c.contract_from = Date(2026, 4, 1);
    c.contract_to = Date(2027, 3, 31);
    c.expense_type = type;
    auto created = wf_->CreateCommitment(c, U("kato"));
    EXPECT_OK(created);
    return created.ok() ? *created : Commitment{};
  }
  base::Result<OrderView> Do(const OrderView& v, Action a, const std::string& who,
                             std::string comment = "") {
    ActionRequest r;
    r.action = a;
    r.version = v.order.version;
    r.comment = std::move(comment);
    if (a == Action::kAccept) {
      for (std::string_view item : kChecklistItems)
        r.checklist.push_back({std::string(item), true, ""});
    }
    return wf_->Act(v.order.id, r, U(who));
  }
  // Walks an order from draft to paid; returns the final view.
  OrderView WalkToPaid(OrderView v) {
    auto step = [&](Action a, const std::string& who) {
      auto next = Do(v, a, who);
      EXPECT_OK(next) << ActionName(a) << " by " << who;
      if (next.ok()) v = *next;
    };
    step(Action::kSubmit, "kato");
    for (const RouteStep& s : std::vector<RouteStep>(v.order.route)) {
      step(Action::kApprove, s.title == "課長" ? "kacho" : s.title == "部長" ? "bucho" : "fuku");
    }
    step(Action::kAccept, "kaikei");
    step(Action::kPay, "kaikei");
    return v;
  }
  // Every event the archive logged.
  std::vector<json> Events() {
    std::vector<json> out;
    EXPECT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view event) {
      out.push_back(json::parse(event));
      return base::Status::OK();
    }));
    return out;
  }
  void ExpectVerified() {
    auto report = archive_->Verify();
    ASSERT_OK(report);
    EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
  }

  const Vendor kVendor{"V00001", "山田商事株式会社", "T7010705000725", "0005:123:1:1234567",
                       "埼玉県草加市栄町3丁目2番8号"};
  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  // 2026-05-12 10:00 JST
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-12T01:00:00Z")};
  archive::ArchiveOptions options_;
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<Workflow> wf_;
  std::map<std::string, User> users_;
};

TEST_F(WorkflowTest, UsersAuthenticateWithArgon2idAndNoEventCarriesThePassword) {
  auto user = wf_->Authenticate("kato", kPassword);
  ASSERT_OK(user);
  EXPECT_EQ(user->department, "somu");
  EXPECT_EQ(wf_->Authenticate("kato", "wrong password").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->Authenticate("nobody", kPassword).status().message(),
            wf_->Authenticate("kato", "wrong password").status().message());
  ASSERT_OK(wf_->SetUserActive("ito", false, U("admin")));
  EXPECT_EQ(wf_->Authenticate("ito", kPassword).status().code(), Code::kFailedPrecondition);
  ASSERT_OK(wf_->ChangePassword("kato", kPassword, "a new password 2026", U("kato")));
  EXPECT_FALSE(wf_->Authenticate("kato", kPassword).ok());
  EXPECT_OK(wf_->Authenticate("kato", "a new password 2026"));
  EXPECT_EQ(wf_->ResetPassword("kacho", "hijacked password", U("kato")).status().code(),
            Code::kPermissionDenied);
  for (const json& e : Events()) {
    const std::string text = e.dump();
    EXPECT_EQ(text.find(kPassword), std::string::npos) << text;
    EXPECT_EQ(text.find("argon2"), std::string::npos) << text;
  }
  auto listed = wf_->ListUsers();
  ASSERT_OK(listed);
  EXPECT_EQ(listed->size(), 8u);
  ExpectVerified();
}

TEST_F(WorkflowTest, OnlyAdminsManageTheOrganisation) {
  EXPECT_EQ(wf_->CreateDepartment({"kikaku", "企画課"}, U("kato")).code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->CreateDepartment({"somu", "総務課"}, U("admin")).code(), Code::kAlreadyExists);
  User u{"new", "新人", "somu", {Role::kClerk}, "", true};
  EXPECT_EQ(wf_->AddUser(u, kPassword, U("kacho")).code(), Code::kPermissionDenied);
  u.department = "nowhere";
  EXPECT_EQ(wf_->AddUser(u, kPassword, U("admin")).code(), Code::kInvalidArgument);
  EXPECT_EQ(wf_->AddUser(users_.at("kato"), kPassword, U("admin")).code(), Code::kAlreadyExists);
  EXPECT_EQ(wf_->PutVendor(kVendor, U("kato")).code(), Code::kPermissionDenied);
  // A disabled admin can no longer act, even with the User value in hand.
  ASSERT_OK(wf_->SetUserActive("admin", false, Workflow::SystemUser("test")));
  EXPECT_EQ(wf_->CreateDepartment({"kikaku", "企画課"}, U("admin")).code(),
            Code::kPermissionDenied);
}

TEST_F(WorkflowTest, CreateVendorAssignsTheNextNumberAndRefusesATakenOne) {
  Vendor v{"", "株式会社植松園芸", "ｔ８０４００－０１０７９５０２", "0138:456:1:7654321",
           "埼玉県越谷市"};
  auto created = wf_->CreateVendor(v, U("kaikei"));  // the accounting office may
  ASSERT_OK(created);
  EXPECT_EQ(created->id, "V00002");  // after the fixture's V00001
  EXPECT_EQ(created->registration_number, "T8040001079502");
  auto stored = wf_->GetVendor("V00002");
  ASSERT_OK(stored);
  EXPECT_EQ(ToJson(*stored), ToJson(*created));
  const json e = Events().back();
  EXPECT_EQ(e["type"], "workflow.vendor.created");
  EXPECT_EQ(e["actor"], "kaikei");
  EXPECT_EQ(e["vendor"], "V00002");
  EXPECT_TRUE(e["from"].is_null());
  EXPECT_EQ(e["to"]["bank_account"], "0138:456:1:7654321");

  v.id = "V00002";
  EXPECT_EQ(wf_->CreateVendor(v, U("admin")).status().code(), Code::kAlreadyExists);
  v.id = "";
  EXPECT_EQ(wf_->CreateVendor(v, U("kato")).status().code(), Code::kPermissionDenied);
  v.registration_number = "T1234567890123";
  EXPECT_EQ(wf_->CreateVendor(v, U("admin")).status().code(), Code::kInvalidArgument);
  v.registration_number = "";
  v.id = "V00107";  // a number given by hand counts for the next one
  ASSERT_OK(wf_->CreateVendor(v, U("admin")));
  v.id = "";
  auto next = wf_->CreateVendor(v, U("admin"));
  ASSERT_OK(next);
  EXPECT_EQ(next->id, "V00108");
  ExpectVerified();
}

TEST_F(WorkflowTest, UpdateVendorRefusesToUndoAChangeMadeSinceItWasRead) {
  const Vendor read = *wf_->GetVendor("V00001");
  // Meanwhile someone else puts another bank account into the master.
  VendorChange theirs;
  theirs.bank_account = "0005:123:1:7777777";
  ASSERT_OK(wf_->UpdateVendor("V00001", theirs, U("kaikei")));
  const size_t events = Events().size();

  VendorChange mine;
  mine.address = "埼玉県草加市栄町3丁目2番9号";
  mine.expected = read;
  auto stale = wf_->UpdateVendor("V00001", mine, U("admin"));
  EXPECT_EQ(stale.status().code(), Code::kAborted);
  EXPECT_NE(stale.status().message().find("再読み込み"), std::string::npos);
  EXPECT_EQ(Events().size(), events);
  EXPECT_EQ(wf_->GetVendor("V00001")->bank_account, "0005:123:1:7777777");

  mine.expected = *wf_->GetVendor("V00001");
  auto updated = wf_->UpdateVendor("V00001", mine, U("admin"));
  ASSERT_OK(updated);
  EXPECT_EQ(updated->address, "埼玉県草加市栄町3丁目2番9号");
  EXPECT_EQ(updated->bank_account, "0005:123:1:7777777");  // kept: not in the change
  const json e = Events().back();
  EXPECT_EQ(e["type"], "workflow.vendor.updated");
  EXPECT_EQ(e["from"]["address"], kVendor.address);
  EXPECT_EQ(e["to"]["address"], "埼玉県草加市栄町3丁目2番9号");

  // The same values again: nothing to write.
  VendorChange same;
  same.address = "埼玉県草加市栄町3丁目2番9号";
  ASSERT_OK(wf_->UpdateVendor("V00001", same, U("admin")));
  EXPECT_EQ(Events().size(), events + 1);

  VendorChange bad;
  bad.bank_account = "0005-123-1-1234567";
  EXPECT_EQ(wf_->UpdateVendor("V00001", bad, U("admin")).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(wf_->UpdateVendor("V09999", same, U("admin")).status().code(), Code::kNotFound);
  EXPECT_EQ(wf_->UpdateVendor("V00001", same, U("kacho")).status().code(), Code::kPermissionDenied);
  ExpectVerified();
}

TEST_F(WorkflowTest, VendorCorporateNumberAndKanaNameChangeThroughUpdateVendor) {
  // An entry as stored before 法人番号 and フリガナ existed, with the event
  // of that time: it still reads, verifies, and takes the new members.
  auto table = archive_->ledger().OpenTable("wf_vendors");
  ASSERT_OK(table);
  const json old = {{"id", "V00002"}, {"name", "株式会社植松園芸"},
                    {"registration_number", "T8040001079502"}, {"bank_account", ""},
                    {"address", "埼玉県越谷市"}, {"account_holder", ""}};
  ASSERT_OK(archive_->ledger().Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    RETURN_IF_ERROR(txn.Put(*table, "V00002", old.dump()));
    return append({{"type", "workflow.vendor.created"}, {"actor", "admin"},
                   {"time", "2026-04-01T00:00:00Z"}, {"vendor", "V00002"}, {"from", nullptr},
                   {"to", old}})
        .status();
  }));
  ExpectVerified();
  auto read = wf_->GetVendor("V00002");
  ASSERT_OK(read);
  EXPECT_EQ(read->corporate_number, "");

  VendorChange change;
  change.corporate_number = "８０４０００１０７９５０２";  // full width, as typed
  change.kana_name = "うえまつえんげい";
  change.expected = *read;
  auto updated = wf_->UpdateVendor("V00002", change, U("kaikei"));
  ASSERT_OK(updated);
  EXPECT_EQ(updated->corporate_number, "8040001079502");
  EXPECT_EQ(updated->kana_name, "ウエマツエンゲイ");
  const json e = Events().back();
  EXPECT_EQ(e["type"], "workflow.vendor.updated");
  EXPECT_FALSE(e["from"].contains("corporate_number"));
  EXPECT_EQ(e["to"]["corporate_number"], "8040001079502");
  EXPECT_EQ(e["to"]["kana_name"], "ウエマツエンゲイ");

  // The T-number must then stay T + the 法人番号, and the reverse.
  const size_t events = Events().size();
  VendorChange other_t;
  other_t.registration_number = "T7010705000725";
  auto refused = wf_->UpdateVendor("V00002", other_t, U("kaikei"));
  EXPECT_EQ(refused.status().code(), Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("一致しません"), std::string::npos);
  VendorChange other_corp;
  other_corp.corporate_number = "7010705000725";
  EXPECT_EQ(wf_->UpdateVendor("V00002", other_corp, U("kaikei")).status().code(),
            Code::kInvalidArgument);
  VendorChange kanji;
  kanji.kana_name = "植松";
  EXPECT_EQ(wf_->UpdateVendor("V00002", kanji, U("kaikei")).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Events().size(), events);
  ExpectVerified();
}

TEST_F(WorkflowTest, VendorDepartmentsAreTheInvoicesAndCommitmentsThatNameIt) {
  auto none = wf_->VendorDepartments("V00001");
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  NewCommitment(1'320'000);
  NewCommitment(50'000);
  Receive(Invoice(110'000));
  Receive(IssuedOn(Invoice(110'000, "INV-2"), "2026-05-11"), "kaikei");
  invoice::InvoiceFields other = Invoice(55'000, "X-1");
  other.registration_number = "T4011001098993";  // another vendor's invoice
  Receive(other, "somu");
  auto used = wf_->VendorDepartments("V00001");
  ASSERT_OK(used);
  ASSERT_EQ(used->size(), 2u);
  EXPECT_EQ((*used)[0].code, "kaikei");
  EXPECT_EQ((*used)[0].invoices, 1u);
  EXPECT_EQ((*used)[0].commitments, 0u);
  EXPECT_EQ((*used)[1].code, "somu");
  EXPECT_EQ((*used)[1].name, "総務課");
  EXPECT_EQ((*used)[1].invoices, 1u);
  EXPECT_EQ((*used)[1].commitments, 2u);
  EXPECT_EQ(wf_->VendorDepartments("V09999").status().code(), Code::kNotFound);
}

TEST_F(WorkflowTest, DraftFillsTheOrderFromTheInvoiceAndMatchesEveryField) {
  const Commitment c = NewCommitment(1'320'000);
  EXPECT_EQ(c.id, "C2026-0001");
  const std::string doc = Receive(Invoice(110'000));
  auto v = wf_->Draft(doc, c.id, U("kato"));
  ASSERT_OK(v);
  EXPECT_EQ(v->order.id, "P2026-0001");
  EXPECT_EQ(v->order.amount, Decimal::FromInt(110'000));
  EXPECT_EQ(v->order.invoice_number, "INV-1");
  EXPECT_EQ(v->order.fiscal_year, 2026);
  EXPECT_EQ(v->order.route.size(), 1u);
  for (const FieldMatch& m : v->order.match) {
    EXPECT_EQ(m.status, MatchStatus::kMatch) << ToJson(m).dump();
  }
  EXPECT_EQ(v->commitment.Remaining(), Decimal::FromInt(1'210'000));
  const json j = ToJson(*v);
  EXPECT_EQ(j["state"], "draft");
  EXPECT_EQ(j["match"].size(), 7u);
  EXPECT_EQ(j["route"][0]["title"], "課長");
  EXPECT_EQ(j["available_actions"], json({"submit", "withdraw"}));
  EXPECT_EQ(j["payment_clock"]["due_date"], "2026-06-11");  // received 5/12 + 30
  EXPECT_EQ(j["history"][0]["action"], "draft");
  // One order per invoice.
  EXPECT_EQ(wf_->Draft(doc, c.id, U("ito")).status().code(), Code::kAborted);
  // Only a clerk of the commitment's department drafts.
  const std::string doc2 = Receive(Invoice(110'000, "INV-2"));
  EXPECT_EQ(wf_->Draft(doc2, c.id, U("mori")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->Draft(doc2, c.id, U("kacho")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->Draft("D99999999", c.id, U("kato")).status().code(), Code::kNotFound);
  EXPECT_EQ(wf_->Draft(doc2, "C2026-0099", U("kato")).status().code(), Code::kNotFound);
}

TEST_F(WorkflowTest, RouteThresholdsAtTheirBoundaries) {
  const Commitment c = NewCommitment(100'000'000);
  const std::pair<int64_t, size_t> cases[] = {
      {500'000, 1}, {500'001, 2}, {5'000'000, 2}, {5'000'001, 3}};
  int n = 0;
  for (const auto& [amount, steps] : cases) {
    const std::string doc = Receive(Invoice(amount, "INV-R" + std::to_string(++n)));
    auto v = wf_->Draft(doc, c.id, U("kato"));
    ASSERT_OK(v);
    EXPECT_EQ(v->order.route.size(), steps) << amount;
    const OrderView paid = WalkToPaid(*v);
    EXPECT_EQ(paid.order.state, OrderState::kPaid) << amount;
  }
  auto after = wf_->GetCommitment(c.id);
  ASSERT_OK(after);
  EXPECT_EQ(after->paid, Decimal::FromInt(500'000 + 500'001 + 5'000'000 + 5'000'001));
  EXPECT_EQ(after->reserved, after->paid);
  ExpectVerified();
}

TEST_F(WorkflowTest, EveryTransitionLogsOneEventWithActorTimeFromToAndReason) {
  const Commitment c = NewCommitment(1'000'000);
  auto v = wf_->Draft(Receive(Invoice(600'000)), c.id, U("kato"));
  ASSERT_OK(v);
  const uint64_t before = *archive_->ledger().EventCount();
  auto s = Do(*v, Action::kSubmit, "kato");
  ASSERT_OK(s);
  auto a = Do(*s, Action::kApprove, "kacho");
  ASSERT_OK(a);
  auto r = Do(*a, Action::kReturn, "bucho", "検収調書を添付してください");
  ASSERT_OK(r);
  EXPECT_EQ(*archive_->ledger().EventCount(), before + 3);
  const json last = Events().back();
  EXPECT_EQ(last["type"], "workflow.order.returned");
  EXPECT_EQ(last["actor"], "bucho");
  EXPECT_EQ(last["from"], "pending_approval");
  EXPECT_EQ(last["to"], "draft");
  EXPECT_EQ(last["reason"], "検収調書を添付してください");
  EXPECT_EQ(last["step"], "部長");
  EXPECT_EQ(last["time"], "2026-05-12T01:00:00.000000Z");
  // The return comes back to the clerk with its reason.
  auto inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  ASSERT_EQ(inbox->waiting_for_me.items.size(), 1u);
  EXPECT_EQ(inbox->waiting_for_me.items[0].id, v->order.id);
  auto back = wf_->GetOrder(v->order.id, U("kato"));
  ASSERT_OK(back);
  EXPECT_EQ(back->order.last_return_reason, "検収調書を添付してください");
  // A refused action writes nothing.
  EXPECT_EQ(Do(*r, Action::kApprove, "kacho").status().code(), Code::kAborted);
  EXPECT_EQ(*archive_->ledger().EventCount(), before + 3);
  ExpectVerified();
}

TEST_F(WorkflowTest, StaleVersionIsAbortedAndChangesNothing) {
  const Commitment c = NewCommitment(1'000'000);
  auto v = wf_->Draft(Receive(Invoice(100'000)), c.id, U("kato"));
  ASSERT_OK(v);
  ASSERT_OK(Do(*v, Action::kSubmit, "kato"));
  auto stale = Do(*v, Action::kSubmit, "ito");  // ito saw version 1
  EXPECT_EQ(stale.status().code(), Code::kAborted);
  EXPECT_NE(stale.status().message().find("再読み込み"), std::string::npos);
  auto now = wf_->GetOrder(v->order.id, U("kacho"));
  ASSERT_OK(now);
  EXPECT_EQ(now->order.version, 2u);
  EXPECT_EQ(now->actions, (std::vector<Action>{Action::kApprove, Action::kReturn}));
}

TEST_F(WorkflowTest, BalanceIsReservedByLiveOrdersAndReleasedByWithdrawal) {
  const Commitment c = NewCommitment(1'000'000);
  auto first = wf_->Draft(Receive(Invoice(600'000, "A")), c.id, U("kato"));
  ASSERT_OK(first);
  auto second =
      wf_->Draft(Receive(IssuedOn(Invoice(600'000, "B"), "2026-05-11")), c.id, U("kato"));
  ASSERT_OK(second);
  const auto amount_match = [](const OrderView& v) {
    for (const FieldMatch& m : v.order.match) {
      if (m.field == "amount") return m;
    }
    return FieldMatch{};
  };
  EXPECT_EQ(amount_match(*first).status, MatchStatus::kMatch);
  EXPECT_EQ(amount_match(*second).status, MatchStatus::kMismatch);
  EXPECT_EQ(amount_match(*second).expected_value, "400000");
  EXPECT_EQ(second->commitment.Remaining(), Decimal::FromInt(-200'000));
  // × must be acknowledged, and even then the balance does not hold it.
  EXPECT_EQ(Do(*second, Action::kSubmit, "kato").status().code(), Code::kFailedPrecondition);
  ActionRequest submit{
      Action::kSubmit, second->order.version, "残額を確認済み", {"amount"}, {}, false, ""};
  auto refused = wf_->Act(second->order.id, submit, U("kato"));
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("残額"), std::string::npos);
  // Withdrawing the first releases its reservation and its invoice.
  auto withdrawn = Do(*first, Action::kWithdraw, "kato", "二重請求のため");
  ASSERT_OK(withdrawn);
  EXPECT_EQ(withdrawn->order.state, OrderState::kWithdrawn);
  EXPECT_EQ(withdrawn->commitment.Remaining(), Decimal::FromInt(400'000));
  auto ok = wf_->Act(second->order.id, submit, U("kato"));
  ASSERT_OK(ok);
  EXPECT_EQ(ok->order.acknowledgements[0].comment, "残額を確認済み");
  // The withdrawn order's invoice can be drafted again.
  EXPECT_OK(wf_->Draft(first->order.document_id, c.id, U("kato")));
}

TEST_F(WorkflowTest, DisabledUserCannotActOnOrders) {
  const Commitment c = NewCommitment(1'000'000);
  auto v = wf_->Draft(Receive(Invoice(100'000)), c.id, U("kato"));
  ASSERT_OK(v);
  ASSERT_OK(wf_->SetUserActive("kato", false, U("admin")));
  EXPECT_EQ(Do(*v, Action::kSubmit, "kato").status().code(), Code::kPermissionDenied);
  EXPECT_OK(Do(*v, Action::kSubmit, "ito"));
  // The system user manages the organisation but never acts on orders.
  EXPECT_EQ(wf_->Draft(v->order.document_id, c.id, Workflow::SystemUser("x")).status().code(),
            Code::kPermissionDenied);
}

TEST_F(WorkflowTest, InboxShowsUnprocessedInvoicesAndDeadlines) {
  const Commitment goods = NewCommitment(10'000'000);
  const Commitment works = NewCommitment(10'000'000, "works");
  // Received 5/12 (JST): due 6/11 for goods, 6/21 for works.
  const std::string doc1 = Receive(Invoice(100'000, "1"));
  const std::string doc2 = Receive(IssuedOn(Invoice(100'000, "2"), "2026-05-08"));
  const std::string doc3 = Receive(IssuedOn(Invoice(100'000, "3"), "2026-05-09"));
  Receive(Invoice(100'000, "4"), "doboku");  // in kaikei's overdue list below, never in kato's
  auto inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_EQ(inbox->unprocessed.items.size(), 3u);  // not doboku's
  EXPECT_EQ(inbox->unprocessed.items[0].due, Date(2026, 6, 11));
  EXPECT_TRUE(inbox->due_soon.items.empty());

  auto o2 = wf_->Draft(doc2, goods.id, U("kato"));
  ASSERT_OK(o2);
  auto o3 = wf_->Draft(doc3, works.id, U("kato"));
  ASSERT_OK(o3);
  EXPECT_EQ(DueDate(o3->order.clock), Date(2026, 6, 21));  // 40 days for works

  // 6/4 JST: goods due 6/11 are within 7 days; works (6/21) are not.
  clock_.Set(*base::ParseRfc3339("2026-06-04T01:00:00Z"));
  inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  ASSERT_EQ(inbox->unprocessed.items.size(), 1u);
  EXPECT_EQ(inbox->unprocessed.items[0].id, doc1);
  EXPECT_EQ(inbox->waiting_for_me.items.size(), 2u);
  std::vector<std::string> soon;
  for (const InboxItem& i : inbox->due_soon.items) soon.push_back(i.id);
  EXPECT_EQ(soon, (std::vector<std::string>{doc1, o2->order.id}));
  EXPECT_TRUE(inbox->overdue.items.empty());
  EXPECT_EQ(ToJson(*inbox)["counts"]["due_soon"], 2);

  // 6/15: both goods items are overdue; works (6/21) is now due soon.
  clock_.Set(*base::ParseRfc3339("2026-06-15T01:00:00Z"));
  inbox = wf_->GetInbox(U("kacho"));
  ASSERT_OK(inbox);
  EXPECT_EQ(inbox->overdue.items.size(), 2u);
  ASSERT_EQ(inbox->due_soon.items.size(), 1u);
  EXPECT_EQ(inbox->due_soon.items[0].id, o3->order.id);
  EXPECT_TRUE(inbox->waiting_for_me.items.empty());  // nothing submitted to 課長 yet
  // The accounting office sees every department's overdue items.
  inbox = wf_->GetInbox(U("kaikei"));
  ASSERT_OK(inbox);
  EXPECT_EQ(inbox->overdue.items.size(), 3u);  // + doboku's unprocessed invoice
}

TEST_F(WorkflowTest, DefectReturnStopsTheClockUntilTheCorrectedInvoiceArrives) {
  const Commitment c = NewCommitment(10'000'000);
  // Received 5/12; due 6/11.
  auto v = wf_->Draft(Receive(Invoice(100'000, "X")), c.id, U("kato"));
  ASSERT_OK(v);
  auto s = Do(*v, Action::kSubmit, "kato");
  ASSERT_OK(s);
  auto a = Do(*s, Action::kApprove, "kacho");
  ASSERT_OK(a);
  // 5/22: the accounting office returns it: the invoice lacks a required item.
  clock_.Set(*base::ParseRfc3339("2026-05-22T01:00:00Z"));
  ActionRequest ret{
      Action::kReturn, a->order.version, "適用税率の記載がありません", {}, {}, true, ""};
  auto r = wf_->Act(v->order.id, ret, U("kaikei"));
  ASSERT_OK(r);
  EXPECT_TRUE(r->order.clock.stopped());
  EXPECT_EQ(r->order.clock.used_days, 10);
  EXPECT_EQ(r->deadline, DeadlineStatus::kStopped);
  // Far past the old due date nothing is overdue while the clock is stopped.
  clock_.Set(*base::ParseRfc3339("2026-06-20T01:00:00Z"));
  auto inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_TRUE(inbox->overdue.items.empty());
  ASSERT_EQ(inbox->waiting_for_me.items.size(), 1u);
  EXPECT_EQ(inbox->waiting_for_me.items[0].deadline, DeadlineStatus::kStopped);
  // Resubmitting before the corrected invoice is refused.
  EXPECT_EQ(Do(*r, Action::kSubmit, "kato").status().code(), Code::kFailedPrecondition);
  // The corrected invoice arrives 6/20: 20 days remain → due 7/10.
  const std::string corrected = Receive(Invoice(100'000, "X-corrected"));
  ActionRequest resume{Action::kResume, r->order.version, "訂正請求書を受領", {}, {},
                       false,           corrected};
  auto resumed = wf_->Act(v->order.id, resume, U("kato"));
  ASSERT_OK(resumed);
  EXPECT_EQ(DueDate(resumed->order.clock), Date(2026, 7, 10));
  EXPECT_EQ(resumed->order.state, OrderState::kDraft);
  // The corrected invoice belongs to the order: not unprocessed.
  inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_TRUE(inbox->unprocessed.items.empty());
  // 7/4: due soon; then paid in time.
  clock_.Set(*base::ParseRfc3339("2026-07-04T01:00:00Z"));
  EXPECT_EQ(wf_->GetOrder(v->order.id, U("kato"))->deadline, DeadlineStatus::kDueSoon);
  const OrderView paid = WalkToPaid(*resumed);
  EXPECT_EQ(paid.order.state, OrderState::kPaid);
  EXPECT_EQ(paid.deadline, DeadlineStatus::kPaid);
  ExpectVerified();
}

TEST_F(WorkflowTest, OldYearOrdersArePaidOnlyUntilTheEndOfMay) {
  Commitment c;
  c.department = "somu";
  c.vendor_id = kVendor.id;
  c.budget_line = "02-01-03-11";
  c.fiscal_year = 2025;
  c.description = "令和7年度 保守委託";
  c.amount = Decimal::FromInt(1'000'000);
  c.contract_from = Date(2025, 4, 1);
  c.contract_to = Date(2026, 3, 31);
  c.expense_type = "services";
  auto created = wf_->CreateCommitment(c, U("kato"));
  ASSERT_OK(created);
  invoice::InvoiceFields inv = Invoice(100'000);
  inv.issue_date = "2026-03-31";
  auto v = wf_->Draft(Receive(inv), created->id, U("kato"));
  ASSERT_OK(v);
  EXPECT_EQ(v->order.fiscal_year, 2025);
  EXPECT_EQ(v->order.id, "P2025-0001");
  auto s = Do(*v, Action::kSubmit, "kato");
  ASSERT_OK(s);
  auto a = Do(*s, Action::kApprove, "kacho");
  ASSERT_OK(a);
  auto acc = Do(*a, Action::kAccept, "kaikei");
  ASSERT_OK(acc);
  clock_.Set(*base::ParseRfc3339("2026-06-01T01:00:00Z"));  // 6/1 JST
  EXPECT_EQ(Do(*acc, Action::kPay, "kaikei").status().code(), Code::kFailedPrecondition);
  clock_.Set(*base::ParseRfc3339("2026-05-31T01:00:00Z"));  // 5/31 JST
  EXPECT_OK(Do(*acc, Action::kPay, "kaikei"));
}

TEST_F(WorkflowTest, GeneratedInvoiceRunsTheWholeFlowAndVerifies) {
  corpus::Options options;
  options.target_xml_bytes = 0;
  options.from = Date(2026, 4, 1);
  options.to = Date(2026, 5, 10);
  corpus::Generator gen(options);
  const corpus::Invoice inv = gen.Next();
  std::vector<archive::IncomingFile> files;
  files.push_back({inv.id + ".xml", "somu", "peppol", "kato", corpus::RenderJpPint(inv)});
  auto results = archive_->Ingest(std::move(files));
  ASSERT_OK(results[0]);
  const Vendor v{"V00042", inv.vendor.name, inv.vendor.registration_number, inv.vendor.bank_account,
                 inv.vendor.address};
  ASSERT_OK(wf_->PutVendor(v, U("kaikei")));
  Commitment c = NewCommitment(1);  // replaced below
  c.vendor_id = v.id;
  c.amount = Decimal::FromInt(inv.payable_amount.mantissa() * 12);
  auto created = wf_->CreateCommitment(c, U("kato"));
  ASSERT_OK(created);
  auto draft = wf_->Draft(results[0]->id, created->id, U("kato"));
  ASSERT_OK(draft);
  for (const FieldMatch& m : draft->order.match) {
    EXPECT_EQ(m.status, m.field == "address" ? MatchStatus::kMissing : MatchStatus::kMatch)
        << ToJson(m).dump();
  }
  EXPECT_EQ(draft->order.amount, inv.payable_amount);
  const OrderView paid = WalkToPaid(*draft);
  EXPECT_EQ(paid.order.state, OrderState::kPaid);
  EXPECT_EQ(paid.commitment.paid, inv.payable_amount);
  ExpectVerified();
}

// The workflow's tables are covered by the log like the catalog: an order
// pushed to "paid" or an administrator slipped into wf_users by editing the
// LMDB file is reported by verify.
TEST_F(WorkflowTest, TablesEditedBehindKurasBackFailVerification) {
  const Commitment c = NewCommitment(1'000'000);
  const std::string doc = Receive(Invoice(110'000));
  auto draft = wf_->Draft(doc, c.id, U("kato"));
  ASSERT_OK(draft);
  ExpectVerified();
  const std::string order_id = draft->order.id;
  wf_.reset();
  archive_.reset();
  {
    auto env = storage::Env::Open(options_.data_dir + "/catalog", {});
    ASSERT_OK(env);
    auto orders = (*env)->OpenTable("wf_orders");
    auto users = (*env)->OpenTable("wf_users");
    ASSERT_OK(orders);
    ASSERT_OK(users);
    ASSERT_OK((*env)->Write([&](storage::WriteTxn& txn) -> base::Status {
      ASSIGN_OR_RETURN(std::string_view v, txn.Get(*orders, order_id));
      json order = json::parse(v);
      order["state"] = "paid";
      RETURN_IF_ERROR(txn.Put(*orders, order_id, order.dump()));
      ASSIGN_OR_RETURN(std::string_view admin, txn.Get(*users, "admin"));
      const std::string copy(admin);
      return txn.Put(*users, "intruder", copy);
    }));
  }
  archive::ArchiveOptions ro = options_;
  ro.read_only = true;
  auto a = archive::Archive::Open(ro, fs_.get(), &clock_);
  ASSERT_OK(a);
  auto report = (*a)->Verify();
  ASSERT_OK(report);
  std::map<std::string, std::string> failed;
  for (const auto& f : report->failed) failed[f.id] = f.reason;
  EXPECT_EQ(failed, (std::map<std::string, std::string>{
                        {"wf_orders/" + order_id, "record_mismatch"},
                        {"wf_users/intruder", "unexplained_record"}}))
      << archive::ToJson(*report).dump();
}

}  // namespace
}  // namespace workflow

namespace workflow {
namespace {

TEST_F(WorkflowTest, UploadsGoToTheOwnOrARegisteredDepartment) {
  EXPECT_OK(wf_->CheckUpload(U("kato"), "somu"));
  EXPECT_EQ(wf_->CheckUpload(U("kato"), "doboku").code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->CheckUpload(U("kacho"), "doboku").code(), Code::kPermissionDenied);
  EXPECT_OK(wf_->CheckUpload(U("kaikei"), "doboku"));
  EXPECT_OK(wf_->CheckUpload(U("admin"), "somu"));
  // The permission is checked first: a clerk learns nothing about which
  // departments exist.
  EXPECT_EQ(wf_->CheckUpload(U("kato"), "nowhere").code(), Code::kPermissionDenied);
  const base::Status unknown = wf_->CheckUpload(U("kaikei"), "nowhere");
  EXPECT_EQ(unknown.code(), Code::kInvalidArgument);
  EXPECT_EQ(unknown.message(), "登録されていない課です: nowhere");
  EXPECT_EQ(wf_->CheckUpload(U("admin"), "").code(), Code::kInvalidArgument);
}

TEST_F(WorkflowTest, InboxFindsTheReceivedDocumentsInTheUsersScope) {
  const std::string old_doc = Receive(Invoice(100'000, "1"));  // 5/12
  clock_.Set(*base::ParseRfc3339("2026-05-20T01:00:00Z"));
  const std::string somu_doc = Receive(Invoice(100'000, "2"));
  const std::string doboku_doc = Receive(Invoice(100'000, "3"), "doboku");
  auto ids = [](const InboxPage& page) {
    std::vector<std::string> out;
    for (const InboxItem& i : page.items) out.push_back(i.id);
    return out;
  };
  auto inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_EQ(ids(inbox->unprocessed), (std::vector<std::string>{old_doc, somu_doc}));
  inbox = wf_->GetInbox(U("mori"));
  ASSERT_OK(inbox);
  EXPECT_EQ(ids(inbox->unprocessed), std::vector<std::string>{doboku_doc});
  // A document with an order leaves "unprocessed"; withdrawing the order
  // puts it back.
  const Commitment c = NewCommitment(10'000'000);
  auto order = wf_->Draft(somu_doc, c.id, U("kato"));
  ASSERT_OK(order);
  inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_EQ(ids(inbox->unprocessed), std::vector<std::string>{old_doc});
  EXPECT_EQ(ids(inbox->waiting_for_me), std::vector<std::string>{order->order.id});
  // On 6/15 the accounting office sees every department's deadlines: the
  // invoice of 5/12 is overdue (due 6/11); 土木課's invoice and the order,
  // both received 5/20, are due soon (6/19).
  clock_.Set(*base::ParseRfc3339("2026-06-15T01:00:00Z"));
  inbox = wf_->GetInbox(U("kaikei"));
  ASSERT_OK(inbox);
  EXPECT_EQ(ids(inbox->overdue), std::vector<std::string>{old_doc});
  EXPECT_EQ(ids(inbox->due_soon), (std::vector<std::string>{doboku_doc, order->order.id}));
  EXPECT_TRUE(inbox->unprocessed.items.empty());  // none received by 会計課 itself
  auto withdrawn = Do(*order, Action::kWithdraw, "kato");
  ASSERT_OK(withdrawn);
  inbox = wf_->GetInbox(U("kato"));
  ASSERT_OK(inbox);
  EXPECT_EQ(ids(inbox->unprocessed), (std::vector<std::string>{old_doc, somu_doc}));
  EXPECT_TRUE(inbox->waiting_for_me.items.empty());
}

// A data directory written before the work lists existed (or whose derived
// tables were lost) gets them rebuilt from the orders when a writer opens
// the workflow: the same counts and items as before.
TEST_F(WorkflowTest, WorkListsAreRebuiltFromTheOrders) {
  const Commitment c = NewCommitment(10'000'000);
  Receive(Invoice(100'000, "1"));
  auto drafted = wf_->Draft(Receive(Invoice(200'000, "2")), c.id, U("kato"));
  ASSERT_OK(drafted);
  auto submitted = Do(*drafted, Action::kSubmit, "kato");
  ASSERT_OK(submitted);
  Receive(Invoice(300'000, "3"), "doboku");
  clock_.Set(*base::ParseRfc3339("2026-06-15T01:00:00Z"));
  auto before = wf_->GetInbox(U("kaikei"));
  ASSERT_OK(before);
  auto kacho_before = wf_->GetInbox(U("kacho"));
  ASSERT_OK(kacho_before);
  ASSERT_EQ(kacho_before->waiting_for_me.count, 1u);

  // Lose every derived table's contents, as an older kura left them.
  ledger::Ledger& ledger = archive_->ledger();
  std::vector<storage::Table> derived;
  for (const char* name : {"idx_orders", "idx_pending", "idx_workflow"}) {
    auto t = ledger.OpenDerivedTable(name);
    ASSERT_OK(t);
    derived.push_back(*t);
  }
  ASSERT_OK(ledger.Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) -> base::Status {
    for (const storage::Table& t : derived) RETURN_IF_ERROR(storage::DatedIndex(t).Clear(txn));
    return base::Status::OK();
  }));
  EXPECT_EQ(wf_->GetInbox(U("kacho"))->waiting_for_me.count, 0u);

  WorkflowOptions wo;
  wo.password = PasswordParams{64, 1, 1};
  auto reopened = Workflow::Open(archive_.get(), &clock_, wo);
  ASSERT_OK(reopened);
  auto after = (*reopened)->GetInbox(U("kaikei"));
  ASSERT_OK(after);
  EXPECT_EQ(ToJson(*after), ToJson(*before));
  EXPECT_EQ(ToJson(*(*reopened)->GetInbox(U("kacho"))), ToJson(*kacho_before));
  ExpectVerified();
}

// Nothing is cut off: every list is counted in full and its pages walk
// every item once, in due-date order.
TEST_F(WorkflowTest, InboxListsAreCountedInFullAndPaged) {
  std::set<std::string> received;
  for (int day = 0; day < 12; ++day) {
    clock_.Set(*base::ParseRfc3339("2026-05-01T01:00:00Z") + std::chrono::hours(24 * day));
    for (int i = 0; i < 11; ++i) {
      received.insert(Receive(Invoice(1000 + i, std::to_string(day) + "-" + std::to_string(i))));
    }
  }
  clock_.Set(*base::ParseRfc3339("2026-06-05T01:00:00Z"));
  auto inbox = wf_->GetInbox(U("kato"), 50);
  ASSERT_OK(inbox);
  EXPECT_EQ(inbox->unprocessed.count, 132u);
  EXPECT_EQ(inbox->unprocessed.items.size(), 50u);
  ASSERT_TRUE(inbox->unprocessed.next.has_value());
  EXPECT_EQ(ToJson(*inbox)["counts"]["unprocessed"], 132);
  // 6/5: received 5/1..5/5 are overdue (due ≤ 6/4), 5/6..5/12 due soon.
  EXPECT_EQ(inbox->overdue.count, 55u);
  EXPECT_EQ(inbox->due_soon.count, 77u);

  std::vector<std::string> walked;
  std::optional<base::Date> last_due;
  std::string after;
  for (int pages = 0; pages < 20; ++pages) {
    auto page = wf_->GetInboxList(U("kato"), InboxList::kUnprocessed, after, 40);
    ASSERT_OK(page);
    EXPECT_EQ(page->count, 132u);
    for (const InboxItem& i : page->items) {
      if (last_due) {
        EXPECT_LE(*last_due, *i.due);
      }
      last_due = i.due;
      walked.push_back(i.id);
    }
    if (!page->next) break;
    after = *page->next;
  }
  EXPECT_EQ(walked.size(), 132u);
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()), received);
  EXPECT_EQ(wf_->GetInboxList(U("kato"), InboxList::kOverdue, "not-a-cursor", 10).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(wf_->GetInboxList(U("kato"), InboxList::kOverdue, "", 0).status().code(),
            Code::kInvalidArgument);
}

TEST_F(WorkflowTest, DocumentStandingSaysWhatTheViewerMayDoAsTheOrderMoves) {
  const Commitment c = NewCommitment(1'000'000);
  const std::string doc = Receive(Invoice(110'000));
  auto s = wf_->GetDocumentStanding(doc, U("kato"));
  ASSERT_OK(s);
  EXPECT_EQ(s->state, "received");
  EXPECT_FALSE(s->order);
  EXPECT_TRUE(s->may_correct);
  EXPECT_TRUE(s->may_draft);
  // 課長 and auditors only read; the accounting office corrects but never drafts.
  s = wf_->GetDocumentStanding(doc, U("kacho"));
  ASSERT_OK(s);
  EXPECT_FALSE(s->may_correct);
  EXPECT_FALSE(s->correct_refusal.empty());
  EXPECT_FALSE(s->may_draft);
  EXPECT_TRUE(s->draft_refusal.empty());
  s = wf_->GetDocumentStanding(doc, U("kaikei"));
  ASSERT_OK(s);
  EXPECT_TRUE(s->may_correct);
  EXPECT_FALSE(s->may_draft);
  // Another department's clerk may not even read it.
  EXPECT_EQ(wf_->GetDocumentStanding(doc, U("mori")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->GetDocumentStanding("D99999999", U("kato")).status().code(), Code::kNotFound);
  // An invoice without a readable total: its keys first, no order yet.
  invoice::InvoiceFields unreadable;
  unreadable.needs_metadata = true;
  s = wf_->GetDocumentStanding(Receive(unreadable), U("kato"));
  ASSERT_OK(s);
  EXPECT_TRUE(s->may_correct);
  EXPECT_FALSE(s->may_draft);
  EXPECT_FALSE(s->draft_refusal.empty());

  auto v = wf_->Draft(doc, c.id, U("kato"));
  ASSERT_OK(v);
  s = wf_->GetDocumentStanding(doc, U("kato"));
  ASSERT_OK(s);
  EXPECT_EQ(s->state, "draft");
  EXPECT_TRUE(s->may_correct);  // a draft follows its invoice
  EXPECT_FALSE(s->may_draft);
  EXPECT_NE(s->draft_refusal.find(v->order.id), std::string::npos);
  auto submitted = Do(*v, Action::kSubmit, "kato");
  ASSERT_OK(submitted);
  s = wf_->GetDocumentStanding(doc, U("kato"));
  ASSERT_OK(s);
  EXPECT_EQ(s->state, "pending_approval");
  EXPECT_FALSE(s->may_correct);
  EXPECT_NE(s->correct_refusal.find(v->order.id), std::string::npos) << s->correct_refusal;
  // What the standing says is what the correction does.
  invoice::FieldPatch patch;
  patch.total.Set("100000");
  EXPECT_EQ(wf_->CorrectDocument({doc, patch, "金額の誤り", 0}, U("kato")).status().code(),
            Code::kAborted);
  OrderView paid = *submitted;
  for (const RouteStep& step : std::vector<RouteStep>(paid.order.route)) {
    auto next = Do(paid, Action::kApprove, step.title == "課長" ? "kacho" : "bucho");
    ASSERT_OK(next);
    paid = *next;
  }
  for (const auto& [action, who] :
       {std::pair{Action::kAccept, "kaikei"}, {Action::kPay, "kaikei"}}) {
    auto next = Do(paid, action, who);
    ASSERT_OK(next);
    paid = *next;
  }
  ASSERT_EQ(paid.order.state, OrderState::kPaid);
  s = wf_->GetDocumentStanding(doc, U("kato"));
  ASSERT_OK(s);
  EXPECT_EQ(s->state, "paid");
  EXPECT_TRUE(s->may_correct);

  // Its history: the receipt, then every step of the order, oldest first.
  auto view = archive_->Get(doc);
  ASSERT_OK(view);
  archive::TimestampStatus ts;
  ts.status = "none";
  const std::vector<DocumentEvent> history = DocumentHistory(*view, ts, s->order);
  std::vector<std::string> kinds;
  for (const DocumentEvent& e : history) kinds.push_back(e.kind);
  ASSERT_GE(kinds.size(), 5u);
  EXPECT_EQ(kinds.front(), "received");
  EXPECT_EQ(kinds[1], "order.draft");
  EXPECT_EQ(kinds[2], "order.submit");
  EXPECT_EQ(kinds.back(), "order.pay");
  EXPECT_EQ(history.front().actor, "kato");
  EXPECT_EQ(history.front().source, "upload");
}

TEST_F(WorkflowTest, DocumentsAreListedWithTheirStateAndFilteredByItInsideTheQuery) {
  const Commitment c = NewCommitment(10'000'000);
  const std::string received = Receive(Invoice(110'000, "R"));
  const std::string drafted = Receive(Invoice(120'000, "D"));
  const std::string paid = Receive(Invoice(130'000, "P"));
  const std::string withdrawn = Receive(Invoice(140'000, "W"));
  const std::string other = Receive(Invoice(150'000, "O"), "doboku");
  auto d = wf_->Draft(drafted, c.id, U("kato"));
  ASSERT_OK(d);
  auto p = wf_->Draft(paid, c.id, U("kato"));
  ASSERT_OK(p);
  const std::string paid_order = p->order.id;
  WalkToPaid(*p);
  auto w = wf_->Draft(withdrawn, c.id, U("kato"));
  ASSERT_OK(w);
  ASSERT_OK(Do(*w, Action::kWithdraw, "kato", "二重請求"));
  archive::SearchQuery q;
  q.department = "somu";
  q.sort = archive::SearchSort::kReceived;
  const auto ids = [&](std::string_view state, uint64_t* count = nullptr) {
    std::vector<std::string> out;
    auto list = wf_->SearchDocuments(q, state);
    EXPECT_OK(list);
    if (!list.ok()) return out;
    if (count) *count = list->count;
    for (const DocumentListItem& i : list->items) {
      if (!state.empty()) {
        EXPECT_EQ(i.state, state) << i.item.id;
      }
      out.push_back(i.item.id);
    }
    return out;
  };
  uint64_t count = 0;
  EXPECT_EQ(ids("received", &count), (std::vector<std::string>{received, withdrawn}));
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(ids("draft"), std::vector<std::string>{drafted});
  EXPECT_EQ(ids("paid"), std::vector<std::string>{paid});
  EXPECT_TRUE(ids("pending_approval").empty());
  EXPECT_EQ(ids("", &count).size(), 4u);
  EXPECT_EQ(count, 4u);
  auto all = wf_->SearchDocuments(q, "");
  ASSERT_OK(all);
  for (const DocumentListItem& i : all->items) {
    if (i.item.id == paid) {
      EXPECT_EQ(i.state, "paid");
      EXPECT_EQ(i.order_id, paid_order);
    }
    if (i.item.id == withdrawn) {
      EXPECT_EQ(i.order_id, "");
    }
    EXPECT_EQ(i.source, "upload");
    EXPECT_NE(i.item.id, other);
  }
  EXPECT_EQ(wf_->SearchDocuments(q, "withdrawn").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(wf_->SearchDocuments(q, "bogus").status().code(), Code::kInvalidArgument);
}

TEST_F(WorkflowTest, DocumentHistoryTellsWhatACorrectionChanged) {
  const std::string doc = Receive(Invoice(110'000));
  invoice::FieldPatch patch;
  patch.total.Set("100000");
  patch.counterparty.Set("株式会社山田商事");
  ASSERT_OK(wf_->CorrectDocument({doc, patch, "金額の誤り", 1}, U("kato")));
  auto view = archive_->Get(doc);
  ASSERT_OK(view);
  auto ts = archive_->CheckTimestamp(doc);
  ASSERT_OK(ts);
  const json history = ToJson(DocumentHistory(*view, *ts, std::nullopt));
  ASSERT_EQ(history.size(), 3u) << history.dump();
  EXPECT_EQ(history[0]["kind"], "received");
  EXPECT_EQ(history[1]["kind"], "timestamped");
  const json& corrected = history[2];
  EXPECT_EQ(corrected["kind"], "corrected");
  EXPECT_EQ(corrected["actor"], "kato");
  EXPECT_EQ(corrected["reason"], "金額の誤り");
  EXPECT_EQ(corrected["version"], 2);
  EXPECT_EQ(corrected["changes"]["total"]["from"], "110000");
  EXPECT_EQ(corrected["changes"]["total"]["to"], "100000");
  EXPECT_EQ(corrected["changes"]["counterparty"]["to"], "株式会社山田商事");
  EXPECT_FALSE(corrected["changes"].contains("issue_date"));
}

}  // namespace
}  // namespace workflow
