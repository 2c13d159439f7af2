// kura: the command-line program. Parses the command line (CLI11), builds
// the real clock and file system, and hands over to app/commands.
#include <clocale>
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <pwd.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/evidence_commands.h"
#include "app/internal/cli_japanese.h"
#include "app/internal/compliance_cli.h"
#include "app/internal/renewal_cli.h"
#include "app/internal/ocr_cli.h"
#include "app/internal/payments_cli.h"
#include "app/internal/retention_cli.h"
#include "app/internal/vendors_cli.h"
#include "app/internal/registry_cli.h"

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
  app::PaymentsRunArgs payments_args;
  app::ServeArgs serve_args;
  app::LogProofArgs log_proof_args;
  uint64_t log_old = 0, log_new = 0, log_event = 0;
  app::ExportArgs export_args;
  std::string vkey;
  std::string token_name, token_department, token_id;
};

void AddArchiveCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* init =
      cli->add_subcommand("init", "データディレクトリを作成する（作成済みなら何もしない）");
  init->callback([&] {
    a.rc = app::CmdInit(ctx);
    // The values to pin; the directory stands even if they cannot be read
    // (the reason is printed, and `kura keys fingerprints` tries again).
    if (a.rc == app::kExitOk) (void)app::internal::PrintPinnedKeys(ctx);
  });

  auto* ingest =
      cli->add_subcommand("ingest", "ファイルを受領して保存する（結果はファイルごとに JSON 1 行）");
  ingest->add_option("--department", a.ingest_args.department,
                     "受領する課のコード（kura department add で登録済みのもの）。"
                     "省略時は kura.toml の [ingest] default_department");
  ingest->add_option("--source", a.ingest_args.source,
                     "受領方法: cli, scan, peppol, email など（既定: cli）");
  ingest->add_option("FILE", a.ingest_args.files, "保存するファイル（複数可）")->required();
  ingest->callback([&] { a.rc = app::CmdIngest(ctx, a.ingest_args); });

  auto* show =
      cli->add_subcommand("show", "文書の記録を表示する（記録・版・受領の履歴を JSON で）");
  show->add_option("ID", a.id, "文書ID（例: D00000001）")->required();
  show->callback([&] { a.rc = app::CmdShow(ctx, a.id); });
}

// The filters of `kura search` (and of `kura export`, up to --sort).
const std::pair<const char*, const char*> kSearchFlags[] = {
    {"--date-from", "取引年月日の開始 YYYY-MM-DD（その日を含む）"},
    {"--date-to", "取引年月日の終了 YYYY-MM-DD（その日を含む）"},
    {"--amount-min", "取引金額の下限（その金額を含む）"},
    {"--amount-max", "取引金額の上限（その金額を含む）"},
    {"--counterparty", "取引先名の一部（全角/半角、株式会社/(株)/㈱ の違いは無視）"},
    {"--department", "部署コード"},
    {"--type", "書類の種類: invoice（請求書）| credit_note（返金・値引）"},
    {"--doc-format",
     "形式: jp-pint, peppol-bis, xrechnung, ubl, cii, factur-x, zugferd, pdf, scan（スキャン）"},
    {"--invoice-number", "請求書番号（完全一致）"},
    {"--received-from", "受領日の開始 YYYY-MM-DD"},
    {"--received-to", "受領日の終了 YYYY-MM-DD"},
    {"--text", "請求書番号・取引先・ファイル名・明細の一部"},
    {"--sort", "並び順: date（取引年月日）| amount（金額）| counterparty（取引先）。既定: date"},
    {"--limit", "1 ページの件数 1〜1000（既定: 50）"},
    {"--offset", "先頭から飛ばす件数"},
    {"--after", "前のページの \"next\"（続きの位置）"},
};

// --date-from ... --text: what `kura export` takes.
constexpr size_t kSearchFilterCount = 12;

