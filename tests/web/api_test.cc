// The JSON API over real HTTP on loopback: a web::Server on a free port in
// front of a real archive and workflow in a temp dir, driven by
// httplib::Client the way a browser or curl would (cookie + CSRF header).
#include "web/api.h"

#include <map>
#include <memory>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"
#include "workflow/nta_registry.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using nlohmann::json;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";

struct Login {
  std::string cookie;  // "kura_session=..."
  std::string csrf;
  json user;
};

// One generated invoice, its vendor in the master and a commitment for it.
struct Prepared {
  std::string xml;
  std::string file_name;
  std::string vendor_id;
  std::string commitment_id;
  std::string total;
};

class ApiTest : public ::testing::Test {
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
         {std::pair{"somu", "総務課"}, {"kaikei", "会計課"}, {"hisho", "秘書課"}}) {
      ASSERT_OK(wf_->CreateDepartment({code, name}, root));
    }
    AddUser("kato", "somu", {Role::kClerk});
    AddUser("kacho", "somu", {Role::kApprover}, "課長");
    AddUser("bucho", "somu", {Role::kApprover}, "部長");
    AddUser("fuku", "hisho", {Role::kApprover}, "副市長");
    AddUser("kaikei", "kaikei", {Role::kAccountant});
    AddUser("admin", "hisho", {Role::kAdmin});

    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.api.max_upload_bytes = 256 << 10;
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    port_ = *port;
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    // Wait until the accept loop runs (so that Stop() in TearDown stops it).
    auto health = client_->Get("/healthz");
    ASSERT_TRUE(health);
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

  Login LogIn(const std::string& login) {
    auto res =
        client_->Post("/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
                      "application/json");
    Login l;
    EXPECT_TRUE(res);
    if (!res) return l;
    EXPECT_EQ(res->status, 200) << res->body;
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    l.cookie = set_cookie.substr(0, set_cookie.find(';'));
    const json body = json::parse(res->body);
    l.csrf = body.value("csrf_token", "");
    l.user = body["user"];
    return l;
  }
  httplib::Headers Headers(const Login& l, bool csrf = true) {
    httplib::Headers h{{"Cookie", l.cookie}};
    if (csrf) h.emplace("X-CSRF-Token", l.csrf);
    return h;
  }
  httplib::Result Get(const Login& l, const std::string& path) {
    return client_->Get(path.c_str(), Headers(l, false));
  }
  httplib::Result Post(const Login& l, const std::string& path, const json& body,
                       bool csrf = true) {
    return client_->Post(path.c_str(), Headers(l, csrf), body.dump(), "application/json");
  }
  // Status and parsed body of a JSON response.
  std::pair<int, json> Call(const httplib::Result& res) {
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  // The nth invoice of the generator (fiscal year 2026), its vendor put in
  // the master with `bank_account` (empty: the invoice's own) and a
  // commitment of the somu department for it.
  Prepared PrepareInvoice(int nth, const std::string& bank_account = "") {
    corpus::Options options;
    options.seed = 7;
    options.from = base::Date(2026, 5, 1);
    options.to = base::Date(2026, 5, 15);
    options.target_xml_bytes = 0;
    corpus::Generator gen(options);
    corpus::Invoice inv = gen.Next();
    for (int i = 0; i < nth; ++i) inv = gen.Next();
    Prepared p;
    p.xml = corpus::RenderJpPint(inv);
    p.file_name = "請求書-" + inv.id + ".xml";
    p.total = inv.payable_amount.ToString();
    char id[16];
    std::snprintf(id, sizeof id, "V%05d", inv.vendor_index + 1);
    p.vendor_id = id;
    const workflow::Vendor v{p.vendor_id, inv.vendor.name, inv.vendor.registration_number,
                             bank_account.empty() ? inv.vendor.bank_account : bank_account,
                             inv.vendor.address};
    EXPECT_OK(wf_->PutVendor(v, *wf_->GetUser("admin")));
    workflow::Commitment c;
    c.department = "somu";
    c.vendor_id = p.vendor_id;
    c.budget_line = "02-01-01-10";
    c.fiscal_year = 2026;
    c.description = "単価契約";
    c.amount = base::Decimal::FromInt(50'000'000);
    c.contract_from = base::Date(2026, 4, 1);
    c.contract_to = base::Date(2027, 3, 31);
    c.expense_type = "goods";
    auto created = wf_->CreateCommitment(c, *wf_->GetUser("kato"));
    EXPECT_OK(created);
    if (created.ok()) p.commitment_id = created->id;
    return p;
  }
  httplib::Result Upload(const Login& l, const std::string& bytes, const std::string& name,
                         const std::string& department = "somu") {
    httplib::MultipartFormDataItems items{{"file", bytes, name, "application/xml"},
                                          {"department", department, "", ""}};
    return client_->Post("/api/v1/documents", Headers(l), items);
  }
  // Uploads and drafts; returns the order JSON.
  json UploadAndDraft(const Login& clerk, const Prepared& p) {
    auto [up_status, up] = Call(Upload(clerk, p.xml, p.file_name));
    EXPECT_EQ(up_status, 201) << up.dump();
    auto [status, order] =
        Call(Post(clerk, "/api/v1/payment-orders",
                  {{"document_id", up["id"]}, {"commitment_id", p.commitment_id}}));
    EXPECT_EQ(status, 201) << order.dump();
    return order;
  }
  std::pair<int, json> Act(const Login& who, const json& order, json body) {
    body["version"] = order["version"];
    return Call(
        Post(who, "/api/v1/payment-orders/" + order["id"].get<std::string>() + "/actions", body));
  }
  json Submit(const Login& clerk, const json& order) {
    json ack = order["unacknowledged"];
    auto [status, submitted] =
        Act(clerk, order,
            {{"action", "submit"}, {"acknowledge", ack}, {"comment", "振込先の変更届を確認済み"}});
    EXPECT_EQ(status, 200) << submitted.dump();
    return submitted;
  }
  static std::string ApproverFor(const std::string& title) {
    return title == "課長" ? "kacho" : title == "部長" ? "bucho" : "fuku";
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  // 2026-05-20 10:00 JST (fiscal year 2026)
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-20T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ApiTest, FullFlowFromUploadToPaymentWithMatchAcknowledgementsAndChecklist) {
  const Login clerk = LogIn("kato");
  EXPECT_EQ(clerk.user["login"], "kato");
  EXPECT_EQ(clerk.csrf.size(), 64u);
  // The vendor master has another bank account than the invoice: ×.
  const Prepared p = PrepareInvoice(0, "0001:001:1:7777777");

  auto [up_status, up] = Call(Upload(clerk, p.xml, p.file_name));
  ASSERT_EQ(up_status, 201) << up.dump();
  const std::string doc = up["id"];
  EXPECT_EQ(up["status"], "archived");

  // The new invoice is on the clerk's home screen.
  auto [inbox_status, inbox] = Call(Get(clerk, "/api/v1/inbox"));
  ASSERT_EQ(inbox_status, 200) << inbox.dump();
  ASSERT_EQ(inbox["counts"]["unprocessed"], 1) << inbox.dump();
  EXPECT_EQ(inbox["unprocessed"][0]["id"], doc);

  // A commitment over the API, too.
  auto [c_status, commitment] = Call(Post(clerk, "/api/v1/commitments",
                                          {{"department", "somu"},
                                           {"vendor_id", p.vendor_id},
                                           {"budget_line", "02-01-01-10"},
                                           {"fiscal_year", 2026},
                                           {"description", "追加の契約"},
                                           {"amount", "1000000"},
                                           {"contract_from", "2026-04-01"},
                                           {"contract_to", "2027-03-31"},
                                           {"expense_type", "goods"}}));
  ASSERT_EQ(c_status, 201) << commitment.dump();
  auto [list_status, list] = Call(Get(clerk, "/api/v1/commitments?department=somu"));
  ASSERT_EQ(list_status, 200);
  EXPECT_EQ(list["items"].size(), 2u);

  auto [d_status, order] = Call(Post(clerk, "/api/v1/payment-orders",
                                     {{"document_id", doc}, {"commitment_id", p.commitment_id}}));
  ASSERT_EQ(d_status, 201) << order.dump();
  EXPECT_EQ(order["state"], "draft");
  EXPECT_EQ(order["amount"], p.total);
  std::map<std::string, std::string> match;
  for (const json& m : order["match"]) match[m["field"]] = m["status"];
  EXPECT_EQ(match["vendor"], "match") << order["match"].dump();
  EXPECT_EQ(match["amount"], "match");
  EXPECT_EQ(match["bank_account"], "mismatch");
  // A bank account other than the master's is the accounting office's to
  // settle, not the clerk's (issue 12).
  EXPECT_EQ(order["accounting_required"], json({"bank_account"}));

  // The document left "unprocessed".
  auto [_, inbox2] = Call(Get(clerk, "/api/v1/inbox"));
  EXPECT_EQ(inbox2["counts"]["unprocessed"], 0) << inbox2.dump();

  // The clerk cannot acknowledge it (403).
  auto [unack_status, unack] =
      Act(clerk, order,
          {{"action", "submit"}, {"acknowledge", {"bank_account"}}, {"comment", "確認済み"}});
  EXPECT_EQ(unack_status, 403) << unack.dump();
  EXPECT_EQ(unack["error"]["code"], "permission_denied");

  order = Submit(clerk, order);
  EXPECT_EQ(order["state"], "pending_approval");
  for (const json& step : json(order["route"])) {
    const Login approver = LogIn(ApproverFor(step["title"]));
    auto [status, next] = Act(approver, order, {{"action", "approve"}});
    ASSERT_EQ(status, 200) << next.dump();
    order = next;
  }
  EXPECT_EQ(order["state"], "accounting_review");

  const Login accountant = LogIn("kaikei");
  json checklist = json::object();
  for (std::string_view item : workflow::kChecklistItems) checklist[std::string(item)] = true;
  // Not accepted before the accounting office confirms the new account
  // (422); confirmed, the vendor master takes it.
  auto [unconfirmed, body] =
      Act(accountant, order, {{"action", "accept"}, {"checklist", checklist}});
  EXPECT_EQ(unconfirmed, 422) << body.dump();
  auto [conf_status, confirmed] =
      Act(accountant, order,
          {{"action", "confirm_bank_account"}, {"comment", "振込先の変更届を確認済み"}});
  ASSERT_EQ(conf_status, 200) << confirmed.dump();
  auto [acc_status, accepted] =
      Act(accountant, confirmed, {{"action", "accept"}, {"checklist", checklist}});
  ASSERT_EQ(acc_status, 200) << accepted.dump();
  EXPECT_EQ(accepted["state"], "accepted");
  auto [pay_status, paid] = Act(accountant, accepted, {{"action", "pay"}});
  ASSERT_EQ(pay_status, 200) << paid.dump();
  EXPECT_EQ(paid["state"], "paid");

  auto [get_status, got] =
      Call(Get(clerk, "/api/v1/payment-orders/" + paid["id"].get<std::string>()));
  ASSERT_EQ(get_status, 200);
  EXPECT_EQ(got["state"], "paid");
  EXPECT_EQ(got["history"].size(), 5 + order["route"].size()) << got["history"].dump();
  EXPECT_EQ(got["history"].back()["actor"], "kaikei");
  EXPECT_EQ(got["acknowledgements"][0]["comment"], "振込先の変更届を確認済み");
  EXPECT_TRUE(got.contains("commitment"));
}

TEST_F(ApiTest, ReturnComesBackToTheClerkWithItsReason) {
  const Login clerk = LogIn("kato");
  const Prepared p = PrepareInvoice(1);
  json order = Submit(clerk, UploadAndDraft(clerk, p));
  const Login kacho = LogIn("kacho");
  const std::string reason = "納品書の写しを添付してください";
  auto [status, returned] = Act(kacho, order, {{"action", "return"}, {"comment", reason}});
  ASSERT_EQ(status, 200) << returned.dump();
  EXPECT_EQ(returned["state"], "draft");

  const std::string path = "/api/v1/payment-orders/" + order["id"].get<std::string>();
  auto [get_status, got] = Call(Get(clerk, path));
  ASSERT_EQ(get_status, 200);
  EXPECT_EQ(got["last_return_reason"], reason);
  EXPECT_EQ(got["history"].back()["action"], "return");
  EXPECT_EQ(got["history"].back()["actor"], "kacho");
  EXPECT_EQ(got["history"].back()["comment"], reason);

  auto [inbox_status, inbox] = Call(Get(clerk, "/api/v1/inbox"));
  ASSERT_EQ(inbox_status, 200);
  bool found = false;
  for (const json& item : inbox["waiting_for_me"]) {
    if (item["id"] == order["id"]) {
      found = true;
      EXPECT_EQ(item["return_reason"], reason);
      EXPECT_EQ(item["state"], "draft");
    }
  }
  EXPECT_TRUE(found) << inbox.dump();

  // A return without a reason is refused (400), by the approver of a
  // resubmitted order.
  order = Submit(clerk, got);
  auto [no_reason, body] = Act(kacho, order, {{"action", "return"}});
  EXPECT_EQ(no_reason, 400) << body.dump();
}

TEST_F(ApiTest, EveryEndpointButLoginNeedsASession) {
  for (const char* path : {"/api/v1/inbox", "/api/v1/documents", "/api/v1/commitments",
                           "/api/v1/payment-orders/P2026-0001", "/api/v1/session"}) {
    auto res = client_->Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401) << path;
    EXPECT_EQ(json::parse(res->body)["error"]["code"], "unauthenticated") << path;
  }
  auto forged = client_->Get("/api/v1/inbox", {{"Cookie", "kura_session=" + std::string(64, 'a')}});
  EXPECT_EQ(forged->status, 401);
  auto health = client_->Get("/healthz");
  EXPECT_EQ(health->status, 200);

  auto wrong = client_->Post("/api/v1/session",
                             json{{"login", "kato"}, {"password", "wrong password"}}.dump(),
                             "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_TRUE(wrong->get_header_value("Set-Cookie").empty());
  EXPECT_FALSE(json::parse(wrong->body)["error"]["message"].get<std::string>().empty());
}

TEST_F(ApiTest, SessionCookieIsHttpOnlyStrictAndEndsOnLogoutOrIdleTimeout) {
  auto res =
      client_->Post("/api/v1/session", json{{"login", "kato"}, {"password", kPassword}}.dump(),
                    "application/json");
  ASSERT_TRUE(res);
  const std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("kura_session="), 0u);
  EXPECT_EQ(cookie.substr(13, cookie.find(';') - 13).size(), 64u) << cookie;  // 256 bits

  const Login a = LogIn("kato");
  EXPECT_EQ(Get(a, "/api/v1/session")->status, 200);
  // Logout needs the CSRF header like every change.
  EXPECT_EQ(client_->Delete("/api/v1/session", Headers(a, false))->status, 403);
  EXPECT_EQ(client_->Delete("/api/v1/session", Headers(a))->status, 204);
  EXPECT_EQ(Get(a, "/api/v1/inbox")->status, 401);

  const Login b = LogIn("kato");
  clock_.Set(clock_.Now() + std::chrono::hours(7));
  EXPECT_EQ(Get(b, "/api/v1/inbox")->status, 200);  // restarts the idle timer
  clock_.Set(clock_.Now() + std::chrono::hours(7));
  EXPECT_EQ(Get(b, "/api/v1/inbox")->status, 200);
  clock_.Set(clock_.Now() + std::chrono::hours(8) + std::chrono::seconds(1));
  EXPECT_EQ(Get(b, "/api/v1/inbox")->status, 401);

  // A disabled account is locked out at once, even with a live session.
  const Login c = LogIn("kato");
  ASSERT_OK(wf_->SetUserActive("kato", false, *wf_->GetUser("admin")));
  EXPECT_EQ(Get(c, "/api/v1/inbox")->status, 401);
}

