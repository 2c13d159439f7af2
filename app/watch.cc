// `kura watch DIR`: archives whatever a scanner or connector drops into DIR,
// polling every --interval seconds until SIGINT or SIGTERM.
#include <nlohmann/json.hpp>
#include <signal.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/config.h"
#include "app/error_text.h"
#include "app/ingest_department.h"
#include "app/intake.h"
#include "app/ocr_run.h"
#include "app/open_archive.h"
#include "archive/archive.h"
#include "ledger/data_dir.h"

namespace app {

int CmdWatch(const Context& ctx, const WatchArgs& args) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    spdlog::error("{}", ErrorText(opened.status()));
    return 2;
  }
  // Before the folder is touched: files for a department nobody has, or
  // none, would land in no inbox.
  auto department = ResolveIngestDepartment(
      ctx, *opened, args.department, "kura watch " + ForDisplay(args.dir) + " --department CODE");
  if (!department.ok()) {
    spdlog::error("{}", ErrorText(department.status()));
    return 2;
  }
  IntakeOptions io;
  io.dir = args.dir;
  io.department = *department;
  io.source = args.source;
  io.receiver = "watch:" + ctx.user;
  io.settle = std::chrono::seconds(args.settle_seconds);
  io.max_file_bytes = opened->config.max_file_mb << 20;
  IntakeFolder folder(io, ctx.fs, ctx.clock, opened->archive.get());
  if (const base::Status s = folder.Init(); !s.ok()) {
    spdlog::error("{}", ErrorText(s));
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // OCR of the scans archived here (and of those not read yet) in the
  // background: a poll never waits for it. Stopped before the archive.
  std::unique_ptr<workflow::Workflow> workflow;
  std::unique_ptr<BackgroundOcr> ocr;
  if (opened->config.ocr_page_seconds > 0) {
    auto wf = OpenWorkflowFor(ctx, *opened);
    if (wf.ok()) {
      workflow = std::move(*wf);
      ocr = StartBackgroundOcr(opened->archive.get(), workflow.get(), ctx.clock,
                               opened->config.ocr_page_seconds);
    } else {
      spdlog::warn("OCR を開始できません: {}", ErrorText(wf.status()));
    }
  }
  spdlog::info("{} を監視しています (課: {}, 受領方法: {})。停止は Ctrl+C", ForDisplay(args.dir),
               io.department, ForDisplay(args.source, 64));
  for (;;) {
    auto events = folder.Poll();
    if (!events.ok()) {
      spdlog::error("{}", ErrorText(events.status()));
      return 1;
    }
    for (const auto& e : *events) {
      nlohmann::json j{{"file", e.file_name}, {"moved_to", e.moved_to}};
      if (e.archived) {
        if (ocr != nullptr && !e.duplicate) ocr->worker->Enqueue(e.id);
        j["id"] = e.id;
        j["status"] = e.duplicate ? "duplicate" : "archived";
        spdlog::info("{}: {} ({})", ForDisplay(e.file_name, 255),
                     e.duplicate ? "受領済みと同一" : "保存しました", e.id);
      } else {
        j["status"] = "error";
        j["error"] = e.error;
        spdlog::warn("{}: 取り込めませんでした: {}", ForDisplay(e.file_name, 255), e.error);
      }
      std::fprintf(ctx.out, "%s\n",
                   j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      std::fflush(ctx.out);
    }
    const timespec wait{args.interval_seconds, 0};
    if (sigtimedwait(&signals, nullptr, &wait) > 0) {
      spdlog::info("監視を終了します");
      return 0;
    }
  }
}

}  // namespace app