void AddSearchCommand(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* search = cli->add_subcommand(
      "search", "文書を検索する（取引年月日・取引金額・取引先など。条件はすべて満たすものを探す）");
  for (const auto& [flag, help] : kSearchFlags) search->add_option(flag, a.search_opts[flag], help);
  search->add_option("--registration-number", a.search_regnos, "登録番号 T+13桁（複数指定可）");
  search->add_flag("--desc", a.search_desc, "降順に並べる");
  search->add_flag("--history", a.search_history, "訂正された文書の以前の版も検索する");
  search
      ->add_option("--format", a.search_args.output,
                   "出力形式: json（1 ページ）| csv（UTF-8 BOM 付き。--limit がなければ全件）")
      ->check(app::internal::OneOf({"json", "csv"}));
  search->add_flag("--explain", a.search_args.explain,
                   "どの索引で検索したかを標準エラーに表示する");
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

// `kura log proof | consistency | checkpoints` (app/log_cli.cc).
void AddLogProofCommands(CLI::App* log, const app::Context& ctx, Args& a) {
  auto* proof = log->add_subcommand(
      "proof",
      "文書のすべてのイベント（受領・訂正・支出命令の各段階）または 1 つのイベントの包含証明を"
      "表示する（JSON、RFC 9162）");
  proof->add_option("ID", a.log_proof_args.id, "文書ID（省略時は --event のイベント）");
  auto* event = proof->add_option("--event", a.log_event, "イベントの番号（0 から）");
  proof->callback([&a, &ctx, event] {
    if (event->count() > 0) a.log_proof_args.event = a.log_event;
    a.rc = app::CmdLogProof(ctx, a.log_proof_args);
  });
  auto* consistency = log->add_subcommand(
      "consistency", "2 つの木の大きさの間の一貫性証明を表示する（JSON、RFC 9162）");
  consistency->add_option("OLD", a.log_old, "古い木の大きさ（イベント数）")->required();
  consistency->add_option("NEW", a.log_new, "新しい木の大きさ（イベント数）")->required();
  consistency->callback([&] { a.rc = app::CmdLogConsistency(ctx, a.log_old, a.log_new); });
  auto* checkpoints = log->add_subcommand(
      "checkpoints", "保存されているすべての署名済みチェックポイントとタイムスタンプを表示する"
                     "（1 件ごとに JSON 1 行、トークンは base64）");
  checkpoints->add_option("--out", a.out_path,
                          "<件数>.note と <件数>.tsr も書き出すフォルダ（openssl ts -verify 用）");
  checkpoints->callback([&] { a.rc = app::CmdLogCheckpoints(ctx, a.out_path); });
}

void AddDocumentCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* get = cli->add_subcommand("get", "原本を取り出す（受領したときのまま）");
  get->add_option("ID", a.id, "文書ID")->required();
  get->add_option("--out", a.out_path, "書き出すファイル（省略時は標準出力）");
  get->callback([&] { a.rc = app::CmdGet(ctx, a.id, a.out_path); });

  auto* correct =
      cli->add_subcommand("correct", "項目を訂正する（訂正は新しい版として記録され、履歴は残る）");
  correct->add_option("ID", a.correct_args.id, "文書ID")->required();
  correct->add_option("--set", a.correct_args.assignments, "項目=値（「項目=」で消す）")
      ->required();
  correct->add_option("--reason", a.correct_args.reason, "訂正理由")->required();
  correct->add_option("--expect-version", a.correct_args.expected_version,
                      "現在の版がこの版でなければ訂正しない");
  correct->callback([&] { a.rc = app::CmdCorrect(ctx, a.correct_args); });

  auto* verify = cli->add_subcommand(
      "verify",
      "原本・タイムスタンプ・ログ・台帳をすべて検証する（すべて正常なときだけ終了コード 0）");
  verify->add_flag("--quiet", a.verify_args.quiet, "JSON の結果だけを表示する");
  verify->add_option("--from", a.verify_args.from,
                     "この日以降に受領した文書を検証する（YYYY-MM-DD、一括検証）");
  verify->add_option("--to", a.verify_args.to,
                     "この日までに受領した文書を検証する（YYYY-MM-DD、その日を含む）");
  verify->add_option("--at", a.verify_args.at,
                     "この日（YYYY-MM-DD、日本時間 0 時）を今日として、タイムスタンプとその更新の"
                     "連鎖を検証する");
  verify->callback([&] { a.rc = app::CmdVerify(ctx, a.verify_args); });

  auto* token = cli->add_subcommand(
      "token", "文書のタイムスタンプトークンを出力する（RFC 3161 TimeStampResp、DER）");
  token->add_option("ID", a.id, "文書ID")->required();
  token->add_option("--out", a.out_path, "書き出すファイル（省略時は標準出力）");
  token->callback([&] { a.rc = app::CmdToken(ctx, a.id, a.out_path); });

  auto* tsa_cert = cli->add_subcommand(
      "tsa-cert", "タイムスタンプ検証用の証明書を出力する（PEM。openssl ts -verify -CAfile 用）");
  tsa_cert->add_option("--out", a.out_path, "書き出すファイル（省略時は標準出力）");
  tsa_cert->callback([&] { a.rc = app::CmdTsaCert(ctx, a.out_path); });

  auto* log = cli->add_subcommand("log", "イベントログの署名済みチェックポイントと証明");
  log->require_subcommand(1);
  log->add_subcommand("checkpoint", "最新の署名済みチェックポイントを表示する（C2SP signed note）")
      ->callback([&] { a.rc = app::CmdLogCheckpoint(ctx); });
  AddLogProofCommands(log, ctx, a);

  auto* timestamp = cli->add_subcommand("timestamp", "取得できていないタイムスタンプを再取得する");
  timestamp->callback([&] { a.rc = app::CmdTimestampRetry(ctx); });
}

void AddIntakeCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* watch = cli->add_subcommand("watch", "フォルダを監視して、置かれたファイルを保存する");
  watch->add_option("DIR", a.watch_args.dir, "スキャナーや連携システムがファイルを置くフォルダ")
      ->required()
      ->check(app::internal::ExistingFolder());
  watch->add_option("--department", a.watch_args.department,
                    "受領する課のコード（kura department add で登録済みのもの）。"
                    "省略時は kura.toml の [ingest] default_department");
  watch->add_option("--source", a.watch_args.source,
                    "受領方法: 紙をスキャンしたものは scan（既定: watch）");
  watch
      ->add_option("--interval", a.watch_args.interval_seconds,
                   "フォルダを確かめる間隔（秒、既定: 2）")
      ->check(app::internal::Between(1, 3600));
  watch
      ->add_option("--settle", a.watch_args.settle_seconds,
                   "ファイルが変化しなくなってから取り込むまでの秒数（既定: 2）")
      ->check(app::internal::Between(0, 3600));
  watch->callback([&] { a.rc = app::CmdWatch(ctx, a.watch_args); });

  auto* demo =
      cli->add_subcommand("demo-data", "デモ用の請求書を生成する（JP PINT の XML と日本語の PDF）");
  demo->add_option("--out", a.demo_args.out, "書き出すフォルダ（なければ作成）")->required();
  demo->add_option("--count", a.demo_args.count, "請求書の数（既定: 100）")
      ->check(app::internal::Between(1, 10000000));
  demo->add_option("--seed", a.demo_args.seed, "乱数の種。同じ種なら同じファイル（既定: 1）");
  demo->add_option("--pdf-share", a.demo_args.pdf_share, "PDF にする割合 0〜1（既定: 0.3）")
      ->check(app::internal::Between(0.0, 1.0, /*fraction=*/true));
  demo->callback([&] { a.rc = app::CmdDemoData(ctx, a.demo_args); });
}

void AddTokenCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* token = cli->add_subcommand(
      "api-token", "連携用のAPIトークンを管理する（1 つの課の書類を登録するためのもの）");
  token->require_subcommand(1);
  auto* create = token->add_subcommand(
      "create", "APIトークンを発行する（secret は一度だけ表示され、保存されない）");
  create->add_option("--name", a.token_name, "用途（例: \"Peppol アクセスポイント\"）")->required();
  create->add_option("--department", a.token_department, "書類を登録する課のコード")->required();
  create->callback([&] { a.rc = app::CmdApiTokenCreate(ctx, a.token_name, a.token_department); });
  token->add_subcommand("list", "APIトークンの一覧を表示する（1 件ごとに JSON 1 行）")
      ->callback([&] { a.rc = app::CmdApiTokenList(ctx); });
  auto* revoke = token->add_subcommand("revoke", "APIトークンを取り消す（直ちに、元に戻せない）");
  revoke->add_option("id", a.token_id, "トークンID（例: tok-3f9a1c2e）")->required();
  revoke->callback([&] { a.rc = app::CmdApiTokenRevoke(ctx, a.token_id); });
}

