// A power cut right after documents were acknowledged: the originals are
// staged durably before the commit, but their renames into place are not
// synced (storage/blob_store.h). The catalog (LMDB, on the real disk) keeps
// the commit; the objects' file system (the fake, which forgets what was not
// synced) loses the renames. The next open must put every acknowledged
// original back, and verify must find nothing wrong — for files ingested
// from memory and for files taken over from a spool (uploads) alike.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "ledger/data_dir.h"
#include "tests/fakes/fake_file_system.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

std::string ObjectPath(const std::string& data, const std::string& sha) {
  return data + "/objects/sha256/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha;
}

TEST(PowerCutTest, AcknowledgedOriginalsSurviveACutBeforeTheirRenamesWereSynced) {
  kura_test::TempDir dir;
  kura_test::FakeFileSystem fs;
  const std::string data = dir.Join("kura-data");
  ASSERT_OK(ledger::InitDataDir(&fs, ledger::DataDirLayout{data}, ""));
  std::filesystem::create_directories(data + "/catalog");  // LMDB is on the real disk
  base::FakeClock clock{*base::ParseRfc3339("2026-12-02T01:00:00Z")};
  ArchiveOptions options;
  options.data_dir = data;

  std::map<std::string, std::string> acked;  // id -> bytes
  std::map<std::string, std::string> sha_of;
  {
    auto opened = Archive::Open(options, &fs, &clock);
    ASSERT_OK(opened);
    auto& archive = *opened;
    for (int batch = 0; batch < 4; ++batch) {
      std::vector<IncomingFile> files;
      for (int i = 0; i < 3; ++i) {
        const std::string bytes = "<Invoice>" + std::to_string(batch * 10 + i) + "</Invoice>";
        files.push_back(
            {"inv" + std::to_string(batch * 10 + i) + ".xml", "somu", "cli", "cli:test", bytes});
      }
      std::vector<std::string> sent;
      for (const auto& f : files) sent.push_back(f.bytes);
      // The last file of each batch arrives as an upload does.
      auto spool = archive->NewSpool();
      ASSERT_OK(spool);
      ASSERT_OK((*spool)->Append(files.back().bytes));
      ASSERT_OK((*spool)->Close());
      files.back().bytes.clear();
      files.back().spooled = std::move(*spool);
      auto results = archive->Ingest(std::move(files));
      for (size_t i = 0; i < results.size(); ++i) {
        ASSERT_OK(results[i]);
        acked[results[i]->id] = sent[i];
        sha_of[results[i]->id] = results[i]->sha256;
      }
    }
    fs.PowerOff();  // the archive's destructors run with the disk gone
  }
  fs.PowerOn();
  // The last batch's renames were not synced: the cut lost them.
  int missing = 0;
  for (const auto& [id, sha] : sha_of) missing += fs.Exists(ObjectPath(data, sha)) ? 0 : 1;
  EXPECT_GT(missing, 0);

  auto reopened = Archive::Open(options, &fs, &clock);  // Recover redoes them
  ASSERT_OK(reopened);
  for (const auto& [id, bytes] : acked) {
    auto original = (*reopened)->ReadOriginal(id);
    ASSERT_OK(original) << id;
    EXPECT_EQ(*original, bytes) << id;
  }
  auto report = (*reopened)->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  EXPECT_EQ(report->documents, acked.size());
}

}  // namespace
}  // namespace archive
