// Who may call what, generated from the server's route table: every route
// (web::Server::Routes) must have one row below, and every row is tried over
// real HTTP by an anonymous caller and by one user per role, each on a record
// of the user's own department (総務課, somu) and on one of another (土木課,
// doboku). A route without a row fails the test, as does a row without a
// route, so a new endpoint cannot ship without deciding who may call it.
//
// The callers (columns): anonymous; kato, clerk of somu; kacho, 課長 of
// somu; fuku, 副市長 (an any-department title) of hisho; kaikei, the
// accounting office; kansa, auditor; hokan, compliance officer; admin; and
// an API token of somu (Authorization: Bearer), which only uploads.
//
// Answers: A allowed — 2xx, or a 409/422 about the record's state, never
// 401, 403, 404 or 5xx; D denied — 403; U unauthenticated — 401. Each user
// has two letters, own department then the other's; for a route that
// names no department's record both are tried the same way.
//
// Records are fresh where a request changes them: {newdoc} is a document
// just received without an order, {order} a payment order just submitted
// and waiting for 課長 (so "approve" tests who may act at that step).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "retention/retention.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"
#include "workflow/api_token.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using nlohmann::json;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";

// One row per route. path and body may name records with {doc}, {newdoc},
// {order}, {commitment}, {dept}, {vendor}, {login}, {user} (an account of
// the department that is none of the callers).
struct Row {
  const char* method;
  const char* pattern;  // exactly as the route table has it
  const char* path;
  const char* body;  // JSON; "upload" for a multipart file; "" for none
  const char* expect;
};

