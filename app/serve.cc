// `kura serve`: opens (creating on first run) the data directory and the
// workflow over it, and serves the web server with its JSON API until
// SIGINT or SIGTERM. --demo seeds a demo organisation first (demo.cc).
#include <condition_variable>
#include <mutex>
#include <thread>
#include <tuple>

#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/config.h"
#include "app/error_text.h"
#include "app/ocr_run.h"
#include "app/open_archive.h"
#include "app/renewal_timer.h"
#include "archive/archive.h"
#include "base/file_system.h"
#include "ledger/data_dir.h"
#include "web/server.h"
#include "workflow/workflow.h"

#ifndef KURA_VERSION
#define KURA_VERSION "dev"
#endif

namespace app {

using base::Status;

namespace {

// Signals are handled by a dedicated thread, so Stop() runs outside a signal
// handler. Block them before any other thread starts: the ledger's
// publisher, time-stamping and Botan's Argon2 may start threads, and a
// thread with SIGTERM unblocked would die of it instead of stopping cleanly.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// The data directory (created on the first start: the embedded default),
// the archive and the workflow, seeded with the demo if asked. Exit code
// on failure, after saying why.
struct Opened {
  OpenedArchive archive;
  std::unique_ptr<workflow::Workflow> workflow;
};
int OpenArchiveAndWorkflow(const Context& ctx, Opened* out) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    spdlog::error("{}", ErrorText(opened.status()));
    return 2;
  }
  out->archive = std::move(*opened);
  auto wf = OpenWorkflowFor(ctx, out->archive);
  if (!wf.ok()) {
    spdlog::error("{}", ErrorText(wf.status()));
    return 2;
  }
  out->workflow = std::move(*wf);
  return 0;
}

// The first demo start: the demo's eight weeks of history are written on a
// clock of their own (demo_history.h), with the data directory created on
// it (so that the built-in TSA's certificate is valid from before the
// first receipt) and the archive and workflow opened on it and closed
// again before serving begins on the real clock.
// The demo city's bank details, so that 会計室 can try 支払処理: appended
// to the fresh demo data directory's kura.toml (a real city writes its own).
Status AddDemoRemitter(const Context& ctx) {
  const std::string path = ledger::DataDirLayout{ctx.data_dir}.config();
  ASSIGN_OR_RETURN(std::string toml, ctx.fs->ReadFile(path, 1 << 20));
  toml +=
      "\n# The demo city's account (kura serve --demo).\n[payments]\n"
      "remitter_code = \"1234567890\"\nremitter_name = \"クラマエシ\"\n"
      "account = \"0005:001:1:1234567\"\n";
  return base::WriteFileDurably(ctx.fs, path, toml);
}

int SeedDemoHistoryOnce(const Context& ctx) {
  base::FakeClock clock(ctx.clock->Now() - std::chrono::hours(24 * 70));
  Context past = ctx;
  past.clock = &clock;
  if (const int rc = CmdInit(past); rc != 0) return rc;
  if (const Status s = AddDemoRemitter(ctx); !s.ok()) {
    spdlog::error("デモの振込元を設定できませんでした: {}", ErrorText(s));
    return 1;
  }
  clock.Set(ctx.clock->Now());
  Opened opened;
  if (const int rc = OpenArchiveAndWorkflow(past, &opened); rc != 0) return rc;
  const Status seeded =
      SeedDemo(past, opened.archive.archive.get(), opened.workflow.get(), 60, &clock);
  if (!seeded.ok()) {
    spdlog::error("デモデータを投入できませんでした: {}", ErrorText(seeded));
    return 1;
  }
  return 0;
}

int OpenForServing(const Context& ctx, bool demo, Opened* out) {
  const bool fresh = !ctx.fs->Stat(ledger::DataDirLayout{ctx.data_dir}.format()).ok();
  if (fresh) {
    const int rc = demo ? SeedDemoHistoryOnce(ctx) : CmdInit(ctx);
    if (rc != 0) return rc;
  }
  if (const int rc = OpenArchiveAndWorkflow(ctx, out); rc != 0) return rc;
  if (demo) {
    const Status seeded = SeedDemo(ctx, out->archive.archive.get(), out->workflow.get(), 60);
    if (!seeded.ok()) {
      spdlog::error("デモデータを投入できませんでした: {}", ErrorText(seeded));
      return 1;
    }
  }
  return 0;
}

