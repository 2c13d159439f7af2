// `kura payments run`: the accounting office's payment run from the command
// line — the 全銀協 総合振込 file for the bank and the CSV for 財務会計 of the
// orders accepted for payment (workflow/payments.h), recorded as one event.
// It acts as the accounting-office user named by --as (the run is theirs
// in the event log; the same rule as in the browser: only 会計室 runs
// payments), beside a running `kura serve`.
#include <cstdio>

#include "app/commands.h"
#include "app/error_text.h"
#include "app/open_archive.h"
#include "base/file_system.h"
#include "workflow/workflow.h"

namespace app {

namespace {

// The orders left out, one line each, for the person at the terminal.
void PrintRefusals(const Context& ctx, const workflow::PaymentRun& run) {
  for (const workflow::PaymentRunRefusal& r : run.refused) {
    std::fprintf(ctx.err, "kura: 支払から外しました: %s（債権者 %s）: %s\n", r.order_id.c_str(),
                 r.vendor_id.c_str(), r.reason.c_str());
  }
}

}  // namespace

int CmdPaymentsRun(const Context& ctx, const PaymentsRunArgs& args) {
  auto date = base::Date::Parse(args.date);
  if (!date.ok()) {
    PrintError(ctx.err, base::Status::InvalidArgument(
                            "--date は振込指定日を YYYY-MM-DD で指定してください: " +
                            ForDisplay(args.date, 40)));
    return kExitUsage;
  }
  if (args.out.empty() || args.csv.empty()) {
    PrintError(ctx.err, base::Status::InvalidArgument(
                            "--out（全銀ファイル）と --csv（財務会計へのCSV）を指定してください"));
    return kExitUsage;
  }
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    workflow::User as;
    as.login = args.as;
    ASSIGN_OR_RETURN(const workflow::PaymentRun run, wf->PreparePaymentRun(as, *date));
    PrintRefusals(ctx, run);
    if (run.lines.empty()) {
      return base::Status::FailedPrecondition("この日に支払える支出命令がありません");
    }
    if (args.dry_run) {
      PrintJsonLine(ctx, workflow::ToJson(run));
      return base::Status::OK();
    }
    RETURN_IF_ERROR(base::WriteFileDurably(ctx.fs, args.out, run.zengin));
    RETURN_IF_ERROR(base::WriteFileDurably(ctx.fs, args.csv, run.csv));
    // Recorded once both files are on disk: the event names the file's hash.
    RETURN_IF_ERROR(wf->RecordPaymentRun(run, as));
    nlohmann::json j = workflow::ToJson(run);
    j["zengin_file"] = args.out;
    j["csv_file"] = args.csv;
    PrintJsonLine(ctx, j);
    return base::Status::OK();
  });
}

}  // namespace app
