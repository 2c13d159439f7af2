// The ledger's write path: the writer queue (groups, per-writer failure,
// write sets, owners' events), the checkpoint publisher (every N events,
// every T seconds, on shutdown) and what verify says of events no
// checkpoint covers yet.
#include "ledger/ledger.h"

#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "base/time.h"
#include "signing/merkle.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"

namespace ledger {
namespace {

using base::Status;
using nlohmann::json;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    options_.checkpoints.background = false;  // the tests drive the publisher
    options_.checkpoints.every_events = 4;
    options_.checkpoints.every = std::chrono::seconds(10);
    // Group commit is off by default; these tests check its bookkeeping.
    options_.group_commit = true;
    ASSERT_OK(InitDataDir(fs_.get(), DataDirLayout{options_.data_dir}, ""));
    Reopen();
  }

  void Reopen() {
    ledger_.reset();
    auto l = Ledger::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(l);
    ledger_ = std::move(*l);
    auto t = ledger_->OpenTable("test_records");
    ASSERT_OK(t);
    table_ = *t;
  }

  // One recorded change and its event.
  Status Put(const std::string& key, const std::string& value) {
    return ledger_->Write([&](storage::WriteTxn& txn, const AppendEvent& append) -> Status {
      RETURN_IF_ERROR(txn.Put(table_, key, value));
      return append(json{{"type", "test.put"}, {"key", key}}).status();
    });
  }

  uint64_t CheckpointSize() {
    auto note = ledger_->LatestCheckpoint();
    if (!note.ok()) return 0;
    // The second line of a C2SP checkpoint is the tree size.
    const size_t a = note->find('\n') + 1;
    return std::stoull(note->substr(a, note->find('\n', a) - a));
  }

  VerifyReport Verify() {
    VerifyReport report;
    EXPECT_OK(ledger_->VerifyLog(nullptr, &report, nullptr));
    return report;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T01:00:00Z")};
  LedgerOptions options_;
  std::unique_ptr<Ledger> ledger_;
  storage::Table table_;
};

TEST_F(LedgerTest, ChangeAndEventCommitTogetherWithTheWriteSet) {
  ASSERT_OK(Put("a", "1"));
  std::string event;
  ASSERT_OK(ledger_->ForEachEvent(0, [&](uint64_t, std::string_view e) {
    event = e;
    return Status::OK();
  }));
  const json j = json::parse(event);
  EXPECT_EQ(j["type"], "test.put");
  // "a" is 61 in hex; the value's SHA-256 is what verify replays.
  EXPECT_TRUE(j["writes"]["test_records"].contains("61")) << event;
  const VerifyReport r = Verify();
  EXPECT_TRUE(r.failed.empty()) << ToJson(r).dump();
  EXPECT_EQ(r.module_records, 1u);
}

TEST_F(LedgerTest, AChangeWithoutAnEventIsRefused) {
  const Status s = ledger_->Write(
      [&](storage::WriteTxn& txn, const AppendEvent&) { return txn.Put(table_, "k", "v"); });
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_TRUE(kura_test::IsJapaneseError(s));
  EXPECT_EQ(*ledger_->EventCount(), 0u);
}

TEST_F(LedgerTest, AnOwnersEventsNeedTheOwnersWrite) {
  ledger_->RegisterOwner("document.");
  auto forged = [&](storage::WriteTxn&, const AppendEvent& append) {
    return append(json{{"type", "document.received"}}).status();
  };
  EXPECT_EQ(ledger_->Write(forged).code(), Status::Code::kFailedPrecondition);
  WriteOptions owner;
  owner.owner = "document.";
  EXPECT_OK(ledger_->Write(forged, owner));
}

TEST_F(LedgerTest, AWriteInsideAWriteIsRefusedNotADeadlock) {
  Status inner;
  ASSERT_OK(ledger_->Write([&](storage::WriteTxn&, const AppendEvent& append) {
    inner = ledger_->Write([](storage::WriteTxn&, const AppendEvent&) { return Status::OK(); });
    return append(json{{"type", "test.outer"}}).status();
  }));
  EXPECT_EQ(inner.code(), Status::Code::kFailedPrecondition);
}

// Writers queued behind a leader go into one group: one commit; a writer
// that fails is undone alone.
TEST_F(LedgerTest, QueuedWritersShareOneCommitAndFailAlone) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread leader([&] {
    EXPECT_OK(ledger_->Write([&](storage::WriteTxn& txn, const AppendEvent& append) -> Status {
      released.wait();  // the others queue up meanwhile
      RETURN_IF_ERROR(txn.Put(table_, "leader", "x"));
      return append(json{{"type", "test.put"}}).status();
    }));
  });
  while (ledger_->write_stats().waiting < 1) std::this_thread::yield();
  constexpr int kWriters = 15;
  std::vector<std::thread> writers;
  std::vector<Status> results(kWriters);
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      results[i] = ledger_->Write([&, i](storage::WriteTxn& txn, const AppendEvent& append) {
        RETURN_IF_ERROR(txn.Put(table_, "w" + std::to_string(i), "x"));
        if (i == 7) return Status::Aborted("writer 7 changes its mind");
        return append(json{{"type", "test.put"}, {"i", i}}).status();
      });
    });
  }
  while (ledger_->write_stats().waiting < 1 + kWriters) std::this_thread::yield();
  release.set_value();
  leader.join();
  for (auto& t : writers) t.join();
  const WriteStats stats = ledger_->write_stats();
  EXPECT_EQ(stats.writes, 1u + kWriters);
  EXPECT_EQ(stats.groups, 2u);  // the leader alone, then all the others at once
  // The second group's commit carried the first to disk; the queue flushed
  // only once, for the second, with nobody behind it.
  EXPECT_EQ(stats.carried, 1u);
  EXPECT_EQ(stats.flushes, 1u);
  // The group ran once with every writer in the shared transaction; writer
  // 7's failure dropped it, and it ran again with each writer nested.
  EXPECT_EQ(stats.reruns, 1u);
  for (int i = 0; i < kWriters; ++i) {
    EXPECT_EQ(results[i].ok(), i != 7) << i << ": " << results[i].ToString();
  }
  EXPECT_EQ(*ledger_->EventCount(), 1u + kWriters - 1);
  ASSERT_OK(ledger_->Read([&](const storage::ReadTxn& txn) {
    EXPECT_TRUE(txn.Get(table_, "w7").status().IsNotFound());
    EXPECT_OK(txn.Get(table_, "w8"));
    return Status::OK();
  }));
  const VerifyReport r = Verify();
  EXPECT_TRUE(r.failed.empty()) << ToJson(r).dump();
}