TEST_F(ApiTest, RepeatedFailedLoginsMustWaitBeforeTheNextTry) {
  auto attempt = [&](const std::string& login, const std::string& password) {
    return client_->Post("/api/v1/session", json{{"login", login}, {"password", password}}.dump(),
                         "application/json");
  };
  for (int i = 0; i < 5; ++i) EXPECT_EQ(attempt("kato", "wrong guess")->status, 401);
  // Now even the right password is refused from this address, without
  // being checked (from another one it is not: tests/web/accounts_test.cc).
  auto res = attempt("kato", kPassword);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->get_header_value("Retry-After"), "60");
  const json body = json::parse(res->body);
  EXPECT_EQ(body["error"]["code"], "too_many_attempts");
  EXPECT_NE(body["error"]["message"].get<std::string>().find("1分後"), std::string::npos)
      << body.dump();
  // Other people are not locked out by someone guessing kato's password.
  EXPECT_EQ(attempt("kacho", kPassword)->status, 200);
  // A name that does not exist is throttled the same way (no hint which
  // names exist).
  for (int i = 0; i < 5; ++i) EXPECT_EQ(attempt("nobody", "x")->status, 401);
  EXPECT_EQ(attempt("nobody", "x")->status, 429);
  // After the wait, kato gets in, and a success starts a fresh count.
  clock_.Set(clock_.Now() + std::chrono::minutes(1) + std::chrono::seconds(1));
  EXPECT_EQ(attempt("kato", kPassword)->status, 200);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(attempt("kato", "wrong guess")->status, 401);
  EXPECT_EQ(attempt("kato", kPassword)->status, 200);
}

