// Account administration (workflow/workflow_users.cc): who may change
// whom, the events each change writes (actor, user, before and after —
// never a password or hash), the password rules, and the bookkeeping that
// ends sessions (session_generation) and lifts a login throttle
// (unlocked_at).
#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "workflow/requests.h"
#include "workflow/workflow.h"

namespace workflow {
namespace {

using Code = base::Status::Code;
using nlohmann::json;

constexpr char kPassword[] = "correct horse battery";

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive::ArchiveOptions ao;
    ao.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{ao.data_dir}, ""));
    auto a = archive::Archive::Open(ao, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
    WorkflowOptions wo;
    wo.password = PasswordParams{64, 1, 1};  // cheap for tests
    auto w = Workflow::Open(archive_.get(), &clock_, wo);
    ASSERT_OK(w);
    wf_ = std::move(*w);
    for (auto [code, name] : {std::pair{"somu", "総務課"}, {"doboku", "土木課"}}) {
      ASSERT_OK(wf_->CreateDepartment({code, name}, root_));
    }
    Add("kato", "somu", {Role::kClerk});
    Add("kacho", "somu", {Role::kApprover}, "課長");
    Add("kaikei", "somu", {Role::kAccountant});
    Add("admin", "somu", {Role::kAdmin});
    Add("admin2", "somu", {Role::kAdmin});
  }
  void Add(const std::string& login, const std::string& dept, std::vector<Role> roles,
           const std::string& title = "") {
    ASSERT_OK(wf_->AddUser(User{login, login + "さん", dept, std::move(roles), title, true},
                           kPassword, root_));
  }
  User U(const std::string& login) { return *wf_->GetUser(login); }
  // The events written since the last call.
  std::vector<json> NewEvents() {
    std::vector<json> out;
    EXPECT_OK(archive_->ledger().ForEachEvent(seen_, [&](uint64_t, std::string_view event) {
      out.push_back(json::parse(event));
      ++seen_;
      return base::Status::OK();
    }));
    return out;
  }
  void ExpectVerifiedAndNoSecretInTheLog() {
    auto report = archive_->Verify();
    ASSERT_OK(report);
    EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
    EXPECT_OK(archive_->ledger().ForEachEvent(0, [&](uint64_t, std::string_view event) {
      EXPECT_EQ(event.find("argon2"), std::string::npos) << event;
      EXPECT_EQ(event.find("password_hash"), std::string::npos) << event;
      for (const char* pw : {kPassword, "temporary pass 2026", "kato's own choice"}) {
        EXPECT_EQ(event.find(pw), std::string::npos) << event;
      }
      return base::Status::OK();
    }));
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-05-12T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
  std::unique_ptr<Workflow> wf_;
  const User root_ = Workflow::SystemUser("test");
  uint64_t seen_ = 0;
};

TEST_F(AccountsTest, OnlyAdminsManageOthersAndEveryoneChangesTheirOwnPassword) {
  UserChange rename;
  rename.name = "加藤 一郎";
  for (const char* who : {"kato", "kacho", "kaikei"}) {
    EXPECT_EQ(wf_->UpdateUser("kato", rename, U(who)).status().code(), Code::kPermissionDenied)
        << who;
    EXPECT_EQ(wf_->SetUserActive("kacho", false, U(who)).code(), Code::kPermissionDenied) << who;
    EXPECT_EQ(wf_->ResetPassword("kacho", "temporary pass 2026", U(who)).status().code(),
              Code::kPermissionDenied)
        << who;
    EXPECT_EQ(wf_->UnlockLogin("kacho", U(who)).status().code(), Code::kPermissionDenied) << who;
  }
  // Nobody changes another's password with "their own" change.
  EXPECT_EQ(
      wf_->ChangePassword("kacho", kPassword, "kato's own choice", U("admin")).status().code(),
      Code::kPermissionDenied);
  EXPECT_OK(wf_->ChangePassword("kato", kPassword, "kato's own choice", U("kato")));
  EXPECT_OK(wf_->ChangePassword("kacho", kPassword, "kacho's own choice", U("kacho")));
  EXPECT_OK(wf_->UpdateUser("kato", rename, U("admin")));
  EXPECT_OK(wf_->UpdateUser("kato", rename, root_));  // the CLI
  EXPECT_EQ(U("kato").name, "加藤 一郎");
}