// clang-format off
const Row kRows[] = {
  //                                                           anon kato kacho fuku kaikei kansa hokan admin token
  {"GET", "/healthz", "/healthz", "", "A AA AA AA AA AA AA AA AA"},
  {"GET", "/api/v1/version", "/api/v1/version", "", "A AA AA AA AA AA AA AA AA"},
  {"GET", "/", "/", "", "A AA AA AA AA AA AA AA AA"},
  {"GET", "/ui/[A-Za-z0-9_./-]+", "/ui/js/app.js", "", "A AA AA AA AA AA AA AA AA"},
  // The login needs no session; everyone logs in with their own password.
  {"POST", "/api/v1/session", "/api/v1/session",
   R"({"login":"{login}","password":"correct horse battery"})", "A AA AA AA AA AA AA AA AA"},
  {"GET", "/api/v1/session", "/api/v1/session", "", "U AA AA AA AA AA AA AA UU"},
  {"DELETE", "/api/v1/session", "/api/v1/session", "", "U AA AA AA AA AA AA AA UU"},
  // Everyone changes their own password. (The new password here is the
  // current one, refused with 422 so that the caller's next login still
  // works; tests/web/accounts_test.cc changes it for real.)
  {"POST", "/api/v1/session/password", "/api/v1/session/password",
   R"({"current_password":"correct horse battery","new_password":"correct horse battery"})",
   "U AA AA AA AA AA AA AA UU"},
  // Accounts: administrators only, for users of any department ({user} is
  // a clerk of the department, not one of the callers).
  {"GET", "/api/v1/users", "/api/v1/users", "", "U DD DD DD DD DD DD AA UU"},
  {"POST", "/api/v1/users", "/api/v1/users",
   R"({"login":"new.{dept}","name":"新人","department":"{dept}","roles":["clerk"],)"
   R"("password":"a temporary password"})",
   "U DD DD DD DD DD DD AA UU"},
  {"POST", "/api/v1/users/([^/]+)", "/api/v1/users/{user}", R"({"name":"改姓後の氏名"})",
   "U DD DD DD DD DD DD AA UU"},
  {"POST", "/api/v1/users/([^/]+)/password", "/api/v1/users/{user}/password",
   R"({"password":"a temporary password"})", "U DD DD DD DD DD DD AA UU"},
  {"POST", "/api/v1/users/([^/]+)/unlock", "/api/v1/users/{user}/unlock", "{}",
   "U DD DD DD DD DD DD AA UU"},
  {"GET", "/api/v1/inbox", "/api/v1/inbox", "", "U AA AA AA AA AA AA AA UU"},
  {"GET", R"(/api/v1/inbox/([a-z_]+))", "/api/v1/inbox/overdue", "", "U AA AA AA AA AA AA AA UU"},
  // Upload: clerks for their department, the accounting office and admins
  // for any; those who only read put nothing into the archive.
  {"POST", "/api/v1/documents", "/api/v1/documents", "upload", "U AD DD DD AA DD DD AA AD"},
  // Reads of documents: clerks and 課長 their department; the rest all.
  {"GET", "/api/v1/documents", "/api/v1/documents?department={dept}", "", "U AD AD AA AA AA AA AA UU"},
  {"GET", "/api/v1/documents/([^/]+)", "/api/v1/documents/{doc}", "", "U AD AD AA AA AA AA AA UU"},
  {"GET", "/api/v1/documents/([^/]+)/original", "/api/v1/documents/{doc}/original", "",
   "U AD AD AA AA AA AA AA UU"},
  // OCR proposals: whoever reads the document ({doc} has none yet: 404).
  {"GET", "/api/v1/documents/([^/]+)/ocr", "/api/v1/documents/{doc}/ocr", "",
   "U AD AD AA AA AA AA AA UU"},
  {"POST", "/api/v1/documents/([^/]+)/corrections", "/api/v1/documents/{doc}/corrections",
   R"({"reason":"請求書の記載を確認","changes":{"counterparty":"訂正後の取引先"}})",
   "U AD DD DD AA DD DD AA UU"},
  {"GET", "/api/v1/departments", "/api/v1/departments", "", "U AA AA AA AA AA AA AA UU"},
  // Departments are created by administrators only.
  {"POST", "/api/v1/departments", "/api/v1/departments",
   R"({"code":"new-{dept}","name":"新設課"})", "U DD DD DD DD DD DD AA UU"},
  // The vendor master is read by everyone and changed by the accounting
  // office and administrators only (a bank account is what the city pays to).
  {"GET", "/api/v1/vendors", "/api/v1/vendors", "", "U AA AA AA AA AA AA AA UU"},
  {"POST", "/api/v1/vendors", "/api/v1/vendors",
   R"({"name":"新規債権者株式会社","registration_number":"T7010705000725",)"
   R"("bank_account":"0005:123:1:1234567"})", "U DD DD DD AA DD DD AA UU"},
  {"GET", "/api/v1/vendors/([^/]+)", "/api/v1/vendors/{vendor}", "", "U AA AA AA AA AA AA AA UU"},
  {"POST", "/api/v1/vendors/([^/]+)", "/api/v1/vendors/{vendor}",
   R"({"bank_account":"0005:123:1:7654321"})", "U DD DD DD AA DD DD AA UU"},
  {"GET", "/api/v1/commitments", "/api/v1/commitments?department={dept}", "",
   "U AD AD AA AA AA AA AA UU"},
  {"POST", "/api/v1/commitments", "/api/v1/commitments",
   R"({"department":"{dept}","vendor_id":"{vendor}","budget_line":"02-01-01-10",)"
   R"("description":"消耗品","expense_type":"goods","fiscal_year":2026,"amount":"100000",)"
   R"("contract_from":"2026-04-01","contract_to":"2027-03-31"})",
   "U AD DD DD AA DD DD AA UU"},
  // What an invoice's order may be drafted from: everyone who reads the
  // invoice (the drafting itself is decided below).
  {"GET", "/api/v1/documents/([^/]+)/commitments", "/api/v1/documents/{doc}/commitments", "",
   "U AD AD AA AA AA AA AA UU"},
  // Drafting: only a clerk of the commitment's department.
  {"POST", "/api/v1/payment-orders", "/api/v1/payment-orders",
   R"({"document_id":"{newdoc}","commitment_id":"{commitment}"})", "U AD DD DD DD DD DD DD UU"},
  {"GET", "/api/v1/payment-orders/([^/]+)", "/api/v1/payment-orders/{order}", "",
   "U AD AD AA AA AA AA AA UU"},
  // Approving the first step (課長) of a submitted order: its department's
  // 課長 only; everyone else may not act at that step (the state machine's
  // finer rules are tested in tests/workflow).
  {"POST", "/api/v1/payment-orders/([^/]+)/actions", "/api/v1/payment-orders/{order}/actions",
   R"({"action":"approve","version":{version}})", "U DD AD DD DD DD DD DD UU"},
  // 効果の見える化: approvers with a title (課長 their department, 副市長 all),
  // the accounting office and admins; not clerks, auditors or compliance.
  {"GET", "/api/v1/figures", "/api/v1/figures?department={dept}", "", "U DD AD AA AA DD DD AA UU"},
  // API tokens are managed by admins only.
  {"GET", "/api/v1/api-tokens", "/api/v1/api-tokens", "", "U DD DD DD DD DD DD AA UU"},
  {"POST", "/api/v1/api-tokens", "/api/v1/api-tokens", R"({"name":"連携","department":"{dept}"})",
   "U DD DD DD DD DD DD AA UU"},
  {"POST", "/api/v1/api-tokens/([^/]+)/revoke", "/api/v1/api-tokens/{token}/revoke", "",
   "U DD DD DD DD DD DD AA UU"},
  // Retention (保存期間・法的保存・廃棄): compliance officers change, of every
  // department; they and auditors read. ({hold} is an active hold, {request}
  // a disposal request of an expired document by another compliance
  // officer, hokan2; a request of {doc}, which is within its period, is
  // refused with 422 to hokan.)
  {"GET", "/api/v1/retention/documents/([^/]+)", "/api/v1/retention/documents/{doc}", "",
   "U DD DD DD DD AA AA DD UU"},
  {"POST", "/api/v1/retention/documents/([^/]+)/extend", "/api/v1/retention/documents/{doc}/extend",
   R"({"until":"2099-03-31","reason":"訴訟の見込み"})", "U DD DD DD DD DD AA DD UU"},
  {"GET", "/api/v1/retention/due", "/api/v1/retention/due", "", "U DD DD DD DD AA AA DD UU"},
  {"GET", "/api/v1/retention/holds", "/api/v1/retention/holds", "", "U DD DD DD DD AA AA DD UU"},
  {"POST", "/api/v1/retention/holds", "/api/v1/retention/holds",
   R"({"kind":"audit","reason":"定期監査","documents":["{doc}"]})", "U DD DD DD DD DD AA DD UU"},
  {"POST", "/api/v1/retention/holds/([^/]+)/release", "/api/v1/retention/holds/{hold}/release",
   R"({"reason":"監査終了"})", "U DD DD DD DD DD AA DD UU"},
  {"GET", "/api/v1/retention/disposals", "/api/v1/retention/disposals", "",
   "U DD DD DD DD AA AA DD UU"},
  {"POST", "/api/v1/retention/disposals", "/api/v1/retention/disposals",
   R"({"document":"{doc}","reason":"保存期間満了"})", "U DD DD DD DD DD AA DD UU"},
  {"POST", "/api/v1/retention/disposals/([^/]+)/approve",
   "/api/v1/retention/disposals/{request}/approve", "", "U DD DD DD DD DD AA DD UU"},
  // The 電子帳簿保存法 report: those who may read retention records.
  {"GET", "/api/v1/compliance/report", "/api/v1/compliance/report", "", "U DD DD DD DD AA AA DD UU"},
  // 証跡出力 (evidence export from the screens): compliance officers only
  // (workflow::MayExportEvidence), of every department; auditors read
  // every document but do not pack the archive for outside hands. Each
  // job is its starter's ({export} is one of hokan's: 409/422 while it
  // runs, a ZIP when done).
  {"GET", "/api/v1/exports", "/api/v1/exports", "", "U DD DD DD DD DD AA DD UU"},
  {"POST", "/api/v1/exports", "/api/v1/exports", R"({"query":{"department":"{dept}"}})",
   "U DD DD DD DD DD AA DD UU"},
  {"GET", "/api/v1/exports/([0-9a-f]+)", "/api/v1/exports/{export}", "",
   "U DD DD DD DD DD AA DD UU"},
  {"DELETE", "/api/v1/exports/([0-9a-f]+)", "/api/v1/exports/{export}", "",
   "U DD DD DD DD DD AA DD UU"},
  {"GET", "/api/v1/exports/([0-9a-f]+)/download", "/api/v1/exports/{export}/download", "",
   "U DD DD DD DD DD AA DD UU"},
  // Payment runs (支払処理): the accounting office runs them; auditors read
  // them and their files. ({run} is a recorded run of one accepted order.)
  {"GET", "/api/v1/payment-runs", "/api/v1/payment-runs", "", "U DD DD DD AA AA DD DD UU"},
  {"POST", "/api/v1/payment-runs", "/api/v1/payment-runs", R"({"date":"2026-05-29"})",
   "U DD DD DD AA DD DD DD UU"},
  {"GET", "/api/v1/payment-runs/preview", "/api/v1/payment-runs/preview?date=2026-05-29", "",
   "U DD DD DD AA DD DD DD UU"},
  {"GET", "/api/v1/payment-runs/(R[0-9]+-[0-9]+)", "/api/v1/payment-runs/{run}", "",
   "U DD DD DD AA AA DD DD UU"},
  {"GET", "/api/v1/payment-runs/(R[0-9]+-[0-9]+)/zengin", "/api/v1/payment-runs/{run}/zengin", "",
   "U DD DD DD AA AA DD DD UU"},
  {"GET", "/api/v1/payment-runs/(R[0-9]+-[0-9]+)/csv", "/api/v1/payment-runs/{run}/csv", "",
   "U DD DD DD AA AA DD DD UU"},
  {"POST", "/api/v1/payment-runs/(R[0-9]+-[0-9]+)/confirm", "/api/v1/payment-runs/{run}/confirm",
   "{}", "U DD DD DD AA DD DD DD UU"},
  {"POST", "/api/v1/payment-runs/(R[0-9]+-[0-9]+)/cancel", "/api/v1/payment-runs/{run}/cancel",
   R"({"reason":"振込指定日の誤り"})", "U DD DD DD AA DD DD DD UU"},
  // Legacy creditor numbers (旧債権者番号の統合): the accounting office and
  // administrators merge, undo and import; auditors read too. (Legacy rows
  // S-1, M-{login}, U-{login}-{dept} are imported, each U-… merged into S-1.)
  {"GET", "/api/v1/legacy-creditors/clusters", "/api/v1/legacy-creditors/clusters", "",
   "U DD DD DD AA AA DD AA UU"},
  {"GET", "/api/v1/legacy-creditors/merges", "/api/v1/legacy-creditors/merges", "",
   "U DD DD DD AA AA DD AA UU"},
  {"POST", "/api/v1/legacy-creditors/merges", "/api/v1/legacy-creditors/merges",
   R"({"survivor":"S-1","numbers":["M-{login}"],"reason":"同じ登録番号"})",
   "U DD DD DD AA DD DD AA UU"},
  {"POST", "/api/v1/legacy-creditors/unmerges", "/api/v1/legacy-creditors/unmerges",
   R"({"numbers":["U-{login}-{dept}"],"reason":"別の債権者"})", "U DD DD DD AA DD DD AA UU"},
  {"POST", "/api/v1/legacy-creditors/imports", "/api/v1/legacy-creditors/imports",
   "legacy-upload", "U DD DD DD AA DD DD AA UU"},
  // The 国税庁 registry (登録番号の確認): the accounting office,
  // administrators and auditors read the snapshot and the lapsed list.
  {"GET", "/api/v1/registry", "/api/v1/registry", "", "U DD DD DD AA AA DD AA UU"},
  {"GET", "/api/v1/registry/lapsed", "/api/v1/registry/lapsed", "", "U DD DD DD AA AA DD AA UU"},
};
// clang-format on

