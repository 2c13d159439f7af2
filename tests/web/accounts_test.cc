// Accounts and login throttling over real HTTP on loopback (issue 12,
// findings 7 and 8): a guesser at one address does not keep a colleague
// out at another; an administrator disables, resets and unlocks through
// the API and the user's open sessions end at once; users change their own
// password. The "attacker" connects from 127.0.0.2 (bound with
// httplib::Client::set_interface), everyone else from 127.0.0.1.
#include <memory>
#include <string>
#include <thread>

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

struct Login {
  int status = 0;
  std::string cookie;
  std::string csrf;
  json body;
};

class AccountsTest : public ::testing::Test {
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
    for (const auto& [login, dept, role, title] : {std::tuple{"kato", "somu", Role::kClerk, ""},
                                                   {"kacho", "somu", Role::kApprover, "課長"},
                                                   {"kaikei", "kaikei", Role::kAccountant, ""},
                                                   {"admin", "hisho", Role::kAdmin, ""}}) {
      ASSERT_OK(wf_->AddUser({login, std::string(login) + "さん", dept, {role}, title, true},
                             kPassword, root));
    }
    ServerOptions so;
    so.host = "127.0.0.1";
    so.port = 0;
    server_ = std::make_unique<Server>(so, archive_.get(), wf_.get(), &clock_);
    auto port = server_->Bind();
    ASSERT_OK(port);
    thread_ = std::thread([this] { server_->Run().IgnoreError(); });
    office_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    elsewhere_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    elsewhere_->set_interface("127.0.0.2");
    ASSERT_TRUE(office_->Get("/healthz"));
    auto from_elsewhere = elsewhere_->Get("/healthz");
    ASSERT_TRUE(from_elsewhere) << "binding a client to 127.0.0.2 failed";
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  static Login LogIn(httplib::Client& client, const std::string& login,
                     const std::string& password = kPassword) {
    auto res = client.Post("/api/v1/session", json{{"login", login}, {"password", password}}.dump(),
                           "application/json");
    Login l;
    if (!res) return l;
    l.status = res->status;
    l.body = json::parse(res->body, nullptr, false);
    const std::string set_cookie = res->get_header_value("Set-Cookie");
    l.cookie = set_cookie.substr(0, set_cookie.find(';'));
    l.csrf = l.body.is_object() ? l.body.value("csrf_token", "") : "";
    return l;
  }
  static httplib::Headers Headers(const Login& l) {
    return {{"Cookie", l.cookie}, {"X-CSRF-Token", l.csrf}};
  }
  int GetStatus(const Login& l, const std::string& path) {
    auto res = office_->Get(path.c_str(), Headers(l));
    return res ? res->status : 0;
  }
  std::pair<int, json> Post(const Login& l, const std::string& path, const json& body,
                            httplib::Client* client = nullptr) {
    auto res = (client ? client : office_.get())
                   ->Post(path.c_str(), Headers(l), body.dump(), "application/json");
    if (!res) return {0, json()};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
  // The events of type written so far.
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
  std::unique_ptr<httplib::Client> office_;     // 127.0.0.1
  std::unique_ptr<httplib::Client> elsewhere_;  // 127.0.0.2
};

// Finding 7: five bad passwords for the one accountant no longer stop
// payments.
TEST_F(AccountsTest, BadPasswordsFromOneAddressDoNotKeepTheUserOutAtAnother) {
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(LogIn(*elsewhere_, "kaikei", "guess " + std::to_string(i)).status, 401);
  const Login refused = LogIn(*elsewhere_, "kaikei");
  EXPECT_EQ(refused.status, 429) << refused.body.dump();
  // Keep guessing: each try is refused without a check, and no new event.
  for (int i = 0; i < 20; ++i) EXPECT_EQ(LogIn(*elsewhere_, "kaikei", "again").status, 429);
  // kaikei at the office logs in with the right password at once.
  const Login kaikei = LogIn(*office_, "kaikei");
  EXPECT_EQ(kaikei.status, 200) << kaikei.body.dump();
  // The throttle's onset is in the event log, once.
  const auto events = Events("workflow.login.throttled");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["scope"], "pair");
  EXPECT_EQ(events[0]["login"], "kaikei");
  EXPECT_EQ(events[0]["address"], "127.0.0.2");
  EXPECT_EQ(events[0]["until"], "2026-05-20T01:01:00.000000Z");
  // An administrator sees it and lifts it.
  const Login admin = LogIn(*office_, "admin");
  auto list = office_->Get("/api/v1/users", Headers(admin));
  ASSERT_TRUE(list && list->status == 200);
  const json users = json::parse(list->body);
  for (const json& u : users["items"]) {
    if (u["login"] == "kaikei") {
      EXPECT_EQ(u["throttled_until"], "2026-05-20T01:01:00.000000Z");
    } else {
      EXPECT_TRUE(u["throttled_until"].is_null()) << u.dump();
    }
    EXPECT_FALSE(u.contains("password_hash"));
  }
  auto [status, unlocked] = Post(admin, "/api/v1/users/kaikei/unlock", json::object());
  EXPECT_EQ(status, 200) << unlocked.dump();
  EXPECT_TRUE(unlocked["throttled_until"].is_null());
  EXPECT_EQ(LogIn(*elsewhere_, "kaikei").status, 200);
  EXPECT_EQ(Events("workflow.user.unlocked").size(), 1u);
}

