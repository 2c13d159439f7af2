#include "storage/blob_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "tests/fakes/fake_file_system.h"
#include "tests/fakes/test_util.h"

namespace storage {
namespace {

using base::Status;
// The store trusts the caller's digest; these tests use fixed fake digests.
const std::string kHexA(64, 'a');
const std::string kHexB = std::string(62, 'b') + "01";

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(store_.Init()); }
  kura_test::FakeFileSystem fs_;
  BlobStore store_{&fs_, "/data/objects"};
};

TEST_F(BlobStoreTest, PathIsFannedOutByDigest) {
  EXPECT_EQ(store_.PathFor(kHexB), "/data/objects/sha256/bb/bb/" + kHexB);
}

TEST_F(BlobStoreTest, PreparedBlobsAreReadOnlyAndReadable) {
  BlobStore::Batch batch;
  const std::string a = "invoice A", b = "invoice B";
  batch.Add(kHexA, a);
  batch.Add(kHexB, b);
  batch.Add(kHexA, a);  // same bytes twice in one batch
  ASSERT_OK(store_.Prepare(&batch));
  EXPECT_EQ(batch.created().size(), 2u);
  store_.Finish(batch);
  EXPECT_EQ(*store_.Read(kHexA, 100), a);
  EXPECT_EQ(*store_.Read(kHexB, 100), b);
  EXPECT_EQ(fs_.Stat(store_.PathFor(kHexA))->mode, 0444u);
  // Only this writer's live lock is left in tmp/.
  EXPECT_EQ(*fs_.ListDir("/data/objects/tmp"), std::vector<std::string>{store_.tag() + ".live"});
}

TEST_F(BlobStoreTest, ExistingBlobIsNotWrittenAgain) {
  const std::string a = "invoice A";
  BlobStore::Batch first;
  first.Add(kHexA, a);
  ASSERT_OK(store_.Prepare(&first));
  store_.Finish(first);
  BlobStore::Batch second;
  second.Add(kHexA, a);
  ASSERT_OK(store_.Prepare(&second));
  EXPECT_TRUE(second.created().empty());
}

TEST_F(BlobStoreTest, PreparedBlobsSurvivePowerCut) {
  const std::string a = "invoice A";
  BlobStore::Batch batch;
  batch.Add(kHexA, a);
  ASSERT_OK(store_.Prepare(&batch));
  fs_.DropUnsyncedData();
  EXPECT_EQ(*store_.Read(kHexA, 100), a);
}

TEST_F(BlobStoreTest, RecoverRemovesUnreferencedObjectsOfAnUnfinishedBatch) {
  const std::string a = "invoice A", b = "invoice B";
  {
    BlobStore crashed(&fs_, "/data/objects");
    BlobStore::Batch batch;
    batch.Add(kHexA, a);
    batch.Add(kHexB, b);
    ASSERT_OK(crashed.Prepare(&batch));
    // The process dies before Finish (its live lock goes with it); the
    // catalog committed only A.
  }
  fs_.DropUnsyncedData();
  ASSERT_OK(store_.Recover([&](std::string_view hex) { return hex == kHexA; }));
  EXPECT_TRUE(*store_.Contains(kHexA));
  EXPECT_FALSE(*store_.Contains(kHexB));
  EXPECT_TRUE(fs_.ListDir("/data/objects/tmp")->empty());
}

TEST_F(BlobStoreTest, RecoverLeavesALiveWritersFilesAlone) {
  // Another process is between Publish and its catalog commit: its objects
  // are not referenced yet, but it is alive, so nothing of it is touched.
  BlobStore other(&fs_, "/data/objects");
  const std::string a = "invoice A", b = "invoice B";
  BlobStore::Batch published, staged;
  published.Add(kHexA, a);
  staged.Add(kHexB, b);
  ASSERT_OK(other.Prepare(&published));
  ASSERT_OK(other.Stage(&staged));
  const auto before = *fs_.ListDir("/data/objects/tmp");
  ASSERT_OK(store_.OpenForWriting());
  ASSERT_OK(store_.Recover([](std::string_view) { return false; }));
  EXPECT_TRUE(*store_.Contains(kHexA));
  for (const auto& name : before) {
    EXPECT_TRUE(fs_.Stat("/data/objects/tmp/" + name).ok()) << name;
  }
  ASSERT_OK(other.Publish({&staged}));
  EXPECT_TRUE(*store_.Contains(kHexB));
}

TEST_F(BlobStoreTest, TwoWritersOfTheSameBytesBothPublish) {
  BlobStore other(&fs_, "/data/objects");
  ASSERT_OK(store_.OpenForWriting());
  ASSERT_OK(other.OpenForWriting());
  EXPECT_NE(store_.tag(), other.tag());
  const std::string a = "invoice A";
  BlobStore::Batch mine, theirs;
  mine.Add(kHexA, a);
  theirs.Add(kHexA, a);
  ASSERT_OK(store_.Stage(&mine));
  ASSERT_OK(other.Stage(&theirs));
  ASSERT_OK(other.Publish({&theirs}));
  ASSERT_OK(store_.Publish({&mine}));
  store_.Finish(mine);
  other.Finish(theirs);
  EXPECT_EQ(*store_.Read(kHexA, 100), a);
}

