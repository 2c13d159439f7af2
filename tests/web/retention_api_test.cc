// Retention over real HTTP on loopback (/api/v1/retention, issue 14): a
// compliance officer extends a document (shortening refused in Japanese,
// 422), places a hold by query that blocks disposal, releases it; the
// requester cannot approve (403), another officer does, and the document's
// record and original say 廃棄済み. The compliance report (GET
// /api/v1/compliance/report) counts the archive's documents, stamps and holds.
#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "web/server.h"
#include "workflow/workflow.h"

namespace web {
namespace {

using nlohmann::json;
using workflow::Role;

constexpr char kPassword[] = "correct horse battery";

struct Answer {
  int status = 0;
  json body;
  std::string Message() const {
    return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
  }
};

class RetentionApiTest : public ::testing::Test {
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
    for (auto [code, name] : {std::pair{"somu", "総務課"}, {"kaikei", "会計課"}}) {
      ASSERT_OK(wf_->CreateDepartment({code, name}, root));
    }
    for (const auto& [login, dept, role] : {std::tuple{"kato", "somu", Role::kClerk},
                                            {"sato", "somu", Role::kCompliance},
                                            {"suzuki", "kaikei", Role::kCompliance},
                                            {"kansa", "kaikei", Role::kAuditor}}) {
      ASSERT_OK(wf_->AddUser({login, std::string(login) + "さん", dept, {role}, "", true},
                             kPassword, root));
    }
    archive_->SetFieldReader([](std::string_view bytes) {
      invoice::ReadResult r;
      r.fields = *invoice::FieldsFromJson(json::parse(bytes));
      return r;
    });
    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_keep_alive(true);
    ASSERT_TRUE(client_->Get("/healthz"));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  // The Cookie and X-CSRF-Token headers of a new session of login.
  httplib::Headers LogIn(const std::string& login) {
    auto res =
        client_->Post("/api/v1/session", json{{"login", login}, {"password", kPassword}}.dump(),
                      "application/json");
    EXPECT_TRUE(res && res->status == 200) << login;
    if (!res) return {};
    const std::string cookie = res->get_header_value("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", json::parse(res->body).value("csrf_token", "")}};
  }
  Answer Post(const httplib::Headers& who, const std::string& path, const json& body) {
    auto res = client_->Post(path.c_str(), who, body.dump(), "application/json");
    if (!res) return {};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  Answer Get(const httplib::Headers& who, const std::string& path) {
    auto res = client_->Get(path.c_str(), who);
    if (!res) return {};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  std::string Receive(const std::string& issued, const std::string& number) {
    invoice::InvoiceFields f;
    f.document_type = "invoice";
    f.issue_date = issued;
    f.invoice_number = number;
    auto out = archive_->Ingest({archive::IncomingFile{number + ".json", "somu", "upload", "kato",
                                                       invoice::FieldsToJson(f).dump()}});
    EXPECT_OK(out[0]);
    return out[0].ok() ? out[0]->id : "";
  }
  std::vector<json> Events(const std::string& type) {
    std::vector<json> out;
    EXPECT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view event) {
      json e = json::parse(event);
      if (e["type"] == type) out.push_back(std::move(e));
      return base::Status::OK();
    }));
    return out;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-20T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(RetentionApiTest, TwoOfficersDisposeAndTheRecordSaysSo) {
  const std::string old = Receive("2014-05-01", "OLD-1");  // kept until 2025-03-31
  const std::string kept = Receive("2026-05-01", "NEW-1");
  const auto sato = LogIn("sato"), suzuki = LogIn("suzuki"), kansa = LogIn("kansa");

  auto shown = Get(kansa, "/api/v1/retention/documents/" + kept);
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.body["retain_until"], "2037-03-31");
  auto shorter = Post(sato, "/api/v1/retention/documents/" + kept + "/extend",
                      {{"until", "2030-03-31"}, {"reason", "誤り"}});
  EXPECT_EQ(shorter.status, 422);
  EXPECT_NE(shorter.Message().find("短縮はできません"), std::string::npos) << shorter.Message();
  auto longer = Post(sato, "/api/v1/retention/documents/" + kept + "/extend",
                     {{"until", "2040-03-31"}, {"reason", "訴訟の見込み"}});
  ASSERT_EQ(longer.status, 200);
  EXPECT_EQ(longer.body["retain_until"], "2040-03-31");

  auto due = Get(kansa, "/api/v1/retention/due");
  ASSERT_EQ(due.status, 200);
  ASSERT_EQ(due.body["items"].size(), 1u);
  EXPECT_EQ(due.body["items"][0]["id"], old);

