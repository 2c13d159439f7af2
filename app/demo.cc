// `kura demo-data` (write a synthetic invoice corpus to a folder) and the
// demo seeding of `kura serve --demo`.
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "archive/archive.h"
#include "archive/corpus/corpus.h"

namespace app {

int CmdDemoData(const Context& ctx, const DemoDataArgs& args) {
  archive::corpus::Options options;
  options.seed = args.seed;
  options.count = args.count;
  options.pdf_share = args.pdf_share;
  const bool tty = ::isatty(::fileno(ctx.err));
  const base::Status s = archive::corpus::WriteCorpus(
      options, ctx.fs, args.out, [&](int done, int total) {
        if (tty && (done % 50 == 0 || done == total)) {
          std::fprintf(ctx.err, "\r請求書を生成中 %d / %d", done, total);
        }
      });
  if (tty) std::fprintf(ctx.err, "\n");
  if (!s.ok()) {
    std::fprintf(ctx.err, "kura: %s\n", s.message().c_str());
    return 1;
  }
  std::fprintf(ctx.err, "kura: %d 件の請求書を %s に書き出しました (seed %llu)\n", args.count,
               args.out.c_str(), static_cast<unsigned long long>(args.seed));
  return 0;
}

base::Status SeedDemoInvoices(archive::Archive* arc, int count) {
  archive::corpus::Options options;
  options.seed = 2026;
  options.count = count;
  options.pdf_share = 0.3;
  archive::corpus::Generator gen(options);
  std::vector<archive::IncomingFile> files;
  for (int n = 1; n <= count; ++n) {
    const archive::corpus::Invoice inv = gen.Next();
    archive::IncomingFile f;
    f.department = inv.department_code;
    f.receiver = "demo";
    f.file_name = archive::corpus::CorpusFileName(n, inv.format);
    if (inv.format == archive::corpus::Format::kPdf) {
      ASSIGN_OR_RETURN(f.bytes, archive::corpus::RenderPdf(inv));
      f.source = "email";
    } else {
      f.bytes = archive::corpus::RenderJpPint(inv);
      f.source = "peppol";
    }
    files.push_back(std::move(f));
  }
  for (const auto& r : arc->Ingest(std::move(files))) RETURN_IF_ERROR(r.status());
  return base::Status::OK();
}

}  // namespace app
