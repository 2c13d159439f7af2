// `kura export` throughput beside `cp -r` of the same originals.
//
//   build/bench/export_bench [--docs N] [--kb SIZE] [--dir DIR] [--only folder|zip|stored]
//
// (--dir keeps the data directory, and a later run with the same --dir and
// --docs exports it again without ingesting; it then waits 31 s after
// removing the previous run's outputs, see below. --only runs one export
// form, without the peer or the ratio, and prints its CPU seconds: for a
// profiler, not for the figures.)
// Draws N invoices (default 10,000) from corpus::Generator (seed 1, ~SIZE KB
// JP PINT XML each, default 20), ingests them into a fresh data directory in batches of
// 256 (built-in TSA, one token per document) and publishes a checkpoint,
// then measures in the same run, on the same file system:
//   peer:  `cp -r` of the stored originals (objects/sha256) into a new
//          folder, then `sync -f` on it (the export syncs its bag at the
//          end), before and after kura; the ratio uses their mean
//   kura:  compliance::ExportBag of every document into a new folder (the
//          originals hashed with SHA-256 and SHA-512 while copied, plus the
//          tokens, proofs, history, metadata, checkpoints and report.pdf),
//          into a ZIP file (the tokens and compressed originals stored,
//          the text deflated at level 1), and into a ZIP file with
//          everything stored (ExportOptions::zip_store_all)
// MB/s counts the originals' bytes for both, so the ratio is what an
// auditor's export costs beside copying the originals alone.
// Removes the scratch directory at the end (unless --dir was given).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "archive/archive.h"
#include "base/file_system.h"
#include "base/time.h"
#include "bench/bench_util.h"
#include "compliance/export.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"

namespace {

constexpr size_t kBatch = 256;

bool Ingest(archive::Archive& arc, const std::vector<std::string>& docs) {
  for (size_t i = 0; i < docs.size(); i += kBatch) {
    std::vector<archive::IncomingFile> batch;
    for (size_t j = i; j < std::min(docs.size(), i + kBatch); ++j) {
      batch.push_back({corpus::CorpusFileName(static_cast<int>(j) + 1, corpus::Format::kJpPint),
                       "somu", "bench", "bench", docs[j]});
    }
    for (const auto& r : arc.Ingest(std::move(batch))) {
      if (!r.ok()) {
        std::fprintf(stderr, "Ingest: %s\n", r.status().ToString().c_str());
        return false;
      }
    }
  }
  return true;
}

// Seconds of one export into out, or -1.
double Export(const archive::Archive& arc, const base::Clock& clock, const std::string& out,
              compliance::ExportSummary* summary, bool zip_store_all = false) {
  compliance::ExportOptions o;
  o.out = out;
  o.zip_store_all = zip_store_all;
  o.organization = "export_bench";
  bench::Stopwatch w;
  // Where the time goes, on stderr: when each stage began.
  o.progress = [&w](std::string_view stage, uint64_t done, uint64_t total) {
    if (stage != "originals" || done == 0 || done == total) {
      std::fprintf(stderr, "  %8.3f s  %.*s %llu/%llu\n", w.Seconds(), static_cast<int>(stage.size()),
                   stage.data(), static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
    }
  };
  auto s = compliance::ExportBag(arc, clock, o);
  if (!s.ok()) {
    std::fprintf(stderr, "ExportBag: %s\n", s.status().ToString().c_str());
    return -1;
  }
  *summary = *s;
  return w.Seconds();
}

// User + system CPU seconds of this process so far (all threads).
double CpuSeconds() {
  struct rusage u {};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  int docs_count = 10000, kb = 20;
  std::string dir, only;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
    if (!std::strcmp(argv[i], "--docs")) docs_count = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--kb")) kb = std::atoi(argv[i + 1]);
  }
  if (docs_count < 1 || kb < 1) {
    std::fprintf(stderr, "usage: export_bench [--docs N>=1] [--kb SIZE>=1] [--dir DIR]\n");
    return 2;
  }
  const bool scratch = dir.empty();
  if (scratch) {
    char templ[] = "/var/tmp/kura-export-bench-XXXXXX";
    if (!::mkdtemp(templ)) return 1;
    dir = templ;
  }
  const auto cleanup = [&] {
    if (scratch) std::filesystem::remove_all(dir);
  };
  corpus::Options corpus_options;
  corpus_options.seed = 1;
  corpus_options.count = docs_count;
  corpus_options.target_xml_bytes = kb * 1000;
  corpus_options.pdf_share = 0;
  corpus::Generator generator(corpus_options);

  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;  // a benchmark is a program: it may read the clock
  const std::string data_dir = dir + "/kura-data";
  // With --dir, a data directory left by an earlier run is used again (the
  // same N documents); only the outputs are removed.
  const bool reuse = !scratch && std::filesystem::exists(data_dir + "/FORMAT");
  uintmax_t removed = 0;
  for (const char* old : {"/cp-a", "/cp-b", "/bag", "/bag.zip", "/bag-stored.zip"}) {
    std::error_code ec;
    removed += std::filesystem::remove_all(dir + old, ec);
  }
  // ext4 without a journal (this machine's root) will not reuse an inode
  // freed in the last 30 s, and checks each candidate's inode block: just
  // after the previous run's 50,000-file bag was removed, every file the
  // next export (or cp) creates walked thousands of them (perf:
  // recently_deleted under ext4_create, most of a folder export's time).
  if (removed > 1000) {
    std::fprintf(stderr, "waiting 31 s: %ju files of the previous run were removed\n", removed);
    ::sleep(31);
  }
  // The invoices are drawn only for a new data directory (drawing 10,000
  // takes seconds and its memory would distort a profile of the export).
  std::vector<std::string> docs;
  for (int i = 0; !reuse && i < docs_count; ++i) {
    docs.push_back(corpus::RenderJpPint(generator.Next()));
  }
  if (!reuse && !ledger::InitDataDir(fs.get(), ledger::DataDirLayout{data_dir}, "").ok()) return 1;
  archive::ArchiveOptions options;
  options.data_dir = data_dir;
  auto arc = archive::Archive::Open(options, fs.get(), &clock);
  if (!arc.ok() || (!reuse && !Ingest(**arc, docs)) ||
      !(*arc)->ledger().PublishCheckpoint().ok()) {
    cleanup();
    return 1;
  }
  const std::string peer_cmd_a = "cp -r " + data_dir + "/objects/sha256 " + dir +
                                 "/cp-a && sync -f " + dir + "/cp-a";
  const std::string peer_cmd_b = "cp -r " + data_dir + "/objects/sha256 " + dir +
                                 "/cp-b && sync -f " + dir + "/cp-b";
  if (!only.empty()) {  // one form only, for a profiler: no peer, no ratio
    compliance::ExportSummary one;
    const std::string out = dir + (only == "folder" ? "/bag" : only == "zip" ? "/bag.zip" : "/bag-stored.zip");
    const double cpu0 = CpuSeconds();
    const double sec = Export(**arc, clock, out, &one, only == "stored");
    std::printf("export_bench --only %s: %.3f s (CPU %.3f s), %.1f MB of originals\n",
                only.c_str(), sec, CpuSeconds() - cpu0, one.original_bytes / 1e6);
    cleanup();
    return sec > 0 ? 0 : 1;
  }
  const double peer1 = bench::TimeCommand(peer_cmd_a);
  compliance::ExportSummary s, z;
  const double kura = Export(**arc, clock, dir + "/bag", &s);
  const double peer2 = bench::TimeCommand(peer_cmd_b);
  const double zip = Export(**arc, clock, dir + "/bag.zip", &z);
  compliance::ExportSummary zs;
  const double zip_stored = Export(**arc, clock, dir + "/bag-stored.zip", &zs, true);
  const auto file_mb = [&](const char* name) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(dir + name, ec);
    return ec ? 0.0 : size / 1e6;
  };
  const double zip_mb = file_mb("/bag.zip"), zip_stored_mb = file_mb("/bag-stored.zip");
  cleanup();

