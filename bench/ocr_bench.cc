// OCR: pages/s of ocr::Engine (Tesseract through its C++ API, the trained
// data loaded once per thread) beside the `tesseract` command line on the
// same images (the limit: the same recognizer, plus a process start and
// loading the data for every page), measured in the same run. The images
// are corpus invoices rendered by tests/ocr/make_scans.sh at 300 dpi grey
// (PNG, which both read).
//
//   bench/ocr_bench [--pages N]    (default 6; run with OMP_THREAD_LIMIT=1,
//                                   as kura serve should be, so that
//                                   Tesseract's OpenMP threads do not fight
//                                   the workers)
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_util.h"
#include "corpus/corpus.h"
#include "ocr/engine.h"
#include "ocr/propose.h"
#include "ocr/scan.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Pages/s of `threads` engines over the files (each engine opened before
// the clock starts). With propose: ReadInvoice (page, proposals and the
// date's second reading) instead of Engine::Read.
double LibraryRate(const std::vector<std::string>& files, int threads, bool propose) {
  std::vector<std::unique_ptr<ocr::Engine>> engines;
  for (int t = 0; t < threads; ++t) {
    auto e = ocr::Engine::Open();
    if (!e.ok()) {
      std::fprintf(stderr, "%s\n", e.status().ToString().c_str());
      std::exit(1);
    }
    engines.push_back(std::move(*e));
  }
  std::vector<std::string> bytes;
  for (const auto& f : files) bytes.push_back(ReadFile(f));
  std::atomic<size_t> next{0};
  bench::Stopwatch w;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t i = next++; i < bytes.size(); i = next++) {
        auto pages = ocr::ReadScan(bytes[i]);
        if (!pages.ok()) std::exit(1);
        if (propose) {
          if (!ocr::ReadInvoice(*engines[t], *pages, {}).ok()) std::exit(1);
        } else if (!engines[t]->Read(pages->front(), 1).ok()) {
          std::exit(1);
        }
      }
    });
  }
  for (auto& th : workers) th.join();
  return files.size() / w.Seconds();
}

}  // namespace

int main(int argc, char** argv) {
  int count = 6;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--pages") count = std::atoi(argv[++i]);
  }
  char tmpl[] = "/tmp/kura-ocr-bench-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return 1;
  const std::string dir = tmpl;
  std::filesystem::create_directories(dir + "/pdf");
  corpus::Options options;
  options.seed = 15;
  options.target_xml_bytes = 0;
  corpus::Generator gen(options);
  for (int i = 0; i < count; ++i) {
    corpus::PdfOptions pdf_options;
    pdf_options.layout = 1 + i % 2;
    auto pdf = corpus::RenderPdf(gen.Next(), pdf_options);
    if (!pdf.ok()) return 1;
    std::ofstream(dir + "/pdf/inv-" + std::to_string(i) + ".pdf", std::ios::binary) << *pdf;
  }
  const std::string script = std::string(KURA_SOURCE_DIR) + "/tests/ocr/make_scans.sh";
  if (std::system(("sh '" + script + "' '" + dir + "' 300-grey").c_str()) != 0) return 1;
  std::vector<std::string> files;
  for (int i = 0; i < count; ++i) files.push_back(dir + "/scans/300-grey/inv-" + std::to_string(i) + ".png");

  bench::Stopwatch open_clock;
  if (!ocr::Engine::Open().ok()) return 1;
  const double open_s = open_clock.Seconds();
  const double lib1 = LibraryRate(files, 1, false);
  const double lib1p = LibraryRate(files, 1, true);
  const double lib2 = LibraryRate(files, 2, false);
  bench::Stopwatch cli_clock;
  for (const auto& f : files) {
    if (std::system(("tesseract '" + f + "' - -l jpn+eng > /dev/null 2>&1").c_str()) != 0) {
      std::fprintf(stderr, "tesseract failed on %s\n", f.c_str());
      return 1;
    }
  }
  const double cli = files.size() / cli_clock.Seconds();
  std::printf("ocr_bench: %d pages, 300 dpi grey A4 (2480x3508), jpn+eng, OMP_THREAD_LIMIT=%s\n",
              count, std::getenv("OMP_THREAD_LIMIT") ? std::getenv("OMP_THREAD_LIMIT") : "(unset)");
  std::printf("  Engine::Open (trained data)       %.2f s once per worker\n", open_s);
  std::printf("  library, 1 thread, Read           %.3f pages/s\n", lib1);
  std::printf("  library, 1 thread, ReadInvoice    %.3f pages/s (proposals + date re-read)\n", lib1p);
  std::printf("  library, 2 threads, Read          %.3f pages/s\n", lib2);
  std::printf("  tesseract command, 1 process/page %.3f pages/s\n", cli);
  std::printf("  ratio library(1 thread)/command   %.2fx\n", lib1 / cli);
  std::filesystem::remove_all(dir);
  return 0;
}
