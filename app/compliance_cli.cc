// `kura keys fingerprints` and `kura compliance report` (app/internal/compliance_cli.h).
#include "app/internal/compliance_cli.h"

#include <cstdio>
#include <memory>
#include <string>

#include "app/error_text.h"
#include "app/internal/cli_japanese.h"
#include "app/open_archive.h"
#include "compliance/fingerprints.h"
#include "compliance/report.h"
#include "retention/retention.h"

namespace app::internal {
namespace {

// Shared by the callbacks, so it lives as long as the CLI::App.
struct Args {
  std::string format = "text";
};

// Who reads on the command line: the OS user, with an auditor's rights
// (reading the data directory is what the OS already allows them).
workflow::User Reader(const Context& ctx) {
  return workflow::User{"cli:" + ctx.user, ctx.user, "", {workflow::Role::kAuditor}, "", true};
}

int Keys(const Context& ctx, const std::string& format) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!opened.ok()) {
    PrintError(ctx.err, opened.status());
    return kExitUsage;
  }
  auto keys = compliance::ReadPinnedKeys(opened->archive->ledger());
  if (!keys.ok()) {
    PrintError(ctx.err, keys.status());
    return kExitFailed;
  }
  if (format == "json") {
    PrintJsonLine(ctx, compliance::ToJson(*keys));
  } else {
    std::fputs(compliance::PinningText(*keys).c_str(), ctx.out);
  }
  return kExitOk;
}

int Report(const Context& ctx, const std::string& format) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!opened.ok()) {
    PrintError(ctx.err, opened.status());
    return kExitUsage;
  }
  auto r = retention::Retention::Open(opened->archive.get(), ctx.clock, opened->config.retention);
  if (!r.ok()) {
    PrintError(ctx.err, r.status());
    return kExitUsage;
  }
  auto report = compliance::BuildReport(*opened->archive, **r, Reader(ctx), ctx.clock->Now());
  if (!report.ok()) {
    PrintError(ctx.err, report.status());
    return kExitFailed;
  }
  if (format == "json") {
    PrintJsonLine(ctx, compliance::ToJson(*report));
  } else {
    std::fputs(compliance::ReportText(*report).c_str(), ctx.out);
  }
  return kExitOk;
}

void AddFormat(CLI::App* cmd, Args& a) {
  cmd->add_option("--format", a.format, "出力形式: text（人が読む。既定）| json")
      ->check(OneOf({"text", "json"}));
}

}  // namespace

int PrintPinnedKeys(const Context& ctx) { return Keys(ctx, "text"); }

void AddComplianceCommands(CLI::App* cli, const Context& ctx, int* rc) {
  auto a = std::make_shared<Args>();
  auto* keys = cli->add_subcommand(
      "keys", "監査人が別の経路で控える値（ログの検証鍵・TSA ルート証明書のフィンガープリント）");
  keys->require_subcommand(1);
  auto* fingerprints = keys->add_subcommand(
      "fingerprints",
      "ログの検証鍵と TSA ルート証明書の SHA-256 フィンガープリントを表示する"
      "（openssl x509 -fingerprint -sha256 と同じ形式）");
  AddFormat(fingerprints, *a);
  fingerprints->callback([&ctx, rc, a] { *rc = Keys(ctx, a->format); });

  auto* compliance = cli->add_subcommand("compliance", "電子帳簿保存法への対応");
  compliance->require_subcommand(1);
  auto* report = compliance->add_subcommand(
      "report",
      "電子帳簿保存法の要件ごとに、kura の対応・確認するコマンドと画面・証明するテストと、"
      "この文書庫の現在の状態を表示する");
  AddFormat(report, *a);
  report->callback([&ctx, rc, a] { *rc = Report(ctx, a->format); });
}

}  // namespace app::internal