const char* const kLogins[] = {"kato",  "kacho", "fuku",  "kaikei",
                                "kansa", "hokan", "admin", "token"};

void Replace(std::string* s, const std::string& from, const std::string& to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

class AuthorizationTest : public ::testing::Test {
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
    // Payment runs: the city's account, and every amount approved by 課長
    // alone (so that the rows' orders reach the accounting office).
    wo.remitter = workflow::zengin::Remitter{
        "1234567890", "クラマエシ",
        workflow::zengin::Account{"0005", "", "001", "", '1', "1234567"}};
    wo.routes.rule = {{}, {"課長"}};
    auto w = workflow::Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    const workflow::User root = workflow::Workflow::SystemUser("test");
    for (auto [code, name] : {std::pair{"somu", "総務課"},
                              {"doboku", "土木課"},
                              {"kaikei", "会計課"},
                              {"hisho", "秘書課"}}) {
      ASSERT_OK(wf_->CreateDepartment({code, name}, root));
    }
    AddUser("kato", "somu", {Role::kClerk});
    AddUser("mori", "doboku", {Role::kClerk});  // drafts doboku's orders
    AddUser("kacho", "somu", {Role::kApprover}, "課長");
    AddUser("fuku", "hisho", {Role::kApprover}, "副市長");
    AddUser("kaikei", "kaikei", {Role::kAccountant});
    AddUser("kansa", "somu", {Role::kAuditor});
    AddUser("hokan", "somu", {Role::kCompliance});
    AddUser("hokan2", "doboku", {Role::kCompliance});  // requests what hokan approves
    AddUser("admin", "hisho", {Role::kAdmin});

    auto token = wf_->CreateApiToken("テスト連携", "somu", User("admin"));
    ASSERT_OK(token);
    token_secret_ = token->secret;

    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.api.exports.dir = dir_.Join("exports");
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    port_ = *port;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    // One connection for the hundreds of requests (the server caps
    // connections per address, and closed ones linger a moment).
    client_->set_keep_alive(true);
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
  workflow::User User(const std::string& login) { return *wf_->GetUser(login); }

  // A session for login: the Cookie and X-CSRF-Token headers; for "token",
  // the API token of somu instead.
  httplib::Headers LogIn(const std::string& login) {
    if (login == "token") return {{"Authorization", "Bearer " + token_secret_}};
    auto res = client_->Post("/api/v1/session",
                             json{{"login", login}, {"password", kPassword}}.dump(),
                             "application/json");
    EXPECT_TRUE(res && res->status == 200) << login;
    if (!res) return {};
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    return {{"Cookie", set_cookie.substr(0, set_cookie.find(';'))},
            {"X-CSRF-Token", json::parse(res->body).value("csrf_token", "")}};
  }

  // The next generated invoice, its vendor in the master; for drafting.
  corpus::Invoice NextInvoice() {
    corpus::Options options;
    options.seed = 11;
    options.from = base::Date(2026, 5, 1);
    options.to = base::Date(2026, 5, 15);
    options.target_xml_bytes = 0;
    if (!generator_) generator_ = std::make_unique<corpus::Generator>(options);
    corpus::Invoice inv = generator_->Next();
    const workflow::Vendor v{VendorId(inv), inv.vendor.name, inv.vendor.registration_number,
                             inv.vendor.bank_account, inv.vendor.address};
    EXPECT_OK(wf_->PutVendor(v, User("admin")));
    return inv;
  }
  static std::string VendorId(const corpus::Invoice& inv) {
    char id[16];
    std::snprintf(id, sizeof id, "V%05d", inv.vendor_index + 1);
    return id;
  }
  std::string Receive(const std::string& dept, const std::string& name, std::string bytes) {
    auto out = archive_->Ingest({archive::IncomingFile{name, dept, "upload", "test", bytes}});
    EXPECT_TRUE(out.size() == 1 && out[0].ok());
    return out.size() == 1 && out[0].ok() ? out[0]->id : "";
  }
  std::string Commitment(const std::string& dept, const std::string& vendor_id) {
    workflow::Commitment c;
    c.department = dept;
    c.vendor_id = vendor_id;
    c.budget_line = "02-01-01-10";
    c.fiscal_year = 2026;
    c.description = "単価契約";
    c.amount = base::Decimal::FromInt(50'000'000);
    c.contract_from = base::Date(2026, 4, 1);
    c.contract_to = base::Date(2027, 3, 31);
    c.expense_type = "goods";
    auto created = wf_->CreateCommitment(c, User("admin"));
    EXPECT_OK(created);
    return created.ok() ? created->id : "";
  }

  // The records a row's placeholders name, for dept; fresh ones where a
  // request changes them.
  std::map<std::string, std::string> Records(const std::string& dept, const std::string& login,
                                             bool fresh) {
    std::map<std::string, std::string> r{{"{dept}", dept}, {"{login}", login}};
    if (!shared_.count(dept)) shared_[dept] = SharedRecords(dept);
    for (const auto& [k, v] : shared_[dept]) r[k] = v;
    if (!fresh) return r;
    const corpus::Invoice inv = NextInvoice();
    r["{vendor}"] = VendorId(inv);
    r["{commitment}"] = Commitment(dept, r["{vendor}"]);
    r["{newdoc}"] = Receive(dept, "請求書-" + inv.id + ".xml", corpus::RenderJpPint(inv));
    auto token = wf_->CreateApiToken("取消用", dept, User("admin"));
    EXPECT_OK(token);
    if (token.ok()) r["{token}"] = token->token.id;
    return r;
  }
  std::map<std::string, std::string> SharedRecords(const std::string& dept) {
    const corpus::Invoice inv = NextInvoice();
    std::map<std::string, std::string> r;
    r["{doc}"] = Receive(dept, "読取専用-" + inv.id + ".xml", corpus::RenderJpPint(inv));
    r["{user}"] = "member." + dept;
    AddUser(r["{user}"], dept, {Role::kClerk});
    return r;
  }
  // A payment order of dept just submitted, waiting for its 課長.
  void AddSubmittedOrder(const std::string& dept, std::map<std::string, std::string>* r) {
    const workflow::User clerk = User(dept == "somu" ? "kato" : "mori");
    auto drafted = wf_->Draft((*r)["{newdoc}"], (*r)["{commitment}"], clerk);
    ASSERT_OK(drafted);
    workflow::ActionRequest submit;
    submit.action = workflow::Action::kSubmit;
    submit.version = drafted->order.version;
    submit.acknowledge = drafted->order.UnacknowledgedMismatches();
    if (!submit.acknowledge.empty()) submit.comment = "確認済み";
    auto submitted = wf_->Act(drafted->order.id, submit, clerk);
    ASSERT_OK(submitted);
    (*r)["{order}"] = submitted->order.id;
    (*r)["{version}"] = std::to_string(submitted->order.version);
    (*r)["{newdoc}"] = "";
  }

  // A recorded payment run of one accepted order of 総務課 (whichever dept:
  // a run is the whole city's).
  void AddPaymentRun(std::map<std::string, std::string>* r) {
    const corpus::Invoice inv = NextInvoice();
    auto vendor = wf_->GetVendor(VendorId(inv));
    ASSERT_OK(vendor);
    workflow::Vendor v = *vendor;
    v.account_holder = "テストシヨウジ";
    ASSERT_OK(wf_->PutVendor(v, User("admin")));
    std::map<std::string, std::string> own{
        {"{newdoc}", Receive("somu", "支払-" + inv.id + ".xml", corpus::RenderJpPint(inv))},
        {"{commitment}", Commitment("somu", v.id)}};
    AddSubmittedOrder("somu", &own);
    auto view = wf_->GetOrder(own["{order}"], User("kacho"));
    ASSERT_OK(view);
    auto approved = wf_->Act(view->order.id, {workflow::Action::kApprove, view->order.version},
                             User("kacho"));
    ASSERT_OK(approved);
    workflow::ActionRequest accept{workflow::Action::kAccept, approved->order.version};
    for (std::string_view item : workflow::kChecklistItems) {
      accept.checklist.push_back({std::string(item), true, ""});
    }
    ASSERT_OK(wf_->Act(view->order.id, accept, User("kaikei")));
    auto run = wf_->PreparePaymentRun(User("kaikei"), base::Date(2026, 5, 29));
    ASSERT_OK(run);
    auto recorded = wf_->RecordPaymentRun(*run, User("kaikei"));
    ASSERT_OK(recorded);
    (*r)["{run}"] = recorded->id;
  }

  // An active legal hold and a disposal request (by hokan2) of an expired
  // document of dept, for the retention rows.
  void AddRetentionRecords(const std::string& dept, std::map<std::string, std::string>* r) {
    if (!retention_) {
      auto opened = retention::Retention::Open(archive_.get(), &clock_);
      ASSERT_OK(opened);
      retention_ = std::move(*opened);
    }
    auto hold = retention_->PlaceHold({"litigation", "事件", {(*r)["{doc}"]}, {}}, User("hokan"));
    ASSERT_OK(hold);
    (*r)["{hold}"] = hold->id;
    corpus::Options options;
    options.seed = 12;
    options.from = base::Date(2014, 5, 1);  // FY2014: kept until 2025-03-31
    options.to = base::Date(2014, 5, 15);
    options.target_xml_bytes = 0;
    if (!old_generator_) old_generator_ = std::make_unique<corpus::Generator>(options);
    const corpus::Invoice inv = old_generator_->Next();
    const std::string old = Receive(dept, "旧-" + inv.id + ".xml", corpus::RenderJpPint(inv));
    auto request = retention_->RequestDisposal(old, "保存期間満了", User("hokan2"));
    ASSERT_OK(request);
    (*r)["{request}"] = request->id;
  }

  // The legacy rows the legacy-creditors rows name (once): S-1, M-{login}
  // and U-{login}-{dept} of every caller, each U-… merged into S-1.
  void AddLegacyCreditors() {
    if (legacy_added_) return;
    legacy_added_ = true;
    std::string csv = "債権者番号,債権者名\r\nS-1,統合先商店\r\n";
    std::vector<std::string> merged;
    for (const char* login : kLogins) {
      csv += std::string("M-") + login + ",商店\r\n";
      for (const char* dept : {"somu", "doboku"}) {
        merged.push_back(std::string("U-") + login + "-" + dept);
        csv += merged.back() + ",商店\r\n";
      }
    }
    auto parse = workflow::ParseLegacyCreditors(csv, workflow::LegacyEncoding::kUtf8);
    ASSERT_OK(parse);
    ASSERT_TRUE(parse->errors.empty());
    ASSERT_OK(wf_->ImportLegacyCreditors(*parse, "legacy.csv", "00", User("admin")));
    ASSERT_OK(wf_->MergeCreditors("S-1", merged, User("admin"), "準備"));
  }

  // An export job of hokan's: the one listed first, or a new one of dept.
  std::string ExportOf(const std::string& dept) {
    const httplib::Headers hokan = LogIn("hokan");
    auto list = client_->Get("/api/v1/exports", hokan);
    EXPECT_TRUE(list && list->status == 200);
    if (!list) return "";
    const json items = json::parse(list->body)["items"];
    if (!items.empty()) return items[0]["id"];
    auto started = client_->Post("/api/v1/exports", hokan,
                                 json{{"query", {{"department", dept}}}}.dump(), "application/json");
    EXPECT_TRUE(started && started->status == 202) << (started ? started->body : "no answer");
    return started && started->status == 202 ? json::parse(started->body).value("id", "") : "";
  }

  // The answer of one request, as a letter (A, D, U) or a description.
  std::string Try(const Row& row, const std::string& login, const std::string& dept) {
    std::string path = row.path, body = row.body;
    bool fresh = false;
    for (const char* name : {"{newdoc}", "{commitment}", "{vendor}", "{order}", "{token}"}) {
      fresh = fresh || (path + body).find(name) != std::string::npos;
    }
    auto records = Records(dept, login.empty() || login == "token" ? "kato" : login, fresh);
    if (path.find("{order}") != std::string::npos) AddSubmittedOrder(dept, &records);
    if (path.find("{run}") != std::string::npos) AddPaymentRun(&records);
    if (path.find("{hold}") != std::string::npos || path.find("{request}") != std::string::npos) {
      AddRetentionRecords(dept, &records);
    }
    if (path.find("{export}") != std::string::npos) records["{export}"] = ExportOf(dept);
    if (path.find("legacy-creditors") != std::string::npos) AddLegacyCreditors();
    for (const auto& [k, v] : records) {
      Replace(&path, k, v);
      Replace(&body, k, v);
    }
    httplib::Headers headers;
    if (!login.empty()) headers = LogIn(login);
    httplib::Result res{nullptr, httplib::Error::Unknown};
    const std::string method = row.method;
    if (body == "legacy-upload") {
      const std::string csv = "債権者番号,債権者名\r\nN-" + std::to_string(++uploads_) + ",新規商店\r\n";
      httplib::MultipartFormDataItems items{{"file", csv, "債権者一覧.csv", "text/csv"}};
      res = client_->Post(path.c_str(), headers, items);
    } else if (body == "upload") {
      const std::string bytes = "<x>" + std::to_string(++uploads_) + "</x>";
      httplib::MultipartFormDataItems items{{"file", bytes, "受領.xml", "application/xml"},
                                            {"department", dept, "", ""}};
      res = client_->Post(path.c_str(), headers, items);
    } else if (method == "GET") {
      res = client_->Get(path.c_str(), headers);
    } else if (method == "POST") {
      res = client_->Post(path.c_str(), headers, body, "application/json");
    } else if (method == "DELETE") {
      res = client_->Delete(path.c_str(), headers);
    }
    if (!res) return "no answer";
    const int s = res->status;
    if (s == 401) return "U";
    if (s == 403) return "D";
    if ((s >= 200 && s < 300) || s == 409 || s == 422) return "A";
    return std::to_string(s) + " " + res->body;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-20T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
  std::unique_ptr<corpus::Generator> generator_, old_generator_;
  std::unique_ptr<retention::Retention> retention_;
  std::map<std::string, std::map<std::string, std::string>> shared_;
  int uploads_ = 0;
  bool legacy_added_ = false;
  std::string token_secret_;
};

// The payment run's files come back as the bytes recorded (the 全銀 file:
// 120-byte records with CRLF, Shift_JIS; the CSV with its BOM); a confirmed
// run is not cancelled (409), and the order shows its run until then.
TEST_F(AuthorizationTest, APaymentRunsFilesAndLifeOverHttp) {
  std::map<std::string, std::string> r;
  AddPaymentRun(&r);
  const std::string run = "/api/v1/payment-runs/" + r["{run}"];
  const httplib::Headers kaikei = LogIn("kaikei");
  auto zengin = client_->Get((run + "/zengin").c_str(), kaikei);
  ASSERT_TRUE(zengin);
  EXPECT_EQ(zengin->status, 200);
  EXPECT_EQ(zengin->get_header_value("Content-Type"), "application/octet-stream");
  ASSERT_EQ(zengin->body.size(), 4u * 122);
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(zengin->body.substr(i * 122 + 120, 2), "\r\n");
  EXPECT_EQ(zengin->body[0], '1');
  auto csv = client_->Get((run + "/csv").c_str(), kaikei);
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBF", 0), 0u);
  auto confirmed = client_->Post((run + "/confirm").c_str(), kaikei, "{}", "application/json");
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(confirmed->status, 200) << confirmed->body;
  EXPECT_EQ(json::parse(confirmed->body)["state"], "confirmed");
  auto cancel = client_->Post((run + "/cancel").c_str(), kaikei, R"({"reason":"誤り"})",
                              "application/json");
  ASSERT_TRUE(cancel);
  EXPECT_EQ(cancel->status, 409);
}

TEST_F(AuthorizationTest, EveryRouteHasARowAndEveryRowARoute) {
  std::set<std::pair<std::string, std::string>> rows, routes;
  for (const Row& row : kRows) {
    EXPECT_TRUE(rows.emplace(row.method, row.pattern).second)
        << "two rows for " << row.method << " " << row.pattern;
  }
  for (const RouteInfo& route : server_->Routes()) {
    routes.emplace(route.method, route.pattern);
    EXPECT_TRUE(rows.count({route.method, route.pattern}))
        << "no row in kRows for the route " << route.method << " " << route.pattern
        << ": decide who may call it and add one";
  }
  for (const auto& [method, pattern] : rows) {
    EXPECT_TRUE(routes.count({method, pattern})) << "a row for no route: " << method << " "
                                                 << pattern;
  }
}

TEST_F(AuthorizationTest, EveryRouteAnswersEachCallerAsTheTableSays) {
  for (const Row& row : kRows) {
    const std::string route = std::string(row.method) + " " + row.pattern;
    const std::string expect = row.expect;
    ASSERT_EQ(expect.size(), 1 + std::size(kLogins) * 3) << route;
    EXPECT_EQ(Try(row, "", "somu"), expect.substr(0, 1)) << route << " anonymous";
    for (size_t i = 0; i < std::size(kLogins); ++i) {
      const std::string own = expect.substr(2 + 3 * i, 1), foreign = expect.substr(3 + 3 * i, 1);
      EXPECT_EQ(Try(row, kLogins[i], "somu"), own) << route << " " << kLogins[i] << " own";
      EXPECT_EQ(Try(row, kLogins[i], "doboku"), foreign)
          << route << " " << kLogins[i] << " other department";
    }
  }
}

TEST_F(AuthorizationTest, AKnownPathWithAnotherMethodIs405WithAllow) {
  auto put = client_->Put("/api/v1/documents", "{}", "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(put->get_header_value("Allow"), "GET, HEAD, POST");
  EXPECT_EQ(json::parse(put->body)["error"]["code"], "method_not_allowed");
  auto patch = client_->Patch("/api/v1/payment-orders/P2026-0001", "{}", "application/json");
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->status, 405);
  EXPECT_EQ(patch->get_header_value("Allow"), "GET, HEAD");
  auto del = client_->Delete("/healthz");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->get_header_value("Allow"), "GET, HEAD");
  auto missing = client_->Get("/api/v1/nothing-here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(json::parse(missing->body)["error"]["code"], "not_found");
}

TEST_F(AuthorizationTest, WrongMethodsAndUnknownPathsAreAnsweredBeforeTheBody) {
  // A body announced but never sent: the answer comes without waiting for
  // it (the server's read deadline is 10 s; this client waits 3).
  for (const char* request :
       {"PUT /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n",
        "POST /api/v1/nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\n"}) {
    const std::string head = request;
    const std::string method = head.substr(0, head.find(' '));
    const std::string path = head.substr(head.find(' ') + 1, head.find(" HTTP") - head.find(' ') - 1);
    // httplib::Client would send the body; a raw socket sends only the head.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[512] = {};
    const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    ASSERT_GT(n, 0) << method << " " << path << ": no answer within 3 s";
    const std::string status_line(buf, std::string(buf).find("\r\n"));
    EXPECT_EQ(status_line, method == "PUT" ? "HTTP/1.1 405 Method Not Allowed"
                                           : "HTTP/1.1 404 Not Found")
        << path;
  }
}

TEST_F(AuthorizationTest, AScopedSearchCountsAndPagesOnlyTheOwnDepartment) {
  for (int i = 0; i < 3; ++i) Receive("somu", "s" + std::to_string(i) + ".xml", "<s" + std::to_string(i) + "/>");
  for (int i = 0; i < 2; ++i) Receive("doboku", "d" + std::to_string(i) + ".xml", "<d" + std::to_string(i) + "/>");
  const httplib::Headers clerk = LogIn("kato"), fuku = LogIn("fuku");
  auto page = client_->Get("/api/v1/documents?limit=2", clerk);
  ASSERT_TRUE(page && page->status == 200);
  json j = json::parse(page->body);
  EXPECT_EQ(j["count"], 3);
  EXPECT_EQ(j["items"].size(), 2u);
  ASSERT_TRUE(j["next"].is_string());
  auto rest = client_->Get("/api/v1/documents?limit=2&after=" + j["next"].get<std::string>(), clerk);
  ASSERT_TRUE(rest && rest->status == 200);
  EXPECT_EQ(json::parse(rest->body)["items"].size(), 1u);
  for (const auto& item : j["items"]) EXPECT_EQ(item["department"], "somu");
  // The CSV: a header and the department's three rows.
  auto csv = client_->Get("/api/v1/documents?output=csv", clerk);
  ASSERT_TRUE(csv && csv->status == 200);
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 4) << csv->body;
  EXPECT_EQ(client_->Get("/api/v1/documents?department=doboku&output=csv", clerk)->status, 403);
  // 副市長 reads every department.
  auto all = client_->Get("/api/v1/documents", fuku);
  ASSERT_TRUE(all && all->status == 200);
  EXPECT_EQ(json::parse(all->body)["count"], 5);
}

TEST_F(AuthorizationTest, AnApiTokenUploadsForItsDepartmentUntilRevoked) {
  const httplib::Headers bearer{{"Authorization", "Bearer " + token_secret_}};
  httplib::MultipartFormDataItems items{{"file", "<Invoice>1</Invoice>", "連携.xml", "application/xml"}};
  auto up = client_->Post("/api/v1/documents", bearer, items);
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 201) << up->body;
  const std::string id = json::parse(up->body)["id"];
  // Received by the token, for its department, as the archive records it.
  auto view = archive_->Get(id);
  ASSERT_OK(view);
  ASSERT_EQ(view->receipts.size(), 1u);
  EXPECT_EQ(view->receipts[0].department, "somu");
  auto tokens = wf_->ListApiTokens(User("admin"));
  ASSERT_OK(tokens);
  EXPECT_EQ(view->receipts[0].receiver, "token:" + tokens->front().id);
  // A token is not a session: no reading, not even its own upload.
  EXPECT_EQ(client_->Get("/api/v1/documents/" + id, bearer)->status, 401);
  // A wrong token, and a revoked one, are 401.
  const httplib::Headers wrong{
      {"Authorization", "Bearer kura_" + std::string(64, 'a')}};
  EXPECT_EQ(client_->Post("/api/v1/documents", wrong, items)->status, 401);
  ASSERT_OK(wf_->RevokeApiToken(tokens->front().id, User("admin")));
  auto revoked = client_->Post("/api/v1/documents", bearer, items);
  EXPECT_EQ(revoked->status, 401);
  EXPECT_EQ(json::parse(revoked->body)["error"]["message"],
            "APIトークンが無効です（取り消されたか、誤っています）");
  // The secret is nowhere in the data directory's records: only its hash.
  auto listed = wf_->ListApiTokens(User("admin"));
  ASSERT_OK(listed);
  EXPECT_EQ(workflow::ToJson(listed->front()).dump().find(token_secret_), std::string::npos);
  EXPECT_FALSE(listed->front().active());
}

