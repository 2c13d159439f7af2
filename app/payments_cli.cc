// `kura payments run`: the accounting office's payment run from the command
// line — the 全銀協 総合振込 file for the bank and the CSV for 財務会計 of the
// orders accepted for payment (workflow/payments.h), recorded as one event.
// It acts as the accounting-office user named by --as (the run is theirs
// in the event log; the same rule as in the browser: only 会計室 runs
// payments), beside a running `kura serve`.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/internal/payments_cli.h"

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

// A file written under a temporary name beside its final one, renamed into
// place by Place; removed by the destructor unless placed.
struct PendingFile {
  explicit PendingFile(std::string p) : path(std::move(p)), tmp(path + ".part") {}
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile() {
    if (written && !placed) fs->RemoveFile(tmp).IgnoreError();  // best effort
  }
  // The bytes in tmp, synced to disk (POSIX: write, fsync, close).
  base::Status Write(base::FileSystem* file_system, std::string_view bytes) {
    fs = file_system;
    ASSIGN_OR_RETURN(auto file, fs->NewWritableFile(tmp, 0644));
    written = true;
    RETURN_IF_ERROR(file->Append(bytes));
    RETURN_IF_ERROR(file->Sync());
    return file->Close();
  }
  // rename(tmp, path), then fsync of the folder so the new name lasts.
  base::Status Place(base::FileSystem* file_system) {
    RETURN_IF_ERROR(file_system->Rename(tmp, path));
    placed = true;
    return file_system->SyncDir(base::DirName(path));
  }
  std::string path, tmp;
  base::FileSystem* fs = nullptr;
  bool written = false, placed = false;
};

// One run as a JSON line: the record without its lines' details for list.
nlohmann::json RunLine(const workflow::PaymentRunRecord& r, bool with_lines) {
  nlohmann::json j = workflow::ToJson(r);
  if (!with_lines) j.erase("lines");
  return j;
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
    // Both files under temporary names, synced; the run recorded; only then
    // renamed into place (and their folders synced). A run that cannot be
    // recorded leaves no file behind that a person could send to the bank.
    PendingFile zengin{args.out}, csv{args.csv};
    RETURN_IF_ERROR(zengin.Write(ctx.fs, run.zengin));
    RETURN_IF_ERROR(csv.Write(ctx.fs, run.csv));
    auto recorded = wf->RecordPaymentRun(run, as);
    if (!recorded.ok()) return recorded.status();
    base::Status placed = zengin.Place(ctx.fs);
    if (placed.ok()) placed = csv.Place(ctx.fs);
    if (!placed.ok()) {
      return placed.WithContext("支払処理 " + recorded->id +
                                " は記録しましたが、ファイルを所定の名前にできませんでした（" +
                                zengin.tmp + "、" + csv.tmp + " を確認してください）");
    }
    nlohmann::json j = workflow::ToJson(run);
    j["id"] = recorded->id;
    j["zengin_file"] = args.out;
    j["csv_file"] = args.csv;
    PrintJsonLine(ctx, j);
    return base::Status::OK();
  });
}

namespace internal {

void AddPaymentRunCommands(CLI::App* payments, const Context& ctx, int* rc) {
  struct Args {
    std::string run, as, reason;
  };
  auto a = std::make_shared<Args>();
  auto as = [](CLI::App* c, Args* args) {
    c->add_option("--as", args->as, "会計室の利用者（ログインID）")->required();
  };
  auto* confirm = payments->add_subcommand(
      "confirm", "銀行が総合振込ファイルを受け付けた支払処理を確定し、支出命令を支払済みにする");
  confirm->add_option("RUN", a->run, "支払処理の番号（例: R2026-0001）")->required();
  as(confirm, a.get());
  confirm->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
      workflow::User me;
      me.login = a->as;
      ASSIGN_OR_RETURN(const workflow::PaymentRunRecord r, wf->ConfirmPaymentRun(a->run, me));
      PrintJsonLine(ctx, RunLine(r, true));
      return base::Status::OK();
    });
  });
  auto* cancel = payments->add_subcommand(
      "cancel", "確定前の支払処理を取り消す（支出命令は次の支払処理に入れられるようになる）");
  cancel->add_option("RUN", a->run, "支払処理の番号（例: R2026-0001）")->required();
  cancel->add_option("--reason", a->reason, "取消の理由")->required();
  as(cancel, a.get());
  cancel->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
      workflow::User me;
      me.login = a->as;
      ASSIGN_OR_RETURN(const workflow::PaymentRunRecord r,
                       wf->CancelPaymentRun(a->run, a->reason, me));
      PrintJsonLine(ctx, RunLine(r, true));
      return base::Status::OK();
    });
  });
  auto* list = payments->add_subcommand("list", "支払処理の一覧（新しい順、1 件 1 行の JSON）");
  as(list, a.get());
  list->callback([&ctx, rc, a] {
    *rc = WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
      workflow::User me;
      me.login = a->as;
      ASSIGN_OR_RETURN(const std::vector<workflow::PaymentRunRecord> runs,
                       wf->ListPaymentRuns(me));
      for (const workflow::PaymentRunRecord& r : runs) PrintJsonLine(ctx, RunLine(r, false));
      return base::Status::OK();
    });
  });
}

}  // namespace internal

}  // namespace app
