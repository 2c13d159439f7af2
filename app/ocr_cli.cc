#include "app/internal/ocr_cli.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/error_text.h"
#include "app/ocr_run.h"
#include "app/open_archive.h"

namespace app::internal {
namespace {

struct Args {
  std::vector<std::string> ids;
  bool again = false;
};

int RunOcrCommand(const Context& ctx, const Args& args) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    PrintError(ctx.err, opened.status());
    return kExitUsage;
  }
  auto store = archive::OcrStore::Open(opened->archive.get());
  auto workflow = store.ok() ? OpenWorkflowFor(ctx, *opened) : store.status();
  if (!workflow.ok()) {
    PrintError(ctx.err, workflow.status());
    return kExitFailed;
  }
  auto vendors = (*workflow)->ListVendors();
  if (!vendors.ok()) {
    PrintError(ctx.err, vendors.status());
    return kExitFailed;
  }
  const std::vector<ocr::KnownVendor> known = KnownVendorsOf(*vendors);
  std::unique_ptr<ocr::Engine> engine;  // opened on first need (~0.3 s)
  int failures = 0;
  for (const std::string& id : args.ids) {
    if (!args.again) {
      auto stored = (*store)->Get(id);
      if (stored.ok()) {
        PrintJsonLine(ctx, OcrLine(*stored));
        continue;
      }
    }
    if (engine == nullptr) {
      auto e = ocr::Engine::Open();
      if (!e.ok()) {
        PrintError(ctx.err, e.status());
        return kExitFailed;
      }
      engine = std::move(*e);
    }
    auto record = RunOcr(opened->archive.get(), store->get(), engine.get(), known, id,
                         "cli:" + ctx.user, ctx.clock->Now());
    if (!record.ok()) {
      PrintError(ctx.err, record.status());
      ++failures;
      continue;
    }
    PrintJsonLine(ctx, OcrLine(*record));
  }
  return failures > 0 ? kExitFailed : kExitOk;
}

}  // namespace

void AddOcrCommands(CLI::App* cli, const Context& ctx, int* rc) {
  auto args = std::make_shared<Args>();
  auto* ocr = cli->add_subcommand(
      "ocr", "スキャンした文書を OCR で読み、取引年月日・金額・取引先などの候補を記録する（JSON で 1 行ずつ）");
  ocr->add_option("ID", args->ids, "文書ID（例: D00000001）")->required();
  ocr->add_flag("--again", args->again, "OCR 済みの文書も読み直す");
  ocr->callback([&ctx, rc, args] { *rc = RunOcrCommand(ctx, *args); });
}

}  // namespace app::internal
