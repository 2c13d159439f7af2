// Concurrent writers through the ledger's writer queue, beside batched
// ingest in the same run.
//
//   build/bench/writers_bench [--files N] [--writers W] [--rounds R] [--size BYTES] [--dir DIR]
//                             [--only cli|batched|writers] [--compare]
//
// The same N invoice-like files (default 1,500 × 20 KB) are archived three
// ways, each into a fresh data directory with full durability and a
// time-stamp per document, in R alternating rounds (default 3; the best
// rate of each way counts, because this machine is shared and noisy):
//   cli:      the real program, `build/kura ingest --department somu DIR/*`
//             (batches of 256 files: one round of syncs and one commit each)
//   batched:  archive::Archive::Ingest in batches of 256 (the same, in-process)
//   writers:  W threads (default 16), each archiving one document at a time,
//             like web uploads; the writer queue groups them.
//   writers with group commit (--compare): the same with each commit's
//             meta page left to the next group's flush (off by default
//             since it measured slower here).
// and prints documents/s for each and the writers' rate as a fraction of
// the CLI's (issue 11: >= 0.70), with the groups the queue formed.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "archive/archive.h"
#include "base/file_system.h"
#include "base/random.h"
#include "bench/bench_util.h"
#include "ledger/data_dir.h"

namespace {

std::string MakeFile(base::Random* rnd, size_t size, int n) {
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

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "writers_bench: %s\n", what.c_str());
  std::exit(1);
}

std::unique_ptr<archive::Archive> OpenFresh(base::FileSystem* fs, const base::Clock* clock,
                                            const std::string& data, bool group_commit = false) {
  if (!ledger::InitDataDir(fs, ledger::DataDirLayout{data}, "").ok()) Die("init " + data);
  archive::ArchiveOptions options;
  options.data_dir = data;
  options.group_commit = group_commit;
  auto a = archive::Archive::Open(options, fs, clock);
  if (!a.ok()) Die(a.status().ToString());
  return std::move(*a);
}

archive::IncomingFile File(const std::vector<std::string>& files, size_t i) {
  return {"inv-" + std::to_string(i) + ".xml", "somu", "upload", "bench", files[i]};
}

double Batched(base::FileSystem* fs, const base::Clock* clock, const std::string& data,
               const std::vector<std::string>& files) {
  auto arc = OpenFresh(fs, clock, data);
  bench::Stopwatch w;
  constexpr size_t kBatch = 256;  // kura.toml [ingest] batch_files default
  for (size_t i = 0; i < files.size(); i += kBatch) {
    std::vector<archive::IncomingFile> batch;
    for (size_t j = i; j < std::min(files.size(), i + kBatch); ++j) batch.push_back(File(files, j));
    for (const auto& r : arc->Ingest(std::move(batch))) {
      if (!r.ok()) Die(r.status().ToString());
    }
  }
  return w.Seconds();
}