  auto hold = Post(sato, "/api/v1/retention/holds",
                   {{"kind", "情報公開請求"}, {"reason", "第5号"}, {"query", {{"invoice_number", "OLD-1"}}}});
  ASSERT_EQ(hold.status, 201);
  auto held = Post(sato, "/api/v1/retention/disposals", {{"document", old}, {"reason", "満了"}});
  EXPECT_EQ(held.status, 422);
  EXPECT_NE(held.Message().find("法的保存"), std::string::npos);
  const std::string hold_id = hold.body["id"];
  ASSERT_EQ(Post(sato, "/api/v1/retention/holds/" + hold_id + "/release", {{"reason", "公開済み"}})
                .status,
            200);

  auto request = Post(sato, "/api/v1/retention/disposals", {{"document", old}, {"reason", "満了"}});
  ASSERT_EQ(request.status, 201);
  const std::string request_id = request.body["id"];
  auto self = Post(sato, "/api/v1/retention/disposals/" + request_id + "/approve", json::object());
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(Post(kansa, "/api/v1/retention/disposals/" + request_id + "/approve", json::object())
                .status,
            403);
  auto approved =
      Post(suzuki, "/api/v1/retention/disposals/" + request_id + "/approve", json::object());
  ASSERT_EQ(approved.status, 200);
  EXPECT_EQ(approved.body["state"], "disposed");
  EXPECT_EQ(approved.body["bytes_removed"], true);

  auto record = Get(kansa, "/api/v1/documents/" + old);
  ASSERT_EQ(record.status, 200);
  EXPECT_EQ(record.body["state_label"], "廃棄済み");
  auto original = client_->Get(("/api/v1/documents/" + old + "/original").c_str(), kansa);
  ASSERT_TRUE(original);
  EXPECT_EQ(original->status, 422);
  EXPECT_NE(original->body.find("廃棄済み"), std::string::npos);
  EXPECT_EQ(Events("document.disposed").size(), 1u);
  EXPECT_EQ(Events("retention.disposal.approved").size(), 1u);
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty());
}

// GET /api/v1/compliance/report counts what the archive holds now (the
// same numbers `kura compliance report` prints) and lists the requirements.
TEST_F(RetentionApiTest, ComplianceReportCountsTheArchiveAndNamesEveryRequirement) {
  Receive("2026-05-01", "A-1");
  Receive("2026-05-02", "A-2");
  const std::string third = Receive("2026-05-03", "A-3");
  ASSERT_OK(archive_->ledger().PublishCheckpoint());
  const uint64_t published = *archive_->ledger().EventCount();
  const auto sato = LogIn("sato");
  ASSERT_EQ(Post(sato, "/api/v1/retention/holds",
                 {{"kind", "audit"}, {"reason", "定期監査"}, {"documents", {third}}})
                .status,
            201);

  auto report = Get(LogIn("kansa"), "/api/v1/compliance/report");
  ASSERT_EQ(report.status, 200) << report.body.dump();
  const json& state = report.body["state"];
  EXPECT_EQ(state["documents"], 3);
  EXPECT_EQ(state["timestamped"], 3);
  EXPECT_EQ(state["timestamp_pending"], 0);
  EXPECT_EQ(state["timestamped_share"], "100.0%");
  EXPECT_EQ(state["holds_active"], 1);
  EXPECT_EQ(state["disposed"], 0);
  EXPECT_GE(state["checkpoints"].get<int>(), 1);
  ASSERT_TRUE(state["last_checkpoint"].is_object());
  EXPECT_GE(state["last_checkpoint"]["size"].get<uint64_t>(), published);
  EXPECT_EQ(state["events"], *archive_->ledger().EventCount());
  EXPECT_EQ(state["events_after_last_checkpoint"],
            state["events"].get<uint64_t>() - state["last_checkpoint"]["size"].get<uint64_t>());
  EXPECT_EQ(report.body["keys"]["verifier_key"], archive_->ledger().VerifierKey());
  ASSERT_EQ(report.body["keys"]["tsa_roots"].size(), 1u);
  std::vector<std::string> ids;
  for (const json& r : report.body["requirements"]) ids.push_back(r["id"]);
  for (const char* id : {"authenticity.timestamp", "authenticity.corrections",
                         "visibility.search_items", "visibility.ranges", "visibility.overview",
                         "retention.period", "scan.storage", "linkage.payment_orders"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }

  auto text = client_->Get("/api/v1/compliance/report?format=text", LogIn("kansa"));
  ASSERT_TRUE(text);
  EXPECT_EQ(text->status, 200);
  EXPECT_NE(text->body.find("文書数: 3 件"), std::string::npos) << text->body;
  EXPECT_EQ(Get(LogIn("kato"), "/api/v1/compliance/report").status, 403);
}

}  // namespace
}  // namespace web
