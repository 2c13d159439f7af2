// Issue 12, findings 3 and 4, over real HTTP as the security tester did
// them against `kura serve --demo`, and the answers kura gives now:
//   3. somu's clerk drafted an order from doboku's invoice against somu's
//      commitment with another vendor, acknowledged the vendor, department
//      and bank-account × with any comment, and 課長 and 会計室 paid it;
//   4. after submit and approval the clerk corrected the invoice's total,
//      counterparty and bank account, and the order kept its old ○.
#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using nlohmann::json;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";

struct Login {
  std::string cookie;
  std::string csrf;
};

// A generated invoice and its vendor as the master holds it.
struct Generated {
  std::string xml;
  std::string vendor_id;
  std::string total;
};

class WorkflowIntegrityApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{ao.data_dir}, ""));
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    workflow::WorkflowOptions wo;
    wo.password = workflow::PasswordParams{64, 1, 1};  // cheap for tests
    auto w = workflow::Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    const workflow::User root = workflow::Workflow::SystemUser("test");
    for (auto [code, name] :
         {std::pair{"somu", "総務課"}, {"doboku", "土木課"}, {"kaikei", "会計課"}}) {
      ASSERT_OK(wf_->CreateDepartment({code, name}, root));
    }
    AddUser("somu.tanto", "somu", {Role::kClerk});
    AddUser("somu.kacho", "somu", {Role::kApprover}, "課長");
    AddUser("somu.bucho", "somu", {Role::kApprover}, "部長");
    AddUser("fukushicho", "somu", {Role::kApprover}, "副市長");
    AddUser("doboku.tanto", "doboku", {Role::kClerk});
    AddUser("kaikei", "kaikei", {Role::kAccountant});
    AddUser("admin", "somu", {Role::kAdmin});
    // Two invoices of two vendors (the tester's 東和ビルメンテナンス of somu
    // and 有限会社植松園芸 of doboku), each vendor in the master.
    corpus::Options options;
    options.seed = 11;
    options.from = base::Date(2026, 5, 1);
    options.to = base::Date(2026, 5, 15);
    options.target_xml_bytes = 0;
    corpus::Generator gen(options);
    somu_invoice_ = Generate(gen, -1);
    doboku_invoice_ = Generate(gen, gen_vendor_);
    somu_commitment_ = NewCommitment("somu", somu_invoice_.vendor_id);
    doboku_commitment_ = NewCommitment("doboku", doboku_invoice_.vendor_id);

    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    ASSERT_TRUE(client_->Get("/healthz"));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  void AddUser(const std::string& login, const std::string& dept, std::vector<Role> roles,
               const std::string& title = "") {
    workflow::User u{login, login + "さん", dept, std::move(roles), title, true};
    ASSERT_OK(wf_->AddUser(u, kPassword, workflow::Workflow::SystemUser("test")));
  }
  // The next invoice of a vendor other than `not_vendor`; its vendor goes
  // into the master with the invoice's own bank account.
  Generated Generate(corpus::Generator& gen, int not_vendor) {
    corpus::Invoice inv = gen.Next();
    while (inv.vendor_index == not_vendor) inv = gen.Next();
    gen_vendor_ = inv.vendor_index;
    Generated g;
    g.xml = corpus::RenderJpPint(inv);
    g.total = inv.payable_amount.ToString();
    char id[16];
    std::snprintf(id, sizeof id, "V%05d", inv.vendor_index + 1);
    g.vendor_id = id;
    EXPECT_OK(wf_->PutVendor({g.vendor_id, inv.vendor.name, inv.vendor.registration_number,
                              inv.vendor.bank_account, inv.vendor.address},
                             *wf_->GetUser("admin")));
    return g;
  }
  std::string NewCommitment(const std::string& department, const std::string& vendor_id) {
    workflow::Commitment c;
    c.department = department;
    c.vendor_id = vendor_id;
    c.budget_line = "02-01-01-13";
    c.fiscal_year = 2026;
    c.description = "庁舎管理 単価契約";
    c.amount = base::Decimal::FromInt(50'000'000);
    c.contract_from = base::Date(2026, 4, 1);
    c.contract_to = base::Date(2027, 3, 31);
    c.expense_type = "services";
    auto created = wf_->CreateCommitment(c, *wf_->GetUser("admin"));
    EXPECT_OK(created);
    return created.ok() ? created->id : "";
  }

  Login LogIn(const std::string& login) {
    auto res =
        client_->Post("/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
                      "application/json");
    Login l;
    EXPECT_TRUE(res && res->status == 200);
    if (!res) return l;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    l.cookie = set_cookie.substr(0, set_cookie.find(';'));
    l.csrf = json::parse(res->body).value("csrf_token", "");
    return l;
  }
  std::pair<int, json> Call(const httplib::Result& res) {
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::pair<int, json> Get(const Login& l, const std::string& path) {
    return Call(client_->Get(path.c_str(), {{"Cookie", l.cookie}}));
  }
  std::pair<int, json> Post(const Login& l, const std::string& path, const json& body) {
    return Call(client_->Post(path.c_str(), {{"Cookie", l.cookie}, {"X-CSRF-Token", l.csrf}},
                              body.dump(), "application/json"));
  }
  std::string Upload(const Login& l, const std::string& xml, const std::string& department) {
    httplib::MultipartFormDataItems items{{"file", xml, "invoice.xml", "application/xml"},
                                          {"department", department, "", ""}};
    auto [status, body] = Call(client_->Post(
        "/api/v1/documents", {{"Cookie", l.cookie}, {"X-CSRF-Token", l.csrf}}, items));
    EXPECT_EQ(status, 201) << body.dump();
    return body.value("id", "");
  }
  std::pair<int, json> Draft(const Login& l, const std::string& doc, const std::string& c) {
    return Post(l, "/api/v1/payment-orders", {{"document_id", doc}, {"commitment_id", c}});
  }
  std::pair<int, json> Act(const Login& who, const json& order, json body) {
    body["version"] = order["version"];
    return Post(who, "/api/v1/payment-orders/" + order["id"].get<std::string>() + "/actions", body);
  }
  // Every step of the order's route approved by its title's holder.
  json ApproveAll(json order) {
    for (const json& step : json(order["route"])) {
      const Login approver = LogIn(step["title"] == "課長"   ? "somu.kacho"
                                   : step["title"] == "部長" ? "somu.bucho"
                                                             : "fukushicho");
      auto [status, next] = Act(approver, order, {{"action", "approve"}});
      EXPECT_EQ(status, 200) << next.dump();
      order = next;
    }
    EXPECT_EQ(order["state"], "accounting_review");
    return order;
  }
  static json Checklist() {
    json c = json::object();
    for (std::string_view item : workflow::kChecklistItems) c[std::string(item)] = true;
    return c;
  }
  static std::map<std::string, std::string> Match(const json& order) {
    std::map<std::string, std::string> m;
    for (const json& row : order["match"]) m[row["field"]] = row["status"];
    return m;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  // 2026-05-20 10:00 JST (fiscal year 2026)
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-20T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  int gen_vendor_ = -1;
  Generated somu_invoice_, doboku_invoice_;
  std::string somu_commitment_, doboku_commitment_;
};

TEST_F(WorkflowIntegrityApiTest, Finding3CrossDepartmentDraftIsForbidden) {
  const Login doboku = LogIn("doboku.tanto");
  const Login somu = LogIn("somu.tanto");
  const std::string doc = Upload(doboku, doboku_invoice_.xml, "doboku");
  // As the tester: somu's clerk drafts doboku's invoice against somu's
  // commitment with another vendor.
  auto [status, refused] = Draft(somu, doc, somu_commitment_);
  EXPECT_EQ(status, 403) << refused.dump();
  EXPECT_EQ(refused["error"]["code"], "permission_denied");
  const std::string message = refused["error"]["message"];
  EXPECT_NE(message.find("土木課（doboku）"), std::string::npos) << message;
  EXPECT_NE(message.find("総務課（somu）"), std::string::npos) << message;
  // doboku's own invoice is still doboku's to draft (it got 409 before).
  auto [own_status, own] = Draft(doboku, doc, doboku_commitment_);
  EXPECT_EQ(own_status, 201) << own.dump();
}

TEST_F(WorkflowIntegrityApiTest, Finding3VendorMismatchCannotBeAcknowledgedByAClerk) {
  const Login somu = LogIn("somu.tanto");
  // 植松園芸's invoice received by somu, drafted against somu's commitment
  // with the other vendor: vendor and bank account ×.
  const std::string doc = Upload(somu, doboku_invoice_.xml, "somu");
  auto [d_status, order] = Draft(somu, doc, somu_commitment_);
  ASSERT_EQ(d_status, 201) << order.dump();
  EXPECT_EQ(Match(order)["vendor"], "mismatch");
  EXPECT_EQ(Match(order)["bank_account"], "mismatch");
  EXPECT_EQ(order["accounting_required"], json({"vendor", "bank_account"}));
  // The tester's move: acknowledge vendor, department and bank account
  // with any comment.
  for (const char* field : {"vendor", "department", "bank_account"}) {
    auto [status, body] = Act(
        somu, order,
        {{"action", "submit"}, {"acknowledge", json::array({field})}, {"comment", "確認しました"}});
    EXPECT_EQ(status, 403) << field << body.dump();
    EXPECT_EQ(body["error"]["code"], "permission_denied");
  }
  // Submitted without: the approvers and the accounting office see the ×.
  auto [s_status, submitted] =
      Act(somu, order,
          {{"action", "submit"}, {"acknowledge", order["unacknowledged"]}, {"comment", "確認"}});
  ASSERT_EQ(s_status, 200) << submitted.dump();
  const json approved = ApproveAll(submitted);
  const Login kaikei = LogIn("kaikei");
  auto [acc_status, acc] =
      Act(kaikei, approved, {{"action", "accept"}, {"checklist", Checklist()}});
  EXPECT_EQ(acc_status, 422) << acc.dump();
  EXPECT_EQ(acc["error"]["code"], "failed_precondition");
  EXPECT_NE(acc["error"]["message"].get<std::string>().find("override_vendor"), std::string::npos);
  // Only the accounting office overrides, and only with a reason.
  EXPECT_EQ(Act(somu, approved, {{"action", "override_vendor"}, {"comment", "同じ会社です"}}).first,
            403);
  EXPECT_EQ(Act(kaikei, approved, {{"action", "override_vendor"}}).first, 400);
  // The accounting office returns it rather than pay another vendor.
  auto [r_status, returned] =
      Act(kaikei, approved, {{"action", "return"}, {"comment", "債権者が契約の相手方と違います"}});
  ASSERT_EQ(r_status, 200) << returned.dump();
  EXPECT_EQ(returned["state"], "draft");
}

TEST_F(WorkflowIntegrityApiTest, AccountingOfficeConfirmsANewBankAccount) {
  const Login somu = LogIn("somu.tanto");
  // The master holds an older account than the invoice states.
  auto vendor = wf_->GetVendor(somu_invoice_.vendor_id);
  ASSERT_OK(vendor);
  const std::string new_account = vendor->bank_account;
  vendor->bank_account = "0001:001:1:0000001";
  ASSERT_OK(wf_->PutVendor(*vendor, *wf_->GetUser("admin")));
  auto [d_status, order] = Draft(somu, Upload(somu, somu_invoice_.xml, "somu"), somu_commitment_);
  ASSERT_EQ(d_status, 201) << order.dump();
  EXPECT_EQ(order["accounting_required"], json({"bank_account"}));
  auto [s_status, submitted] =
      Act(somu, order,
          {{"action", "submit"}, {"acknowledge", order["unacknowledged"]}, {"comment", "確認"}});
  ASSERT_EQ(s_status, 200) << submitted.dump();
  const json approved = ApproveAll(submitted);
  const Login kaikei = LogIn("kaikei");
  auto [got_status, got] = Get(kaikei, "/api/v1/payment-orders/" + order["id"].get<std::string>());
  ASSERT_EQ(got_status, 200);
  EXPECT_NE(std::find(got["available_actions"].begin(), got["available_actions"].end(),
                      "confirm_bank_account"),
            got["available_actions"].end())
      << got["available_actions"].dump();
  EXPECT_EQ(Act(kaikei, got, {{"action", "accept"}, {"checklist", Checklist()}}).first, 422);
  auto [c_status, confirmed] = Act(
      kaikei, got, {{"action", "confirm_bank_account"}, {"comment", "口座変更届（5/1付）を受領"}});
  ASSERT_EQ(c_status, 200) << confirmed.dump();
  EXPECT_EQ(confirmed["bank_account"], new_account);
  EXPECT_EQ(Match(confirmed)["bank_account"], "match");
  EXPECT_EQ(confirmed["history"].back()["action"], "confirm_bank_account");
  auto [v_status, vendors] = Get(kaikei, "/api/v1/vendors");
  ASSERT_EQ(v_status, 200);
  for (const json& v : vendors["items"]) {
    if (v["id"] == somu_invoice_.vendor_id) {
      EXPECT_EQ(v["bank_account"], new_account);
    }
  }
  auto [acc_status, accepted] =
      Act(kaikei, confirmed, {{"action", "accept"}, {"checklist", Checklist()}});
  ASSERT_EQ(acc_status, 200) << accepted.dump();
  auto [pay_status, paid] = Act(kaikei, accepted, {{"action", "pay"}});
  ASSERT_EQ(pay_status, 200) << paid.dump();
  EXPECT_EQ(paid["bank_account"], new_account);
}

TEST_F(WorkflowIntegrityApiTest, Finding4CorrectionUnderAnOrderInFlightIsRefusedNamingIt) {
  const Login somu = LogIn("somu.tanto");
  const std::string doc = Upload(somu, somu_invoice_.xml, "somu");
  auto [d_status, order] = Draft(somu, doc, somu_commitment_);
  ASSERT_EQ(d_status, 201) << order.dump();
  auto [s_status, submitted] =
      Act(somu, order,
          {{"action", "submit"}, {"acknowledge", order["unacknowledged"]}, {"comment", "確認"}});
  ASSERT_EQ(s_status, 200) << submitted.dump();
  const json approved = ApproveAll(submitted);
  // As the tester: the clerk corrects total, counterparty and bank account.
  const json correction = {{"changes",
                            {{"total", "9,990,000"},
                             {"counterparty", "有限会社植松園芸"},
                             {"bank_account", "0138:456:1:7654321"}}},
                           {"reason", "請求書の訂正"}};
  const std::string path = "/api/v1/documents/" + doc + "/corrections";
  auto [c_status, refused] = Post(somu, path, correction);
  EXPECT_EQ(c_status, 409) << refused.dump();
  EXPECT_EQ(refused["error"]["code"], "conflict");
  const std::string message = refused["error"]["message"];
  EXPECT_NE(message.find("支出命令 " + order["id"].get<std::string>()), std::string::npos)
      << message;
  auto [doc_status, record] = Get(somu, "/api/v1/documents/" + doc);
  ASSERT_EQ(doc_status, 200);
  EXPECT_EQ(record["versions"].size(), 1u);  // nothing was corrected
  // The order is paid what its invoice says, to the master's account.
  const Login kaikei = LogIn("kaikei");
  auto [acc_status, accepted] =
      Act(kaikei, approved, {{"action", "accept"}, {"checklist", Checklist()}});
  ASSERT_EQ(acc_status, 200) << accepted.dump();
  EXPECT_EQ(Post(somu, path, correction).first, 409);
  auto [pay_status, paid] = Act(kaikei, accepted, {{"action", "pay"}});
  ASSERT_EQ(pay_status, 200) << paid.dump();
  EXPECT_EQ(paid["amount"], somu_invoice_.total);
}

TEST_F(WorkflowIntegrityApiTest, CorrectionOfADraftsInvoiceRecomputesTheDraft) {
  const Login somu = LogIn("somu.tanto");
  const std::string doc = Upload(somu, somu_invoice_.xml, "somu");
  auto [d_status, order] = Draft(somu, doc, somu_commitment_);
  ASSERT_EQ(d_status, 201) << order.dump();
  EXPECT_EQ(Match(order)["bank_account"], "match");
  auto [c_status, version] =
      Post(somu, "/api/v1/documents/" + doc + "/corrections",
           {{"changes", {{"total", "1,234,000"}, {"bank_account", "0138:456:1:7654321"}}},
            {"reason", "紙の請求書と照合"},
            {"version", 1}});
  ASSERT_EQ(c_status, 200) << version.dump();
  EXPECT_EQ(version["number"], 2);
  auto [g_status, now] = Get(somu, "/api/v1/payment-orders/" + order["id"].get<std::string>());
  ASSERT_EQ(g_status, 200);
  EXPECT_EQ(now["version"], order["version"].get<int>() + 1);
  EXPECT_EQ(now["amount"], "1234000");
  EXPECT_EQ(Match(now)["bank_account"], "mismatch");
  EXPECT_EQ(now["accounting_required"], json({"bank_account"}));
  EXPECT_EQ(now["history"].back()["action"], "document_corrected");
  EXPECT_EQ(now["history"].back()["comment"], "紙の請求書と照合");
}

}  // namespace
}  // namespace web