// A writer with nobody behind it does not return before its commit is on
// disk: the queue flushes for it (nothing later would carry its meta page).
TEST_F(LedgerTest, AWriterAloneReturnsAfterItsOwnFlush) {
  for (int i = 0; i < 5; ++i) ASSERT_OK(Put("k" + std::to_string(i), "v"));
  const WriteStats stats = ledger_->write_stats();
  EXPECT_EQ(stats.groups, 5u);
  EXPECT_EQ(stats.flushes, 5u);
  EXPECT_EQ(stats.carried, 0u);
  // A writer that changed nothing has nothing to flush.
  ASSERT_OK(ledger_->Write([](storage::WriteTxn&, const AppendEvent&) { return Status::OK(); }));
  EXPECT_EQ(ledger_->write_stats().flushes, 5u);
}

TEST_F(LedgerTest, ACheckpointIsPublishedAfterNEvents) {
  for (int i = 0; i < 3; ++i) ASSERT_OK(Put("k" + std::to_string(i), "v"));
  ASSERT_OK(ledger_->PublishDue());
  EXPECT_EQ(CheckpointSize(), 0u);  // 3 < every_events and no time has passed
  ASSERT_OK(Put("k3", "v"));
  ASSERT_OK(ledger_->PublishDue());
  EXPECT_EQ(CheckpointSize(), 4u);
}

TEST_F(LedgerTest, ACheckpointIsPublishedAfterTSeconds) {
  ASSERT_OK(Put("k", "v"));
  ASSERT_OK(ledger_->PublishDue());  // the publisher notices the event now
  EXPECT_EQ(CheckpointSize(), 0u);
  clock_.Advance(std::chrono::seconds(9));
  ASSERT_OK(ledger_->PublishDue());
  EXPECT_EQ(CheckpointSize(), 0u);
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_OK(ledger_->PublishDue());
  EXPECT_EQ(CheckpointSize(), 1u);
}

TEST_F(LedgerTest, ACheckpointIsPublishedOnShutdownAndIsTimestamped) {
  ASSERT_OK(Put("k", "v"));
  EXPECT_EQ(CheckpointSize(), 0u);
  Reopen();  // closing the writer publishes
  EXPECT_EQ(CheckpointSize(), 1u);
  const VerifyReport r = Verify();
  EXPECT_TRUE(r.failed.empty()) << ToJson(r).dump();
  EXPECT_EQ(r.checkpoint_size, 1u);
  EXPECT_EQ(r.unpublished_events, 0u);
}