// A scanned paper invoice has no metadata until the clerk types it in; then
// an auditor's search finds it by date, amount and counterparty.
TEST_F(ApiTest, ClerkEntersTheSearchKeysOfAScannedInvoice) {
  const Login clerk = LogIn("kato");
  auto [up_status, up] = Call(Upload(clerk, "%PDF-1.4 a scanned paper invoice", "scan.pdf"));
  ASSERT_EQ(up_status, 201) << up.dump();
  const std::string id = up["id"];
  const std::string path = "/api/v1/documents/" + id + "/corrections";
  const json entry{{"changes",
                    {{"issue_date", "２０２６-０５-１２"},
                     {"total", "33,000"},
                     {"counterparty", "株式会社山田商事"},
                     {"needs_metadata", false}}},
                   {"reason", "紙の請求書から入力"},
                   {"version", 1}};
  // Approvers and auditors read; they do not enter.
  EXPECT_EQ(Call(Post(LogIn("kacho"), path, entry)).first, 403);
  EXPECT_EQ(Call(Post(clerk, path, entry, /*csrf=*/false)).first, 403);
  // What cannot be right is refused, naming the field.
  auto [bad_status, bad] =
      Call(Post(clerk, path, json{{"changes", {{"issue_date", "5/12"}}}, {"reason", "入力"}}));
  EXPECT_EQ(bad_status, 400);
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("issue_date"), std::string::npos);
  EXPECT_EQ(Call(Post(clerk, path, json{{"changes", {{"total", "1"}}}})).first, 400);  // reason

  auto [status, version] = Call(Post(clerk, path, entry));
  ASSERT_EQ(status, 200) << version.dump();
  EXPECT_EQ(version["number"], 2);
  EXPECT_EQ(version["created_by"], "kato");
  EXPECT_EQ(version["fields"]["issue_date"], "2026-05-12");
  EXPECT_EQ(version["fields"]["total"], "33000");
  // The same entry again is stale: it was made against version 1.
  EXPECT_EQ(Call(Post(clerk, path, entry)).first, 409);
  // The accounting office may correct too.
  auto [fix_status, fix] = Call(
      Post(LogIn("kaikei"), path,
           json{{"changes", {{"total", "33,300"}}}, {"reason", "金額の誤り"}, {"version", 2}}));
  ASSERT_EQ(fix_status, 200) << fix.dump();

  auto [s, hits] = Call(Get(LogIn("kaikei"),
                            "/api/v1/documents?date_from=2026-05-01&date_to=2026-05-31"
                            "&amount_min=33300&amount_max=33300&counterparty=%E5%B1%B1%E7%94%B0"));
  ASSERT_EQ(s, 200) << hits.dump();
  ASSERT_EQ(hits["items"].size(), 1u) << hits.dump();
  EXPECT_EQ(hits["items"][0]["id"], id);
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
}

