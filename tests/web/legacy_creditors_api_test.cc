// 旧債権者番号の統合 over real HTTP on loopback, as the accounting office's
// screen uses it: a Shift_JIS export uploaded (refused whole while a row is
// wrong, with the row's line; imported with skip_invalid), the proposed
// cluster with its reason and each number's kana, bank and usage, a merge
// that needs a reason and is an event carrying it, the merged list, and the
// undo; a clerk is refused every route. Beside it, the 国税庁 registry's
// routes the same office reads: "none imported yet", then the snapshot with
// the attribution; a clerk is refused.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
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
};

// The workflow tests' CP932 export (iconv -t CP932): 0012345 and 0012399
// are one vendor (name and address written differently), 0077777 another.
std::string Cp932Export() {
  std::ifstream in(std::string(KURA_SOURCE_DIR) + "/tests/workflow/testdata/legacy_cp932.csv",
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class LegacyCreditorsApiTest : public ::testing::Test {
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
                                            {"kaikei", "kaikei", Role::kAccountant}}) {
      ASSERT_OK(wf_->AddUser({login, std::string(login) + "さん", dept, {role}, "", true},
                             kPassword, root));
    }
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
  static Answer Of(const httplib::Result& res) {
    if (!res) return {};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  Answer Post(const httplib::Headers& who, const std::string& path, const json& body) {
    return Of(client_->Post(path.c_str(), who, body.dump(), "application/json"));
  }
  Answer Get(const httplib::Headers& who, const std::string& path) {
    return Of(client_->Get(path.c_str(), who));
  }
  Answer Upload(const httplib::Headers& who, const std::string& bytes, bool skip_invalid) {
    httplib::MultipartFormDataItems items{{"file", bytes, "債権者一覧.csv", "text/csv"},
                                          {"encoding", "auto", "", ""}};
    if (skip_invalid) items.push_back({"skip_invalid", "1", "", ""});
    return Of(client_->Post("/api/v1/legacy-creditors/imports", who, items));
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

TEST_F(LegacyCreditorsApiTest, AnUploadedExportIsReviewedMergedWithAReasonAndUndone) {
  const httplib::Headers kaikei = LogIn("kaikei");
  const std::string bytes = Cp932Export();
  ASSERT_FALSE(bytes.empty());
  // Line 5 has the wrong number of fields: nothing is taken without skip_invalid.
  const std::string with_bad_row = bytes + "0088888,ABC\r\n";
  const Answer refused = Upload(kaikei, with_bad_row, false);
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_FALSE(refused.body["imported"].get<bool>());
  EXPECT_EQ(refused.body["encoding"], "cp932");
  ASSERT_EQ(refused.body["refused"].size(), 1u);
  EXPECT_EQ(refused.body["refused"][0]["line"], 5);
  EXPECT_NE(refused.body["summary"].get<std::string>().find("何も取り込んでいません"),
            std::string::npos);
  EXPECT_EQ(Get(kaikei, "/api/v1/legacy-creditors/clusters").body["total"], 0);

  const Answer imported = Upload(kaikei, with_bad_row, true);
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.body["rows"], 3);
  EXPECT_EQ(imported.body["refused_count"], 1);
  EXPECT_EQ(imported.body["import"], "L000001");

  const Answer clusters = Get(kaikei, "/api/v1/legacy-creditors/clusters?limit=5");
  ASSERT_EQ(clusters.status, 200);
  ASSERT_EQ(clusters.body["total"], 1);
  const json& c = clusters.body["items"][0];
  EXPECT_EQ(c["survivor"], "0012345");  // used 120 times against 3
  ASSERT_EQ(c["members"].size(), 2u);
  EXPECT_EQ(c["members"][0]["number"], "0012345");
  EXPECT_EQ(c["members"][0]["name_kana"], "オオスミショウジ");
  EXPECT_EQ(c["members"][0]["registration_number"], "T7010705000725");
  EXPECT_EQ(c["members"][0]["account_number"], "1234567");
  EXPECT_EQ(c["members"][0]["last_used"], "2024-03-31");
  ASSERT_EQ(c["links"].size(), 1u);
  // The two share name + address and kana + address; either link is the reason.
  const std::string kind = c["links"][0]["kind"];
  EXPECT_TRUE(kind == "name_address" || kind == "kana_address") << kind;
  EXPECT_FALSE(c["links"][0]["reason"].get<std::string>().empty());

  const json merge = {{"survivor", "0012345"}, {"numbers", {"0012399"}}, {"reason", ""}};
  EXPECT_EQ(Post(kaikei, "/api/v1/legacy-creditors/merges", merge).status, 400);
  json with_reason = merge;
  with_reason["reason"] = "名称・所在地が一致（本社の旧番号）";
  const Answer merged = Post(kaikei, "/api/v1/legacy-creditors/merges", with_reason);
  ASSERT_EQ(merged.status, 201) << merged.body;
  const std::vector<json> events = Events("workflow.vendor.merged");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["reason"], "名称・所在地が一致（本社の旧番号）");
  const Answer list = Get(kaikei, "/api/v1/legacy-creditors/merges");
  ASSERT_EQ(list.body["total"], 1);
  EXPECT_EQ(list.body["items"][0]["number"], "0012399");
  EXPECT_EQ(list.body["items"][0]["survivor_name"], "株式会社大隅商事");
  EXPECT_EQ(list.body["items"][0]["reason"], "名称・所在地が一致（本社の旧番号）");
  EXPECT_EQ(Get(kaikei, "/api/v1/legacy-creditors/clusters").body["total"], 0);

  const Answer undone = Post(kaikei, "/api/v1/legacy-creditors/unmerges",
                             {{"numbers", {"0012399"}}, {"reason", "別会社と判明"}});
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_EQ(Events("workflow.vendor.unmerged").at(0)["reason"], "別会社と判明");
  EXPECT_EQ(Get(kaikei, "/api/v1/legacy-creditors/merges").body["total"], 0);
  EXPECT_EQ(Get(kaikei, "/api/v1/legacy-creditors/clusters").body["total"], 1);
}

TEST_F(LegacyCreditorsApiTest, AClerkIsRefusedEveryRoute) {
  const httplib::Headers kato = LogIn("kato");
  EXPECT_EQ(Get(kato, "/api/v1/legacy-creditors/clusters").status, 403);
  EXPECT_EQ(Get(kato, "/api/v1/legacy-creditors/merges").status, 403);
  EXPECT_EQ(Upload(kato, Cp932Export(), true).status, 403);
  EXPECT_EQ(Post(kato, "/api/v1/legacy-creditors/merges",
                 {{"survivor", "0012345"}, {"numbers", {"0012399"}}, {"reason", "同じ"}})
                .status,
            403);
  EXPECT_TRUE(Events("workflow.legacy_creditors.imported").empty());
}

TEST_F(LegacyCreditorsApiTest, RegistrySaysNoneYetThenItsSnapshotWithTheAttribution) {
  const auto kaikei = LogIn("kaikei");
  Answer none = Get(kaikei, "/api/v1/registry");
  ASSERT_EQ(none.status, 200) << none.body.dump();
  EXPECT_EQ(none.body["imported"], false);
  EXPECT_TRUE(none.body["snapshot"].is_null());
  EXPECT_EQ(none.body["attribution"], std::string(workflow::kRegistryAttribution));
  Answer empty = Get(kaikei, "/api/v1/registry/lapsed");
  ASSERT_EQ(empty.status, 200) << empty.body.dump();
  EXPECT_EQ(empty.body["count"], 0);
  EXPECT_TRUE(empty.body["snapshot"].is_null());

  auto registry = workflow::NtaRegistry::Open(dir_.Join("kura-data/registry"));
  ASSERT_OK(registry);
  workflow::RegistryRows rows;
  std::vector<workflow::RegistryRowError> errors;
  workflow::RegistryFileInfo info;
  ASSERT_OK(workflow::ReadRegistryFile(
      "nta.csv",
      "1,T1000000000001,01,0,2,1,1,2023-10-01,2024-01-10,,,\"東京都\",13,101,,,,,\"大隅商事株式会社\",,,,,\n",
      &rows, &errors, &info));
  workflow::RegistrySnapshot s;
  s.seq = 1;
  s.id = "R000001";
  s.kind = "full";
  ASSERT_OK((*registry)->InstallFull(std::move(rows), s, [] { return base::Status::OK(); }));
  registry->reset();
  Answer now = Get(kaikei, "/api/v1/registry");
  ASSERT_EQ(now.status, 200) << now.body.dump();
  EXPECT_EQ(now.body["imported"], true);
  EXPECT_EQ(now.body["snapshot"]["id"], "R000001");
  EXPECT_EQ(now.body["snapshot"]["rows"], 1);
  EXPECT_EQ(Get(kaikei, "/api/v1/registry/lapsed").body["snapshot"]["id"], "R000001");

  const auto kato = LogIn("kato");
  for (const char* path : {"/api/v1/registry", "/api/v1/registry/lapsed"}) {
    Answer refused = Get(kato, path);
    EXPECT_EQ(refused.status, 403) << path;
    EXPECT_NE(refused.body["error"]["message"].get<std::string>().find("会計室"), std::string::npos);
  }
}

}  // namespace
}  // namespace web
