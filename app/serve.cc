// `kura serve`: opens (creating on first run) the data directory and serves
// HTTP until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <spdlog/spdlog.h>

#include <thread>

#include "app/commands.h"
#include "app/config.h"
#include "archive/archive.h"
#include "archive/data_dir.h"
#include "web/server.h"

#ifndef KURA_VERSION
#define KURA_VERSION "dev"
#endif

namespace app {

using base::Status;

int CmdServe(const Context& ctx, const ServeArgs& args) {
  const archive::DataDirLayout layout{ctx.data_dir};
  if (!ctx.fs->Stat(layout.format()).ok()) {
    // The embedded default: the first `kura serve` sets up ./kura-data.
    const int rc = CmdInit(ctx);
    if (rc != 0) return rc;
  }
  const Status dir = archive::CheckDataDir(ctx.fs, layout);
  if (!dir.ok()) {
    spdlog::error("{}", dir.message());
    return 2;
  }
  auto config = LoadConfig(ctx.fs, layout.config());
  if (!config.ok()) {
    spdlog::error("{}", config.status().message());
    return 2;
  }
  auto listen = web::ParseListen(args.listen.empty() ? config->listen : args.listen);
  if (!listen.ok()) {
    spdlog::error("{}", listen.status().message());
    return 2;
  }
  archive::ArchiveOptions options;
  options.data_dir = ctx.data_dir;
  options.max_file_bytes = config->max_file_mb << 20;
  auto arc = archive::Archive::Open(options, ctx.fs, ctx.clock);
  if (!arc.ok()) {
    spdlog::error("{}", arc.status().message());
    return 2;
  }
  if (args.demo) {
    spdlog::warn("--demo: デモデータの投入はまだ実装されていません (demo data comes with the workflow)");
  }

  // Signals are handled by a dedicated thread, so Stop() runs outside a
  // signal handler. Block them before any other thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  listen->version = KURA_VERSION;
  web::Server server(*listen, arc->get());
  auto port = server.Bind();
  if (!port.ok()) {
    spdlog::error("{}", port.status().message());
    return 1;
  }
  spdlog::info("kura {} を起動しました: http://{}:{}/ (データ: {})", KURA_VERSION, listen->host,
               *port, ctx.data_dir);
  spdlog::info("停止するには Ctrl+C を押してください");
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
  if (!s.ok()) {
    spdlog::error("{}", s.message());
    return 1;
  }
  return 0;
}

}  // namespace app
