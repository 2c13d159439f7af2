// Ingest throughput with full durability.
//
//   build/bench/ingest_bench [--files N] [--size BYTES] [--dir DIR]
//
// Writes N files of about SIZE bytes (default 10,000 × 20 KB) into a scratch
// directory, then measures in the same run:
//   peer:  sha256sum over the same files (xargs, one process per 1,000 files)
//   kura:  reading, hashing, sniffing and archiving them through
//          archive::Archive with group commit (syncfs + LMDB commit per batch)
//   cli:   the same through the real program, `build/kura ingest --department somu DIR/*`
// and prints documents/s for each and kura's ratio to the peer.
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include <unistd.h>

#include "archive/archive.h"
#include "base/file_system.h"
#include "base/random.h"
#include "bench/bench_util.h"
#include "ledger/data_dir.h"

namespace {

std::string MakeFile(base::Random* rnd, size_t size, int n) {
  // Invoice-like text: compressible, unique per file.
  static const char* kWords[] = {"請求書", "株式会社", "庁舎清掃業務委託", "合計", "消費税",
                                 "10%",    "振込先",   "令和8年11月分",    "数量", "単価"};
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Invoice n=\"" + std::to_string(n) + "\">\n";
  while (s.size() < size) {
    s += "<Line>";
    s += kWords[rnd->Uniform(10)];
    s += std::to_string(rnd->Next() % 1000000);
    s += "</Line>\n";
  }
  s += "</Invoice>\n";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  int files = 10000;
  size_t size = 20 * 1024;
  std::string dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--files")) files = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--size")) size = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  if (dir.empty()) {
    char templ[] = "/var/tmp/kura-ingest-bench-XXXXXX";
    if (!::mkdtemp(templ)) return 1;
    dir = templ;
  }
  const std::string in = dir + "/in";
  std::filesystem::create_directories(in);
  base::Random rnd(42);
  uint64_t total_bytes = 0;
  std::vector<std::string> paths;
  for (int i = 0; i < files; ++i) {
    const std::string path = in + "/inv-" + std::to_string(i) + ".xml";
    const std::string data = MakeFile(&rnd, size, i);
    FILE* f = std::fopen(path.c_str(), "wb");
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
    total_bytes += data.size();
    paths.push_back(path);
  }
  std::printf("ingest_bench: %d files, %.1f MiB, in %s\n", files, total_bytes / 1048576.0,
              dir.c_str());

  // Peer: sha256sum over the same (now cached) files.
  const double peer = bench::TimeCommand(
      "find " + in + " -type f -print0 | xargs -0 -n 1000 sha256sum > /dev/null");

  // kura through the library.
  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;
  archive::ArchiveOptions options;
  options.data_dir = dir + "/kura-data";
  if (!ledger::InitDataDir(fs.get(), ledger::DataDirLayout{options.data_dir}, "").ok()) return 1;
  double kura = 0;
  {
    auto arc = archive::Archive::Open(options, fs.get(), &clock);
    if (!arc.ok()) {
      std::fprintf(stderr, "%s\n", arc.status().ToString().c_str());
      return 1;
    }
    bench::Stopwatch w;
    constexpr size_t kBatch = 256;  // kura.toml [ingest] batch_files default
    // Two batches in flight, as `kura ingest` does: one is read, hashed,
    // parsed and time-stamped while the other waits for its fsyncs.
    std::deque<std::future<bool>> in_flight;
    bool all_ok = true;
    for (size_t i = 0; i < paths.size(); i += kBatch) {
      std::vector<archive::IncomingFile> batch;
      for (size_t j = i; j < std::min(paths.size(), i + kBatch); ++j) {
        auto bytes = fs->ReadFile(paths[j], uint64_t{100} << 20);
        if (!bytes.ok()) return 1;
        batch.push_back({paths[j], "somu", "bench", "bench", std::move(*bytes)});
      }
      if (in_flight.size() == 2) {
        all_ok = in_flight.front().get() && all_ok;
        in_flight.pop_front();
      }
      in_flight.push_back(std::async(std::launch::async, [&arc, b = std::move(batch)]() mutable {
        for (const auto& r : (*arc)->Ingest(std::move(b))) {
          if (!r.ok()) {
            std::fprintf(stderr, "%s\n", r.status().ToString().c_str());
            return false;
          }
        }
        return true;
      }));
    }
    for (auto& f : in_flight) all_ok = f.get() && all_ok;
    if (!all_ok) return 1;
    kura = w.Seconds();
  }

  // kura through the real program, into a fresh data directory.
  std::string cli_cmd;
  double cli = -1;
  if (::access("kura", X_OK) == 0 || ::access("build/kura", X_OK) == 0) {
    const std::string program = ::access("kura", X_OK) == 0 ? "./kura" : "build/kura";
    const std::string data2 = dir + "/kura-data-cli";
    // ingest needs a registered department (the demo's 総務課).
    if (std::system((program + " --data " + data2 + " init 2>/dev/null && " + program + " --data " +
                     data2 + " department add --code somu --name 総務課 > /dev/null 2>&1")
                        .c_str()) == 0) {
      cli = bench::TimeCommand(program + " --data " + data2 + " ingest --department somu " + in +
                               "/*.xml > /dev/null");
    }
  }

  const auto rate = [&](double s) { return s > 0 ? files / s : 0.0; };
  std::printf("%-44s %10s %12s\n", "", "seconds", "documents/s");
  std::printf("%-44s %10.3f %12.0f\n", "peer: sha256sum (no durability)", peer, rate(peer));
  std::printf("%-44s %10.3f %12.0f\n", "kura: Archive::Ingest, durable, batch 256", kura,
              rate(kura));
  if (cli > 0) {
    std::printf("%-44s %10.3f %12.0f\n", "kura: `kura ingest` program, durable", cli, rate(cli));
  }
  std::printf("ratio kura/sha256sum: %.2f   target: >= 2000 documents/s\n",
              rate(kura) / rate(peer));
  std::filesystem::remove_all(dir);
  return 0;
}