  const size_t n = static_cast<size_t>(docs_count);
  const double mb = s.original_bytes / 1e6;
  std::printf(
      "export_bench: %zu JP PINT invoices from the generator (seed 1, target %d KB), %.1f MB of "
      "originals; bag: %llu files, %.1f MB in all; in %s\n",
      n, kb, mb, static_cast<unsigned long long>(s.payload_files + 7), s.payload_bytes / 1e6,
      dir.c_str());
  const auto row = [&](const char* name, double sec) {
    if (sec > 0) {
      std::printf("  %-52s %8.3f %12.0f %8.1f\n", name, sec, n / sec, mb / sec);
    } else {
      std::printf("  %-52s %8s\n", name, "failed");
    }
  };
  std::printf("  %-52s %8s %12s %8s\n", "", "seconds", "documents/s", "MB/s");
  row("peer: cp -r objects/sha256 + sync (before kura)", peer1);
  row("peer: cp -r objects/sha256 + sync (after kura)", peer2);
  row("kura: ExportBag to a folder", kura);
  row("kura: ExportBag to a ZIP file (text deflated, level 1)", zip);
  row("kura: ExportBag to a ZIP file (everything stored)", zip_stored);
  std::printf("  ZIP sizes: %.1f MB deflated, %.1f MB stored\n", zip_mb, zip_stored_mb);
  const bool ok = peer1 > 0 && peer2 > 0 && kura > 0 && zip > 0 && zip_stored > 0 &&
                  s.documents == n;
  if (ok) {
    const double peer = (peer1 + peer2) / 2;
    std::printf("  kura / cp -r (target >= 0.8x): folder %.2fx, ZIP deflated %.2fx, ZIP stored %.2fx\n",
                peer / kura, peer / zip, peer / zip_stored);
  }
  return ok ? 0 : 1;
}
