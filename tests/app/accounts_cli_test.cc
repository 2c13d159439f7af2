// `kura user set|enable|disable|passwd|reset-password|unlock`, run the way
// an administrator would, while `kura serve` runs on the same data
// directory: each change reaches the running server at once (issue 12,
// item 5).
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/fakes/test_util.h"

namespace {

using nlohmann::json;

struct KuraRun {
  int exit_code;
  std::string out;
  std::string err;
};

class AccountsCliTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (serve_pid_ > 0) StopServe();
  }
  // Runs kura with args (already shell-quoted) in the temp dir, with input
  // on its standard input (a file, not a tty).
  KuraRun Kura(const std::string& args, const std::string& input = "") {
    kura_test::WriteFileOrDie(dir_.Join("stdin.txt"), input);
    const std::string err_file = dir_.Join("stderr.txt");
    std::string out;
    const int rc = kura_test::RunCommand("cd " + dir_.path() + " && " + KURA_PROGRAM + " " + args +
                                             " < " + dir_.Join("stdin.txt") + " 2>" + err_file,
                                         &out);
    return KuraRun{rc, out, kura_test::ReadFileOrDie(err_file)};
  }
  // Starts `kura serve --listen 127.0.0.1:0`; returns the port (0 on
  // failure).
  int StartServe() {
    int err_pipe[2];
    if (::pipe(err_pipe) != 0) return 0;
    serve_pid_ = ::fork();
    if (serve_pid_ < 0) return 0;
    if (serve_pid_ == 0) {
      ::dup2(err_pipe[1], 2);
      ::close(err_pipe[0]);
      if (::chdir(dir_.path().c_str()) != 0) _exit(9);
      ::execl(KURA_PROGRAM, KURA_PROGRAM, "serve", "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
      _exit(127);
    }
    ::close(err_pipe[1]);
    serve_err_ = err_pipe[0];
    std::string log;
    char buf[4096];
    while (log.find("Ctrl+C") == std::string::npos) {
      const ssize_t n = ::read(serve_err_, buf, sizeof buf);
      if (n <= 0) return 0;
      log.append(buf, static_cast<size_t>(n));
    }
    const size_t at = log.find("http://127.0.0.1:");
    return at == std::string::npos ? 0 : std::stoi(log.substr(at + 17));
  }
  bool StopServe() {
    ::kill(serve_pid_, SIGTERM);
    int status = 0;
    ::waitpid(serve_pid_, &status, 0);
    ::close(serve_err_);
    serve_pid_ = -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  // Logs in; returns the status and fills *cookie.
  static int LogIn(httplib::Client& client, const std::string& login, const std::string& password,
                   std::string* cookie = nullptr) {
    auto res = client.Post("/api/v1/session", json{{"login", login}, {"password", password}}.dump(),
                           "application/json");
    if (!res) return 0;
    if (cookie) {
      const std::string set = res->get_header_value("Set-Cookie");
      *cookie = set.substr(0, set.find(';'));
    }
    return res->status;
  }
  static int Inbox(httplib::Client& client, const std::string& cookie) {
    auto res = client.Get("/api/v1/inbox", {{"Cookie", cookie}});
    return res ? res->status : 0;
  }
  // init, the departments somu and kaikei, and kaikei the accountant.
  void InitOffice() {
    ASSERT_EQ(Kura("init").exit_code, 0);
    ASSERT_EQ(Kura("department add --code somu --name 総務課").exit_code, 0);
    ASSERT_EQ(Kura("department add --code kaikei --name 会計課").exit_code, 0);
    const KuraRun add =
        Kura("user add --login kaikei --name 会計 --department kaikei --role accountant",
             "first pass 2026\n");
    ASSERT_EQ(add.exit_code, 0) << add.err;
  }
  json LastJsonLine(const std::string& out) {
    std::istringstream in(out);
    std::string line, last;
    while (std::getline(in, line)) last = line;
    return json::parse(last, nullptr, false);
  }

  kura_test::TempDir dir_;
  pid_t serve_pid_ = -1;
  int serve_err_ = -1;
};

TEST_F(AccountsCliTest, HelpWorksForEveryAccountCommand) {
  for (const char* cmd : {"user set", "user enable", "user disable", "user passwd",
                          "user reset-password", "user unlock"}) {
    const KuraRun r = Kura(std::string(cmd) + " --help");
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("使い方"), std::string::npos) << cmd;
    EXPECT_NE(r.out.find("LOGIN"), std::string::npos) << cmd;
  }
}

