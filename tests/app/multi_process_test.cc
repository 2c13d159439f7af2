// Two processes writing one data directory at once: a `kura ingest` child
// archives a folder while this process archives other files through the
// library, one at a time. Nothing may be lost or mixed up, and the result
// must verify clean (LMDB serialises the writers; the tree frontier, the
// document numbers and the objects' temp files must not assume one writer).
#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "archive/archive.h"
#include "base/time.h"
#include "ledger/data_dir.h"
#include "signing/sha256.h"
#include "tests/fakes/test_util.h"

namespace app {
namespace {

using base::Status;

std::string Bytes(const std::string& who, int i) {
  std::string b = "%PDF-1.4 " + who + " " + std::to_string(i) + " ";
  b.append(4000 + static_cast<size_t>(i) * 37 % 20000, static_cast<char>('a' + i % 26));
  return b;
}

TEST(MultiProcessTest, AKuraIngestChildAndTheLibraryWriteAtOnceAndLoseNothing) {
  kura_test::TempDir dir;
  const std::string data = dir.Join("kura-data");
  auto fs = base::NewPosixFileSystem();
  ASSERT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{data}, ""));
  // `kura ingest` takes files only for a registered department.
  ASSERT_EQ(kura_test::RunCommand(std::string(KURA_PROGRAM) + " --data " + data +
                                      " department add --code somu --name 総務課 > /dev/null 2>&1",
                                  nullptr),
            0);
  constexpr int kChildFiles = 150, kOwnFiles = 60;
  std::set<std::string> expected;  // SHA-256 of every file sent
  std::string args;
  ASSERT_OK(fs->CreateDirs(dir.Join("in")));
  for (int i = 0; i < kChildFiles; ++i) {
    const std::string path = dir.Join("in/child-" + std::to_string(i) + ".pdf");
    kura_test::WriteFileOrDie(path, Bytes("child", i));
    expected.insert(signing::Sha256(Bytes("child", i)).Hex());
    args += " " + path;
  }
  // The child ingests in small batches so that its commits interleave with ours.
  const std::string cmd = std::string(KURA_PROGRAM) + " --data " + data +
                          " ingest --department somu" + args + " > " + dir.Join("child.out") +
                          " 2> " + dir.Join("child.err");
  kura_test::WriteFileOrDie(data + "/kura.toml", "[ingest]\nbatch_files = 5\n");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  bool child_ended = false;
  const auto child_running = [&] {
    if (!child_ended && ::waitpid(pid, &status, WNOHANG) == pid) child_ended = true;
    return !child_ended;
  };
  // Waits until document seq exists (written by the child), the child has
  // ended, or a minute passed: the two writers then take turns whatever the
  // machine's load, instead of one finishing before the other starts (a
  // sanitizer build's `kura` can take seconds to start).
  const auto wait_for_child = [&](const archive::Archive& a, uint64_t seq) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (!a.Get(archive::FormatDocumentId(seq)).ok() && child_running() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  {
    base::SystemClock clock;
    archive::ArchiveOptions options;
    options.data_dir = data;
    auto arc = archive::Archive::Open(options, fs.get(), &clock);
    ASSERT_OK(arc);
    wait_for_child(**arc, 1);
    for (int i = 0; i < kOwnFiles; ++i) {
      std::vector<archive::IncomingFile> one;
      one.push_back(
          {"own-" + std::to_string(i) + ".pdf", "somu", "upload", "test", Bytes("own", i)});
      expected.insert(signing::Sha256(one[0].bytes).Hex());
      auto r = (*arc)->Ingest(std::move(one));
      ASSERT_OK(r[0]);
      auto seq = archive::ParseDocumentId(r[0]->id);
      ASSERT_OK(seq);
      wait_for_child(**arc, *seq + 1);
    }
  }
  if (!child_ended) ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << kura_test::ReadFileOrDie(dir.Join("child.err"));

  base::SystemClock clock;
  archive::ArchiveOptions options;
  options.data_dir = data;
  options.read_only = true;
  auto arc = archive::Archive::Open(options, fs.get(), &clock);
  ASSERT_OK(arc);
  auto report = (*arc)->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << archive::ToJson(*report).dump();
  EXPECT_EQ(report->documents, static_cast<uint64_t>(kChildFiles + kOwnFiles));
  EXPECT_EQ(report->unpublished_events, 0u);  // both writers published on closing
  std::set<std::string> stored;
  int switches = 0;  // how often the writer changes along the document numbers
  std::string last;
  for (uint64_t seq = 1; seq <= report->documents; ++seq) {
    auto doc = (*arc)->Get(archive::FormatDocumentId(seq));
    ASSERT_OK(doc);
    stored.insert(doc->document.sha256);
    const std::string& source = doc->receipts[0].source;
    switches += !last.empty() && source != last;
    last = source;
  }
  EXPECT_EQ(stored, expected);
  // The two really wrote at the same time, not one after the other.
  EXPECT_GE(switches, 2);
}

}  // namespace
}  // namespace app
