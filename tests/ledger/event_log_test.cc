#include "ledger/event_log.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace ledger {
namespace {

using base::Status;

TEST(EventLogTest, CanonicalFormSortsKeysAndKeepsUtf8) {
  const nlohmann::json e{{"z", 1}, {"a", "株式会社"}, {"m", {{"y", true}, {"b", nullptr}}}};
  EXPECT_EQ(EventLog::Canonical(e), R"({"a":"株式会社","m":{"b":null,"y":true},"z":1})");
}

TEST(EventLogTest, AppendsInOrderAndRollsBackWithTheTransaction) {
  kura_test::TempDir dir;
  auto env = storage::Env::Open(dir.path(), {});
  ASSERT_OK(env);
  auto log = EventLog::Open(env->get());
  ASSERT_OK(log);
  ASSERT_OK((*env)->Write([&](storage::WriteTxn& txn) -> Status {
    for (int i = 0; i < 3; ++i) {
      ASSIGN_OR_RETURN(const uint64_t index, log->Append(txn, {{"n", i}}));
      EXPECT_EQ(index, static_cast<uint64_t>(i));
    }
    return Status::OK();
  }));
  const Status aborted = (*env)->Write([&](storage::WriteTxn& txn) -> Status {
    RETURN_IF_ERROR(log->Append(txn, {{"n", 99}}).status());
    return Status::Aborted("the change failed, so its event must vanish too");
  });
  EXPECT_EQ(aborted.code(), Status::Code::kAborted);
  std::vector<std::string> seen;
  ASSERT_OK((*env)->Read([&](const storage::ReadTxn& txn) {
    EXPECT_EQ(*log->Size(txn), 3u);
    return log->ForEach(txn, 1, [&](uint64_t, std::string_view bytes) {
      seen.emplace_back(bytes);
      return Status::OK();
    });
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
}

// The root of any size from the stored subtree hashes equals the RFC 6962
// tree hash over the leaves, and a consistency proof between any two sizes
// verifies with those roots.
TEST(EventLogTest, RootOfEverySizeMatchesTheTreeHashOfItsLeaves) {
  kura_test::TempDir dir;
  auto env = storage::Env::Open(dir.path(), {});
  ASSERT_OK(env);
  auto log = EventLog::Open(env->get());
  ASSERT_OK(log);
  std::vector<signing::Digest> leaves;
  ASSERT_OK((*env)->Write([&](storage::WriteTxn& txn) -> Status {
    for (int i = 0; i < 21; ++i) {
      const nlohmann::json e{{"n", i}};
      RETURN_IF_ERROR(log->Append(txn, e).status());
      leaves.push_back(signing::HashLeaf(EventLog::Canonical(e)));
    }
    return Status::OK();
  }));
  ASSERT_OK((*env)->Read([&](const storage::ReadTxn& txn) -> Status {
    for (uint64_t size = 0; size <= leaves.size(); ++size) {
      auto root = log->Root(txn, size);
      EXPECT_TRUE(root.ok()) << size;
      EXPECT_EQ(*root, signing::RootFromLeafHashes(std::span(leaves).first(size))) << size;
    }
    for (uint64_t a = 1; a <= leaves.size(); ++a) {
      for (uint64_t b = a; b <= leaves.size(); b += 3) {
        auto proof = log->ConsistencyProof(txn, a, b);
        EXPECT_TRUE(proof.ok());
        EXPECT_TRUE(
            signing::VerifyConsistency(a, b, *log->Root(txn, a), *log->Root(txn, b), *proof).ok())
            << a << " " << b;
      }
    }
    return Status::OK();
  }));
}

}  // namespace
}  // namespace ledger