// Finding 7, second half: an address guessing many names waits, the
// people who work there (and have logged in there) do not, and nobody
// elsewhere does.
TEST_F(AccountsTest, AnAddressGuessingManyNamesDoesNotKeepOutThoseWhoWorkThere) {
  EXPECT_EQ(LogIn(*elsewhere_, "kato").status, 200);  // kato works at .2
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(LogIn(*elsewhere_, "user" + std::to_string(i), "guess").status, 401) << i;
  }
  EXPECT_EQ(LogIn(*elsewhere_, "kacho").status, 429);
  EXPECT_EQ(LogIn(*elsewhere_, "kato").status, 200);
  EXPECT_EQ(LogIn(*office_, "kacho").status, 200);
  const auto events = Events("workflow.login.throttled");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["scope"], "address");
  EXPECT_EQ(events[0]["address"], "127.0.0.2");
}

// An unlock written by another process (kura user unlock): the server
// reads it from the user record when it would refuse the name.
TEST_F(AccountsTest, AnUnlockFromAnotherProcessIsSeenAtTheNextAttempt) {
  for (int i = 0; i < 5; ++i) LogIn(*elsewhere_, "kaikei", "guess");
  EXPECT_EQ(LogIn(*elsewhere_, "kaikei").status, 429);
  ASSERT_OK(wf_->UnlockLogin("kaikei", workflow::Workflow::SystemUser("cli")));
  EXPECT_EQ(LogIn(*elsewhere_, "kaikei").status, 200);
  // Failures after the unlock count again.
  clock_.Set(clock_.Now() + std::chrono::seconds(1));
  for (int i = 0; i < 5; ++i) LogIn(*elsewhere_, "kaikei", "guess");
  EXPECT_EQ(LogIn(*elsewhere_, "kaikei").status, 429);
}

// Finding 8: disabling ends the open session at once; enabling lets the
// user log in again, but not with the old session.
TEST_F(AccountsTest, DisablingEndsTheUsersSessionAtOnce) {
  const Login admin = LogIn(*office_, "admin");
  const Login kato = LogIn(*office_, "kato");
  ASSERT_EQ(GetStatus(kato, "/api/v1/inbox"), 200);
  auto [status, user] = Post(admin, "/api/v1/users/kato", {{"active", false}});
  ASSERT_EQ(status, 200) << user.dump();
  EXPECT_EQ(user["active"], false);
  EXPECT_EQ(GetStatus(kato, "/api/v1/inbox"), 401);
  EXPECT_EQ(LogIn(*office_, "kato").status, 403);
  EXPECT_EQ(Post(admin, "/api/v1/users/kato", {{"active", true}}).first, 200);
  EXPECT_EQ(GetStatus(kato, "/api/v1/inbox"), 401);
  EXPECT_EQ(LogIn(*office_, "kato").status, 200);
  // An administrator cannot disable themself.
  EXPECT_EQ(Post(admin, "/api/v1/users/admin", {{"active", false}}).first, 403);
  ASSERT_EQ(Events("workflow.user.disabled").size(), 1u);
  EXPECT_EQ(Events("workflow.user.disabled")[0]["actor"], "admin");
}