TEST_F(AccountsCliTest, EveryAccountCommandReachesARunningServer) {
  InitOffice();
  const int port = StartServe();
  ASSERT_GT(port, 0);
  httplib::Client office("127.0.0.1", port);
  httplib::Client elsewhere("127.0.0.1", port);
  elsewhere.set_interface("127.0.0.2");

  // Someone guesses kaikei's password from another address; the unlock
  // written by the command line lets kaikei in there at once.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(LogIn(elsewhere, "kaikei", "guess"), 401);
  EXPECT_EQ(LogIn(elsewhere, "kaikei", "first pass 2026"), 429);
  EXPECT_EQ(LogIn(office, "kaikei", "first pass 2026"), 200) << "never locked out elsewhere";
  const KuraRun unlock = Kura("user unlock kaikei");
  ASSERT_EQ(unlock.exit_code, 0) << unlock.err;
  EXPECT_NE(unlock.err.find("解除しました"), std::string::npos) << unlock.err;
  EXPECT_EQ(LogIn(elsewhere, "kaikei", "first pass 2026"), 200);

  // Disabled: the open session ends at once.
  std::string session;
  ASSERT_EQ(LogIn(office, "kaikei", "first pass 2026", &session), 200);
  ASSERT_EQ(Inbox(office, session), 200);
  const KuraRun disable = Kura("user disable kaikei");
  ASSERT_EQ(disable.exit_code, 0) << disable.err;
  EXPECT_EQ(LastJsonLine(disable.out)["active"], false);
  EXPECT_EQ(Inbox(office, session), 401);
  EXPECT_EQ(LogIn(office, "kaikei", "first pass 2026"), 403);
  ASSERT_EQ(Kura("user enable kaikei").exit_code, 0);
  ASSERT_EQ(LogIn(office, "kaikei", "first pass 2026", &session), 200);

  // Reset: the session ends, the old password fails, the temporary one
  // works and must be changed.
  const KuraRun reset = Kura("user reset-password kaikei", "temporary pass 1\n");
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(reset.out.find("temporary pass"), std::string::npos);
  EXPECT_EQ(Inbox(office, session), 401);
  EXPECT_EQ(LogIn(office, "kaikei", "first pass 2026"), 401);
  ASSERT_EQ(LogIn(office, "kaikei", "temporary pass 1", &session), 200);
  EXPECT_EQ(Inbox(office, session), 403) << "a temporary password allows only its change";

  // The user's own change: current, then new.
  EXPECT_EQ(Kura("user passwd kaikei", "wrong\nkaikei's choice\n").exit_code, 1);
  EXPECT_EQ(Kura("user passwd kaikei", "temporary pass 1\nshort\n").exit_code, 2);
  const KuraRun passwd = Kura("user passwd kaikei", "temporary pass 1\nkaikei's choice\n");
  ASSERT_EQ(passwd.exit_code, 0) << passwd.err;
  EXPECT_EQ(LastJsonLine(passwd.out)["must_change_password"], false);
  EXPECT_EQ(Inbox(office, session), 401);
  EXPECT_EQ(LogIn(office, "kaikei", "temporary pass 1"), 401);
  ASSERT_EQ(LogIn(office, "kaikei", "kaikei's choice", &session), 200);
  EXPECT_EQ(Inbox(office, session), 200);

  // A new department ends the session; a new name does not.
  ASSERT_EQ(Kura("user set kaikei --name '会計 花子'").exit_code, 0);
  EXPECT_EQ(Inbox(office, session), 200);
  const KuraRun moved = Kura("user set kaikei --department somu --role clerk --role auditor");
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_EQ(LastJsonLine(moved.out)["roles"], json({"clerk", "auditor"}));
  EXPECT_EQ(Inbox(office, session), 401);

  EXPECT_TRUE(StopServe());
  const KuraRun verify = Kura("verify --quiet");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(AccountsCliTest, RefusalsSayWhyInJapanese) {
  InitOffice();
  const KuraRun nowhere = Kura("user set kaikei --department nowhere");
  EXPECT_EQ(nowhere.exit_code, 2);
  EXPECT_NE(nowhere.err.find("所属課が登録されていません"), std::string::npos) << nowhere.err;
  const KuraRun untitled = Kura("user set kaikei --role approver");
  EXPECT_EQ(untitled.exit_code, 2);
  EXPECT_NE(untitled.err.find("職名"), std::string::npos) << untitled.err;
  EXPECT_EQ(Kura("user set kaikei").exit_code, 2);
  EXPECT_EQ(Kura("user set kaikei --role boss").exit_code, 2);
  const KuraRun nobody = Kura("user disable nobody");
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("利用者が登録されていません"), std::string::npos) << nobody.err;
  const KuraRun short_one = Kura("user reset-password kaikei", "short\n");
  EXPECT_EQ(short_one.exit_code, 2);
  EXPECT_NE(short_one.err.find("12文字以上"), std::string::npos) << short_one.err;
  EXPECT_EQ(Kura("user reset-password kaikei", "kaikei\n").exit_code, 2);
  EXPECT_EQ(Kura("user reset-password kaikei", "").exit_code, 2);
  const KuraRun add_short =
      Kura("user add --login ito --name 伊藤 --department somu --role clerk", "eleven char\n");
  EXPECT_EQ(add_short.exit_code, 2);
  EXPECT_NE(add_short.err.find("12文字以上"), std::string::npos) << add_short.err;
}

}  // namespace
