#include "storage/lmdb_env.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"

namespace storage {
namespace {

using base::Status;

class EnvTest : public ::testing::Test {
 protected:
  std::unique_ptr<Env> OpenEnv(EnvOptions options = {}) {
    auto env = Env::Open(dir_.path(), options);
    EXPECT_TRUE(env.ok()) << env.status().ToString();
    return env.ok() ? std::move(*env) : nullptr;
  }
  kura_test::TempDir dir_;
};

TEST_F(EnvTest, CommittedWriteSurvivesReopen) {
  {
    auto env = OpenEnv();
    auto t = env->OpenTable("docs");
    ASSERT_OK(t);
    ASSERT_OK(env->Write([&](WriteTxn& txn) { return txn.Put(*t, "k", "v"); }));
  }
  auto env = OpenEnv();
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  ASSERT_OK(env->Read([&](const ReadTxn& txn) -> Status {
    auto v = txn.Get(*t, "k");
    if (!v.ok()) return v.status();
    EXPECT_EQ(*v, "v");
    return Status::OK();
  }));
}

// Group commit: a deferred commit names its transaction id, which counts
// as durable once a later commit (or a Sync) flushed the data file; a
// commit that wrote nothing has nothing to wait for.
TEST_F(EnvTest, DeferredCommitsNameTheTransactionALaterCommitMakesDurable) {
  EnvOptions options;
  options.defer_meta_sync = true;
  auto env = OpenEnv(options);
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  uint64_t first = 0;
  ASSERT_OK(env->WriteDeferred([&](WriteTxn& txn) { return txn.Put(*t, "a", "1"); }, &first));
  EXPECT_GT(first, 0u);
  EXPECT_EQ(env->LastCommitted(), first);  // visible, not yet carried by a later commit

  uint64_t empty = 7;
  ASSERT_OK(env->WriteDeferred([&](WriteTxn&) { return Status::OK(); }, &empty));
  EXPECT_EQ(empty, 0u);
  EXPECT_EQ(env->LastCommitted(), first);

  uint64_t second = 0;
  ASSERT_OK(env->WriteDeferred([&](WriteTxn& txn) { return txn.Put(*t, "b", "2"); }, &second));
  EXPECT_GT(second, first);
  EXPECT_GT(env->LastCommitted(), first);  // the first is durable now

  auto synced = env->Sync();
  ASSERT_OK(synced);
  EXPECT_EQ(*synced, second);

  // A plain Write flushes its own meta page: nothing is left to wait for.
  uint64_t none = 0;
  ASSERT_OK(env->Write([&](WriteTxn& txn) { return txn.Put(*t, "c", "3"); }));
  EXPECT_GT(env->LastCommitted(), second);
  ASSERT_OK(env->WriteDeferred([&](WriteTxn&) { return Status::OK(); }, &none));
  EXPECT_EQ(none, 0u);

  // Without defer_meta_sync every commit is durable when it returns.
  env.reset();
  env = OpenEnv();
  t = env->OpenTable("docs");
  ASSERT_OK(t);
  uint64_t plain = 9;
  ASSERT_OK(env->WriteDeferred([&](WriteTxn& txn) { return txn.Put(*t, "d", "4"); }, &plain));
  EXPECT_EQ(plain, 0u);
  ASSERT_OK(env->Read([&](const ReadTxn& txn) -> Status {
    for (const char* k : {"a", "b", "c", "d"}) EXPECT_OK(txn.Get(*t, k)) << k;
    return Status::OK();
  }));
}

TEST_F(EnvTest, CallbackErrorAbortsEverything) {
  auto env = OpenEnv();
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  const Status s = env->Write([&](WriteTxn& txn) {
    EXPECT_OK(txn.Put(*t, "a", "1"));
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  ASSERT_OK(env->Read([&](const ReadTxn& txn) {
    EXPECT_TRUE(txn.Get(*t, "a").status().IsNotFound());
    return Status::OK();
  }));
}

TEST_F(EnvTest, ObserverSeesEverySuccessfulChangeAndNothingElse) {
  auto env = OpenEnv();
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  std::vector<std::string> seen;
  const WriteTxn::Observer observer = [&](const Table& table, std::string_view key,
                                          std::optional<std::string_view> value) {
    seen.push_back(table.name + ":" + std::string(key) + "=" +
                   (value ? std::string(*value) : std::string("(deleted)")));
  };
  ASSERT_OK(env->Write([&](WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(txn.Put(*t, "before", "unseen"));  // not watched yet
    txn.SetObserver(&observer);
    RETURN_IF_ERROR(txn.Put(*t, "a", "1"));
    RETURN_IF_ERROR(txn.Insert(*t, "b", "2"));
    EXPECT_TRUE(txn.Insert(*t, "b", "3").IsAlreadyExists());  // failed: not reported
    EXPECT_TRUE(txn.Delete(*t, "zz").IsNotFound());           // failed: not reported
    RETURN_IF_ERROR(txn.Delete(*t, "a"));
    txn.SetObserver(nullptr);
    return txn.Put(*t, "after", "unseen");
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"docs:a=1", "docs:b=2", "docs:a=(deleted)"}));
}

TEST_F(EnvTest, FailedNestedTransactionLeavesTheOthersOfItsCommit) {
  auto env = OpenEnv();
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  ASSERT_OK(env->Write([&](WriteTxn& txn) -> Status {
    EXPECT_OK(txn.Nested([&](WriteTxn& a) { return a.Put(*t, "a", "1"); }));
    const Status failed = txn.Nested([&](WriteTxn& b) -> Status {
      EXPECT_OK(b.Put(*t, "b", "2"));
      EXPECT_OK(b.Put(*t, "a", "overwritten"));
      return Status::Aborted("writer b fails");
    });
    EXPECT_EQ(failed.code(), Status::Code::kAborted);
    return txn.Nested([&](WriteTxn& c) { return c.Put(*t, "c", "3"); });
  }));
  ASSERT_OK(env->Read([&](const ReadTxn& txn) -> Status {
    EXPECT_EQ(*txn.Get(*t, "a"), "1");
    EXPECT_TRUE(txn.Get(*t, "b").status().IsNotFound());
    EXPECT_EQ(*txn.Get(*t, "c"), "3");
    return Status::OK();
  }));
}

TEST_F(EnvTest, TableNamesListsEveryTable) {
  auto env = OpenEnv();
  for (const char* name : {"zeta", "alpha", "wf_orders"}) ASSERT_OK(env->OpenTable(name));
  auto names = env->TableNames();
  ASSERT_OK(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"alpha", "wf_orders", "zeta"}));
}

TEST_F(EnvTest, InsertRefusesExistingKey) {
  auto env = OpenEnv();
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  ASSERT_OK(env->Write([&](WriteTxn& txn) { return txn.Insert(*t, "a", "1"); }));
  const Status s = env->Write([&](WriteTxn& txn) { return txn.Insert(*t, "a", "2"); });
  EXPECT_TRUE(s.IsAlreadyExists()) << s.ToString();
  EXPECT_EQ(s.message(), "テーブル docs に同じキーが既にあります");
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
}

TEST_F(EnvTest, MissingKeyAndTableAreReportedInJapanese) {
  auto env = OpenEnv();
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  const Status missing = env->Read([&](const ReadTxn& txn) { return txn.Get(*t, "k").status(); });
  EXPECT_TRUE(missing.IsNotFound());
  EXPECT_EQ(missing.message(), "テーブル docs に該当するキーがありません");
  env.reset();
  EnvOptions read_only;
  read_only.read_only = true;
  auto ro = OpenEnv(read_only);
  const auto none = ro->OpenTable("wf_orders");
  EXPECT_TRUE(none.status().IsNotFound());
  EXPECT_EQ(none.status().message(), "データベース（catalog）にテーブル wf_orders がありません");
  const Status write = ro->Write([](WriteTxn&) { return Status::OK(); });
  EXPECT_EQ(write.code(), Status::Code::kFailedPrecondition);
  EXPECT_TRUE(kura_test::IsJapaneseError(write));
}

TEST_F(EnvTest, MapGrowsWhenFullAndCallbackIsRetried) {
  EnvOptions options;
  options.initial_map_size = 1 << 20;  // 1 MiB
  auto env = OpenEnv(options);
  auto t = env->OpenTable("big");
  ASSERT_OK(t);
  const uint64_t before = env->map_size();
  int attempts = 0;
  const std::string value(4000, 'x');
  ASSERT_OK(env->Write([&](WriteTxn& txn) -> Status {
    ++attempts;
    for (int i = 0; i < 2000; ++i) {  // ~8 MB
      RETURN_IF_ERROR(txn.Put(*t, "key" + std::to_string(i), value));
    }
    return Status::OK();
  }));
  EXPECT_GT(attempts, 1);
  EXPECT_GT(env->map_size(), before);
  ASSERT_OK(env->Read([&](const ReadTxn& txn) {
    EXPECT_EQ(*txn.Count(*t), 2000u);
    return Status::OK();
  }));
}

TEST_F(EnvTest, MapFullBeyondLimitIsResourceExhausted) {
  EnvOptions options;
  options.initial_map_size = 1 << 20;
  options.max_map_size = 2 << 20;
  auto env = OpenEnv(options);
  auto t = env->OpenTable("big");
  ASSERT_OK(t);
  const std::string value(4000, 'x');
  const Status s = env->Write([&](WriteTxn& txn) -> Status {
    for (int i = 0; i < 2000; ++i) {
      RETURN_IF_ERROR(txn.Put(*t, "key" + std::to_string(i), value));
    }
    return Status::OK();
  });
  EXPECT_EQ(s.code(), Status::Code::kResourceExhausted) << s.ToString();
}

TEST_F(EnvTest, NestedWriteIsRefusedInsteadOfDeadlocking) {
  auto env = OpenEnv();
  ASSERT_OK(env->OpenTable("docs"));
  Status inner;
  ASSERT_OK(env->Write([&](WriteTxn&) {
    inner = env->Write([](WriteTxn&) { return Status::OK(); });
    EXPECT_EQ(env->OpenTable("other").status().code(), Status::Code::kFailedPrecondition);
    return Status::OK();
  }));
  EXPECT_EQ(inner.code(), Status::Code::kFailedPrecondition);
  EXPECT_OK(env->Write([](WriteTxn&) { return Status::OK(); }));  // and writes still work
}

TEST_F(EnvTest, CursorWalksInKeyOrder) {
  auto env = OpenEnv();
  auto t = env->OpenTable("docs");
  ASSERT_OK(t);
  ASSERT_OK(env->Write([&](WriteTxn& txn) -> Status {
    for (const char* k : {"b", "d", "a", "c"}) RETURN_IF_ERROR(txn.Put(*t, k, k));
    return Status::OK();
  }));
  ASSERT_OK(env->Read([&](const ReadTxn& txn) -> Status {
    auto c = txn.NewCursor(*t);
    if (!c.ok()) return c.status();
    std::string seen;
    for (bool ok = c->Seek("b"); ok; ok = c->Next()) seen += c->key();
    EXPECT_EQ(seen, "bcd");
    EXPECT_TRUE(c->Last());
    EXPECT_EQ(c->key(), "d");
    EXPECT_TRUE(c->Prev());
    EXPECT_EQ(c->key(), "c");
    EXPECT_FALSE(c->Seek("e"));
    EXPECT_OK(c->status());
    return Status::OK();
  }));
}

TEST_F(EnvTest, ReadOnlyEnvRefusesWritesAndMissingTables) {
  {
    auto env = OpenEnv();
    ASSERT_OK(env->OpenTable("docs"));
  }
  EnvOptions ro;
  ro.read_only = true;
  auto env = OpenEnv(ro);
  ASSERT_OK(env->OpenTable("docs"));
  EXPECT_TRUE(env->OpenTable("other").status().IsNotFound());
  EXPECT_EQ(env->Write([](WriteTxn&) { return Status::OK(); }).code(),
            Status::Code::kFailedPrecondition);
}

}  // namespace
}  // namespace storage