// `kura user ...`: accounts, beside a running `kura serve`.
void AddUserCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* user = cli->add_subcommand("user", "ユーザーを管理する（支出命令の決裁に関わる人）");
  user->require_subcommand(1);
  auto* user_add =
      user->add_subcommand("add", "ユーザーを登録する（パスワードは標準入力から読む）");
  user_add->add_option("--login", a.user_args.login, "ログインID: 半角英小文字・数字・. _ -")
      ->required();
  user_add->add_option("--name", a.user_args.name, "氏名")->required();
  user_add->add_option("--department", a.user_args.department, "所属課のコード")->required();
  user_add
      ->add_option("--role", a.user_args.roles,
                   "役割: clerk（会計担当）| approver（決裁者）| accountant（会計室）| "
                   "auditor（監査）| compliance（文書管理）| admin（管理者）。複数指定可")
      ->required();
  user_add->add_option("--title", a.user_args.title, "決裁者の職名: 課長、部長、副市長など");
  user_add->add_flag("--must-change-password", a.user_args.must_change_password,
                     "仮のパスワードとして登録する（本人が最初のログインで変更する）");
  user_add->callback([&] { a.rc = app::CmdUserAdd(ctx, a.user_args); });
  user->add_subcommand("list", "ユーザーの一覧を表示する（1 人ごとに JSON 1 行）")->callback([&] {
    a.rc = app::CmdUserList(ctx);
  });

  auto* set = user->add_subcommand(
      "set",
      "氏名・所属課・役割・職名を変更する（指定したものだけ。--role は役割をすべて置き換える）");
  set->add_option("LOGIN", a.user_set_args.login, "ログインID")->required();
  set->add_option("--name", a.user_set_args.name, "氏名");
  set->add_option("--department", a.user_set_args.department, "所属課のコード");
  set->add_option("--role", a.user_set_args.roles,
                  "役割: clerk | approver | accountant | auditor | compliance | admin"
                  "（複数指定可。今の役割をすべて置き換える）");
  set->add_option("--title", a.user_set_args.title, "決裁者の職名: 課長、部長、副市長など");
  set->callback([&] { a.rc = app::CmdUserSet(ctx, a.user_set_args); });

  const std::pair<const char*, const char*> by_login[] = {
      {"enable", "ユーザーを有効にする"},
      {"disable", "ユーザーを無効にする（Web のセッションも直ちに終わる）"},
      {"passwd",
       "自分のパスワードを変更する（標準入力から現在のパスワード、続いて新しいパスワードを読む）"},
      {"reset-password",
       "仮のパスワードを設定する（管理者による再設定。本人は次のログインで変更する。"
       "ログインの制限も解除する）"},
      {"unlock", "ログインの制限を解除する（動いているすべての kura serve で）"},
  };
  for (const auto& [name, help] : by_login) {
    auto* cmd = user->add_subcommand(name, help);
    cmd->add_option("LOGIN", a.user_login, "ログインID")->required();
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
  auto* department = cli->add_subcommand("department", "課を管理する");
  department->require_subcommand(1);
  auto* department_add = department->add_subcommand("add", "課を登録する");
  department_add
      ->add_option("--code", a.dept_code, "課のコード: 半角英小文字・数字・_ -（例: somu）")
      ->required();
  department_add->add_option("--name", a.dept_name, "課の名称（例: 総務課）")->required();
  department_add->callback([&] { a.rc = app::CmdDepartmentAdd(ctx, a.dept_code, a.dept_name); });

  auto* vendor = cli->add_subcommand("vendor", "債権者マスタを管理する");
  vendor->require_subcommand(1);
  auto* vendor_add = vendor->add_subcommand("add", "債権者を登録・更新する");
  vendor_add->add_option("--id", a.vendor_args.id, "債権者番号（例: V00001）")->required();
  vendor_add->add_option("--name", a.vendor_args.name, "債権者名（登録上の名称）")->required();
  vendor_add->add_option("--registration-number", a.vendor_args.registration_number,
                         "適格請求書発行事業者登録番号（T と 13 桁の数字）");
  vendor_add->add_option("--bank-account", a.vendor_args.bank_account,
                         "振込先口座 銀行:支店:種目:番号（例: 0005:123:1:1234567）");
  vendor_add->add_option("--address", a.vendor_args.address, "所在地");
  vendor_add->add_option("--account-holder", a.vendor_args.account_holder,
                         "口座名義（銀行に届けたカナ。例: カ）クラマエインサツ）");
  vendor_add->add_option("--corporate-number", a.vendor_args.corporate_number,
                         "法人番号（13桁。登録番号もあるときは T を除いた13桁と同じ番号）");
  vendor_add->add_option("--kana-name", a.vendor_args.kana_name,
                         "フリガナ（カタカナ。ひらがな・半角カナはカタカナにして登録）");
  vendor_add->callback([&] { a.rc = app::CmdVendorAdd(ctx, a.vendor_args); });

  auto* payments = cli->add_subcommand("payments", "支払処理（全銀の総合振込ファイル）");
  payments->require_subcommand(1);
  auto* run = payments->add_subcommand(
      "run", "支払待ちの支出命令から総合振込ファイルと財務会計へのCSVを作り、支払処理として記録する");
  run->add_option("--date", a.payments_args.date, "振込指定日（YYYY-MM-DD）")->required();
  run->add_option("--as", a.payments_args.as, "支払処理をする会計室の利用者（ログインID）")
      ->required();
  run->add_option("--out", a.payments_args.out, "全銀ファイルの書き出し先")->required();
  run->add_option("--csv", a.payments_args.csv, "財務会計へのCSVの書き出し先")->required();
  run->add_flag("--dry-run", a.payments_args.dry_run, "書き出さず、記録もせずに対象と除外を表示する");
  run->callback([&] { a.rc = app::CmdPaymentsRun(ctx, a.payments_args); });
  app::internal::AddPaymentRunCommands(payments, ctx, &a.rc);
}

