// `kura serve`: opens (creating on first run) the data directory and the
// workflow over it, and serves the web server with its JSON API until
// SIGINT or SIGTERM. --demo seeds a demo organisation first (demo.cc).
#include <condition_variable>
#include <mutex>
#include <thread>

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/config.h"
#include "app/open_archive.h"
#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "web/server.h"
#include "workflow/workflow.h"

#ifndef KURA_VERSION
#define KURA_VERSION "dev"
#endif

namespace app {

using base::Status;

int CmdServe(const Context& ctx, const ServeArgs& args) {
  // Signals are handled by a dedicated thread, so Stop() runs outside a
  // signal handler. Block them before any other thread starts: the archive's
  // time-stamping and Botan's Argon2 may start threads, and a thread with
  // SIGTERM unblocked would die of it instead of stopping cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const ledger::DataDirLayout layout{ctx.data_dir};
  if (!ctx.fs->Stat(layout.format()).ok()) {
    // The embedded default: the first `kura serve` sets up ./kura-data.
    const int rc = CmdInit(ctx);
    if (rc != 0) return rc;
  }
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    spdlog::error("{}", opened.status().message());
    return 2;
  }
  archive::Archive* arc = opened->archive.get();
  auto listen = web::ParseListen(args.listen.empty() ? opened->config.listen : args.listen);
  if (!listen.ok()) {
    spdlog::error("{}", listen.status().message());
    return 2;
  }
  auto wf = OpenWorkflowFor(ctx, *opened);
  if (!wf.ok()) {
    spdlog::error("{}", wf.status().message());
    return 2;
  }
  if (args.demo) {
    const Status seeded = SeedDemo(ctx, arc, wf->get(), 60);
    if (!seeded.ok()) {
      spdlog::error("デモデータを投入できませんでした: {}", seeded.message());
      return 1;
    }
  }


  listen->version = KURA_VERSION;
  listen->api.max_upload_bytes = opened->config.max_file_mb << 20;
  listen->api.sessions.idle = std::chrono::minutes(opened->config.session_idle_minutes);
  web::Server server(*listen, arc, wf->get(), ctx.clock);
  auto port = server.Bind();
  if (!port.ok()) {
    spdlog::error("{}", port.status().message());
    return 1;
  }
  spdlog::info("kura {} を起動しました: http://{}:{}/ (データ: {})", KURA_VERSION, listen->host,
               *port, ctx.data_dir);
  if (args.demo) {
    PrintDemoLogins(ctx, "http://" + listen->host + ":" + std::to_string(*port) + "/");
  }
  spdlog::info("停止するには Ctrl+C を押してください");
  // Pending time-stamps (the external TSA was down) are retried in the
  // background; the archive backs off per document.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread retrier([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!cv.wait_for(lock, std::chrono::seconds(60), [&] { return stopping; })) {
      lock.unlock();
      auto granted = arc->RetryPendingTimestamps();
      if (!granted.ok()) {
        spdlog::warn("タイムスタンプの再取得に失敗しました: {}", granted.status().message());
      } else if (*granted > 0) {
        spdlog::info("保留中だったタイムスタンプを {} 件取得しました", *granted);
      }
      lock.lock();
    }
  });
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("停止しています (signal {})", sig);
    server.Stop();
  });
  const Status s = server.Run();
  // Wake the waiter if the server stopped on its own.
  ::pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
  }
  cv.notify_all();
  retrier.join();
  if (!s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  return 0;
}

}  // namespace app