// Finding 8: an administrator's reset ends the sessions, the old password
// stops working, the temporary one works only to choose a new one.
TEST_F(AccountsTest, AResetPasswordMustBeChangedBeforeAnythingElse) {
  const Login admin = LogIn(*office_, "admin");
  const Login before = LogIn(*office_, "kato");
  auto [status, user] =
      Post(admin, "/api/v1/users/kato/password", {{"password", "temporary pass 2026"}});
  ASSERT_EQ(status, 200) << user.dump();
  EXPECT_EQ(user["must_change_password"], true);
  EXPECT_EQ(GetStatus(before, "/api/v1/inbox"), 401);
  EXPECT_EQ(LogIn(*office_, "kato").status, 401);
  const Login temp = LogIn(*office_, "kato", "temporary pass 2026");
  ASSERT_EQ(temp.status, 200);
  EXPECT_EQ(temp.body["user"]["must_change_password"], true);
  auto inbox = office_->Get("/api/v1/inbox", Headers(temp));
  ASSERT_TRUE(inbox);
  EXPECT_EQ(inbox->status, 403);
  EXPECT_EQ(json::parse(inbox->body)["error"]["code"], "password_change_required");
  EXPECT_EQ(GetStatus(temp, "/api/v1/session"), 200);
  // Too short, then the same again: refused, in Japanese.
  auto [short_status, short_body] =
      Post(temp, "/api/v1/session/password",
           {{"current_password", "temporary pass 2026"}, {"new_password", "short"}});
  EXPECT_EQ(short_status, 400);
  EXPECT_NE(short_body["error"]["message"].get<std::string>().find("12文字以上"),
            std::string::npos);
  EXPECT_EQ(
      Post(temp, "/api/v1/session/password",
           {{"current_password", "temporary pass 2026"}, {"new_password", "temporary pass 2026"}})
          .first,
      422);
  auto res = office_->Post(
      "/api/v1/session/password", Headers(temp),
      json{{"current_password", "temporary pass 2026"}, {"new_password", "kato's own choice"}}
          .dump(),
      "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(json::parse(res->body)["user"]["must_change_password"], false);
  // The answer is a new session; the one with the temporary password ended.
  Login after;
  after.cookie =
      res->get_header_value("Set-Cookie").substr(0, res->get_header_value("Set-Cookie").find(';'));
  after.csrf = json::parse(res->body)["csrf_token"];
  EXPECT_EQ(GetStatus(after, "/api/v1/inbox"), 200);
  EXPECT_EQ(GetStatus(temp, "/api/v1/inbox"), 401);
  EXPECT_EQ(LogIn(*office_, "kato", "temporary pass 2026").status, 401);
  EXPECT_EQ(LogIn(*office_, "kato", "kato's own choice").status, 200);
}

TEST_F(AccountsTest, UsersChangeTheirOwnPasswordAndTheirOtherSessionsEnd) {
  const Login phone = LogIn(*office_, "kacho");
  const Login desk = LogIn(*office_, "kacho");
  auto [wrong, wrong_body] =
      Post(desk, "/api/v1/session/password",
           {{"current_password", "not it"}, {"new_password", "a new passphrase"}});
  EXPECT_EQ(wrong, 403);
  EXPECT_EQ(wrong_body["error"]["message"], "現在のパスワードが違います");
  auto [status, body] =
      Post(desk, "/api/v1/session/password",
           {{"current_password", kPassword}, {"new_password", "a new passphrase"}});
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(GetStatus(phone, "/api/v1/inbox"), 401);
  EXPECT_EQ(GetStatus(desk, "/api/v1/inbox"), 401) << "the answer carries a new session";
  EXPECT_EQ(LogIn(*office_, "kacho").status, 401);
  EXPECT_EQ(LogIn(*office_, "kacho", "a new passphrase").status, 200);
  // Guessing the current password through an open session meets the same
  // throttle as the login.
  const Login stolen = LogIn(*elsewhere_, "kacho", "a new passphrase");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Post(stolen, "/api/v1/session/password",
                   {{"current_password", "guess " + std::to_string(i)},
                    {"new_password", "taken over 2026"}},
                   elsewhere_.get())
                  .first,
              403);
  }
  EXPECT_EQ(
      Post(stolen, "/api/v1/session/password",
           {{"current_password", "guess"}, {"new_password", "taken over 2026"}}, elsewhere_.get())
          .first,
      403);
  EXPECT_EQ(Post(stolen, "/api/v1/session/password",
                 {{"current_password", "a new passphrase"}, {"new_password", "taken over 2026"}},
                 elsewhere_.get())
                .first,
            429);
}