TEST_F(AuthorizationTest, AnAdminCreatesATokenThatIsShownOnce) {
  const httplib::Headers admin = LogIn("admin");
  auto created = client_->Post("/api/v1/api-tokens", admin,
                               json{{"name", "Peppol 接続"}, {"department", "doboku"}}.dump(),
                               "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  const json j = json::parse(created->body);
  const std::string secret = j["secret"];
  EXPECT_TRUE(workflow::LooksLikeTokenSecret(secret));
  auto list = client_->Get("/api/v1/api-tokens", admin);
  ASSERT_TRUE(list && list->status == 200);
  EXPECT_EQ(list->body.find(secret), std::string::npos);
  EXPECT_EQ(list->body.find(secret.substr(5)), std::string::npos);
  // Unknown department: refused in Japanese.
  auto bad = client_->Post("/api/v1/api-tokens", admin,
                           json{{"name", "x"}, {"department", "nosuch"}}.dump(),
                           "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["message"], "登録されていない課です: nosuch");
  // The new token uploads for doboku and not for somu.
  const httplib::Headers bearer{{"Authorization", "Bearer " + secret}};
  httplib::MultipartFormDataItems somu{{"file", "<a/>", "a.xml", "application/xml"},
                                       {"department", "somu", "", ""}};
  EXPECT_EQ(client_->Post("/api/v1/documents", bearer, somu)->status, 403);
  httplib::MultipartFormDataItems own{{"file", "<b/>", "b.xml", "application/xml"}};
  EXPECT_EQ(client_->Post("/api/v1/documents", bearer, own)->status, 201);
}

}  // namespace
}  // namespace web