TEST_F(AccountsTest, EveryChangeIsAnEventWithActorUserAndBeforeAndAfter) {
  NewEvents();
  UserChange c;
  c.department = "doboku";
  c.roles = std::vector<Role>{Role::kClerk, Role::kAuditor};
  auto changed = wf_->UpdateUser("kato", c, U("admin"));
  ASSERT_OK(changed);
  EXPECT_EQ(changed->department, "doboku");
  auto events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "workflow.user.updated");
  EXPECT_EQ(events[0]["actor"], "admin");
  EXPECT_EQ(events[0]["login"], "kato");
  EXPECT_EQ(events[0]["from"], json({{"department", "somu"}, {"roles", {"clerk"}}}));
  EXPECT_EQ(events[0]["to"], json({{"department", "doboku"}, {"roles", {"clerk", "auditor"}}}));

  // A rename and a disable in one request: one write, two events.
  UserChange both;
  both.name = "加藤";
  both.active = false;
  ASSERT_OK(wf_->UpdateUser("kato", both, U("admin")));
  events = NewEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["type"], "workflow.user.updated");
  EXPECT_EQ(events[1]["type"], "workflow.user.disabled");
  EXPECT_EQ(events[1]["from"], true);
  EXPECT_EQ(events[1]["to"], false);
  ASSERT_OK(wf_->SetUserActive("kato", true, root_));
  events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "workflow.user.enabled");
  EXPECT_EQ(events[0]["actor"], "system:test");

  // No change, no write.
  ASSERT_OK(wf_->SetUserActive("kato", true, U("admin")));
  EXPECT_TRUE(NewEvents().empty());

  ASSERT_OK(wf_->ResetPassword("kacho", "temporary pass 2026", U("admin")));
  events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "workflow.user.password_reset");
  EXPECT_EQ(events[0]["login"], "kacho");
  EXPECT_EQ(events[0]["from"]["must_change_password"], false);
  EXPECT_EQ(events[0]["to"]["must_change_password"], true);
  EXPECT_EQ(events[0]["to"]["unlocked_at"], "2026-05-12T01:00:00.000000Z");

  ASSERT_OK(wf_->ChangePassword("kacho", "temporary pass 2026", "kacho's own choice", U("kacho")));
  events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "workflow.user.password_changed");
  EXPECT_EQ(events[0]["actor"], "kacho");
  EXPECT_EQ(events[0]["from"]["must_change_password"], true);
  EXPECT_EQ(events[0]["to"]["must_change_password"], false);

  clock_.Set(clock_.Now() + std::chrono::minutes(5));
  ASSERT_OK(wf_->UnlockLogin("kaikei", U("admin")));
  events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "workflow.user.unlocked");
  EXPECT_EQ(events[0]["from"]["unlocked_at"], nullptr);
  EXPECT_EQ(events[0]["to"]["unlocked_at"], "2026-05-12T01:05:00.000000Z");
  EXPECT_EQ(U("kaikei").unlocked_at, clock_.Now());

  LoginThrottled t;
  t.scope = "pair";
  t.login = "kaikei";
  t.address = "10.0.0.9";
  t.failures = 5;
  t.until = clock_.Now() + std::chrono::minutes(1);
  t.unlogged = 2;
  ASSERT_OK(wf_->RecordLoginThrottled(t));
  events = NewEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "workflow.login.throttled");
  EXPECT_EQ(events[0]["actor"], "system:login-throttle");
  EXPECT_EQ(events[0]["login"], "kaikei");
  EXPECT_EQ(events[0]["address"], "10.0.0.9");
  EXPECT_EQ(events[0]["until"], "2026-05-12T01:06:00.000000Z");
  EXPECT_EQ(events[0]["unlogged"], 2);
  ExpectVerifiedAndNoSecretInTheLog();
}

TEST_F(AccountsTest, ChangesThatEndSessionsRaiseTheGeneration) {
  uint64_t g = U("kato").session_generation;
  auto expect_raised = [&](bool raised, const char* what) {
    const uint64_t now = U("kato").session_generation;
    EXPECT_EQ(now != g, raised) << what;
    g = now;
  };
  UserChange rename;
  rename.name = "加藤";
  ASSERT_OK(wf_->UpdateUser("kato", rename, U("admin")));
  expect_raised(false, "a new name");
  UserChange move;
  move.department = "doboku";
  ASSERT_OK(wf_->UpdateUser("kato", move, U("admin")));
  expect_raised(true, "another department");
  UserChange roles;
  roles.roles = std::vector<Role>{Role::kAccountant};
  ASSERT_OK(wf_->UpdateUser("kato", roles, U("admin")));
  expect_raised(true, "other roles");
  ASSERT_OK(wf_->SetUserActive("kato", false, U("admin")));
  expect_raised(true, "disabled");
  ASSERT_OK(wf_->SetUserActive("kato", true, U("admin")));
  expect_raised(false, "enabled");
  ASSERT_OK(wf_->ResetPassword("kato", "temporary pass 2026", U("admin")));
  expect_raised(true, "a reset");
  ASSERT_OK(wf_->ChangePassword("kato", "temporary pass 2026", "kato's own choice", U("kato")));
  expect_raised(true, "the user's own change");
  ASSERT_OK(wf_->UnlockLogin("kato", U("admin")));
  expect_raised(false, "an unlock");
}

