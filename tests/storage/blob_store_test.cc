#include "storage/blob_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "tests/fakes/fake_file_system.h"
#include "tests/fakes/japanese_message.h"
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

TEST_F(BlobStoreTest, MalformedDigestIsRefusedInJapaneseWithoutControlCharacters) {
  const Status s = store_.Read("ab\r\ncd", 100).status();
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.message(),
            "「ab␍␊cd」は SHA-256 のダイジェスト（小文字の 16 進数 64 文字）ではありません");
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
}

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
  // The intent waits for a sync that makes the renames durable.
  EXPECT_EQ(fs_.ListDir("/data/objects/tmp")->size(), 2u);
}

TEST_F(BlobStoreTest, TheNextSyncAndACleanExitDropTheIntents) {
  {
    BlobStore store(&fs_, "/data/objects");
    BlobStore::Batch first, second;
    const std::string a = "invoice A", b = "invoice B";
    first.Add(kHexA, a);
    ASSERT_OK(store.Prepare(&first));
    store.Finish(first);
    second.Add(kHexB, b);
    ASSERT_OK(store.Prepare(&second));  // its sync covers the first's renames
    store.Finish(second);
    // The first intent went with the second publish's sync.
    EXPECT_EQ(fs_.ListDir("/data/objects/tmp")->size(), 2u);  // live + second intent
  }
  EXPECT_TRUE(fs_.ListDir("/data/objects/tmp")->empty());
  fs_.DropUnsyncedData();
  EXPECT_TRUE(*store_.Contains(kHexA));
  EXPECT_TRUE(*store_.Contains(kHexB));
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

// A power cut after the commit but before any later sync: the rename is
// lost, the temp file (synced before the commit) is not; Recover puts the
// object back.
TEST_F(BlobStoreTest, RecoverRedoesARenameThatAPowerCutLost) {
  const std::string a = "invoice A", b = "invoice B";
  {
    BlobStore crashed(&fs_, "/data/objects");
    BlobStore::Batch batch;
    batch.Add(kHexA, a);
    batch.Add(kHexB, b);
    ASSERT_OK(crashed.Prepare(&batch));
    fs_.DropUnsyncedData();  // the catalog committed A; B was never committed
  }
  EXPECT_FALSE(*store_.Contains(kHexA));
  ASSERT_OK(store_.Recover([&](std::string_view hex) { return hex == kHexA; }));
  EXPECT_EQ(*store_.Read(kHexA, 100), a);
  EXPECT_FALSE(*store_.Contains(kHexB));
  EXPECT_TRUE(fs_.ListDir("/data/objects/tmp")->empty());
  fs_.DropUnsyncedData();  // what Recover redid is durable
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

// Staging costs no sync; Publish makes a whole group durable with one
// syncfs, before any object is at its final path.
TEST_F(BlobStoreTest, PublishSyncsAGroupOnceBeforeAnyRename) {
  ASSERT_OK(store_.OpenForWriting());
  const std::string bytes[3] = {"invoice A", "invoice B", "invoice C"};
  const std::string hexes[3] = {kHexA, kHexB, std::string(64, 'e')};
  BlobStore::Batch batches[3];
  const uint64_t before = fs_.sync_count();
  for (int i = 0; i < 3; ++i) {
    batches[i].Add(hexes[i], bytes[i]);
    ASSERT_OK(store_.Stage(&batches[i]));
  }
  EXPECT_EQ(fs_.sync_count(), before);  // staging alone syncs nothing
  bool renamed_before_sync = false;
  fs_.SetSyncHook([&] {
    for (const auto& hex : hexes) renamed_before_sync |= fs_.Exists(store_.PathFor(hex));
  });
  ASSERT_OK(store_.Publish({&batches[0], &batches[1], &batches[2]}));
  fs_.SetSyncHook(nullptr);
  EXPECT_FALSE(renamed_before_sync);
  EXPECT_EQ(fs_.sync_count(), before + 1);  // one for the group
  const std::vector<std::string> staged = fs_.ListDir("/data/objects/tmp").value();
  for (const auto& name : staged) {
    if (name.find(".tmp") != std::string::npos) {
      EXPECT_TRUE(fs_.IsDurable("/data/objects/tmp/" + name)) << name;
    }
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(*store_.Read(hexes[i], 100), bytes[i]);
}

// A failed sync leaves nothing at a final path and nothing staged.
TEST_F(BlobStoreTest, AFailedSyncInPublishTakesTheGroupBack) {
  ASSERT_OK(store_.OpenForWriting());
  BlobStore::Batch batch;
  batch.Add(kHexA, "invoice A");
  ASSERT_OK(store_.Stage(&batch));
  fs_.FailNext(kura_test::FakeFileSystem::Op::kSync);
  EXPECT_FALSE(store_.Publish({&batch}).ok());
  EXPECT_FALSE(fs_.Exists(store_.PathFor(kHexA)));
  EXPECT_TRUE(batch.created().empty());
  const std::vector<std::string> left = fs_.ListDir("/data/objects/tmp").value();
  for (const auto& name : left) {
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
  }
}

// Published bytes are durable before the commit that names them, whether
// the batch is one file or many.
TEST_F(BlobStoreTest, PublishedBlobsAreDurableBeforeTheCommit) {
  for (size_t files : {1u, 9u}) {
    std::vector<std::string> bytes, hexes;
    {
      BlobStore crashed(&fs_, "/data/objects");
      BlobStore::Batch batch;
      for (size_t i = 0; i < files; ++i) {
        bytes.push_back("invoice " + std::to_string(files) + "/" + std::to_string(i));
        hexes.push_back(std::string(60, 'c') + std::to_string(1000 + files * 10 + i));
      }
      for (size_t i = 0; i < files; ++i) batch.Add(hexes[i], bytes[i]);
      ASSERT_OK(crashed.Prepare(&batch));
      fs_.DropUnsyncedData();
    }
    ASSERT_OK(store_.Recover([](std::string_view) { return true; }));
    for (size_t i = 0; i < files; ++i) EXPECT_EQ(*store_.Read(hexes[i], 100), bytes[i]);
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

TEST_F(BlobStoreTest, RecoverReadsThePerBatchIntentFilesOfTheLastVersion) {
  // Before intent logs: "<tag>.<n>.intent" with lines "<hex>".
  const std::string b = "invoice B";
  ASSERT_OK(fs_.CreateDirs("/data/objects/sha256/bb/bb"));
  for (const auto& [path, data] : std::vector<std::pair<std::string, std::string>>{
           {store_.PathFor(kHexB), b}, {"/data/objects/tmp/w1-00000001.3.intent", kHexB + "\n"}}) {
    auto f = fs_.NewWritableFile(path, 0444);
    ASSERT_OK(f);
    ASSERT_OK((*f)->Append(data));
    ASSERT_OK((*f)->Close());
  }
  ASSERT_OK(store_.Recover([](std::string_view) { return false; }));
  EXPECT_FALSE(*store_.Contains(kHexB));
  EXPECT_TRUE(fs_.ListDir("/data/objects/tmp")->empty());
}

// One log serves many batches (no file per document), and a generation
// goes once all its batches are committed and a sync made them durable.
TEST_F(BlobStoreTest, IntentLogGenerationsGoOnceFinished) {
  ASSERT_OK(store_.OpenForWriting());
  std::vector<std::string> bytes, hexes;
  for (int i = 0; i < 1500; ++i) {  // ~100 KiB of lines: two generations
    bytes.push_back("invoice " + std::to_string(i));
    char hex[65];
    std::snprintf(hex, sizeof hex, "%064x", i + 1);
    hexes.push_back(hex);
  }
  for (int i = 0; i < 1500; ++i) {
    BlobStore::Batch batch;
    batch.Add(hexes[i], bytes[i]);
    ASSERT_OK(store_.Stage(&batch));
    ASSERT_OK(store_.Publish({&batch}));
    store_.Finish(batch);
  }
  const std::vector<std::string> left = fs_.ListDir("/data/objects/tmp").value();
  std::set<std::string> expected = {store_.tag() + ".live", store_.tag() + ".2.intents"};
  EXPECT_EQ(std::set<std::string>(left.begin(), left.end()), expected);
  fs_.DropUnsyncedData();  // later syncs made the earlier renames durable
  for (int i = 0; i < 1500; i += 100) EXPECT_EQ(*store_.Read(hexes[i], 100), bytes[i]);
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
  // What is left is the two stores' live locks and the first one's intent
  // log (it lives on): the failed batch's temp file is gone.
  const auto left = fs_.ListDir("/data/objects/tmp");
  ASSERT_OK(left);
  for (const auto& name : *left) {
    EXPECT_TRUE(name.find(".live") != std::string::npos || name == store_.tag() + ".1.intents")
        << name;
  }
}

// An upload streamed into an incoming file: the batch takes the file over.
class IncomingFileTest : public BlobStoreTest {
 protected:
  std::string Incoming(BlobStore* store, const std::string& bytes) {
    auto path = store->IncomingPath();
    EXPECT_OK(path);
    if (!path.ok()) return "";
    auto f = fs_.NewWritableFile(*path, 0444);
    EXPECT_OK(f);
    EXPECT_OK((*f)->Append(bytes));
    EXPECT_OK((*f)->Close());
    return *path;
  }
  std::vector<std::string> TmpNames() { return fs_.ListDir("/data/objects/tmp").value(); }
};

TEST_F(IncomingFileTest, IncomingPathsAreTheWritersOwnAndNeedATag) {
  EXPECT_EQ(store_.IncomingPath().status().code(), Status::Code::kFailedPrecondition);
  ASSERT_OK(store_.OpenForWriting());
  const std::string first = *store_.IncomingPath(), second = *store_.IncomingPath();
  EXPECT_NE(first, second);
  EXPECT_EQ(first.rfind("/data/objects/tmp/" + store_.tag() + ".", 0), 0u) << first;
  EXPECT_NE(first.find(".incoming"), std::string::npos) << first;
}

TEST_F(IncomingFileTest, AFileAddedIsRenamedIntoPlaceDurablyWithoutACopy) {
  ASSERT_OK(store_.OpenForWriting());
  const std::string a = "invoice A streamed";
  const std::string path = Incoming(&store_, a);
  BlobStore::Batch batch;
  batch.AddFile(kHexA, path);
  const uint64_t syncs = fs_.sync_count();
  ASSERT_OK(store_.Stage(&batch));
  EXPECT_FALSE(fs_.Exists(path));  // taken over: renamed to its temp name
  ASSERT_OK(store_.Publish({&batch}));
  EXPECT_EQ(fs_.sync_count(), syncs + 1);  // the group's one syncfs, as for bytes
  EXPECT_EQ(batch.created(), std::vector<std::string>{kHexA});
  store_.Finish(batch);
  EXPECT_EQ(*store_.Read(kHexA, 100), a);
  EXPECT_EQ(fs_.Stat(store_.PathFor(kHexA))->mode, 0444u);
}

// As a written temp file's: a cut after the commit loses the rename into
// place, and Recover redoes it from the durable temp file.
TEST_F(IncomingFileTest, ACutAfterTheCommitLosesNothingTakenOver) {
  const std::string a = "invoice A streamed";
  {
    BlobStore crashed(&fs_, "/data/objects");
    ASSERT_OK(crashed.OpenForWriting());
    BlobStore::Batch batch;
    batch.AddFile(kHexA, Incoming(&crashed, a));
    ASSERT_OK(crashed.Prepare(&batch));
    fs_.DropUnsyncedData();  // the catalog committed A
  }
  EXPECT_FALSE(*store_.Contains(kHexA));
  ASSERT_OK(store_.Recover([&](std::string_view hex) { return hex == kHexA; }));
  EXPECT_EQ(*store_.Read(kHexA, 100), a);
  EXPECT_TRUE(TmpNames().empty());
}

TEST_F(IncomingFileTest, AFileOfStoredBytesIsLeftToItsOwner) {
  ASSERT_OK(store_.OpenForWriting());
  const std::string a = "invoice A";
  BlobStore::Batch first;
  first.Add(kHexA, a);
  ASSERT_OK(store_.Prepare(&first));
  store_.Finish(first);
  const std::string path = Incoming(&store_, a);
  BlobStore::Batch again;
  again.AddFile(kHexA, path);
  again.AddFile(kHexA, path);
  ASSERT_OK(store_.Prepare(&again));
  EXPECT_TRUE(again.created().empty());
  EXPECT_TRUE(fs_.Exists(path));
}

TEST_F(IncomingFileTest, AFailedStageLeavesTheFileToItsOwnerAndNothingInPlace) {
  ASSERT_OK(store_.OpenForWriting());
  const std::string path = Incoming(&store_, "invoice A");
  BlobStore::Batch batch;
  batch.AddFile(kHexA, path);
  fs_.FailNext(kura_test::FakeFileSystem::Op::kRename);
  EXPECT_FALSE(store_.Prepare(&batch).ok());
  EXPECT_TRUE(fs_.Exists(path));
  EXPECT_FALSE(*store_.Contains(kHexA));
}

// A process that dies while an upload arrives leaves its incoming file; the
// next Recover removes it with the rest of the dead writer's files, and
// leaves a live writer's alone.
TEST_F(IncomingFileTest, RecoverRemovesTheIncomingFilesOfADeadWriterOnly) {
  BlobStore live(&fs_, "/data/objects");
  ASSERT_OK(live.OpenForWriting());
  const std::string alive = Incoming(&live, "still arriving");
  std::string dead;
  {
    BlobStore crashed(&fs_, "/data/objects");
    ASSERT_OK(crashed.OpenForWriting());
    dead = Incoming(&crashed, "half an upload");
  }
  ASSERT_TRUE(fs_.Exists(dead));
  ASSERT_OK(store_.OpenForWriting());
  ASSERT_OK(store_.Recover([](std::string_view) { return false; }));
  EXPECT_FALSE(fs_.Exists(dead));
  EXPECT_TRUE(fs_.Exists(alive));
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