TEST_F(ApiTest, DocumentRecordSaysWhatTheReaderMayDoWithItsTimestampAndHistory) {
  const Login clerk = LogIn("kato");
  const Prepared p = PrepareInvoice(2);
  auto [up_status, up] = Call(Upload(clerk, p.xml, p.file_name));
  ASSERT_EQ(up_status, 201) << up.dump();
  const std::string path = "/api/v1/documents/" + up["id"].get<std::string>();
  auto [status, doc] = Call(Get(clerk, path));
  ASSERT_EQ(status, 200) << doc.dump();
  EXPECT_EQ(doc["state"], "received");
  EXPECT_TRUE(doc["order"].is_null());
  EXPECT_EQ(doc["may_correct"], true);
  EXPECT_EQ(doc["may_draft_order"], true);
  EXPECT_EQ(doc["timestamp"]["status"], "verified") << doc["timestamp"].dump();
  EXPECT_TRUE(doc["timestamp"]["gen_time"].is_string());
  ASSERT_GE(doc["history"].size(), 1u);
  EXPECT_EQ(doc["history"][0]["kind"], "received");
  EXPECT_EQ(doc["history"][0]["actor"], "kato");
  EXPECT_EQ(doc["history"][0]["source"], "upload");
  // 課長 reads it but may neither correct nor draft.
  auto [kacho_status, seen] = Call(Get(LogIn("kacho"), path));
  ASSERT_EQ(kacho_status, 200);
  EXPECT_EQ(seen["may_correct"], false);
  EXPECT_EQ(seen["may_draft_order"], false);

  // Drafted and submitted: the order is named, and correcting waits.
  auto [d_status, order] =
      Call(Post(clerk, "/api/v1/payment-orders",
                {{"document_id", up["id"]}, {"commitment_id", p.commitment_id}}));
  ASSERT_EQ(d_status, 201) << order.dump();
  Submit(clerk, order);
  std::tie(status, doc) = Call(Get(clerk, path));
  ASSERT_EQ(status, 200);
  EXPECT_EQ(doc["state"], "pending_approval");
  EXPECT_EQ(doc["order"]["id"], order["id"]);
  EXPECT_EQ(doc["may_correct"], false);
  EXPECT_NE(doc["correct_refusal"].get<std::string>().find(order["id"].get<std::string>()),
            std::string::npos);
  EXPECT_EQ(doc["may_draft_order"], false);
  EXPECT_EQ(doc["history"].back()["kind"], "order.submit");

  // The list carries each document's state and filters by it.
  auto [l_status, list] =
      Call(Get(clerk, "/api/v1/documents?state=pending_approval&sort=received&desc=true"));
  ASSERT_EQ(l_status, 200) << list.dump();
  ASSERT_EQ(list["count"], 1);
  EXPECT_EQ(list["items"][0]["id"], up["id"]);
  EXPECT_EQ(list["items"][0]["state"], "pending_approval");
  EXPECT_EQ(list["items"][0]["order_id"], order["id"]);
  EXPECT_EQ(list["items"][0]["source"], "upload");
  EXPECT_EQ(list["items"][0]["media_type"], "application/xml");
  std::tie(l_status, list) = Call(Get(clerk, "/api/v1/documents?state=received"));
  ASSERT_EQ(l_status, 200);
  EXPECT_EQ(list["count"], 0);
  auto [bad_status, bad] = Call(Get(clerk, "/api/v1/documents?state=lost"));
  EXPECT_EQ(bad_status, 400);
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("state"), std::string::npos);
  auto csv = Get(clerk, "/api/v1/documents?state=received&output=csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body.find(up["id"].get<std::string>()), std::string::npos);
}

TEST_F(ApiTest, StateChangesWithoutTheCsrfHeaderAreForbidden) {
  const Login clerk = LogIn("kato");
  const Prepared p = PrepareInvoice(2);
  auto [status, body] = Call(Post(clerk, "/api/v1/commitments", json::object(), /*csrf=*/false));
  EXPECT_EQ(status, 403);
  EXPECT_EQ(body["error"]["code"], "csrf");
  // Another session's token does not do either.
  const Login other = LogIn("kacho");
  httplib::Headers h{{"Cookie", clerk.cookie}, {"X-CSRF-Token", other.csrf}};
  httplib::MultipartFormDataItems items{{"file", p.xml, "a.xml", "application/xml"}};
  auto up = client_->Post("/api/v1/documents", h, items);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->status, 403);
}