double Writers(base::FileSystem* fs, const base::Clock* clock, const std::string& data,
               const std::vector<std::string>& files, int writers, ledger::WriteStats* stats,
               bool group_commit = false) {
  auto arc = OpenFresh(fs, clock, data, group_commit);
  std::atomic<size_t> next{0};
  bench::Stopwatch w;
  std::vector<std::thread> threads;
  for (int t = 0; t < writers; ++t) {
    threads.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < files.size();) {
        std::vector<archive::IncomingFile> one;
        one.push_back(File(files, i));
        auto r = arc->Ingest(std::move(one));
        if (!r[0].ok()) Die(r[0].status().ToString());
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = w.Seconds();
  *stats = arc->ledger().write_stats();
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int count = 1500, writers = 16, rounds = 3;
  size_t size = 20 * 1024;
  std::string dir, only;
  bool compare = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--compare")) compare = true;
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--compare")) --i;  // a flag without a value
    if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
    if (!std::strcmp(argv[i], "--files")) count = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--writers")) writers = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--size")) size = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  if (dir.empty()) {
    char templ[] = "/var/tmp/kura-writers-bench-XXXXXX";
    if (!::mkdtemp(templ)) return 1;
    dir = templ;
  }
  std::filesystem::create_directories(dir + "/in");
  base::Random rnd(7);
  std::vector<std::string> files;
  for (int i = 0; i < count; ++i) {
    files.push_back(MakeFile(&rnd, size, i));
    FILE* f = std::fopen((dir + "/in/inv-" + std::to_string(i) + ".xml").c_str(), "wb");
    std::fwrite(files.back().data(), 1, files.back().size(), f);
    std::fclose(f);
  }
  std::printf("writers_bench: %d files of ~%zu bytes, %d writers, in %s\n", count, size, writers,
              dir.c_str());
  auto fs = base::NewPosixFileSystem();
  base::SystemClock clock;

  // The CLI: the real program over the files on disk.
  const std::string kura =
      std::filesystem::canonical("/proc/self/exe").parent_path().string() + "/../kura";
  double cli = 1e9, batched = 1e9, concurrent = 1e9, flushed = 1e9;
  ledger::WriteStats stats;
  for (int round = 0; round < rounds; ++round) {
    const std::string r = "/r" + std::to_string(round);
    // --only: for profiling one way alone (the ratios are then meaningless).
    double c = 1, b = 1, w = 1;
    if (only.empty() || only == "cli") {
      // ingest needs a registered department.
      if (std::system((kura + " --data " + dir + r + "cli init > /dev/null 2>&1 && " + kura +
                       " --data " + dir + r +
                       "cli department add --code somu --name 総務課 > /dev/null 2>&1")
                          .c_str()) != 0) {
        Die("cannot run " + kura);
      }
      c = bench::TimeCommand("cd " + dir + "/in && " + kura + " --data " + dir + r +
                             "cli ingest --department somu *.xml > /dev/null 2>&1");
      if (c < 0) Die("kura ingest failed");
    }
    if (only.empty() || only == "batched")
      b = Batched(fs.get(), &clock, dir + r + "batched", files);
    cli = std::min(cli, c);
    batched = std::min(batched, b);
    ledger::WriteStats st;
    if (only.empty() || only == "writers") {
      w = Writers(fs.get(), &clock, dir + r + "writers", files, writers, &st);
    }
    if (w < concurrent) {
      concurrent = w;
      stats = st;
    }
    double f = 1;
    if (compare) {
      ledger::WriteStats unused;
      f = Writers(fs.get(), &clock, dir + r + "flushed", files, writers, &unused, true);
      flushed = std::min(flushed, f);
    }
    std::printf("  round %d: cli %.0f, batched %.0f, writers %.0f docs/s", round + 1, count / c,
                count / b, count / w);
    if (compare) std::printf(", writers with group commit %.0f", count / f);
    std::printf("\n");
    std::fflush(stdout);
  }

  auto rate = [&](double s) { return count / s; };
  std::printf("best of %d rounds:\n", rounds);
  std::printf("  %-44s %9.0f docs/s\n", "cli: kura ingest (batches of 256)", rate(cli));
  std::printf("  %-44s %9.0f docs/s\n", "kura: Archive::Ingest, batches of 256", rate(batched));
  std::printf("  %-44s %9.0f docs/s  (%llu writes in %llu groups, %.1f per commit)\n",
              ("kura: " + std::to_string(writers) + " writers, one document each").c_str(),
              rate(concurrent), static_cast<unsigned long long>(stats.writes),
              static_cast<unsigned long long>(stats.groups),
              static_cast<double>(stats.writes) / std::max<uint64_t>(1, stats.groups));
  std::printf("  %-44s %9llu carried by the next commit, %llu flushed alone, %llu run again nested\n",
              "  groups made durable:", static_cast<unsigned long long>(stats.carried),
              static_cast<unsigned long long>(stats.flushes),
              static_cast<unsigned long long>(stats.reruns));
  if (compare) {
    std::printf("  %-44s %9.0f docs/s  (ratio to cli %.2f)\n",
                "kura: the same writers with group commit", rate(flushed),
                rate(flushed) / rate(cli));
  }
  const double ratio = rate(concurrent) / rate(cli);
  std::printf("  ratio writers / cli: %.2f   target >= 0.70: %s\n", ratio,
              ratio >= 0.70 ? "met" : "NOT met");
  std::printf("  ratio writers / batched library: %.2f\n", rate(concurrent) / rate(batched));
  std::filesystem::remove_all(dir);
  return 0;
}
