#include "storage/blob_store.h"

#include <gtest/gtest.h>

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
  EXPECT_TRUE(fs_.ListDir("/data/objects/tmp")->empty());
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
  BlobStore::Batch batch;
  batch.Add(kHexA, a);
  batch.Add(kHexB, b);
  ASSERT_OK(store_.Prepare(&batch));
  // Crash before Finish; the catalog committed only A.
  fs_.DropUnsyncedData();
  ASSERT_OK(store_.Recover([&](std::string_view hex) { return hex == kHexA; }));
  EXPECT_TRUE(*store_.Contains(kHexA));
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
  ASSERT_OK(store_.Recover([](std::string_view) { return false; }));
  EXPECT_TRUE(fs_.ListDir("/data/objects/tmp")->empty());
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