TEST_F(ApiTest, ErrorsHaveTheRightStatusAndJsonBody) {
  const Login clerk = LogIn("kato");
  const Prepared p = PrepareInvoice(3);
  json order = UploadAndDraft(clerk, p);
  const json stale = order;
  order = Submit(clerk, order);
  // 409: someone acted since version 1.
  auto [stale_status, stale_body] = Act(clerk, stale, {{"action", "withdraw"}});
  EXPECT_EQ(stale_status, 409) << stale_body.dump();
  EXPECT_EQ(stale_body["error"]["code"], "conflict");
  EXPECT_FALSE(stale_body["error"]["message"].get<std::string>().empty());
  // 409: the invoice already has an order.
  auto [dup_status, dup] =
      Call(Post(clerk, "/api/v1/payment-orders",
                {{"document_id", order["document_id"]}, {"commitment_id", p.commitment_id}}));
  EXPECT_EQ(dup_status, 409) << dup.dump();
  // 403: the clerk approving.
  auto [self_status, self] = Act(clerk, order, {{"action", "approve"}});
  EXPECT_EQ(self_status, 403) << self.dump();
  // 400: malformed JSON, an unknown action, missing members.
  auto bad =
      client_->Post("/api/v1/payment-orders", Headers(clerk), "{not json", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(json::parse(bad->body)["error"]["code"], "invalid_argument");
  EXPECT_EQ(Act(clerk, order, {{"action", "dance"}}).first, 400);
  EXPECT_EQ(Call(Post(clerk, "/api/v1/payment-orders", {{"document_id", "D00000001"}})).first, 400);
  // 404: unknown order, document, commitment, path.
  auto [nf_status, nf] = Call(Get(clerk, "/api/v1/payment-orders/P2026-9999"));
  EXPECT_EQ(nf_status, 404);
  EXPECT_EQ(nf["error"]["code"], "not_found");
  EXPECT_EQ(Get(clerk, "/api/v1/documents/D09999999")->status, 404);
  EXPECT_EQ(Call(Post(clerk, "/api/v1/payment-orders",
                      {{"document_id", "D09999999"}, {"commitment_id", p.commitment_id}}))
                .first,
            404);
  auto [path_status, path_body] = Call(Get(clerk, "/api/v1/no-such-thing"));
  EXPECT_EQ(path_status, 404);
  EXPECT_EQ(path_body["error"]["code"], "not_found");
  // 413: over the upload limit (256 KiB here).
  auto [big_status, big] = Call(Upload(clerk, std::string((256 << 10) + 1, 'x'), "big.pdf"));
  EXPECT_EQ(big_status, 413);
  EXPECT_EQ(big["error"]["code"], "too_large");
  // 403: uploading for another department.
  EXPECT_EQ(Call(Upload(clerk, "%PDF-1.4 other", "o.pdf", "kaikei")).first, 403);
  // 400: a department that does not exist (accountants may pick one).
  EXPECT_EQ(Call(Upload(LogIn("kaikei"), "%PDF-1.4 other", "o.pdf", "nowhere")).first, 400);
}

// Issue 12, item 10: several `file` parts used to archive the first and
// drop the others silently.
TEST_F(ApiTest, EveryFilePartOfAnUploadGetsItsOwnResultInOrder) {
  const Login clerk = LogIn("kato");
  const Prepared p = PrepareInvoice(0);
  httplib::MultipartFormDataItems items{
      {"file", p.xml, p.file_name, "application/xml"},
      {"file", "", "空のファイル.pdf", "application/pdf"},
      {"department", "somu", "", ""},
      {"file", "%PDF-1.4 a scanned paper invoice", "C:\\scans\\scan.pdf", "application/pdf"}};
  const uint64_t writes_before = archive_->ledger().write_stats().writes;
  auto [status, body] = Call(client_->Post("/api/v1/documents", Headers(clerk), items));
  ASSERT_EQ(status, 201) << body.dump();
  // One Archive::Ingest for the request: one write of the ledger.
  EXPECT_EQ(archive_->ledger().write_stats().writes, writes_before + 1);
  const json& results = body["results"];
  ASSERT_EQ(results.size(), 3u) << body.dump();
  EXPECT_EQ(results[0]["file"], p.file_name);
  EXPECT_EQ(results[0]["status"], "archived");
  EXPECT_EQ(results[0]["media_type"], "application/xml");
  EXPECT_EQ(results[1]["file"], "空のファイル.pdf");
  EXPECT_EQ(results[1]["status"], "error");
  EXPECT_EQ(results[1]["error"]["code"], "invalid_argument");
  EXPECT_EQ(results[1]["error"]["message"], "空のファイル.pdf: ファイルが空です");
  EXPECT_FALSE(results[1].contains("id"));
  EXPECT_EQ(results[2]["file"], "scan.pdf");
  EXPECT_EQ(results[2]["status"], "archived");
  EXPECT_EQ(results[2]["media_type"], "application/pdf");
  EXPECT_NE(results[0]["id"], results[2]["id"]);
  EXPECT_EQ(body["counts"], json({{"archived", 2}, {"duplicate", 0}, {"refused", 1}}));
  EXPECT_FALSE(body.contains("id"));     // several files: only the list
  EXPECT_FALSE(body.contains("error"));  // some were archived
  for (const json& r : {results[0], results[2]}) {
    auto [doc_status, doc] = Call(Get(clerk, "/api/v1/documents/" + r["id"].get<std::string>()));
    ASSERT_EQ(doc_status, 200);
    EXPECT_EQ(doc["receipts"][0]["department"], "somu");
    EXPECT_EQ(doc["receipts"][0]["receiver"], "kato");
    EXPECT_EQ(doc["receipts"][0]["file_name"], r["file"]);
  }
  auto [s, all] = Call(Get(LogIn("kaikei"), "/api/v1/documents"));
  EXPECT_EQ(all["count"], 2) << all.dump();

  // Exactly one file: its result at the top level as always, and the list.
  auto [one_status, one] = Call(Upload(clerk, "%PDF-1.4 one more", "one.pdf"));
  ASSERT_EQ(one_status, 201) << one.dump();
  EXPECT_EQ(one["status"], "archived");
  ASSERT_EQ(one["results"].size(), 1u);
  EXPECT_EQ(one["results"][0]["id"], one["id"]);
  // Every file refused: the first refusal's status, an error and the list.
  httplib::MultipartFormDataItems refused{
      {"file", "", "a.pdf", "application/pdf"},
      {"file", std::string((256 << 10) + 1, 'x'), "big.pdf", "application/pdf"}};
  auto [none_status, none] = Call(client_->Post("/api/v1/documents", Headers(clerk), refused));
  EXPECT_EQ(none_status, 400) << none.dump();
  EXPECT_EQ(none["error"]["code"], "invalid_argument");
  ASSERT_EQ(none["results"].size(), 2u);
  EXPECT_EQ(none["results"][1]["error"]["code"], "too_large");
  EXPECT_NE(none["results"][1]["error"]["message"].get<std::string>().find("big.pdf"),
            std::string::npos);
  // No file part at all stays 400.
  httplib::MultipartFormDataItems no_file{{"department", "somu", "", ""}};
  EXPECT_EQ(Call(client_->Post("/api/v1/documents", Headers(clerk), no_file)).first, 400);
}

TEST_F(ApiTest, AnUploadOfMoreFilesThanTheCapIsRefusedWhole) {
  const Login clerk = LogIn("kato");
  const size_t cap = ApiOptions{}.max_upload_files;
  ASSERT_EQ(cap, 100u);
  httplib::MultipartFormDataItems items{{"department", "somu", "", ""}};
  for (size_t i = 0; i <= cap; ++i) {
    items.push_back({"file", "%PDF-1.4 invoice " + std::to_string(i),
                     "inv-" + std::to_string(i) + ".pdf", "application/pdf"});
  }
  const uint64_t writes_before = archive_->ledger().write_stats().writes;
  auto [status, body] = Call(client_->Post("/api/v1/documents", Headers(clerk), items));
  EXPECT_EQ(status, 400) << body.dump();
  EXPECT_EQ(body["error"]["code"], "invalid_argument");
  const std::string message = body["error"]["message"];
  EXPECT_NE(message.find("100 件まで"), std::string::npos) << message;
  EXPECT_NE(message.find("101 件"), std::string::npos) << message;
  // Nothing archived.
  EXPECT_EQ(archive_->ledger().write_stats().writes, writes_before);
  auto [s, all] = Call(Get(LogIn("kaikei"), "/api/v1/documents"));
  EXPECT_EQ(all["count"], 0) << all.dump();

  // Exactly the cap is one batch.
  items.pop_back();
  auto [ok_status, ok] = Call(client_->Post("/api/v1/documents", Headers(clerk), items));
  ASSERT_EQ(ok_status, 201) << ok.dump();
  EXPECT_EQ(ok["results"].size(), cap);
  EXPECT_EQ(ok["counts"]["archived"], cap);
  EXPECT_EQ(ok["results"][cap - 1]["file"], "inv-" + std::to_string(cap - 1) + ".pdf");
  EXPECT_EQ(archive_->ledger().write_stats().writes, writes_before + 1);
}

TEST_F(ApiTest, SearchReturnsPagesAsJsonAndEveryHitAsCsv) {
  const Login clerk = LogIn("kato");
  std::vector<Prepared> invoices;
  for (int i = 0; i < 3; ++i) {
    invoices.push_back(PrepareInvoice(i));
    ASSERT_EQ(Upload(clerk, invoices.back().xml, invoices.back().file_name)->status, 201);
  }
  auto [status, page] = Call(Get(clerk, "/api/v1/documents?department=somu&limit=2&sort=amount"));
  ASSERT_EQ(status, 200) << page.dump();
  EXPECT_EQ(page["count"], 3);
  EXPECT_EQ(page["items"].size(), 2u);
  ASSERT_TRUE(page["next"].is_string());
  auto [status2, page2] =
      Call(Get(clerk, "/api/v1/documents?department=somu&limit=2&sort=amount&after=" +
                          page["next"].get<std::string>()));
  ASSERT_EQ(status2, 200);
  EXPECT_EQ(page2["items"].size(), 1u);
  EXPECT_TRUE(page2["next"].is_null());
  // format= is the document format; output=csv is the CSV.
  auto [fmt_status, fmt] = Call(Get(clerk, "/api/v1/documents?format=jp-pint"));
  EXPECT_EQ(fmt_status, 200);
  EXPECT_EQ(fmt["count"], 3);
  EXPECT_EQ(Get(clerk, "/api/v1/documents?amount_min=abc")->status, 400);

  auto csv = Get(clerk, "/api/v1/documents?department=somu&output=csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_EQ(csv->body.rfind("\xEF\xBB\xBF", 0), 0u);  // BOM for Excel
  size_t lines = 0;
  for (size_t at = csv->body.find("\r\n"); at != std::string::npos;
       at = csv->body.find("\r\n", at + 2)) {
    ++lines;
  }
  EXPECT_EQ(lines, 4u);  // header + 3
  httplib::Headers accept = Headers(clerk, false);
  accept.emplace("Accept", "text/csv");
  auto csv2 = client_->Get("/api/v1/documents", accept);
  EXPECT_EQ(csv2->body, csv->body);

  // The record and the original, unchanged.
  const std::string id = page["items"][0]["id"];
  auto [rec_status, rec] = Call(Get(clerk, "/api/v1/documents/" + id));
  ASSERT_EQ(rec_status, 200);
  EXPECT_EQ(rec["id"], id);
  auto original = Get(clerk, "/api/v1/documents/" + id + "/original");
  ASSERT_TRUE(original);
  EXPECT_EQ(original->status, 200);
  bool same = false;
  for (const Prepared& p : invoices) same = same || p.xml == original->body;
  EXPECT_TRUE(same);
  EXPECT_NE(original->get_header_value("Content-Type").find("xml"), std::string::npos);
  EXPECT_NE(original->get_header_value("Content-Disposition").find("filename*=UTF-8''"),
            std::string::npos);
  EXPECT_EQ(original->get_header_value("X-Content-Type-Options"), "nosniff");

  // Uploading the same bytes again is a second receipt (200, duplicate).
  auto again = Upload(clerk, invoices[0].xml, "again.xml");
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(json::parse(again->body)["status"], "duplicate");
}

// 効果の見える化 over HTTP: the JSON of workflow/figures.h for the period
// asked (every month listed), 400 for a bad parameter, 403 for a clerk; the
// counts themselves are tests/workflow/figures_test.cc's.
TEST_F(ApiTest, ADocumentCarriesTheRegistryCheckOfItsNumberAsOfItsDate) {
  const Login clerk = LogIn("kato");
  const Prepared p = PrepareInvoice(0);
  auto [up_status, up] = Call(Upload(clerk, p.xml, p.file_name));
  ASSERT_EQ(up_status, 201) << up.dump();
  const std::string path = "/api/v1/documents/" + up["id"].get<std::string>();
  const workflow::Vendor vendor = *wf_->GetVendor(p.vendor_id);
  auto [none_status, none] = Call(Get(clerk, path));
  ASSERT_EQ(none_status, 200);
  EXPECT_EQ(none["registry"]["status"], "no_registry") << none["registry"].dump();
  EXPECT_EQ(none["registry"]["number"], vendor.registration_number);
  const std::string issued = none["registry"]["date"];
  EXPECT_EQ(issued.substr(0, 8), "2026-05-");
  EXPECT_EQ(none["registry"]["attribution"], std::string(workflow::kRegistryAttribution));

  // Snapshots in the published layout: the number under another name, then
  // registered only after the invoice's date.
  auto registry = workflow::NtaRegistry::Open(dir_.Join("kura-data/registry"));
  ASSERT_OK(registry);
  const auto install = [&](uint64_t seq, const std::string& registered, const std::string& name,
                           const std::string& expired = "") {
    workflow::RegistryRows rows;
    std::vector<workflow::RegistryRowError> errors;
    workflow::RegistryFileInfo info;
    ASSERT_OK(workflow::ReadRegistryFile(
        "nta.csv",
        "1," + vendor.registration_number + ",01,0,2,1,1," + registered +
            ",2024-01-10,," + expired + ",\"東京都\",13,101,,,,,\"" + name + "\",,,,,\n",
        &rows, &errors, &info));
    workflow::RegistrySnapshot s;
    s.seq = seq;
    s.id = "R00000" + std::to_string(seq);
    s.kind = "full";
    ASSERT_OK((*registry)->InstallFull(std::move(rows), s, [] { return base::Status::OK(); }));
  };
  install(1, "2023-10-01", "別の名前株式会社");
  auto [other_status, other] = Call(Get(clerk, path));
  ASSERT_EQ(other_status, 200);
  EXPECT_EQ(other["registry"]["status"], "valid") << other["registry"].dump();
  EXPECT_EQ(other["registry"]["name_matches"], false);
  EXPECT_EQ(other["registry"]["vendor_name"], vendor.name);  // the master's, not the invoice's
  EXPECT_EQ(other["registry"]["ok"], false);
  EXPECT_EQ(other["registry"]["snapshot"]["id"], "R000001");

  install(2, "2026-06-01", vendor.name);
  auto [later_status, later] = Call(Get(clerk, path));
  ASSERT_EQ(later_status, 200);
  EXPECT_EQ(later["registry"]["status"], "not_yet_registered") << later["registry"].dump();
  EXPECT_EQ(later["registry"]["registered_on"], "2026-06-01");
  EXPECT_EQ(later["registry"]["snapshot"]["id"], "R000002");
  ASSERT_FALSE(later["registry"]["reasons"].empty());
  // The accounting office reads it too (every department's invoices).
  const Login accountant = LogIn("kaikei");
  auto [kaikei_status, kaikei] = Call(Get(accountant, path));
  ASSERT_EQ(kaikei_status, 200);
  EXPECT_EQ(kaikei["registry"], later["registry"]);

  // Valid on its date, expired the day before today (2026-05-20): valid,
  // lapsed later, and on the accounting office's paged list.
  install(3, "2023-10-01", vendor.name, "2026-05-19");
  auto [lapsed_status, lapsed] = Call(Get(clerk, path));
  ASSERT_EQ(lapsed_status, 200);
  EXPECT_EQ(lapsed["registry"]["status"], "valid") << lapsed["registry"].dump();
  EXPECT_EQ(lapsed["registry"]["ok"], true);
  EXPECT_EQ(lapsed["registry"]["lapsed_on"], "2026-05-19");
  auto [list_status, list] = Call(Get(accountant, "/api/v1/registry/lapsed?limit=1"));
  ASSERT_EQ(list_status, 200) << list.dump();
  EXPECT_EQ(list["total"], 1);
  EXPECT_EQ(list["count"], 1);
  EXPECT_EQ(list["limit"], 1);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], up["id"]);
  auto [past_status, past] = Call(Get(accountant, "/api/v1/registry/lapsed?offset=1&limit=x"));
  ASSERT_EQ(past_status, 200);
  EXPECT_EQ(past["total"], 1);
  EXPECT_EQ(past["offset"], 1);
  EXPECT_EQ(past["limit"], 50);  // a bad limit falls back to the default
  EXPECT_TRUE(past["items"].empty());
}

