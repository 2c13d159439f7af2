#include "app/open_archive.h"

#include <cstdio>

#include "app/error_text.h"
#include "app/key_token.h"

#include "ledger/data_dir.h"
#include "ocr/scan.h"
#include "web/http_tsa_transport.h"

namespace app {
namespace {

// A PDF page whose image covers less than this (the image's pixels over the
// page's size) carries a picture — a logo — not a scanned page.
constexpr int kMinPdfScanDpi = 50;

// The archive's scan inspector over ocr::ReadScan: the pages' facts only
// (no pixels kept). A PDF is a scan when every page is one image covering
// the page; ReadScan refuses a page without an image.
base::Result<std::vector<archive::ScanPage>> InspectScan(std::string_view bytes,
                                                         std::string_view media_type) {
  ocr::ScanOptions options;
  options.keep_pixels = false;
  ASSIGN_OR_RETURN(const std::vector<ocr::ScanPage> pages, ocr::ReadScan(bytes, options));
  std::vector<archive::ScanPage> out;
  for (const ocr::ScanPage& p : pages) {
    if (media_type == "application/pdf" && p.dpi() < kMinPdfScanDpi) {
      return base::Status::InvalidArgument(
          "PDF のページ全体が画像ではありません（スキャンではありません）");
    }
    out.push_back({p.dpi(), std::string(ocr::ColourName(p.colour)), p.bits_per_sample});
  }
  return out;
}

}  // namespace

base::Result<OpenedArchive> OpenArchiveFor(const Context& ctx, bool read_only) {
  const ledger::DataDirLayout layout{ctx.data_dir};
  RETURN_IF_ERROR(ledger::CheckDataDir(ctx.fs, layout));
  OpenedArchive out;
  ASSIGN_OR_RETURN(out.config, LoadConfig(ctx.fs, layout.config()));
  archive::ArchiveOptions options;
  options.data_dir = ctx.data_dir;
  options.read_only = read_only;
  options.max_file_bytes = out.config.max_file_mb << 20;
  options.scan = out.config.scan;
  options.timestamp.batch = out.config.tsa_batch;
  options.checkpoints.every_events = out.config.checkpoint_every_events;
  options.checkpoints.every = std::chrono::seconds(out.config.checkpoint_every_seconds);
  if (!out.config.tsa_url.empty()) {
    const std::string& ca = out.config.tsa_trusted_ca;
    const std::string ca_path = !ca.empty() && ca[0] == '/' ? ca : base::JoinPath(ctx.data_dir, ca);
    auto pem = ctx.fs->ReadFile(ca_path, 1 << 20);
    if (!pem.ok()) {
      return pem.status().WithContext(
          "kura.toml の [timestamp] trusted_ca に指定した証明書のファイルを読めません");
    }
    web::HttpTsaTransportOptions t;
    t.connect_timeout = std::chrono::seconds(out.config.tsa_timeout_seconds);
    t.read_timeout = std::chrono::seconds(out.config.tsa_timeout_seconds);
    out.transport = std::make_unique<web::HttpTsaTransport>(t);
    options.timestamp.url = out.config.tsa_url;
    options.timestamp.trusted_pem = *pem;
    options.timestamp.transport = out.transport.get();
  }
  if (!read_only) {  // readers (verify, search) need no PIN
    ASSIGN_OR_RETURN(options.key_token,
                     KeyTokenOptionsFor(ctx.fs, ctx.data_dir, out.config.keys));
  }
  ASSIGN_OR_RETURN(out.archive, archive::Archive::Open(options, ctx.fs, ctx.clock));
  out.archive->SetScanInspector(&InspectScan);
  return out;
}

base::Result<std::unique_ptr<workflow::Workflow>> OpenWorkflowFor(const Context& ctx,
                                                                  const OpenedArchive& opened) {
  workflow::WorkflowOptions options;
  options.routes = opened.config.routes;
  options.remitter = opened.config.remitter;
  options.input_deadline = opened.config.input_deadline;
  return workflow::Workflow::Open(opened.archive.get(), ctx.clock, options);
}

int WithWorkflow(const Context& ctx, const std::function<base::Status(workflow::Workflow*)>& body) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    PrintError(ctx.err, opened.status());
    return kExitUsage;
  }
  auto wf = OpenWorkflowFor(ctx, *opened);
  if (!wf.ok()) {
    PrintError(ctx.err, wf.status());
    return kExitUsage;
  }
  const base::Status s = body(wf->get());
  if (!s.ok()) {
    PrintError(ctx.err, s);
    return s.IsInvalidArgument() ? kExitUsage : kExitFailed;
  }
  return kExitOk;
}

void PrintJsonLine(const Context& ctx, const nlohmann::json& j) {
  std::fprintf(ctx.out, "%s\n",
               j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

}  // namespace app
