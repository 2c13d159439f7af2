// The kura commands, one function each, called by main.cc after CLI11 has
// parsed the command line. They print results to `out` (JSON for machines,
// one object per line) and messages for people to `err`, and return the
// process exit status: 0 success, 1 the operation failed (for verify: a
// check failed), 2 bad usage or an unusable data directory.
//
// Thread safety: each command runs on the calling thread.
#ifndef APP_COMMANDS_H_
#define APP_COMMANDS_H_

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "base/status.h"
#include "base/time.h"

namespace app {

/// What every command gets from main: the real world, injected.
struct Context {
  base::FileSystem* fs = nullptr;
  const base::Clock* clock = nullptr;
  std::string data_dir;  ///< --data, $KURA_DATA, or ./kura-data
  std::string user;      ///< the OS user running the command
  FILE* in = stdin;      ///< passwords (kura user add)
  FILE* out = stdout;
  FILE* err = stderr;
};

/// Exit codes of every command: done; failed (the data, the network, a
/// refusal); used wrongly (a bad argument, no data directory).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

int CmdInit(const Context& ctx);

struct IngestArgs {
  std::string department;
  std::string source = "cli";
  std::vector<std::string> files;
};
int CmdIngest(const Context& ctx, const IngestArgs& args);

int CmdShow(const Context& ctx, const std::string& id);

struct SearchArgs {
  /// Query parameters as archive::SearchQueryFromParams takes them.
  std::vector<std::pair<std::string, std::string>> params;
  std::string output = "json";  ///< json | csv
  /// csv without a limit, offset or cursor: every hit, paged internally.
  bool all = false;
  bool explain = false;  ///< print the plan to stderr
};
int CmdSearch(const Context& ctx, const SearchArgs& args);
int CmdGet(const Context& ctx, const std::string& id, const std::string& out_path);

struct CorrectArgs {
  std::string id;
  std::vector<std::string> assignments;  ///< "field=value"; "field=" removes it
  std::string reason;
  uint32_t expected_version = 0;
};
int CmdCorrect(const Context& ctx, const CorrectArgs& args);

struct VerifyArgs {
  bool quiet = false;
  std::string from, to;  ///< YYYY-MM-DD, optional: the period to check
  /// YYYY-MM-DD, optional: also verify every document's time-stamp renewal
  /// chain as if today were that date (retention/renewal.h).
  std::string at;
};
int CmdVerify(const Context& ctx, const VerifyArgs& args);

/// `kura token ID [--out FILE]`: the document's RFC 3161 TimeStampResp (DER).
int CmdToken(const Context& ctx, const std::string& id, const std::string& out_path);
/// `kura tsa-cert [--out FILE]`: the certificates that verify kura's tokens.
int CmdTsaCert(const Context& ctx, const std::string& out_path);
/// `kura log checkpoint`: the latest signed checkpoint (the proofs are in
/// app/evidence_commands.h).
int CmdLogCheckpoint(const Context& ctx);
/// `kura timestamp`: asks the TSA again for pending time-stamps.
int CmdTimestampRetry(const Context& ctx);

struct WatchArgs {
  std::string dir;
  std::string department;
  std::string source = "watch";
  int interval_seconds = 2;
  int settle_seconds = 2;
};
int CmdWatch(const Context& ctx, const WatchArgs& args);

struct DemoDataArgs {
  std::string out;
  int count = 100;
  uint64_t seed = 1;
  double pdf_share = 0.3;
};
/// `kura demo-data`: realistic synthetic invoices (JP PINT XML and
/// Japanese PDFs), deterministic for a seed.
int CmdDemoData(const Context& ctx, const DemoDataArgs& args);

struct UserAddArgs {
  std::string login;
  std::string name;
  std::string department;
  std::vector<std::string> roles;  ///< clerk, approver, accountant, auditor, compliance, admin
  std::string title;               ///< 課長, 部長, 副市長 (approvers)
  bool must_change_password = false;  ///< a temporary password (--must-change-password)
};
/// `kura user add`: the password comes from ctx.in — typed twice without
/// echo on a terminal, else the first line (for scripts: printf 'pw\n' |).
int CmdUserAdd(const Context& ctx, const UserAddArgs& args);
/// `kura user list`: one JSON line per user (never a password hash).
int CmdUserList(const Context& ctx);

/// `kura user set LOGIN`: what is given changes (--role replaces the list);
/// validated like `user add`. Ends the user's web sessions if the roles,
/// department or title change.
struct UserSetArgs {
  std::string login;
  std::optional<std::string> name, department, title;
  std::vector<std::string> roles;  ///< empty: unchanged
};
int CmdUserSet(const Context& ctx, const UserSetArgs& args);
/// `kura user enable|disable LOGIN`; disabling ends the user's sessions.
int CmdUserSetActive(const Context& ctx, const std::string& login, bool active);
/// `kura user passwd LOGIN`: the user's own change, acting as the user:
/// the current password, then the new one (on a terminal asked without
/// echo, the new one twice; piped: line 1 current, line 2 new).
int CmdUserPasswd(const Context& ctx, const std::string& login);
/// `kura user reset-password LOGIN`: an administrator's temporary password
/// (read like `user add`'s) that the user must change at the next login;
/// also unlocks the login.
int CmdUserResetPassword(const Context& ctx, const std::string& login);
/// `kura user unlock LOGIN`: lifts the login throttle of the name in every
/// running `kura serve` (which reads the unlock from the data directory).
int CmdUserUnlock(const Context& ctx, const std::string& login);
int CmdDepartmentAdd(const Context& ctx, const std::string& code, const std::string& name);

/// `kura api-token create --name N --department D`: one JSON line with the
/// token and its secret, shown this once (workflow/api_token.h).
int CmdApiTokenCreate(const Context& ctx, const std::string& name, const std::string& department);
/// `kura api-token list`: one JSON line per token (never a secret).
int CmdApiTokenList(const Context& ctx);
/// `kura api-token revoke ID`.
int CmdApiTokenRevoke(const Context& ctx, const std::string& id);

struct VendorAddArgs {
  std::string id;
  std::string name;
  std::string registration_number;
  std::string bank_account;  ///< "bank:branch:type:number"
  std::string account_holder;  ///< 口座名義 (kana)
  std::string address;
  std::string corporate_number;  ///< 法人番号, 13 digits
  std::string kana_name;         ///< フリガナ (katakana; hiragana and half width taken)
};
/// `kura vendor add`: creates or replaces a vendor master entry.
int CmdVendorAdd(const Context& ctx, const VendorAddArgs& args);

struct PaymentsRunArgs {
  std::string date;  ///< 振込指定日, YYYY-MM-DD
  std::string as;    ///< the accounting-office login the run is recorded as
  std::string out;   ///< the 全銀 file
  std::string csv;   ///< the CSV for 財務会計
  bool dry_run = false;
};
/// `kura payments run` (app/payments_cli.cc).
int CmdPaymentsRun(const Context& ctx, const PaymentsRunArgs& args);

struct ServeArgs {
  std::string listen;  ///< empty: kura.toml's [server] listen
  bool demo = false;
};
int CmdServe(const Context& ctx, const ServeArgs& args);

}  // namespace app

namespace archive {
class Archive;
}
namespace workflow {
class Workflow;
}

namespace app {

/// The one password of every demo user (serve --demo).
inline constexpr char kDemoPassword[] = "demo-pass-2026";

/// Seeds a demo organisation for `kura serve --demo` unless it is there:
/// departments and users for every role (password kDemoPassword), the
/// vendor master and commitments from the demo-invoice generator, and
/// `invoice_count` generated invoices of the current fiscal year (only if
/// the archive holds no document yet). Idempotent: a second run adds
/// nothing. With history (the clock arc and wf were opened with, now on
/// entry) and an empty archive, the invoices are received over the last
/// eight weeks and some walked through the payment-order flow
/// (demo_history.h); the clock ends where it began.
base::Status SeedDemo(const Context& ctx, archive::Archive* arc, workflow::Workflow* wf,
                      int invoice_count, base::FakeClock* history = nullptr);
/// Prints the demo logins and password to ctx.err, with curl examples
/// against url ("http://127.0.0.1:8080/").
void PrintDemoLogins(const Context& ctx, const std::string& url);

}  // namespace app

#endif  // APP_COMMANDS_H_