TEST_F(ApiTest, FiguresAnswerThePeriodsMonthsForManagersOnly) {
  const Login clerk = LogIn("kato");
  const Prepared p = PrepareInvoice(0);
  ASSERT_EQ(Upload(clerk, p.xml, p.file_name)->status, 201);

  auto [status, figures] =
      Call(Get(LogIn("kaikei"), "/api/v1/figures?from=2026-04-01&to=2026-05-31"));
  ASSERT_EQ(status, 200) << figures.dump();
  EXPECT_EQ(figures["from"], "2026-04-01");
  EXPECT_EQ(figures["department"], "");
  ASSERT_EQ(figures["months"].size(), 2u);
  EXPECT_EQ(figures["months"][1]["month"], "2026-05");
  EXPECT_EQ(figures["months"][1]["received"], 1);
  EXPECT_EQ(figures["months"][1]["electronic"], 1);
  EXPECT_TRUE(figures["months"][1]["median_days_to_payment"].is_null());
  EXPECT_EQ(figures["totals"]["received"], 1);
  EXPECT_TRUE(figures["mismatch_rates"].is_array());

  // A 課長 gets their department's without asking for it.
  auto [kacho_status, kacho] = Call(Get(LogIn("kacho"), "/api/v1/figures"));
  ASSERT_EQ(kacho_status, 200) << kacho.dump();
  EXPECT_EQ(kacho["department"], "somu");
  EXPECT_EQ(kacho["from"], "2026-04-01");  // the fiscal year so far
  EXPECT_EQ(kacho["to"], "2026-05-20");

  auto [bad_status, bad] = Call(Get(LogIn("kaikei"), "/api/v1/figures?from=2026-13-01"));
  EXPECT_EQ(bad_status, 400);
  EXPECT_EQ(bad["error"]["code"], "invalid_argument");
  auto [denied_status, denied] = Call(Get(clerk, "/api/v1/figures"));
  EXPECT_EQ(denied_status, 403);
  EXPECT_NE(denied["error"]["message"].get<std::string>().find("効果の見える化"), std::string::npos);
}