TEST_F(BlobStoreTest, OneSyncfsMakesTheRenamesOfAGroupDurable) {
  ASSERT_OK(store_.OpenForWriting());
  const std::string a = "invoice A", b = "invoice B";
  BlobStore::Batch first, second;
  first.Add(kHexA, a);
  second.Add(kHexB, b);
  ASSERT_OK(store_.Stage(&first));
  ASSERT_OK(store_.Stage(&second));
  const uint64_t syncs = fs_.sync_count();
  ASSERT_OK(store_.Publish({&first, &second}));
  EXPECT_EQ(fs_.sync_count() - syncs, 1u);
  fs_.DropUnsyncedData();
  EXPECT_EQ(*store_.Read(kHexA, 100), a);
  EXPECT_EQ(*store_.Read(kHexB, 100), b);
}

// Staged bytes are durable before any name points at them, whether the
// batch is small (each file fsynced) or large (one syncfs).
TEST_F(BlobStoreTest, StagedBlobsSurviveAPowerCutBeforePublish) {
  ASSERT_OK(store_.OpenForWriting());
  for (size_t files : {1u, 9u}) {
    std::vector<std::string> bytes, hexes;
    BlobStore::Batch batch;
    for (size_t i = 0; i < files; ++i) {
      bytes.push_back("invoice " + std::to_string(files) + "/" + std::to_string(i));
      hexes.push_back(std::string(60, 'c') + std::to_string(1000 + files * 10 + i));
    }
    for (size_t i = 0; i < files; ++i) batch.Add(hexes[i], bytes[i]);
    ASSERT_OK(store_.Stage(&batch));
    fs_.DropUnsyncedData();
    const auto names = fs_.ListDir("/data/objects/tmp");
    ASSERT_OK(names);
    size_t temps = 0;
    for (const std::string& n : *names) {
      if (n.find(".tmp") == std::string::npos) continue;
      ++temps;
      const std::string hex = n.substr(n.size() - 4 - 64, 64);
      const size_t i = std::find(hexes.begin(), hexes.end(), hex) - hexes.begin();
      ASSERT_LT(i, files) << n;
      EXPECT_EQ(fs_.Contents("/data/objects/tmp/" + n), bytes[i]) << n;
    }
    EXPECT_EQ(temps, files);
    ASSERT_OK(store_.Publish({&batch}));
    store_.Finish(batch);
  }
}

TEST_F(BlobStoreTest, RecoverCleansUpFilesOfOlderKuraVersions) {
  // Before writer tags: "<pid>-<n>.intent" and "<hex>.tmp".
  const std::string b = "invoice B";
  ASSERT_OK(fs_.CreateDirs("/data/objects/sha256/bb/bb"));
  auto put = [&](const std::string& path, const std::string& data, uint32_t mode) {
    auto f = fs_.NewWritableFile(path, mode);
    ASSERT_OK(f);
    ASSERT_OK((*f)->Append(data));
    ASSERT_OK((*f)->Close());
  };
  put(store_.PathFor(kHexB), b, 0444);
  put("/data/objects/tmp/123-1.intent", kHexB + "\n", 0644);
  put("/data/objects/tmp/" + kHexA + ".tmp", "", 0444);
  ASSERT_OK(store_.Recover([](std::string_view) { return false; }));
  EXPECT_FALSE(*store_.Contains(kHexB));
  EXPECT_TRUE(fs_.ListDir("/data/objects/tmp")->empty());
}

TEST_F(BlobStoreTest, FailedWriteLeavesNothingAtAFinalPath) {
  const std::string a = "invoice A";
  BlobStore::Batch batch;
  batch.Add(kHexA, a);
  fs_.FailNext(kura_test::FakeFileSystem::Op::kWrite, 2);
  EXPECT_FALSE(store_.Prepare(&batch).ok());
  EXPECT_FALSE(*store_.Contains(kHexA));
  BlobStore recovering(&fs_, "/data/objects");
  ASSERT_OK(recovering.OpenForWriting());
  ASSERT_OK(recovering.Recover([](std::string_view) { return false; }));
  // What is left is the two stores' live locks: the failed batch is gone.
  const auto left = fs_.ListDir("/data/objects/tmp");
  ASSERT_OK(left);
  for (const auto& name : *left) {
    EXPECT_NE(name.find(".live"), std::string::npos) << name;
  }
}

TEST(BlobStorePosixTest, ObjectsOnDiskAreReadOnly) {
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  BlobStore store(fs.get(), dir.Join("objects"));
  ASSERT_OK(store.Init());
  BlobStore::Batch batch;
  const std::string a = "invoice A";
  batch.Add(kHexA, a);
  ASSERT_OK(store.Prepare(&batch));
  store.Finish(batch);
  auto info = fs->Stat(store.PathFor(kHexA));
  ASSERT_OK(info);
  EXPECT_EQ(info->mode, 0444u);
  EXPECT_EQ(*store.Read(kHexA, 100), a);
}

}  // namespace
}  // namespace storage
