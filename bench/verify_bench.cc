// `kura verify` throughput beside `sha256sum` over the same objects.
//
//   build/bench/verify_bench [--docs N] [--dir DIR] [--kura PROGRAM]
//
// Draws N invoices (default 10,000) from corpus::Generator (seed 1,
// ~20 KB JP PINT XML each), ingests them into a fresh data directory through
// archive::Archive::Ingest in batches of 256 with the defaults (built-in TSA,
// one token per document), then measures in the same run:
//   peer:  sha256sum over the stored object files (xargs, one process per
//          1,000 files), before and after kura; the ratio uses their mean
//   kura:  Archive::Verify() through the library, opened read-only
//   cli:   `PROGRAM --data DIR verify --quiet`, if --kura is given or ./kura
//          or build/kura exists
// and, to show where verify's time goes:
//   - the same documents ingested into a second directory with batch tokens
//     (one token per batch of 256, which Verify checks once per batch) and
//     verified: the difference to the first is the per-document token checks;
//   - Verify() restricted to an empty period: the checkpoints, the log
//     replay and the catalog comparison only (no object, no token); the
//     batch-token Verify minus this is reading and re-hashing the objects;
//   - signing::VerifyTimestampResponse alone on one stored token, N times
//     (a fresh verifier each time: the full check), and the same through one
//     signing::TimestampVerifier (which checks the TSA certificate's chain
//     once and then only what depends on the token, as Verify does).
// Removes the scratch directory at the end (unless --dir was given).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "base/date.h"
#include "base/file_system.h"
#include "base/time.h"
#include "bench/bench_util.h"
#include "signing/sha256.h"
#include "signing/tsa_verify.h"