// `kura export` and `kura verify-export` (app/export_cli.cc).
void AddExportCommands(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* exp = cli->add_subcommand(
      "export", "証跡パッケージ（BagIt）を書き出す: 原本・一覧・タイムスタンプ・証明・履歴・報告書"
                "（条件は kura search と同じ。条件なしはすべての文書）");
  for (size_t i = 0; i < kSearchFilterCount; ++i) {
    exp->add_option(kSearchFlags[i].first, a.search_opts[kSearchFlags[i].first],
                    kSearchFlags[i].second);
  }
  exp->add_option("--registration-number", a.search_regnos, "登録番号 T+13桁（複数指定可）");
  exp->add_option("--out", a.export_args.out,
                  "書き出すフォルダ（新しいもの、または空のもの）か、.zip で終わるファイル名")
      ->required();
  exp->add_option("--organization", a.export_args.organization,
                  "作成者として bag-info.txt と報告書に記す組織名（例: 蔵前市会計室）");
  exp->callback([&] {
    for (const auto& [flag, value] : a.search_opts) {
      if (value.empty()) continue;
      std::string name = std::string(flag).substr(2);
      if (name == "doc-format") name = "format";
      for (char& c : name) c = c == '-' ? '_' : c;
      a.export_args.params.emplace_back(name, value);
    }
    for (const auto& r : a.search_regnos) a.export_args.params.emplace_back("registration_number", r);
    a.rc = app::CmdExport(ctx, a.export_args);
  });
  auto* verify = cli->add_subcommand(
      "verify-export", "証跡パッケージ（フォルダまたは ZIP）をすべて検証し、問題のあるファイルを示す");
  verify->add_option("PATH", a.out_path, "証跡パッケージのフォルダまたは .zip")->required();
  verify->add_option("--verifier-key", a.vkey,
                     "別の経路で入手したログの検証鍵（省略時はパッケージ内の鍵で確かめる）");
  verify->callback([&] { a.rc = app::CmdVerifyExport(ctx, a.out_path, a.vkey); });
}

void AddServeCommand(CLI::App* cli, const app::Context& ctx, Args& a) {
  auto* serve = cli->add_subcommand("serve", "Webサーバーを起動する");
  serve->add_option("--listen", a.serve_args.listen,
                    "待ち受けるアドレス ホスト:ポート（省略時は kura.toml の [server] listen、"
                    "既定: 127.0.0.1:8080）");
  serve->add_flag("--demo", a.serve_args.demo,
                  "デモ用の組織・債権者・支出負担行為・請求書を（初回だけ）用意し、"
                  "デモのログインIDを表示する");
  serve->callback([&] { a.rc = app::CmdServe(ctx, a.serve_args); });
}

}  // namespace

int main(int argc, char** argv) {
  // File names are UTF-8 everywhere kura meets them (received files, the
  // originals in an evidence ZIP); libarchive converts entry names through
  // LC_CTYPE, which in the default "C" locale cannot hold Japanese. Only
  // LC_CTYPE: numbers and messages stay as they are.
  std::setlocale(LC_CTYPE, "C.UTF-8");
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
      "kura (蔵): 受領した請求書を改ざんできない形で保存し、支出命令の決裁と会計審査を支える"};
  app::internal::UseJapanese(&cli, std::string("kura ") + KURA_VERSION);
  cli.require_subcommand(1);
  cli.add_option("--data", ctx.data_dir,
                 "データディレクトリ（省略時は環境変数 KURA_DATA、なければ ./kura-data）")
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
  AddExportCommands(&cli, ctx, a);
  app::internal::AddRetentionCommands(&cli, ctx, &a.rc);
  app::internal::AddComplianceCommands(&cli, ctx, &a.rc);
  app::internal::AddRenewalCommands(&cli, ctx, &a.rc);
  app::internal::AddOcrCommands(&cli, ctx, &a.rc);
  app::internal::AddVendorsCommands(&cli, ctx, &a.rc);
  app::internal::AddRegistryCommands(&cli, ctx, &a.rc);
  app::internal::GroupSubcommands(&cli);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }
  return a.rc;
}
