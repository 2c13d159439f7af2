// OCR: pages/s of ocr::Engine (Tesseract through its C++ API, the trained
// data loaded once per thread) beside the `tesseract` command line on the
// same images (the limit: the same recognizer, plus a process start and
// loading the data for every page), measured in the same run. The images
// are corpus invoices rendered by tests/ocr/make_scans.sh at 300 dpi grey
// (PNG, which both read).
//
// Then the ingest rate of the same scans (Archive::Ingest, one file per
// call as uploads come, each decoded for the スキャナ保存 checks) into a
// fresh archive without OCR, beside the same ingest with kura's background
// OCR worker (archive::OcrWorker at nice 19 over app::MakeOcrReader, each
// scan handed over after its ingest) reading meanwhile. Each scan is
// ingested `--rounds` times (default 5), made distinct by bytes after the
// PNG's end.
//
//   bench/ocr_bench [--pages N] [--rounds R]
//                                  (default 6; run with OMP_THREAD_LIMIT=1,
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

#include "app/ocr_run.h"
#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "archive/ocr_worker.h"
#include "base/file_system.h"
#include "bench/bench_util.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
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

// The archive's scan inspector as kura wires it (app/open_archive.cc).
base::Result<std::vector<archive::ScanPage>> Inspect(std::string_view bytes, std::string_view) {
  ocr::ScanOptions options;
  options.keep_pixels = false;
  ASSIGN_OR_RETURN(const std::vector<ocr::ScanPage> pages, ocr::ReadScan(bytes, options));
  std::vector<archive::ScanPage> out;
  for (const ocr::ScanPage& p : pages) {
    out.push_back({p.dpi(), std::string(ocr::ColourName(p.colour)), p.bits_per_sample});
  }
  return out;
}

struct IngestRun {
  double scans_per_s = 0;
  uint64_t ocr_read = 0;  // proposals stored while the ingest ran
};

// Ingests every file `rounds` times into a fresh archive under dir, one
// file per Ingest, with or without the background OCR worker.
IngestRun IngestRate(const std::string& dir, const std::vector<std::string>& files, int rounds,
                     bool with_ocr) {
  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;
  archive::ArchiveOptions ao;
  ao.data_dir = dir;
  if (!ledger::InitDataDir(fs.get(), ledger::DataDirLayout{dir}, "").ok()) std::exit(1);
  auto arc = archive::Archive::Open(ao, fs.get(), &clock);
  if (!arc.ok()) std::exit(1);
  (*arc)->SetScanInspector(&Inspect);
  auto store = archive::OcrStore::Open(arc->get());
  if (!store.ok()) std::exit(1);
  std::unique_ptr<archive::OcrWorker> worker;
  if (with_ocr) {
    ocr::EngineOptions engine;
    engine.page_time_limit_ms = 120000;
    worker = std::make_unique<archive::OcrWorker>(
        arc->get(), store->get(),
        app::MakeOcrReader([] { return std::vector<ocr::KnownVendor>{}; }, engine), &clock);
    worker->Start();
  }
  std::vector<std::string> bytes;
  for (const auto& f : files) bytes.push_back(ReadFile(f));
  bench::Stopwatch w;
  int n = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const std::string& b : bytes) {
      std::vector<archive::IncomingFile> batch(1);
      batch[0] = {"scan.png", "somu", "scan", "bench", b + "round " + std::to_string(r)};
      auto out = (*arc)->Ingest(std::move(batch));
      if (!out[0].ok()) {
        std::fprintf(stderr, "%s\n", out[0].status().ToString().c_str());
        std::exit(1);
      }
      if (worker) worker->Enqueue(out[0]->id);
      ++n;
    }
  }
  IngestRun run;
  run.scans_per_s = n / w.Seconds();
  if (worker) {
    run.ocr_read = worker->stats().read;
    worker->Stop();
  }
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 6;
  int rounds = 5;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--pages") count = std::atoi(argv[++i]);
    if (std::string(argv[i]) == "--rounds") rounds = std::atoi(argv[++i]);
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
  const IngestRun plain = IngestRate(dir + "/plain", files, rounds, false);
  const IngestRun busy = IngestRate(dir + "/ocr", files, rounds, true);
  std::printf("ingest of %d scans (one per Archive::Ingest, decoded for the checks):\n",
              count * rounds);
  std::printf("  without OCR                       %.2f scans/s\n", plain.scans_per_s);
  std::printf("  with background OCR (nice 19)     %.2f scans/s (%llu read meanwhile)\n",
              busy.scans_per_s, static_cast<unsigned long long>(busy.ocr_read));
  std::printf("  ratio with/without                %.2fx\n", busy.scans_per_s / plain.scans_per_s);
  std::filesystem::remove_all(dir);
  return 0;
}
