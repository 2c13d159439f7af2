// The organisation over real HTTP on loopback, as the 管理 screens use it:
// an administrator adds a department and a user of it can be created at
// once; the accounting office adds a vendor (its number assigned, a wrong
// registration number refused in Japanese), reads it and changes its bank
// account, and a change made on a stale copy is 409 — each change with its
// event in the log.
#include <memory>
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
  std::string Message() const {
    return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
  }
};

class OrganizationApiTest : public ::testing::Test {
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
                                            {"kaikei", "kaikei", Role::kAccountant},
                                            {"admin", "somu", Role::kAdmin}}) {
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

TEST_F(OrganizationApiTest, AnAdministratorAddsADepartmentThatUsersMayJoinAtOnce) {
  const auto admin = LogIn("admin");
  const Answer created =
      Post(admin, "/api/v1/departments", {{"code", "kikaku"}, {"name", "企画課"}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  EXPECT_EQ(created.body, json({{"code", "kikaku"}, {"name", "企画課"}}));
  const Answer list = Get(admin, "/api/v1/departments");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.dump().find("企画課"), std::string::npos) << list.body.dump();
  const Answer user = Post(admin, "/api/v1/users",
                           {{"login", "ono"},
                            {"name", "小野"},
                            {"department", "kikaku"},
                            {"roles", {"clerk"}},
                            {"password", "a temporary password"}});
  EXPECT_EQ(user.status, 201) << user.body.dump();
  const auto events = Events("workflow.department.created");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["actor"], "admin");
  EXPECT_EQ(events.back()["department"]["code"], "kikaku");

  const Answer again = Post(admin, "/api/v1/departments", {{"code", "kikaku"}, {"name", "別の課"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.Message().find("課コードはすでに使われています"), std::string::npos);
  const Answer malformed =
      Post(admin, "/api/v1/departments", {{"code", "企画"}, {"name", "企画課"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.Message().find("課コードは半角英小文字"), std::string::npos);
  const Answer clerk = Post(LogIn("kato"), "/api/v1/departments", {{"code", "x"}, {"name", "x課"}});
  EXPECT_EQ(clerk.status, 403);
  EXPECT_NE(clerk.Message().find("管理者だけ"), std::string::npos) << clerk.Message();
}

TEST_F(OrganizationApiTest, TheAccountingOfficeAddsAVendorWithACheckedRegistrationNumber) {
  const auto kaikei = LogIn("kaikei");
  json vendor = {{"name", "山田商事株式会社"},
                 {"registration_number", "T1234567890123"},
                 {"bank_account", "0005:123:1:1234567"},
                 {"address", "埼玉県草加市栄町3丁目2番8号"}};
  const Answer wrong = Post(kaikei, "/api/v1/vendors", vendor);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.Message().find("検査用数字"), std::string::npos) << wrong.Message();
  EXPECT_TRUE(Events("workflow.vendor.created").empty());

  vendor["registration_number"] = "T7010705000725";
  const Answer created = Post(kaikei, "/api/v1/vendors", vendor);
  ASSERT_EQ(created.status, 201) << created.body.dump();
  EXPECT_EQ(created.body["id"], "V00001");
  const Answer read = Get(LogIn("kato"), "/api/v1/vendors/V00001");  // everyone reads
  ASSERT_EQ(read.status, 200);
  json without_departments = read.body;
  without_departments.erase("departments");  // derived: only on GET of one entry
  EXPECT_EQ(without_departments, created.body);
  EXPECT_EQ(read.body["departments"], json::array());  // used by no one yet
  EXPECT_EQ(Get(kaikei, "/api/v1/vendors/V09999").status, 404);
  const auto events = Events("workflow.vendor.created");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["actor"], "kaikei");
  EXPECT_EQ(events[0]["to"]["registration_number"], "T7010705000725");

  vendor["id"] = "V00001";
  EXPECT_EQ(Post(kaikei, "/api/v1/vendors", vendor).status, 409);
  const Answer clerk = Post(LogIn("kato"), "/api/v1/vendors", {{"name", "勝手な債権者"}});
  EXPECT_EQ(clerk.status, 403);
  EXPECT_EQ(clerk.Message(), "債権者マスタは会計室または管理者だけが変更できます");
}

TEST_F(OrganizationApiTest, CorporateNumberKanaNameAndTheDepartmentsThatUseAVendor) {
  const auto kaikei = LogIn("kaikei");
  json vendor = {{"name", "山田商事株式会社"},
                 {"registration_number", "T7010705000725"},
                 {"corporate_number", "4011001098993"},  // another company's
                 {"kana_name", "やまだしょうじ"}};
  const Answer disagree = Post(kaikei, "/api/v1/vendors", vendor);
  EXPECT_EQ(disagree.status, 400);
  EXPECT_NE(disagree.Message().find("一致しません"), std::string::npos) << disagree.Message();
  vendor["corporate_number"] = "７０１０７０５０００７２５";
  const Answer created = Post(kaikei, "/api/v1/vendors", vendor);
  ASSERT_EQ(created.status, 201) << created.body.dump();
  EXPECT_EQ(created.body["corporate_number"], "7010705000725");
  EXPECT_EQ(created.body["kana_name"], "ヤマダショウジ");
  const std::string path = "/api/v1/vendors/" + created.body["id"].get<std::string>();
  const Answer kanji = Post(kaikei, path, {{"kana_name", "山田"}});
  EXPECT_EQ(kanji.status, 400);
  EXPECT_NE(kanji.Message().find("フリガナ"), std::string::npos) << kanji.Message();
  const Answer changed = Post(kaikei, path, {{"kana_name", "ﾔﾏﾀﾞｼｮｳｼﾞ ｶﾌﾞｼｷｶﾞｲｼｬ"}});
  ASSERT_EQ(changed.status, 200) << changed.body.dump();
  EXPECT_EQ(changed.body["kana_name"], "ヤマダショウジ カブシキガイシャ");
  const auto events = Events("workflow.vendor.updated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["from"]["kana_name"], "ヤマダショウジ");
  EXPECT_EQ(events[0]["to"]["kana_name"], "ヤマダショウジ カブシキガイシャ");

  // 総務課 contracts with it: the department shows on the entry.
  workflow::Commitment c;
  c.department = "somu";
  c.vendor_id = created.body["id"];
  c.budget_line = "02-01-03-11";
  c.fiscal_year = 2026;
  c.description = "コピー用紙";
  c.amount = base::Decimal::FromInt(100'000);
  c.contract_from = base::Date(2026, 4, 1);
  c.contract_to = base::Date(2027, 3, 31);
  c.expense_type = "goods";
  ASSERT_OK(wf_->CreateCommitment(c, *wf_->GetUser("kato")));
  const Answer read = Get(LogIn("kato"), path);
  ASSERT_EQ(read.status, 200);
  ASSERT_EQ(read.body["departments"].size(), 1u) << read.body.dump();
  EXPECT_EQ(read.body["departments"][0]["code"], "somu");
  EXPECT_EQ(read.body["departments"][0]["name"], "総務課");
  EXPECT_EQ(read.body["departments"][0]["commitments"], 1);
  EXPECT_EQ(read.body["departments"][0]["invoices"], 0);
  EXPECT_EQ(read.body["departments"][0]["legacy_numbers"], json::array());
}

TEST_F(OrganizationApiTest, ABankAccountChangeOnAStaleCopyIs409AndAFreshOneIsLogged) {
  const auto admin = LogIn("admin");
  const Answer created =
      Post(admin, "/api/v1/vendors",
           {{"name", "東和ビルメンテナンス株式会社"}, {"bank_account", "0005:123:1:1234567"}});
  ASSERT_EQ(created.status, 201) << created.body.dump();
  const std::string path = "/api/v1/vendors/" + created.body["id"].get<std::string>();
  const json read = created.body;

  // The accounting office changes the account first.
  const Answer theirs = Post(LogIn("kaikei"), path, {{"bank_account", "0005:123:1:7654321"}});
  ASSERT_EQ(theirs.status, 200) << theirs.body.dump();
  EXPECT_EQ(theirs.body["bank_account"], "0005:123:1:7654321");

  // The admin's screen still shows the old entry.
  const Answer stale = Post(admin, path, {{"address", "東京都"}, {"expected", read}});
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.body["error"]["code"], "conflict");
  EXPECT_NE(stale.Message().find("再読み込み"), std::string::npos) << stale.Message();

  const Answer fresh = Post(admin, path, {{"address", "東京都"}, {"expected", theirs.body}});
  ASSERT_EQ(fresh.status, 200) << fresh.body.dump();
  EXPECT_EQ(fresh.body["address"], "東京都");
  EXPECT_EQ(fresh.body["bank_account"], "0005:123:1:7654321");
  const auto events = Events("workflow.vendor.updated");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["actor"], "kaikei");
  EXPECT_EQ(events[0]["from"]["bank_account"], "0005:123:1:1234567");
  EXPECT_EQ(events[0]["to"]["bank_account"], "0005:123:1:7654321");

  const Answer malformed = Post(admin, path, {{"bank_account", "0005-123-1-1234567"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.Message().find("金融機関コード4桁"), std::string::npos);
  EXPECT_EQ(Post(admin, path, {{"id", "V00002"}}).status, 400);
  EXPECT_EQ(Post(admin, "/api/v1/vendors/V09999", {{"address", "x"}}).status, 404);
}

}  // namespace
}  // namespace web