TEST_F(AccountsTest, ChangesAreValidatedLikeANewUser) {
  UserChange c;
  c.department = "nowhere";
  EXPECT_EQ(wf_->UpdateUser("kato", c, U("admin")).status().code(), Code::kInvalidArgument);
  UserChange approver;
  approver.roles = std::vector<Role>{Role::kApprover};
  EXPECT_EQ(wf_->UpdateUser("kato", approver, U("admin")).status().code(), Code::kInvalidArgument)
      << "an approver needs a title";
  approver.title = "課長";
  EXPECT_OK(wf_->UpdateUser("kato", approver, U("admin")));
  UserChange untitled;
  untitled.title = "";
  EXPECT_EQ(wf_->UpdateUser("kacho", untitled, U("admin")).status().code(), Code::kInvalidArgument);
  UserChange none;
  none.roles = std::vector<Role>{};
  EXPECT_EQ(wf_->UpdateUser("kato", none, U("admin")).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(wf_->UpdateUser("nobody", approver, U("admin")).status().code(), Code::kNotFound);
  // An administrator does not lock themself out; another one may.
  UserChange demote;
  demote.roles = std::vector<Role>{Role::kClerk};
  EXPECT_EQ(wf_->UpdateUser("admin", demote, U("admin")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->SetUserActive("admin", false, U("admin")).code(), Code::kPermissionDenied);
  EXPECT_OK(wf_->SetUserActive("admin", false, U("admin2")));
  // A disabled administrator can no longer act.
  EXPECT_EQ(wf_->UnlockLogin("kato", U("admin")).status().code(), Code::kPermissionDenied);
}

TEST_F(AccountsTest, PasswordRulesAreModestAndSaidInJapanese) {
  EXPECT_OK(CheckNewPassword("twelve chars", "kato"));
  EXPECT_OK(CheckNewPassword("十二文字の日本語のパスワード", "kato"));
  const base::Status short_one = CheckNewPassword("eleven char", "kato");
  EXPECT_EQ(short_one.code(), Code::kInvalidArgument);
  EXPECT_NE(short_one.message().find("12文字以上"), std::string::npos) << short_one.message();
  EXPECT_EQ(CheckNewPassword("kato.tanaka.1", "Kato.Tanaka.1").code(), Code::kInvalidArgument);
  EXPECT_EQ(CheckNewPassword(std::string(129, 'a'), "kato").code(), Code::kInvalidArgument);
  EXPECT_OK(CheckNewPassword(std::string(128, 'a'), "kato"));
  EXPECT_EQ(CheckNewPassword("bad \xff utf-8 bytes", "kato").code(), Code::kInvalidArgument);

  EXPECT_EQ(wf_->ChangePassword("kato", "wrong password", "kato's own choice", U("kato"))
                .status()
                .message(),
            "現在のパスワードが違います");
  EXPECT_EQ(wf_->ChangePassword("kato", kPassword, "short", U("kato")).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(wf_->ChangePassword("kato", kPassword, kPassword, U("kato")).status().code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(wf_->ResetPassword("kato", "kato", U("admin")).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(
      wf_->AddUser(User{"ito", "伊藤", "somu", {Role::kClerk}, "", true}, "ito", root_).code(),
      Code::kInvalidArgument);
  // The old password stops working and the new one works.
  ASSERT_OK(wf_->ResetPassword("kato", "temporary pass 2026", U("admin")));
  EXPECT_FALSE(wf_->Authenticate("kato", kPassword).ok());
  auto temp = wf_->Authenticate("kato", "temporary pass 2026");
  ASSERT_OK(temp);
  EXPECT_TRUE(temp->must_change_password);
  EXPECT_TRUE(ToJson(*temp)["must_change_password"].get<bool>());
  ASSERT_OK(wf_->ChangePassword("kato", "temporary pass 2026", "kato's own choice", *temp));
  auto own = wf_->Authenticate("kato", "kato's own choice");
  ASSERT_OK(own);
  EXPECT_FALSE(own->must_change_password);
}

TEST_F(AccountsTest, RequestBodiesAreParsedStrictly) {
  auto user = NewUserFromRequest(json{{"login", "ito"},
                                      {"name", "伊藤"},
                                      {"department", "somu"},
                                      {"roles", {"clerk", "auditor"}},
                                      {"password", "temporary pass 2026"}});
  ASSERT_OK(user);
  EXPECT_TRUE(user->user.must_change_password) << "the administrator knows it";
  EXPECT_EQ(user->user.roles, (std::vector<Role>{Role::kClerk, Role::kAuditor}));
  EXPECT_FALSE(NewUserFromRequest(json{{"login", "ito"}, {"name", "伊藤"}}).ok());
  auto change = UserChangeFromRequest(json{{"active", false}, {"title", "係長"}});
  ASSERT_OK(change);
  EXPECT_EQ(change->active, false);
  EXPECT_EQ(change->title, "係長");
  EXPECT_FALSE(change->name.has_value());
  EXPECT_FALSE(UserChangeFromRequest(json{{"password", "x"}}).ok());
  EXPECT_FALSE(UserChangeFromRequest(json::object()).ok());
  EXPECT_FALSE(UserChangeFromRequest(json{{"roles", {"boss"}}}).ok());
  EXPECT_FALSE(UserChangeFromRequest(json{{"active", "no"}}).ok());
}

}  // namespace
}  // namespace workflow
