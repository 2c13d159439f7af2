// DecodedCache and SnapshotMemo: a cached decoding is returned only for the
// very bytes it came from, the cache stays within its bytes, and a memo is
// used only by read transactions of the snapshot that computed it (never
// by a write transaction, whose changes may still abort).
#include <gtest/gtest.h>

#include <string>

#include "storage/decoded_cache.h"
#include "storage/lmdb_env.h"
#include "storage/snapshot_memo.h"
#include "tests/fakes/test_util.h"

namespace storage {
namespace {

struct CountingDecoder {
  int* calls;
  base::Result<std::string> operator()(std::string_view bytes) const {
    ++*calls;
    if (bytes == "bad") return base::Status::Corruption("bad");
    return "decoded:" + std::string(bytes);
  }
};

TEST(DecodedCacheTest, DecodesOnceForTheSameBytesAndAgainWhenTheyChange) {
  DecodedCache<std::string> cache(1 << 20);
  int calls = 0;
  const CountingDecoder decode{&calls};
  EXPECT_EQ(*cache.Get("k", "v1", decode), "decoded:v1");
  EXPECT_EQ(*cache.Get("k", "v1", decode), "decoded:v1");
  EXPECT_EQ(calls, 1);
  // The record at k was rewritten (by this process or another): a miss.
  EXPECT_EQ(*cache.Get("k", "v2", decode), "decoded:v2");
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(cache.size(), 1u);
  // Errors are returned, never cached.
  EXPECT_FALSE(cache.Get("x", "bad", decode).ok());
  EXPECT_FALSE(cache.Get("x", "bad", decode).ok());
  EXPECT_EQ(calls, 4);
}

TEST(DecodedCacheTest, EvictsTheLeastRecentlyUsedBeyondItsBytes) {
  DecodedCache<std::string> cache(800);  // records of up to 100 bytes
  int calls = 0;
  const CountingDecoder decode{&calls};
  const std::string record(100, 'r');
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(cache.Get("k" + std::to_string(i), record, decode).ok());
  EXPECT_EQ(cache.bytes(), 800u);
  ASSERT_TRUE(cache.Get("k0", record, decode).ok());  // k0 used again: k1 is the oldest
  ASSERT_TRUE(cache.Get("k8", record, decode).ok());
  EXPECT_LE(cache.bytes(), 800u);
  calls = 0;
  ASSERT_TRUE(cache.Get("k0", record, decode).ok());
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(cache.Get("k1", record, decode).ok());
  EXPECT_EQ(calls, 1);
  // A record larger than an eighth of the cache is decoded but not kept.
  ASSERT_TRUE(cache.Get("big", std::string(101, 'b'), decode).ok());
  ASSERT_TRUE(cache.Get("big", std::string(101, 'b'), decode).ok());
  EXPECT_EQ(calls, 3);
}

TEST(SnapshotMemoTest, RemembersPerSnapshotAndNeverInAWriteTransaction) {
  kura_test::TempDir dir;
  auto env = Env::Open(dir.path(), EnvOptions{});
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  auto table = (*env)->OpenTable("t");
  ASSERT_TRUE(table.ok());
  SnapshotMemo<int> memo(16);
  std::optional<uint64_t> first;
  ASSERT_TRUE((*env)->Read([&](const ReadTxn& txn) {
                       first = txn.snapshot_id();
                       memo.Store(txn.snapshot_id(), "q", 7);
                       return base::Status::OK();
                     }).ok());
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE((*env)->Read([&](const ReadTxn& txn) {
                       EXPECT_EQ(txn.snapshot_id(), first);
                       EXPECT_EQ(memo.Find(txn.snapshot_id(), "q"), 7);
                       EXPECT_FALSE(memo.Find(txn.snapshot_id(), "other").has_value());
                       return base::Status::OK();
                     }).ok());
  ASSERT_TRUE((*env)->Write([&](WriteTxn& txn) {
                       EXPECT_FALSE(txn.snapshot_id().has_value());
                       EXPECT_FALSE(memo.Find(txn.snapshot_id(), "q").has_value());
                       memo.Store(txn.snapshot_id(), "w", 1);  // ignored
                       return txn.Put(*table, "k", "v");
                     }).ok());
  ASSERT_TRUE((*env)->Read([&](const ReadTxn& txn) {
                       EXPECT_GT(*txn.snapshot_id(), *first);
                       EXPECT_FALSE(memo.Find(txn.snapshot_id(), "q").has_value());
                       EXPECT_FALSE(memo.Find(txn.snapshot_id(), "w").has_value());
                       memo.Store(txn.snapshot_id(), "q", 8);
                       return base::Status::OK();
                     }).ok());
  // The older snapshot's value is gone, and an older snapshot stores nothing.
  EXPECT_FALSE(memo.Find(first, "q").has_value());
  memo.Store(first, "old", 1);
  EXPECT_FALSE(memo.Find(first, "old").has_value());
}

}  // namespace
}  // namespace storage
