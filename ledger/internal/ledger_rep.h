// The Ledger's state, shared by its .cc files: ledger.cc (opening, tables,
// reads, the log), writer_queue.cc (Write), publisher.cc (checkpoints) and
// verify.cc (VerifyLog). Not for use outside ledger/.
#ifndef LEDGER_INTERNAL_LEDGER_REP_H_
#define LEDGER_INTERNAL_LEDGER_REP_H_

#include <chrono>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "ledger/checkpoint_store.h"
#include "ledger/event_log.h"
#include "ledger/keys.h"
#include "ledger/ledger.h"
#include "signing/note.h"

namespace ledger {

/// One caller of Write waiting in the queue (leveldb's DBImpl::Writer).
struct QueuedWriter {
  const WriteFn* fn = nullptr;
  WriteOptions options;
  base::Status status;
  bool done = false;
  std::condition_variable cv;
};

struct Ledger::Rep {
  LedgerOptions options;
  DataDirLayout layout;
  base::FileSystem* fs = nullptr;
  const base::Clock* clock = nullptr;
  std::unique_ptr<storage::Env> env;
  std::unique_ptr<EventLog> log;
  std::unique_ptr<CheckpointStore> checkpoints;
  storage::Table responses;  // "tsr": DER TimeStampResp by its SHA-256
  Keys keys;
  std::unique_ptr<signing::NoteVerifier> verifier;
  std::unique_ptr<signing::NoteSigner> signer;    // writers only
  std::unique_ptr<signing::Timestamper> stamper;  // writers only

  // Tables the ledger records nothing for, and the owners' event prefixes.
  mutable std::shared_mutex tables_mu;
  std::set<std::string, std::less<>> replayed;  // GUARDED_BY(tables_mu)
  std::set<std::string> owners;                 // GUARDED_BY(tables_mu)

  // The writer queue.
  std::mutex queue_mu;
  std::deque<QueuedWriter*> writers;  // GUARDED_BY(queue_mu)
  uint64_t writes_done = 0;           // GUARDED_BY(queue_mu)
  uint64_t groups_done = 0;           // GUARDED_BY(queue_mu)
  size_t last_group_size = 0;         // GUARDED_BY(queue_mu)
  std::chrono::steady_clock::duration last_group_time{};  // GUARDED_BY(queue_mu)
  std::condition_variable gather_cv;  // a writer joined the queue
  // Committed groups whose meta page is not flushed yet, oldest first: their
  // writers wait until a later commit or a Sync makes them durable.
  struct PendingGroup {
    std::vector<QueuedWriter*> writers;
    uint64_t txnid = 0;
  };
  std::deque<PendingGroup> pending;  // GUARDED_BY(queue_mu)
  uint64_t carried = 0;              // GUARDED_BY(queue_mu)
  uint64_t flushes = 0;              // GUARDED_BY(queue_mu)
  // Groups run again nested because a writer failed in the shared
  // transaction (RunGroup; counted by the leader outside queue_mu).
  std::atomic<uint64_t> reruns{0};

  // The checkpoint publisher.
  std::mutex publish_mu;  // one publication at a time in this process
  std::mutex schedule_mu;
  std::condition_variable schedule_cv;
  bool stopping = false;                      // GUARDED_BY(schedule_mu)
  bool kick = false;                          // GUARDED_BY(schedule_mu)
  std::optional<base::Time> uncovered_since;  // GUARDED_BY(schedule_mu)
  uint64_t covered_hint = 0;                  // GUARDED_BY(schedule_mu): a size known covered
  std::thread publisher;

  /// The leader's short wait for the writers of a busy moment to join its
  /// group. REQUIRES: l holds queue_mu.
  void Gather(std::unique_lock<std::mutex>& l);
  /// Runs a group of queued writers as one commit (writer_queue.cc).
  /// Returns the commit's transaction id if it waits for a flush, else 0.
  uint64_t RunGroup(const std::vector<QueuedWriter*>& group);
  /// Hands the writers of a finished group their results, or parks them in
  /// pending until their commit is durable. REQUIRES: l holds queue_mu.
  void Settle(std::unique_lock<std::mutex>& l, std::vector<QueuedWriter*> group,
              uint64_t txnid);
  /// Wakes the pending writers whose commits are durable through id, or
  /// all of them with status when a flush failed. REQUIRES: l holds queue_mu.
  void Acknowledge(std::unique_lock<std::mutex>& l, uint64_t through,
                   const base::Status& status);
  /// Runs one writer's fn in the nested transaction txn.
  /// The group's one transaction: each writer straight in it, or (nested)
  /// each in a nested transaction of its own.
  base::Status RunTxn(const std::vector<QueuedWriter*>& group, const base::Status& blobs,
                      bool nested, uint64_t* log_size, uint64_t* txnid);
  base::Status RunWriter(storage::WriteTxn& txn, QueuedWriter& w);
  /// After a commit that added events: wakes the publisher if due.
  void Committed(uint64_t log_size);
  /// The background publisher's loop (publisher.cc).
  void PublisherLoop(Ledger* ledger);
  /// Starts / stops the background publisher.
  void StartPublisher(Ledger* ledger);
  void StopPublisher();
};

}  // namespace ledger

#endif  // LEDGER_INTERNAL_LEDGER_REP_H_