TEST(HttpStatusTest, StatusesMapToHttp) {
  using base::Status;
  EXPECT_EQ(HttpStatusFor(Status::InvalidArgument("x")), 400);
  EXPECT_EQ(HttpStatusFor(Status::PermissionDenied("x")), 403);
  EXPECT_EQ(HttpStatusFor(Status::NotFound("x")), 404);
  EXPECT_EQ(HttpStatusFor(Status::Aborted("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::AlreadyExists("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::ResourceExhausted("x")), 413);
  EXPECT_EQ(HttpStatusFor(Status::FailedPrecondition("x")), 422);
  EXPECT_EQ(HttpStatusFor(Status::Corruption("x")), 500);
  EXPECT_EQ(ErrorCodeFor(Status::Aborted("x")), "conflict");
}

// A scan uploaded from the browser (issue 15): archived as a scan with its
// スキャナ保存 warnings, its input deadline on the document and in the inbox
// (入力期限超過), and — once its keys are entered — flagged as the same
// invoice as the electronic one, on both documents.
TEST_F(ApiTest, AScanShowsItsChecksItsInputDeadlineAndItsElectronicTwin) {
  archive_->SetScanInspector(
      [](std::string_view, std::string_view) -> base::Result<std::vector<archive::ScanPage>> {
        return std::vector<archive::ScanPage>{{150, "rgb", 8}};
      });
  const Login clerk = LogIn("kato");
  const std::string jpeg = std::string("\xFF\xD8\xFF\xE0", 4) + "scanned paper";
  auto [up_status, up] = Call(Upload(clerk, jpeg, "scan.jpg"));
  ASSERT_EQ(up_status, 201) << up.dump();
  const std::string scan = up["id"];
  auto [doc_status, doc] = Call(Get(clerk, "/api/v1/documents/" + scan));
  ASSERT_EQ(doc_status, 200) << doc.dump();
  EXPECT_EQ(doc["current"]["fields"]["format"], "scan");
  EXPECT_EQ(doc["current"]["scan"]["min_dpi"], 150);
  bool low = false;
  for (const json& w : doc["current"]["warnings"]) low = low || w["code"] == "scan_resolution_low";
  EXPECT_TRUE(low) << doc.dump();
  // Received Wed 5/20: 7 business days later is Fri 5/29.
  EXPECT_EQ(doc["input_deadline"]["due"], "2026-05-29");
  EXPECT_EQ(doc["input_deadline"]["status"], "on_time");
  EXPECT_EQ(doc["duplicates"], json::array());

  clock_.Set(*base::ParseRfc3339("2026-06-01T01:00:00Z"));
  const Login again = LogIn("kato");  // the first session ended with the days
  auto [inbox_status, inbox] = Call(Get(again, "/api/v1/inbox"));
  ASSERT_EQ(inbox_status, 200);
  EXPECT_EQ(inbox["counts"]["input_overdue"], 1) << inbox.dump();
  auto [list_status, list] = Call(Get(again, "/api/v1/inbox/input_overdue"));
  ASSERT_EQ(list_status, 200);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], scan);
  EXPECT_EQ(list["items"][0]["due"], "2026-05-29");

  // The same invoice arrives electronically; the clerk enters the scan's keys.
  const Prepared p = PrepareInvoice(0);
  auto [xml_status, xml] = Call(Upload(again, p.xml, p.file_name));
  ASSERT_EQ(xml_status, 201) << xml.dump();
  const json& f = xml["fields"];
  auto [c_status, c] = Call(Post(again, "/api/v1/documents/" + scan + "/corrections",
                                 json{{"changes",
                                       {{"issue_date", f["issue_date"]},
                                        {"total", f["total"]},
                                        {"counterparty", f["counterparty"]}}},
                                      {"reason", "紙の請求書から入力"}}));
  ASSERT_EQ(c_status, 200) << c.dump();
  EXPECT_EQ(Call(Get(again, "/api/v1/inbox")).second["counts"]["input_overdue"], 0);
  auto [x_status, on_xml] = Call(Get(again, "/api/v1/documents/" + xml["id"].get<std::string>()));
  ASSERT_EQ(x_status, 200);
  ASSERT_EQ(on_xml["duplicates"].size(), 1u) << on_xml.dump();
  EXPECT_EQ(on_xml["duplicates"][0]["id"], scan);
  EXPECT_EQ(on_xml["duplicates"][0]["rule"], "vendor_date_total");
  auto [s_status, on_scan] = Call(Get(again, "/api/v1/documents/" + scan));
  ASSERT_EQ(s_status, 200);
  ASSERT_EQ(on_scan["duplicates"].size(), 1u);
  EXPECT_EQ(on_scan["duplicates"][0]["id"], xml["id"]);
  EXPECT_EQ(on_scan["input_deadline"]["status"], "entered");
}