TEST_F(LedgerTest, EventsAfterTheLastCheckpointArePendingNotFailures) {
  ASSERT_OK(Put("a", "1"));
  ASSERT_OK(ledger_->PublishCheckpoint());
  ASSERT_OK(Put("b", "2"));
  ASSERT_OK(Put("c", "3"));
  const VerifyReport r = Verify();
  EXPECT_TRUE(r.failed.empty()) << ToJson(r).dump();
  EXPECT_EQ(r.events, 3u);
  EXPECT_EQ(r.checkpoint_size, 1u);
  EXPECT_EQ(r.unpublished_events, 2u);
  EXPECT_EQ(ToJson(r)["unpublished_events"], 2);
  // An event no checkpoint covers has no inclusion proof yet.
  const Status pending = ledger_->ProveEvent(2).status();
  EXPECT_EQ(pending.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(pending.message(),
            "イベント 2 はまだ署名済みのチェックポイントに含まれていません"
            "（次のチェックポイントの公開をお待ちください）");
  EXPECT_OK(ledger_->ProveEvent(0));
}

// An export proves each document's events in the checkpoint it started
// with, even after a newer one was published meanwhile.
TEST_F(LedgerTest, EventsAreProvedInTheCheckpointOfTheSizeAsked) {
  ASSERT_OK(Put("a", "1"));
  ASSERT_OK(Put("b", "2"));
  ASSERT_OK(ledger_->PublishCheckpoint());
  ASSERT_OK(Put("c", "3"));
  ASSERT_OK(ledger_->PublishCheckpoint());
  std::vector<CheckpointRecord> checkpoints;
  ASSERT_OK(ledger_->ForEachCheckpoint([&](const CheckpointRecord& c) {
    checkpoints.push_back(c);
    return Status::OK();
  }));
  ASSERT_EQ(checkpoints.size(), 2u);
  const CheckpointRecord& old = checkpoints[0];
  ASSERT_EQ(old.size, 2u);
  std::vector<EventProof> proofs;
  uint64_t not_covered = 0;
  ASSERT_OK(ledger_->ProveEvents(
      {1, 2},
      [&](const EventProof& p) {
        proofs.push_back(p);
        return Status::OK();
      },
      &not_covered, old.size));
  ASSERT_EQ(proofs.size(), 1u);  // event 2 came after the checkpoint of size 2
  EXPECT_EQ(not_covered, 1u);
  EXPECT_EQ(proofs[0].tree_size, 2u);
  EXPECT_EQ(proofs[0].checkpoint, old.note);
  EXPECT_OK(signing::VerifyInclusion(1, 2, proofs[0].leaf_hash, proofs[0].proof, old.root));
  // The latest (size 3) when no size is asked; a size without a checkpoint
  // is named.
  ASSERT_OK(ledger_->ProveEvents({1}, [&](const EventProof& p) {
    EXPECT_EQ(p.tree_size, 3u);
    return Status::OK();
  }));
  const Status none = ledger_->ProveEvents({0}, [](const EventProof&) { return Status::OK(); },
                                           nullptr, 1);
  EXPECT_TRUE(none.IsNotFound()) << none.ToString();
  EXPECT_EQ(none.message(), "チェックポイント 1 はありません");
}

TEST_F(LedgerTest, ARecordEditedBehindTheLedgersBackIsReported) {
  ASSERT_OK(Put("a", "1"));
  ledger_.reset();
  {
    auto env = storage::Env::Open(options_.data_dir + "/catalog", {});
    ASSERT_OK(env);
    auto t = (*env)->OpenTable("test_records");
    ASSERT_OK(t);
    ASSERT_OK((*env)->Write([&](storage::WriteTxn& txn) { return txn.Put(*t, "a", "2"); }));
  }
  Reopen();
  const VerifyReport r = Verify();
  ASSERT_EQ(r.failed.size(), 1u) << ToJson(r).dump();
  EXPECT_EQ(r.failed[0].reason, "record_mismatch");
  EXPECT_EQ(r.failed[0].detail, "レコードがイベント 0 の書き込んだ内容と異なります");
  EXPECT_TRUE(kura_test::IsJapaneseText(r.failed[0].detail));
}

// The background publisher signs once the count is reached, with nobody
// calling it (waits with a deadline; it never sleeps a fixed time).
TEST_F(LedgerTest, TheBackgroundPublisherSignsAfterNEvents) {
  options_.checkpoints.background = true;
  options_.checkpoints.every = std::chrono::hours(1);
  Reopen();
  for (int i = 0; i < 4; ++i) ASSERT_OK(Put("k" + std::to_string(i), "v"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (CheckpointSize() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  EXPECT_EQ(CheckpointSize(), 4u);
}

}  // namespace
}  // namespace ledger