TEST_F(AccountsTest, AdministratorsCreateAndChangeAccountsAndRoleChangesEndSessions) {
  const Login admin = LogIn(*office_, "admin");
  const Login clerk = LogIn(*office_, "kato");
  EXPECT_EQ(Post(clerk, "/api/v1/users", {{"login", "x"}}).first, 403);
  EXPECT_EQ(GetStatus(clerk, "/api/v1/users"), 403);
  auto [created_status, created] = Post(admin, "/api/v1/users",
                                        {{"login", "ito"},
                                         {"name", "伊藤"},
                                         {"department", "somu"},
                                         {"roles", {"clerk"}},
                                         {"password", "first password 1"}});
  ASSERT_EQ(created_status, 201) << created.dump();
  EXPECT_EQ(created["must_change_password"], true);
  EXPECT_FALSE(created.contains("password"));
  EXPECT_EQ(LogIn(*office_, "ito", "first password 1").body["user"]["must_change_password"], true);
  EXPECT_EQ(Post(admin, "/api/v1/users",
                 {{"login", "ito"},
                  {"name", "伊藤"},
                  {"department", "somu"},
                  {"roles", {"clerk"}},
                  {"password", "first password 1"}})
                .first,
            409);
  // A department that does not exist, an approver without a title.
  EXPECT_EQ(Post(admin, "/api/v1/users/kato", {{"department", "nowhere"}}).first, 400);
  EXPECT_EQ(Post(admin, "/api/v1/users/kato", {{"roles", {"approver"}}}).first, 400);
  EXPECT_EQ(Post(admin, "/api/v1/users/kato", {{"password", "x"}}).first, 400);
  EXPECT_EQ(Post(admin, "/api/v1/users/nobody", {{"name", "x"}}).first, 404);
  // A new name keeps the session; a new department ends it.
  EXPECT_EQ(Post(admin, "/api/v1/users/kato", {{"name", "加藤 一郎"}}).first, 200);
  EXPECT_EQ(GetStatus(clerk, "/api/v1/inbox"), 200);
  auto [moved_status, moved] = Post(admin, "/api/v1/users/kato", {{"department", "kaikei"}});
  ASSERT_EQ(moved_status, 200) << moved.dump();
  EXPECT_EQ(moved["department"], "kaikei");
  EXPECT_EQ(GetStatus(clerk, "/api/v1/inbox"), 401);
  const auto updated = Events("workflow.user.updated");
  ASSERT_EQ(updated.size(), 2u);
  EXPECT_EQ(updated[1]["from"], json({{"department", "somu"}}));
  EXPECT_EQ(updated[1]["to"], json({{"department", "kaikei"}}));
  // A change written by another process ends the sessions all the same.
  const Login kacho = LogIn(*office_, "kacho");
  workflow::UserChange title;
  title.title = "部長";
  ASSERT_OK(wf_->UpdateUser("kacho", title, workflow::Workflow::SystemUser("cli")));
  EXPECT_EQ(GetStatus(kacho, "/api/v1/inbox"), 401);
}

}  // namespace
}  // namespace web
