// Evidence exports from the screens over real HTTP on loopback
// (/api/v1/exports, issue 14 item 6): a compliance officer starts an export
// of a search, polls it to done and downloads a ZIP that VerifyBag accepts,
// under a Japanese file name; the job is theirs alone; one runs per user;
// a running one is cancelled; too many documents or bytes are refused in
// Japanese; a finished file is removed after its keeping time.
#include <chrono>
#include <clocale>
#include <condition_variable>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "compliance/verify_export.h"
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

struct Answer {
  int status = 0;
  json body;
  std::string Message() const {
    return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
  }
};

// Holds every job at its start until Release (the first job only, or all).
class Gate {
 public:
  void Close() {
    std::lock_guard l(mu_);
    open_ = false;
  }
  void Release() {
    {
      std::lock_guard l(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock l(mu_);
    cv_.wait(l, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
};

class ExportApiTest : public ::testing::Test {
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
    ASSERT_OK(wf_->CreateDepartment({"somu", "総務課"}, root));
    for (const auto& [login, role] : {std::tuple{"hokan", Role::kCompliance},
                                      {"hokan2", Role::kCompliance},
                                      {"kansa", Role::kAuditor}}) {
      ASSERT_OK(wf_->AddUser({login, std::string(login) + "さん", "somu", {role}, "", true},
                             kPassword, root));
    }
    corpus::Options co;
    co.seed = 21;
    co.from = base::Date(2026, 4, 1);
    co.to = base::Date(2026, 4, 30);
    co.target_xml_bytes = 0;
    corpus::Generator gen(co);
    for (int i = 0; i < 6; ++i) {
      const corpus::Invoice inv = gen.Next();
      auto out = archive_->Ingest({archive::IncomingFile{
          "請求書-" + std::to_string(i) + ".xml", "somu", "upload", "test", corpus::RenderJpPint(inv)}});
      ASSERT_TRUE(out.size() == 1 && out[0].ok());
    }
    Start([](compliance::ExportJobsOptions*) {});
  }
  // A server whose export options are the test's (2 hours' keeping, jobs
  // held by gate_) changed by change.
  void Start(const std::function<void(compliance::ExportJobsOptions*)>& change) {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    so.api.exports.dir = dir_.Join("kura-data/exports");
    so.api.exports.keep = std::chrono::hours(2);
    so.api.exports.before_run = [this](const std::string&) { gate_.Wait(); };
    change(&so.api.exports);
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_keep_alive(true);
    ASSERT_TRUE(client_->Get("/healthz"));
  }
  void TearDown() override {
    gate_.Release();
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();  // waits for the jobs
  }

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
  Answer Delete(const httplib::Headers& who, const std::string& path) {
    auto res = client_->Delete(path.c_str(), who);
    if (!res) return {};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  // Polls the job until it is no longer running (the export is a thread of
  // the server: there is nothing to wait on but its status).
  json WaitEnded(const httplib::Headers& who, const std::string& id) {
    for (int i = 0; i < 3000; ++i) {
      const Answer a = Get(who, "/api/v1/exports/" + id);
      if (a.status != 200 || a.body.value("state", "") != "running") return a.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "export " << id << " still running";
    return {};
  }
  // Two filters that find every document received here (issued in April).
  static json Query() { return json{{"query", {{"date_from", "2026-04-01"}, {"date_to", "2026-04-30"}}}}; }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-20T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<workflow::Workflow> wf_;
  Gate gate_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ExportApiTest, ComplianceExportsASearchAndDownloadsAZipThatVerifies) {
  const auto hokan = LogIn("hokan");
  const Answer count = Get(hokan, "/api/v1/documents?date_from=2026-04-01&date_to=2026-04-30&limit=1");
  ASSERT_EQ(count.status, 200);
  const uint64_t expected = count.body["count"];
  ASSERT_EQ(expected, 6u);

  const Answer started = Post(hokan, "/api/v1/exports", Query());
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(started.body["state"], "running");
  EXPECT_EQ(started.body["documents_total"], expected);
  EXPECT_EQ(started.body["query"]["date_from"], "2026-04-01");
  const std::string id = started.body["id"];
  const json done = WaitEnded(hokan, id);
  ASSERT_EQ(done["state"], "done") << done;
  EXPECT_EQ(done["documents_done"], expected);
  EXPECT_GT(done["bytes"].get<uint64_t>(), 0u);
  EXPECT_EQ(done["expires_at"], "2026-05-20T03:00:00.000000Z");

  const Answer list = Get(hokan, "/api/v1/exports");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["limits"]["max_documents"], 20000);
  EXPECT_EQ(list.body["limits"]["keep_hours"], 2);

  auto zip = client_->Get(("/api/v1/exports/" + id + "/download").c_str(), hokan);
  ASSERT_TRUE(zip);
  ASSERT_EQ(zip->status, 200);
  EXPECT_EQ(zip->get_header_value("Content-Type"), "application/zip");
  EXPECT_EQ(zip->body.size(), done["bytes"].get<uint64_t>());
  // 証跡出力_20260520-1000.zip (JST), and a plain name for old clients.
  // (cpp-httplib's client percent-decodes header values: the wire has
  // %E8%A8%BC…, as the e2e test's browser shows.)
  EXPECT_EQ(zip->get_header_value("Content-Disposition"),
            "attachment; filename=\"kura-export-20260520-1000.zip\"; filename*=UTF-8''"
            "証跡出力_20260520-1000.zip");
  const std::string path = dir_.Join("downloaded.zip");
  std::ofstream(path, std::ios::binary) << zip->body;
  // The originals' Japanese names: libarchive converts them to the locale.
  std::setlocale(LC_ALL, "C.UTF-8");
  auto check = compliance::VerifyBag(path);
  ASSERT_OK(check);
  EXPECT_TRUE(check->ok()) << (check->problems.empty() ? "" : check->problems[0].message);
  EXPECT_EQ(check->documents, expected);

  // The job is its starter's: another compliance officer does not see it,
  // an auditor may not export at all.
  const auto hokan2 = LogIn("hokan2");
  EXPECT_EQ(Get(hokan2, "/api/v1/exports/" + id).status, 404);
  EXPECT_EQ(Get(hokan2, "/api/v1/exports/" + id + "/download").status, 404);
  EXPECT_TRUE(Get(hokan2, "/api/v1/exports").body["items"].empty());
  const auto kansa = LogIn("kansa");
  const Answer refused = Post(kansa, "/api/v1/exports", Query());
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Message(), "証跡出力は文書管理担当者だけが行えます");
}

TEST_F(ExportApiTest, OneRunningExportPerUserAndARunningOneIsCancelled) {
  gate_.Close();
  const auto hokan = LogIn("hokan");
  const Answer first = Post(hokan, "/api/v1/exports", Query());
  ASSERT_EQ(first.status, 202) << first.body;
  const std::string id = first.body["id"];
  const Answer second = Post(hokan, "/api/v1/exports", Query());
  EXPECT_EQ(second.status, 422);
  EXPECT_EQ(second.Message(),
            "実行中の証跡出力があります。終わるのを待つか、中止してから新しく始めてください");
  const Answer early = Get(hokan, "/api/v1/exports/" + id + "/download");
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(early.Message(), "証跡出力はまだ終わっていません。終わってからダウンロードしてください");
  // Another officer's export is not held back by this one.
  const auto hokan2 = LogIn("hokan2");
  const Answer other = Post(hokan2, "/api/v1/exports", Query());
  EXPECT_EQ(other.status, 202);

  const Answer cancelling = Delete(hokan, "/api/v1/exports/" + id);
  EXPECT_EQ(cancelling.status, 200);
  gate_.Release();
  const json ended = WaitEnded(hokan, id);
  EXPECT_EQ(ended["state"], "cancelled");
  EXPECT_EQ(ended["error"], "証跡出力を中止しました");
  EXPECT_FALSE(fs_->Stat(dir_.Join("kura-data/exports/" + id + ".zip")).ok());
  EXPECT_FALSE(fs_->Stat(dir_.Join("kura-data/exports/" + id + ".zip.partial")).ok());
  // Ended, it no longer blocks a new one; DELETE of an ended job forgets it.
  EXPECT_EQ(Post(hokan, "/api/v1/exports", Query()).status, 202);
  EXPECT_EQ(Delete(hokan, "/api/v1/exports/" + id).status, 200);
  EXPECT_EQ(Get(hokan, "/api/v1/exports/" + id).status, 404);
}

TEST_F(ExportApiTest, TooManyDocumentsOrBytesAndNothingFoundAreRefusedInJapanese) {
  const auto hokan = LogIn("hokan");
  const Answer none =
      Post(hokan, "/api/v1/exports", json{{"query", {{"date_from", "2030-01-01"}}}});
  EXPECT_EQ(none.status, 422);
  EXPECT_EQ(none.Message(), "条件に合う書類がありません。条件を変えてください");
  const Answer bad = Post(hokan, "/api/v1/exports", json{{"query", {{"state", "nonsense"}}}});
  EXPECT_EQ(bad.status, 400);

  Start([](compliance::ExportJobsOptions* o) { o->max_documents = 5; });
  const Answer all = Post(LogIn("hokan"), "/api/v1/exports", json{{"query", json::object()}});
  EXPECT_EQ(all.status, 413);
  EXPECT_EQ(all.Message(),
            "該当する書類が 6 件あり、一度に出力できる 5 件を超えています。"
            "期間などの条件を絞って分けて出力してください");

  // A server that allows 1 byte of originals: the job fails, saying so.
  Start([](compliance::ExportJobsOptions* o) { o->max_original_bytes = 1; });
  const auto again = LogIn("hokan");
  const Answer started = Post(again, "/api/v1/exports", Query());
  ASSERT_EQ(started.status, 202);
  const json failed = WaitEnded(again, started.body["id"]);
  EXPECT_EQ(failed["state"], "failed");
  EXPECT_NE(failed["error"].get<std::string>().find("一度に出力できる 1 MB を超えています"),
            std::string::npos)
      << failed;
}

TEST_F(ExportApiTest, AFinishedZipIsRemovedAfterItsKeepingTime) {
  const auto hokan = LogIn("hokan");
  const Answer started = Post(hokan, "/api/v1/exports", Query());
  ASSERT_EQ(started.status, 202);
  const std::string id = started.body["id"];
  ASSERT_EQ(WaitEnded(hokan, id)["state"], "done");
  const std::string zip = dir_.Join("kura-data/exports/" + id + ".zip");
  EXPECT_OK(fs_->Stat(zip));
  clock_.Advance(std::chrono::hours(2) - std::chrono::seconds(1));
  EXPECT_EQ(Get(hokan, "/api/v1/exports/" + id).status, 200);
  clock_.Advance(std::chrono::seconds(1));
  const Answer gone = Get(hokan, "/api/v1/exports/" + id);
  EXPECT_EQ(gone.status, 404);
  EXPECT_FALSE(fs_->Stat(zip).ok());
}

}  // namespace
}  // namespace web