// Pending time-stamps (the external TSA was down) are retried every minute
// in the background until stop() is called; the archive backs off per
// document.
class Retrier {
 public:
  explicit Retrier(archive::Archive* arc) : thread_([this, arc] { Loop(arc); }) {}
  ~Retrier() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Loop(archive::Archive* arc) {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(60), [&] { return stopping_; })) {
      lock.unlock();
      auto granted = arc->RetryPendingTimestamps();
      if (!granted.ok()) {
        spdlog::warn("タイムスタンプの再取得に失敗しました: {}", ErrorText(granted.status()));
      } else if (*granted > 0) {
        spdlog::info("保留中だったタイムスタンプを {} 件取得しました", *granted);
      }
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// [server] tls_cert and tls_key into options (nothing if unset). False,
// after saying why, if a file cannot be read.
bool ReadTlsFiles(const Context& ctx, const Config& config, web::ServerOptions* options) {
  for (auto [key, path, out] : {std::tuple{"tls_cert", &config.tls_cert, &options->tls_cert_pem},
                                {"tls_key", &config.tls_key, &options->tls_key_pem}}) {
    if (path->empty()) continue;
    const std::string full = (*path)[0] == '/' ? *path : base::JoinPath(ctx.data_dir, *path);
    auto pem = ctx.fs->ReadFile(full, 1 << 20);
    if (!pem.ok()) {
      spdlog::error("[server] {} のファイルを読み込めません: {}", key, ErrorText(pem.status()));
      return false;
    }
    if (pem->empty()) {
      spdlog::error("[server] {} のファイル {} が空です", key, ForDisplay(full));
      return false;
    }
    *out = std::move(*pem);
  }
  return true;
}

}  // namespace

int CmdServe(const Context& ctx, const ServeArgs& args) {
  sigset_t signals = BlockStopSignals();
  Opened opened;
  if (const int rc = OpenForServing(ctx, args.demo, &opened); rc != 0) return rc;
  const Config& config = opened.archive.config;
  archive::Archive* arc = opened.archive.archive.get();
  auto listen = web::ParseListen(args.listen.empty() ? config.listen : args.listen);
  if (!listen.ok()) {
    spdlog::error("{}", ErrorText(listen.status()));
    return 2;
  }
  listen->version = KURA_VERSION;
  listen->api.max_upload_bytes = config.max_file_mb << 20;
  listen->api.retention = config.retention;
  listen->api.exports.dir = base::JoinPath(ctx.data_dir, "exports");
  listen->api.sessions.idle = std::chrono::minutes(config.session_idle_minutes);
  listen->trusted_proxies = config.trusted_proxies;
  if (!ReadTlsFiles(ctx, config, &*listen)) return 2;
  const bool tls = !config.tls_cert.empty();
  // OCR of new uploads and of the scans not read yet, in the background;
  // stopped (after the server) before the archive closes.
  const std::unique_ptr<BackgroundOcr> ocr =
      StartBackgroundOcr(arc, opened.workflow.get(), ctx.clock, config.ocr_page_seconds);
  if (ocr != nullptr) listen->api.ocr_worker = ocr->worker.get();
  web::Server server(*listen, arc, opened.workflow.get(), ctx.clock);
  auto port = server.Bind();
  if (!port.ok()) {
    if (tls && port.status().IsInvalidArgument()) {
      spdlog::error("HTTPS を開始できません ([server] tls_cert = \"{}\", tls_key = \"{}\"): {}",
                    ForDisplay(config.tls_cert), ForDisplay(config.tls_key),
                    ErrorText(port.status()));
      return 2;
    }
    spdlog::error("{}", ErrorText(port.status()));
    return 1;
  }
  const std::string host =
      listen->host.find(':') != std::string::npos ? "[" + listen->host + "]" : listen->host;
  const std::string url =
      std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(*port) + "/";
  spdlog::info("kura {} を起動しました: {} (データ: {})", KURA_VERSION, url,
               ForDisplay(ctx.data_dir));
  if (args.demo) PrintDemoLogins(ctx, url);
  spdlog::info("停止するには Ctrl+C を押してください");
  Status s;
  {
    Retrier retrier(arc);
    // The TSA certificate's roll and the time-stamps' renewal when due.
    const RenewalTimer renewal(ctx, config, arc, std::chrono::hours(config.renewal_check_hours));
    std::thread waiter([&] {
      int sig = 0;
      sigwait(&signals, &sig);
      spdlog::info("停止しています (signal {})", sig);
      server.Stop();
    });
    s = server.Run();
    // Wake the waiter if the server stopped on its own.
    ::pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  }
  if (!s.ok()) {
    spdlog::error("{}", ErrorText(s));
    return 1;
  }
  // Closing the archive (as opened goes) publishes the last checkpoint.
  return 0;
}

}  // namespace app