// The OCR proposal of a scan for the 項目入力 screen: before OCR only
// {"done": false, "status": "waiting"}; after, the stored record with "done", the pixel size of
// each page the regions are in (decoded from the original) and the vendor
// master's entry that confirmed the counterparty.
TEST_F(ApiTest, OcrProposalsCarryThePageSizesTheirRegionsAreIn) {
  archive_->SetScanInspector(
      [](std::string_view, std::string_view) -> base::Result<std::vector<archive::ScanPage>> {
        return std::vector<archive::ScanPage>{{200, "rgb", 8}};
      });
  // A real 24 × 16 PNG (RGB): the page the regions are placed on.
  const std::string png(
      "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x18\x00\x00"
      "\x00\x10\x08\x02\x00\x00\x00\x83\x46\x28\xc2\x00\x00\x00\x33\x49\x44\x41\x54\x38\xcb\x63"
      "\xfc\xff\xff\x3f\x03\x35\x00\x13\x55\x4c\x61\x60\x60\x60\x81\xd2\x8c\x8c\x58\x24\x49\x71"
      "\x2c\xd5\x5c\x34\x6a\x10\x1d\x0d\x82\x45\x3f\xc5\xc9\x72\xf0\x79\x6d\xd4\x20\xc2\x00\x00"
      "\xa1\x94\x07\x1f\x27\x0a\x45\x8f\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
      108);
  const Login clerk = LogIn("kato");
  auto [up_status, up] = Call(Upload(clerk, png, "scan.png"));
  ASSERT_EQ(up_status, 201) << up.dump();
  const std::string id = up["id"];
  auto [before_status, before] = Call(Get(clerk, "/api/v1/documents/" + id + "/ocr"));
  ASSERT_EQ(before_status, 200);
  EXPECT_EQ(before, (json{{"id", id}, {"done", false}, {"status", "waiting"}}));

  auto store = archive::OcrStore::Open(archive_.get());
  ASSERT_OK(store);
  const json record{{"proposal", {{"total", "33000"}, {"counterparty", "株式会社テスト"}}},
                    {"confidence", {{"total", 0.9}, {"counterparty", 0.95}}},
                    {"regions", {{"total", {{"page", 1}, {"x", 3}, {"y", 4}, {"w", 10}, {"h", 5}}}}},
                    {"scan", {{"dpi", 200}, {"colour", "rgb"}, {"pages", 1}, {"warnings", json::array()}}},
                    {"engine", "tesseract jpn+eng"},
                    {"counterparty_vendor", "V00007"}};
  ASSERT_OK((*store)->Put(id, record, "cli:test", clock_.Now()));
  auto [status, body] = Call(Get(clerk, "/api/v1/documents/" + id + "/ocr"));
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["done"], true);
  EXPECT_EQ(body["proposal"]["total"], "33000");
  EXPECT_EQ(body["regions"]["total"]["x"], 3);
  EXPECT_EQ(body["pages"], (json::array({{{"page", 1}, {"width", 24}, {"height", 16}}})));
  EXPECT_EQ(body["counterparty_vendor"], "V00007");

  // A record that keeps its pages' sizes (every reading since they are
  // stored) is answered from them, without decoding the original: sizes
  // that are not the PNG's show which source was used.
  json kept = record;
  kept["scan"]["page_sizes"] = json::array({{{"page", 1}, {"width", 2480}, {"height", 3508}}});
  ASSERT_OK((*store)->Put(id, kept, "cli:test", clock_.Now()));
  auto [kept_status, kept_body] = Call(Get(clerk, "/api/v1/documents/" + id + "/ocr"));
  ASSERT_EQ(kept_status, 200) << kept_body.dump();
  EXPECT_EQ(kept_body["pages"], kept["scan"]["page_sizes"]);
}

}  // namespace
}  // namespace web