namespace {

constexpr size_t kBatch = 256;  // kura.toml [ingest] batch_files default

struct Ingested {
  double seconds = 0;
  std::string first_id;      // for the token-only measurement
  std::string first_sha256;  // hex
};

// Creates data_dir and ingests every document into it in batches of 256.
// Returns false (after printing why) on any error.
bool Ingest(base::FileSystem* fs, const base::Clock* clock, const std::string& data_dir,
            bool batch_tokens, const std::vector<std::string>& docs, Ingested* out) {
  if (const base::Status s = ledger::InitDataDir(fs, ledger::DataDirLayout{data_dir}, "");
      !s.ok()) {
    std::fprintf(stderr, "InitDataDir: %s\n", s.ToString().c_str());
    return false;
  }
  archive::ArchiveOptions options;
  options.data_dir = data_dir;
  options.timestamp.batch = batch_tokens;
  auto arc = archive::Archive::Open(options, fs, clock);
  if (!arc.ok()) {
    std::fprintf(stderr, "Open: %s\n", arc.status().ToString().c_str());
    return false;
  }
  bench::Stopwatch w;
  for (size_t i = 0; i < docs.size(); i += kBatch) {
    std::vector<archive::IncomingFile> batch;
    for (size_t j = i; j < std::min(docs.size(), i + kBatch); ++j) {
      batch.push_back({corpus::CorpusFileName(static_cast<int>(j) + 1,
                                                       corpus::Format::kJpPint),
                       "somu", "bench", "bench", docs[j]});
    }
    for (const auto& r : (*arc)->Ingest(std::move(batch))) {
      if (!r.ok()) {
        std::fprintf(stderr, "Ingest: %s\n", r.status().ToString().c_str());
        return false;
      }
      if (r->duplicate || r->timestamp != "granted") {
        std::fprintf(stderr, "Ingest: %s duplicate=%d timestamp=%s\n", r->id.c_str(), r->duplicate,
                     r->timestamp.c_str());
        return false;
      }
      if (out->first_id.empty()) {
        out->first_id = r->id;
        out->first_sha256 = r->sha256;
      }
    }
  }
  out->seconds = w.Seconds();
  return true;
}

struct Verified {
  double seconds = -1;
  archive::VerifyReport report;
};

// Opens data_dir read-only and runs Verify(options); seconds < 0 on error.
Verified RunVerify(base::FileSystem* fs, const base::Clock* clock, const std::string& data_dir,
                   const archive::VerifyOptions& verify_options) {
  Verified v;
  archive::ArchiveOptions options;
  options.data_dir = data_dir;
  options.read_only = true;
  bench::Stopwatch w;  // the open is part of what `kura verify` pays
  auto arc = archive::Archive::Open(options, fs, clock);
  if (!arc.ok()) {
    std::fprintf(stderr, "Open read-only: %s\n", arc.status().ToString().c_str());
    return v;
  }
  auto report = (*arc)->Verify(verify_options);
  if (!report.ok()) {
    std::fprintf(stderr, "Verify: %s\n", report.status().ToString().c_str());
    return v;
  }
  v.seconds = w.Seconds();
  v.report = std::move(report).value();
  for (const auto& f : v.report.failed) {
    std::fprintf(stderr, "verify failure: %s %s %s\n", f.id.c_str(), f.reason.c_str(),
                 f.detail.c_str());
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  int docs_count = 10000;
  std::string dir, program;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--docs")) docs_count = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
    if (!std::strcmp(argv[i], "--kura")) program = argv[i + 1];
  }
  if (docs_count < 1) {
    std::fprintf(stderr, "usage: verify_bench [--docs N>=1] [--dir DIR] [--kura PROGRAM]\n");
    return 2;
  }
  if (program.empty() && ::access("kura", X_OK) == 0) program = "./kura";
  if (program.empty() && ::access("build/kura", X_OK) == 0) program = "build/kura";
  const bool scratch = dir.empty();
  if (scratch) {
    char templ[] = "/var/tmp/kura-verify-bench-XXXXXX";
    if (!::mkdtemp(templ)) return 1;
    dir = templ;
  }
  const auto cleanup = [&] {
    if (scratch) std::filesystem::remove_all(dir);
  };

  corpus::Options corpus_options;
  corpus_options.seed = 1;
  corpus_options.count = docs_count;
  corpus_options.target_xml_bytes = 20000;
  corpus_options.pdf_share = 0;
  corpus::Generator generator(corpus_options);
  std::vector<std::string> docs;
  uint64_t total_bytes = 0;
  for (int i = 0; i < docs_count; ++i) {
    docs.push_back(corpus::RenderJpPint(generator.Next()));
    total_bytes += docs.back().size();
  }

  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;  // a benchmark is a program: it may read the clock
  const std::string each_dir = dir + "/kura-data";
  const std::string batch_dir = dir + "/kura-data-batch";
  Ingested each, batch;
  if (!Ingest(fs.get(), &clock, each_dir, /*batch_tokens=*/false, docs, &each) ||
      !Ingest(fs.get(), &clock, batch_dir, /*batch_tokens=*/true, docs, &batch)) {
    cleanup();
    return 1;
  }
  const size_t n = docs.size();
  std::printf(
      "verify_bench: %zu JP PINT invoices from the generator (seed 1, target 20 KB), %.1f MB, "
      "in %s\n",
      n, total_bytes / 1e6, dir.c_str());
  std::printf(
      "  setup: ingested with one token per document in %.2f s (%.0f documents/s), "
      "with batch tokens in %.2f s\n",
      each.seconds, n / each.seconds, batch.seconds);

  // Peer before and after kura, over the (cached) objects of the
  // each-token directory.
  const std::string peer_cmd = "find " + each_dir +
                               "/objects/sha256 -type f -print0 | xargs -0 -n 1000 sha256sum "
                               "> /dev/null";
  const double peer1 = bench::TimeCommand(peer_cmd);
  const Verified kura = RunVerify(fs.get(), &clock, each_dir, {});
  const double peer2 = bench::TimeCommand(peer_cmd);
  double cli = -1;
  if (!program.empty()) {
    cli = bench::TimeCommand(program + " --data " + each_dir + " verify --quiet > /dev/null");
  }
  archive::VerifyOptions no_documents;  // nobody received anything in 2000
  no_documents.from = no_documents.to = base::Date(2000, 1, 1);
  const Verified structures = RunVerify(fs.get(), &clock, each_dir, no_documents);
  const Verified kura_batch = RunVerify(fs.get(), &clock, batch_dir, {});

  // One stored token, verified N times, the way Verify checks each one.
  double token_seconds = -1, verifier_seconds = -1;
  std::string trusted;
  {
    archive::ArchiveOptions options;
    options.data_dir = each_dir;
    options.read_only = true;
    auto arc = archive::Archive::Open(options, fs.get(), &clock);
    auto der = arc.ok() ? (*arc)->TimestampResponse(each.first_id)
                        : base::Result<std::string>(arc.status());
    auto digest = signing::Digest::FromHex(each.first_sha256);
    if (der.ok() && digest.ok()) {
      trusted = (*arc)->ledger().TrustedTsaPem();
      bench::Stopwatch w;
      bool all_ok = true;
      for (size_t i = 0; i < n; ++i) {
        all_ok = signing::VerifyTimestampResponse(*der, *digest, trusted).ok() && all_ok;
      }
      token_seconds = all_ok ? w.Seconds() : -1;
      // The same through one TimestampVerifier, as Verify uses it: the
      // first call checks the TSA certificate's chain, the others reuse it.
      auto verifier = signing::TimestampVerifier::Create(trusted);
      if (verifier.ok()) {
        bench::Stopwatch v;
        bool all_ok_v = true;
        for (size_t i = 0; i < n; ++i) all_ok_v = verifier->Verify(*der, *digest).ok() && all_ok_v;
        verifier_seconds = all_ok_v ? v.Seconds() : -1;
      }
    }
    if (token_seconds < 0) std::fprintf(stderr, "token-only measurement failed\n");
  }
  cleanup();

  const bool ok = kura.seconds > 0 && kura.report.failed.empty() && kura.report.ok == n &&
                  kura.report.tokens_checked == n && structures.seconds > 0 &&
                  kura_batch.seconds > 0 && kura_batch.report.failed.empty() &&
                  kura_batch.report.ok == n && peer1 > 0 && peer2 > 0;
  const double mb = total_bytes / 1e6;
  // Measured rows print "failed" for a negative time; derived rows (a
  // difference of two measurements) print whatever the difference is.
  const auto row = [&](const char* name, double s, bool derived = false) {
    if (s > 0 || derived) {
      std::printf("  %-58s %8.3f %12.0f %8.1f\n", name, s, n / s, mb / s);
    } else {
      std::printf("  %-58s %8s\n", name, "failed");
    }
  };
  std::printf("  %-58s %8s %12s %8s\n", "", "seconds", "documents/s", "MB/s");
  row("peer: sha256sum over objects/ (before kura)", peer1);
  row("peer: sha256sum over objects/ (after kura)", peer2);
  row("kura: Archive::Verify, read-only, token per document", kura.seconds);
  if (!program.empty()) {
    row(("cli:  " + program + " verify --quiet").c_str(), cli);
  } else {
    std::printf("  %-58s %8s\n", "cli:  kura verify (no ./kura or build/kura; --kura PROG)",
                "skipped");
  }
  row("kura: Archive::Verify, batch tokens (1 per 256 documents)", kura_batch.seconds);
  std::printf("  where Verify's time goes (token per document):\n");
  row("  Verify, empty period: checkpoints, log replay, catalog", structures.seconds);
  const bool all_ran = kura.seconds > 0 && structures.seconds > 0 && kura_batch.seconds > 0;
  if (all_ran) {
    row("  objects: Verify(batch tokens) - empty period", kura_batch.seconds - structures.seconds,
        true);
    const double tokens = kura.seconds - kura_batch.seconds;
    row("  tokens: Verify(token per doc) - Verify(batch tokens)", tokens, true);
    std::printf("  %-58s %8.1f us per token, %.0f%% of Verify\n", "", 1e6 * tokens / n,
                100 * tokens / kura.seconds);
  }
  row("  signing::VerifyTimestampResponse alone, one token x N", token_seconds);
  if (token_seconds > 0) {
    std::printf("  %-58s %8.1f us per token\n", "", 1e6 * token_seconds / n);
  }
  row("  signing::TimestampVerifier (as Verify uses it), one token x N", verifier_seconds);
  if (verifier_seconds > 0) {
    std::printf("  %-58s %8.1f us per token\n", "", 1e6 * verifier_seconds / n);
  }
  std::printf(
      "  verify report: %llu documents, %llu ok, %llu tokens checked, %zu failed, "
      "%llu events, checkpoint %llu; batch-token dir: %llu ok, %llu tokens checked\n",
      static_cast<unsigned long long>(kura.report.documents),
      static_cast<unsigned long long>(kura.report.ok),
      static_cast<unsigned long long>(kura.report.tokens_checked), kura.report.failed.size(),
      static_cast<unsigned long long>(kura.report.events),
      static_cast<unsigned long long>(kura.report.checkpoint_size),
      static_cast<unsigned long long>(kura_batch.report.ok),
      static_cast<unsigned long long>(kura_batch.report.tokens_checked));
  const double peer = (peer1 + peer2) / 2;
  if (kura.seconds > 0 && peer > 0) {
    std::printf("ratio kura verify / sha256sum: %.2f   target ≥ 0.8\n", peer / kura.seconds);
    if (kura_batch.seconds > 0) {
      std::printf("ratio kura verify (batch tokens) / sha256sum: %.2f\n",
                  peer / kura_batch.seconds);
    }
  }
  return ok ? 0 : 1;
}
