// kura: the command-line program. Parses the command line (CLI11), builds
// the real clock and file system, and hands over to app/commands.
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <pwd.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "app/commands.h"

#ifndef KURA_VERSION
#define KURA_VERSION "dev"
#endif

namespace {

std::string OsUser() {
  if (const passwd* pw = ::getpwuid(::geteuid())) return pw->pw_name;
  const char* u = std::getenv("USER");
  return u ? u : "unknown";
}

std::string DefaultDataDir() {
  const char* env = std::getenv("KURA_DATA");
  return env && *env ? env : "kura-data";
}

// Everything the command line fills in; it outlives the parse.
struct Args {
  int rc = 0;
  std::string id, out_path;
  app::IngestArgs ingest_args;
  app::SearchArgs search_args;
  std::map<std::string, std::string> search_opts;
  std::vector<std::string> search_regnos;
  bool search_desc = false, search_history = false;
  app::CorrectArgs correct_args;
  app::VerifyArgs verify_args;
  app::WatchArgs watch_args;
  app::DemoDataArgs demo_args;
  app::UserAddArgs user_args;
  app::UserSetArgs user_set_args;
  std::string user_login;
  std::string dept_code, dept_name;
  app::VendorAddArgs vendor_args;
  app::ServeArgs serve_args;
  std::string token_name, token_department, token_id;
};

void AddArchiveCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* init = cli->add_subcommand(
      "init", "データディレクトリを作成する (create the data directory; idempotent)");
  init->callback([&] { a.rc = app::CmdInit(ctx); });

  auto* ingest = cli->add_subcommand(
      "ingest", "ファイルを受領して保存する (archive received files; one JSON line per file)");
  ingest->add_option("--department", a.ingest_args.department,
                     "registered department code (課のコード, kura department add); "
                     "default: kura.toml [ingest] default_department");
  ingest->add_option("--source", a.ingest_args.source,
                     "how the files arrived: cli, scan, peppol, email, ... (default cli)");
  ingest->add_option("FILE", a.ingest_args.files, "files to archive")->required();
  ingest->callback([&] { a.rc = app::CmdIngest(ctx, a.ingest_args); });

  auto* show =
      cli->add_subcommand("show", "文書の記録を表示する (record, versions, receipts as JSON)");
  show->add_option("ID", a.id, "document id, e.g. D00000001")->required();
  show->callback([&] { a.rc = app::CmdShow(ctx, a.id); });
}

void AddSearchCommand(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* search = cli->add_subcommand(
      "search", "文書を検索する (取引年月日・取引金額・取引先ほか; conditions combine with AND)");
  const std::pair<const char*, const char*> search_flags[] = {
      {"--date-from", "取引年月日の開始 YYYY-MM-DD (inclusive)"},
      {"--date-to", "取引年月日の終了 YYYY-MM-DD (inclusive)"},
      {"--amount-min", "取引金額の下限 (inclusive)"},
      {"--amount-max", "取引金額の上限 (inclusive)"},
      {"--counterparty", "取引先 (part of the name; 全角/半角, 株式会社/(株)/㈱ ignored)"},
      {"--department", "部署コード"},
      {"--type", "invoice | credit_note"},
      {"--doc-format", "jp-pint, peppol-bis, xrechnung, ubl, cii, factur-x, zugferd, pdf"},
      {"--invoice-number", "請求書番号 (exact)"},
      {"--received-from", "受領日の開始 YYYY-MM-DD"},
      {"--received-to", "受領日の終了 YYYY-MM-DD"},
      {"--text", "請求書番号・取引先・ファイル名・明細の一部"},
      {"--sort", "date | amount | counterparty (default date)"},
      {"--limit", "件数 1..1000 (default 50)"},
      {"--offset", "skip this many hits"},
      {"--after", "the \"next\" cursor of the previous page"},
  };
  for (const auto& [flag, help] : search_flags) search->add_option(flag, a.search_opts[flag], help);
  search->add_option("--registration-number", a.search_regnos, "登録番号 T+13桁 (repeatable)");
  search->add_flag("--desc", a.search_desc, "descending order");
  search->add_flag("--history", a.search_history,
                   "also match earlier versions of corrected documents");
  search
      ->add_option("--format", a.search_args.output,
                   "json (one page) | csv (UTF-8 with BOM; all hits unless --limit)")
      ->check(CLI::IsMember({"json", "csv"}));
  search->add_flag("--explain", a.search_args.explain,
                   "print which index drove the query (stderr)");
  search->callback([&] {
    for (const auto& [flag, value] : a.search_opts) {
      if (value.empty()) continue;
      std::string name = std::string(flag).substr(2);
      if (name == "doc-format") name = "format";
      for (char& c : name) c = c == '-' ? '_' : c;
      a.search_args.params.emplace_back(name, value);
    }
    for (const auto& r : a.search_regnos)
      a.search_args.params.emplace_back("registration_number", r);
    if (a.search_desc) a.search_args.params.emplace_back("desc", "true");
    if (a.search_history) a.search_args.params.emplace_back("history", "true");
    a.search_args.all = a.search_args.output == "csv" && a.search_opts["--limit"].empty() &&
                        a.search_opts["--offset"].empty() && a.search_opts["--after"].empty();
    a.rc = app::CmdSearch(ctx, a.search_args);
  });
}

void AddDocumentCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* get = cli->add_subcommand("get", "原本を取り出す (write the original bytes, unchanged)");
  get->add_option("ID", a.id, "document id")->required();
  get->add_option("--out", a.out_path, "file to write (default: standard output)");
  get->callback([&] { a.rc = app::CmdGet(ctx, a.id, a.out_path); });

  auto* correct = cli->add_subcommand(
      "correct", "項目を訂正する (record a metadata correction as a new version; history is kept)");
  correct->add_option("ID", a.correct_args.id, "document id")->required();
  correct->add_option("--set", a.correct_args.assignments, "FIELD=VALUE (FIELD= removes it)")
      ->required();
  correct->add_option("--reason", a.correct_args.reason, "why (訂正理由)")->required();
  correct->add_option("--expect-version", a.correct_args.expected_version,
                      "refuse if the current version is not this one");
  correct->callback([&] { a.rc = app::CmdCorrect(ctx, a.correct_args); });

  auto* verify = cli->add_subcommand(
      "verify",
      "原本・タイムスタンプ・ログ・台帳をすべて検証する (exit 0 only if everything holds)");
  verify->add_flag("--quiet", a.verify_args.quiet, "print only the JSON summary");
  verify->add_option("--from", a.verify_args.from,
                     "check documents received from this date (YYYY-MM-DD, 一括検証)");
  verify->add_option("--to", a.verify_args.to, "... up to this date (inclusive)");
  verify->callback([&] { a.rc = app::CmdVerify(ctx, a.verify_args); });

  auto* token = cli->add_subcommand(
      "token", "文書のタイムスタンプトークンを出力する (RFC 3161 TimeStampResp, DER)");
  token->add_option("ID", a.id, "document id")->required();
  token->add_option("--out", a.out_path, "file to write (default: standard output)");
  token->callback([&] { a.rc = app::CmdToken(ctx, a.id, a.out_path); });

  auto* tsa_cert = cli->add_subcommand(
      "tsa-cert", "タイムスタンプ検証用の証明書を出力する (PEM, for openssl ts -verify -CAfile)");
  tsa_cert->add_option("--out", a.out_path, "file to write (default: standard output)");
  tsa_cert->callback([&] { a.rc = app::CmdTsaCert(ctx, a.out_path); });

  auto* log = cli->add_subcommand("log", "イベントログの署名済みチェックポイントと証明");
  log->require_subcommand(1);
  log->add_subcommand("checkpoint", "最新の署名済みチェックポイント (C2SP signed note)")
      ->callback([&] { a.rc = app::CmdLogCheckpoint(ctx); });
  auto* proof =
      log->add_subcommand("proof", "文書の受領イベントの包含証明 (inclusion proof, JSON)");
  proof->add_option("ID", a.id, "document id")->required();
  proof->callback([&] { a.rc = app::CmdLogProof(ctx, a.id); });

  auto* timestamp = cli->add_subcommand(
      "timestamp", "取得できていないタイムスタンプを再取得する (retry pending time-stamps)");
  timestamp->callback([&] { a.rc = app::CmdTimestampRetry(ctx); });
}

void AddIntakeCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* watch = cli->add_subcommand(
      "watch", "フォルダを監視して置かれたファイルを保存する (archive files dropped into DIR)");
  watch->add_option("DIR", a.watch_args.dir, "folder a scanner or connector writes to")
      ->required()
      ->check(CLI::ExistingDirectory);
  watch->add_option("--department", a.watch_args.department,
                    "registered department code (課のコード, kura department add); "
                    "default: kura.toml [ingest] default_department");
  watch->add_option("--source", a.watch_args.source,
                    "how the files arrived: scan for scanned paper (default watch)");
  watch
      ->add_option("--interval", a.watch_args.interval_seconds, "seconds between polls (default 2)")
      ->check(CLI::Range(1, 3600));
  watch
      ->add_option("--settle", a.watch_args.settle_seconds,
                   "seconds a file must stay unchanged before it is taken (default 2)")
      ->check(CLI::Range(0, 3600));
  watch->callback([&] { a.rc = app::CmdWatch(ctx, a.watch_args); });

  auto* demo = cli->add_subcommand(
      "demo-data", "デモ用の請求書を生成する (synthetic JP PINT XML and Japanese PDF invoices)");
  demo->add_option("--out", a.demo_args.out, "folder to write into (created if missing)")
      ->required();
  demo->add_option("--count", a.demo_args.count, "number of invoices (default 100)")
      ->check(CLI::Range(1, 10000000));
  demo->add_option("--seed", a.demo_args.seed, "same seed, same files (default 1)");
  demo->add_option("--pdf-share", a.demo_args.pdf_share, "fraction rendered as PDF (default 0.3)")
      ->check(CLI::Range(0.0, 1.0));
  demo->callback([&] { a.rc = app::CmdDemoData(ctx, a.demo_args); });
}

void AddTokenCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* token = cli->add_subcommand(
      "api-token", "連携用のAPIトークンを管理する (tokens that upload for one department)");
  token->require_subcommand(1);
  auto* create = token->add_subcommand(
      "create", "APIトークンを発行する (the secret is printed once and never stored)");
  create->add_option("--name", a.token_name, "用途 (e.g. \"Peppol アクセスポイント\")")->required();
  create->add_option("--department", a.token_department, "the department it uploads for")
      ->required();
  create->callback([&] { a.rc = app::CmdApiTokenCreate(ctx, a.token_name, a.token_department); });
  token->add_subcommand("list", "APIトークンの一覧 (one JSON line each)")->callback([&] {
    a.rc = app::CmdApiTokenList(ctx);
  });
  auto* revoke = token->add_subcommand("revoke", "APIトークンを取り消す (at once, for good)");
  revoke->add_option("id", a.token_id, "token id, e.g. tok-3f9a1c2e")->required();
  revoke->callback([&] { a.rc = app::CmdApiTokenRevoke(ctx, a.token_id); });
}

// `kura user ...`: accounts, beside a running `kura serve`.
void AddUserCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* user =
      cli->add_subcommand("user", "ユーザーを管理する (users of the payment-order workflow)");
  user->require_subcommand(1);
  auto* user_add =
      user->add_subcommand("add", "ユーザーを登録する (the password is read from standard input)");
  user_add->add_option("--login", a.user_args.login, "login id: a-z 0-9 . _ -")->required();
  user_add->add_option("--name", a.user_args.name, "氏名")->required();
  user_add->add_option("--department", a.user_args.department, "department code (課のコード)")
      ->required();
  user_add
      ->add_option("--role", a.user_args.roles,
                   "clerk | approver | accountant | auditor | compliance | admin (repeatable)")
      ->required();
  user_add->add_option("--title", a.user_args.title, "approver's title: 課長, 部長, 副市長, ...");
  user_add->add_flag("--must-change-password", a.user_args.must_change_password,
                     "仮のパスワード: 本人が最初のログインで変更する (a temporary password)");
  user_add->callback([&] { a.rc = app::CmdUserAdd(ctx, a.user_args); });
  user->add_subcommand("list", "ユーザーの一覧 (one JSON line each)")->callback([&] {
    a.rc = app::CmdUserList(ctx);
  });

  auto* set = user->add_subcommand(
      "set", "氏名・所属課・役割・職名を変更する (what is given changes; --role replaces the list)");
  set->add_option("LOGIN", a.user_set_args.login, "login id")->required();
  set->add_option("--name", a.user_set_args.name, "氏名");
  set->add_option("--department", a.user_set_args.department, "department code (課のコード)");
  set->add_option("--role", a.user_set_args.roles,
                  "clerk | approver | accountant | auditor | compliance | admin (repeatable; "
                  "replaces every role)");
  set->add_option("--title", a.user_set_args.title, "approver's title: 課長, 部長, 副市長, ...");
  set->callback([&] { a.rc = app::CmdUserSet(ctx, a.user_set_args); });

  const std::pair<const char*, const char*> by_login[] = {
      {"enable", "ユーザーを有効にする (enable the account)"},
      {"disable", "ユーザーを無効にする (disable the account; its web sessions end at once)"},
      {"passwd",
       "自分のパスワードを変更する (the user's own change: current password, then the new one "
       "from standard input)"},
      {"reset-password",
       "仮のパスワードを設定する (an administrator's reset: the user must change it at the next "
       "login; also unlocks)"},
      {"unlock",
       "ログインの制限を解除する (lift the login throttle of the name in every running kura "
       "serve)"},
  };
  for (const auto& [name, help] : by_login) {
    auto* cmd = user->add_subcommand(name, help);
    cmd->add_option("LOGIN", a.user_login, "login id")->required();
    const std::string which = name;
    cmd->callback([&a, &ctx, which] {
      if (which == "enable" || which == "disable") {
        a.rc = app::CmdUserSetActive(ctx, a.user_login, which == "enable");
      } else if (which == "passwd") {
        a.rc = app::CmdUserPasswd(ctx, a.user_login);
      } else if (which == "reset-password") {
        a.rc = app::CmdUserResetPassword(ctx, a.user_login);
      } else {
        a.rc = app::CmdUserUnlock(ctx, a.user_login);
      }
    });
  }
}

void AddOrganisationCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* department = cli->add_subcommand("department", "課を管理する (departments)");
  department->require_subcommand(1);
  auto* department_add = department->add_subcommand("add", "課を登録する");
  department_add->add_option("--code", a.dept_code, "code: a-z 0-9 _ - (e.g. somu)")->required();
  department_add->add_option("--name", a.dept_name, "name (e.g. 総務課)")->required();
  department_add->callback([&] { a.rc = app::CmdDepartmentAdd(ctx, a.dept_code, a.dept_name); });

  auto* vendor = cli->add_subcommand("vendor", "債権者マスタを管理する (the vendor master)");
  vendor->require_subcommand(1);
  auto* vendor_add = vendor->add_subcommand("add", "債権者を登録・更新する");
  vendor_add->add_option("--id", a.vendor_args.id, "creditor number, e.g. V00001")->required();
  vendor_add->add_option("--name", a.vendor_args.name, "registered name")->required();
  vendor_add->add_option("--registration-number", a.vendor_args.registration_number,
                         "適格請求書発行事業者登録番号 T + 13 digits");
  vendor_add->add_option("--bank-account", a.vendor_args.bank_account,
                         "payee account bank:branch:type:number, e.g. 0005:123:1:1234567");
  vendor_add->add_option("--address", a.vendor_args.address, "所在地");
  vendor_add->callback([&] { a.rc = app::CmdVendorAdd(ctx, a.vendor_args); });
}

void AddServeCommand(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* serve = cli->add_subcommand("serve", "Webサーバーを起動する (start the HTTP server)");
  serve->add_option("--listen", a.serve_args.listen,
                    "HOST:PORT (default from kura.toml: 127.0.0.1:8080)");
  serve->add_flag("--demo", a.serve_args.demo,
                  "seed a demo organisation, vendors, commitments and invoices (once) and "
                  "print the demo logins");
  serve->callback([&] { a.rc = app::CmdServe(ctx, a.serve_args); });
}

}  // namespace

int main(int argc, char** argv) {
  // Logs go to stderr, one human-readable line per event; stdout carries
  // the commands' JSON.
  auto logger = spdlog::stderr_color_mt("kura");
  logger->set_pattern("%Y-%m-%d %H:%M:%S %^%l%$ %v");
  spdlog::set_default_logger(logger);

  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;
  app::Context ctx;
  ctx.fs = fs.get();
  ctx.clock = &clock;
  ctx.user = OsUser();
  ctx.data_dir = DefaultDataDir();

  CLI::App cli{
      "kura (蔵): 受領した請求書を改ざんできない形で保存し、支出命令の決裁と会計審査を支える\n"
      "kura keeps received invoices unchanged with proof, for a city's accounting office."};
  cli.set_version_flag("--version", std::string("kura ") + KURA_VERSION);
  cli.require_subcommand(1);
  cli.add_option("--data", ctx.data_dir, "data directory (default: $KURA_DATA, else ./kura-data)")
      ->option_text("DIR");

  Args a;
  AddArchiveCommands(&cli, ctx, a);
  AddSearchCommand(&cli, ctx, a);
  AddDocumentCommands(&cli, ctx, a);
  AddIntakeCommands(&cli, ctx, a);
  AddUserCommands(&cli, ctx, a);
  AddOrganisationCommands(&cli, ctx, a);
  AddTokenCommands(&cli, ctx, a);
  AddServeCommand(&cli, ctx, a);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return a.rc;
}
