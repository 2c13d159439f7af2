// Ledger: the one write path of kura. Every state change of every module —
// a document received, a correction, a payment-order step, a user added — is
// one call of Write: a function that changes tables of the LMDB environment
// and appends the events that explain the change to the event log, committed
// together or not at all. The event log is an RFC 6962 Merkle tree over the
// canonical event bytes (ledger/event_log.h); the checkpoint publisher signs
// its root (C2SP tlog-checkpoint, Ed25519) every N events or T seconds and
// time-stamps each checkpoint, outside every writer's way.
//
// Writer queue. Concurrent writers (uploads, workflow actions, intake,
// another thread's CLI batch) are grouped as leveldb's DBImpl::Write groups
// them: the first waiting writer leads, takes the writers queued behind it,
// makes all their staged originals durable with one round of syncfs
// (storage::BlobStore::Publish), runs each writer's function in ONE LMDB
// write transaction (if one fails, the group runs again with each writer in
// a nested transaction, so that the one that fails is undone alone),
// commits once and hands every writer its own result. The others
// wait and return. Writers in other processes are serialised by LMDB's
// writer lock; nothing the ledger keeps in memory assumes it is the only
// writer (the tree frontier, sizes and checkpoints are read in each
// transaction).
//
// Write sets. Tables are of two kinds. A table opened with OpenTable is
// recorded: every change a Write makes to it is listed, as table, key and
// SHA-256 of the new value, in the "writes" member of that writer's last
// event, and Verify replays those over the table. A table opened with
// OpenReplayedTable belongs to an owner that describes its changes in its
// own events and checks them itself (the archive's catalog, whose events
// are "document.*"); the ledger records nothing for it. Events of a
// replayed owner's type prefix may only be appended by a Write that names
// that owner (WriteOptions::owner).
//
// Derived tables. A table whose name begins with "idx_" is an index its
// owner derives from other tables (the work lists of the inbox) and can
// rebuild from them at any time; the ledger records nothing for it, Verify
// does not compare it, and it may change without an event (a rebuild). Its
// owner keeps it in the same write transaction as the tables it indexes.
//
// Records that are written without an event, and why they need none:
// checkpoints and their time-stamp tokens (self-authenticating: signed by
// the log key over the tree's root, and checked against the rebuilt tree by
// Verify; an event about a checkpoint would need another checkpoint), the
// tree's own node hashes and frontier (derived from the events and rebuilt
// by Verify), and the catalog's format marker (written once when a data
// directory is first opened, like the FORMAT file).
//
// Thread safety: a Ledger is safe for concurrent use. Write callbacks run on
// the group leader's thread, not the caller's: they must not block on other
// writers or call Write themselves (FailedPrecondition).
#ifndef LEDGER_LEDGER_H_
#define LEDGER_LEDGER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/file_system.h"
#include "base/result.h"
#include "base/time.h"
#include "ledger/data_dir.h"
#include "ledger/token_keys.h"
#include "ledger/verify.h"
#include "signing/sha256.h"
#include "signing/timestamper.h"
#include "signing/tsa_client.h"
#include "storage/blob_store.h"
#include "storage/lmdb_env.h"

namespace ledger {

/// The name prefix of derived tables (see the file comment).
inline constexpr std::string_view kDerivedTablePrefix = "idx_";
inline bool IsDerivedTableName(std::string_view name) {
  return name.substr(0, kDerivedTablePrefix.size()) == kDerivedTablePrefix;
}

struct TimestampOptions {
  /// One token per ingest batch over the Merkle root of its documents,
  /// each document keeping its inclusion path (for paid TSAs). Default: one
  /// token per document, verifiable with `openssl ts -verify -data`.
  bool batch = false;
  /// External TSA (RFC 3161 over HTTP); empty: the built-in TSA.
  std::string url;
  /// PEM certificates that verify the external TSA's tokens.
  std::string trusted_pem;
  /// How to reach url; must outlive the Ledger. REQUIRED when url is set.
  signing::TsaTransport* transport = nullptr;
};

/// When the checkpoint publisher signs (kura.toml [checkpoints]).
struct CheckpointOptions {
  /// As soon as this many events are not covered by a checkpoint.
  uint64_t every_events = 256;
  /// Or when the oldest uncovered event has waited this long.
  std::chrono::milliseconds every = std::chrono::seconds(10);
  /// A background thread publishes on that schedule (and polls for events
  /// other processes wrote). false: only PublishDue and PublishCheckpoint
  /// publish (tests drive them with a fake clock).
  bool background = true;
};

struct LedgerOptions {
  std::string data_dir = "kura-data";
  bool read_only = false;
  storage::EnvOptions env;
  TimestampOptions timestamp;
  CheckpointOptions checkpoints;
  /// Group commit: a writer is acknowledged once a later commit or the
  /// queue's own flush made its commit durable (writer_queue.cc). Off (the
  /// default), every commit flushes its meta page itself: measured faster
  /// for sixteen concurrent writers in every round (docs/BENCHMARKS.md,
  /// writers_bench --compare), since a writer then waits for no later group.
  bool group_commit = false;
  /// kura.toml [keys]: the TSA and log keys in a PKCS#11 token
  /// (ledger/token_keys.h); disabled: files in keys/. Writers only.
  TokenKeyOptions key_token;
};

/// How a Write adds events to the log. The events are appended in order
/// after the write function returns (so that the last can carry the write
/// set); each gets the index the call returns.
class AppendEvent {
 public:
  /// Adds event and returns the index it will have. The event must be a
  /// JSON object with a non-empty string "type"; the member "writes" is the
  /// ledger's (InvalidArgument); a replayed owner's type needs the owner's
  /// Write (FailedPrecondition).
  base::Result<uint64_t> operator()(const nlohmann::json& event) const;
  /// The index the next event appended will have.
  uint64_t next_index() const { return first_ + events_->size(); }

 private:
  friend class Ledger;
  AppendEvent(uint64_t first, std::vector<nlohmann::json>* events,
              const std::set<std::string>* owners, std::string_view owner)
      : first_(first), events_(events), owners_(owners), owner_(owner) {}
  uint64_t first_;
  std::vector<nlohmann::json>* events_;
  const std::set<std::string>* owners_;
  std::string_view owner_;
};
using WriteFn = std::function<base::Status(storage::WriteTxn&, const AppendEvent&)>;

struct WriteOptions {
  /// Originals this writer staged (storage::BlobStore::Stage): made durable
  /// in the group's one round of syncs before the transaction, checked to
  /// be present inside it, and finished after the commit. May be null.
  storage::BlobStore::Batch* blobs = nullptr;
  /// The replayed owner whose events this write appends ("document." for
  /// the archive); empty for the modules whose tables are recorded.
  std::string_view owner;
};

/// Where an event stands in the log: its inclusion proof up to the latest
/// signed checkpoint.
struct EventProof {
  uint64_t index = 0;
  std::string event;  ///< canonical bytes
  signing::Digest leaf_hash;
  std::vector<signing::Digest> proof;
  std::string checkpoint;  ///< signed note
  uint64_t tree_size = 0;
};

/// A signed checkpoint as stored, with its time-stamp token.
struct CheckpointRecord {
  uint64_t size = 0;
  std::string note;     ///< the signed note, as signed
  signing::Digest root; ///< the log's root at size (Verify checks the note says the same)
  std::string tsr_der;  ///< DER TimeStampResp over SHA-256(note); empty if none yet
  base::Time created_at;
};

/// RFC 9162 §2.1.4 consistency proof between two tree sizes.
struct ConsistencyProofRecord {
  uint64_t size1 = 0, size2 = 0;
  signing::Digest root1, root2;
  std::vector<signing::Digest> proof;
};

/// What the writer queue has done since the ledger opened.
struct WriteStats {
  uint64_t writes = 0;   ///< Write calls that reached a group
  uint64_t groups = 0;   ///< groups run, i.e. LMDB commits attempted
  uint64_t waiting = 0;  ///< writers in the queue right now
  /// Groups made durable by the commit of a later group (group commit), and
  /// flushes the queue made because no later group was there to do it.
  uint64_t carried = 0;
  uint64_t flushes = 0;
  /// Groups run a second time, each writer nested, because one writer
  /// failed inside the group's shared transaction.
  uint64_t reruns = 0;
};

class Ledger {
 public:
  /// Opens the ledger of the data directory options.data_dir, which `kura
  /// init` created (FailedPrecondition otherwise, or if a newer kura wrote
  /// it). A writer creates missing keys. fs and clock must outlive it.
  static base::Result<std::unique_ptr<Ledger>> Open(const LedgerOptions& options,
                                                    base::FileSystem* fs, const base::Clock* clock);
  /// Stops the publisher; a writer publishes a last checkpoint if the log
  /// grew (clean shutdown).
  ~Ledger();

  bool read_only() const;
  const DataDirLayout& layout() const;

  /// Opens (creating unless read-only) a recorded table. Call before any
  /// Write or Read that uses it, not inside one. A table registered as
  /// replayed, or the ledger's own, is InvalidArgument.
  base::Result<storage::Table> OpenTable(const std::string& name);
  /// Opens a table of a replayed owner (see the file comment).
  base::Result<storage::Table> OpenReplayedTable(const std::string& name);
  /// Opens (creating unless read-only) a derived table (see the file
  /// comment); InvalidArgument unless name begins with "idx_".
  base::Result<storage::Table> OpenDerivedTable(const std::string& name);
  /// Declares the event-type prefix of a replayed owner ("document."):
  /// events with it need WriteOptions::owner.
  void RegisterOwner(const std::string& prefix);
  /// True for the ledger's own tables, those opened as replayed, and
  /// derived tables: the tables whose changes are not recorded.
  bool IsReplayedTable(std::string_view name) const;

  /// Runs fn through the writer queue (see the file comment). Returns fn's
  /// error (nothing of this writer is kept), or the commit's (nothing of
  /// the group is kept). FailedPrecondition: read-only; a recorded change
  /// without an event; an owner's event without the owner; a Write from
  /// inside a Write. Unavailable: a staged original vanished before the
  /// commit (retry).
  base::Status Write(const WriteFn& fn, const WriteOptions& options = {});
  WriteStats write_stats() const;
  /// Runs fn in a read transaction (a consistent snapshot).
  base::Status Read(const std::function<base::Status(const storage::ReadTxn&)>& fn) const;

  // ---- The event log ----
  base::Result<uint64_t> EventCount() const;
  /// Calls fn with each event from index `from` on, in log order, until fn
  /// fails (its error is returned). Events are canonical JSON.
  base::Status ForEachEvent(
      uint64_t from,
      const std::function<base::Status(uint64_t index, std::string_view event)>& fn) const;
  /// The inclusion proof of event index in the latest checkpoint;
  /// FailedPrecondition if no checkpoint covers it yet.
  base::Result<EventProof> ProveEvent(uint64_t index) const;
  /// The inclusion proofs of many events in ONE checkpoint: the latest, as
  /// one read snapshot sees it, or the one of tree_size events if that is
  /// not 0 (NotFound if no checkpoint has that size). fn is called per
  /// index in the given order; an index the checkpoint does not cover is
  /// skipped (not_covered counts them). FailedPrecondition if there is no
  /// checkpoint.
  base::Status ProveEvents(const std::vector<uint64_t>& indices,
                           const std::function<base::Status(const EventProof&)>& fn,
                           uint64_t* not_covered = nullptr, uint64_t tree_size = 0) const;
  /// The consistency proof from the tree of size1 events to that of size2
  /// (size1 <= size2 <= EventCount(); InvalidArgument otherwise), with both
  /// roots.
  base::Result<ConsistencyProofRecord> ProveConsistency(uint64_t size1, uint64_t size2) const;

  // ---- Checkpoints ----
  /// Signs, stores and time-stamps a checkpoint now if the log grew since
  /// the latest one. Called by the publisher; by tests and commands that
  /// need one at once (`kura log proof`).
  base::Status PublishCheckpoint();
  /// Publishes if the schedule says so at the clock's now: every_events
  /// uncovered events, or uncovered events older than `every`.
  base::Status PublishDue();
  /// The latest signed checkpoint (C2SP note); NotFound before the first.
  base::Result<std::string> LatestCheckpoint() const;
  /// Every stored checkpoint with its token, in size order, in one read
  /// snapshot.
  base::Status ForEachCheckpoint(
      const std::function<base::Status(const CheckpointRecord&)>& fn) const;
  /// The log's verifier key ("<origin>+<hash>+<key>").
  std::string VerifierKey() const;

  // ---- Time-stamps ----
  /// Where tokens come from; null when read-only.
  signing::Timestamper* stamper();
  bool batch_timestamps() const;
  /// PEM certificates that verify every token kura may hold (built-in TSA
  /// chain, plus the external TSA's trusted certificates if configured).
  std::string TrustedTsaPem() const;
  /// Stores a DER TimeStampResp under its SHA-256 (once) in the current
  /// Write and returns that hex.
  base::Result<std::string> PutResponse(storage::WriteTxn& txn, std::string_view der) const;
  /// NotFound if absent.
  base::Result<std::string> GetResponse(const storage::ReadTxn& txn,
                                        std::string_view sha256_hex) const;

  // ---- Verification ----
  /// The log half of `kura verify`: checkpoints (signatures, tokens, roots
  /// against the rebuilt tree), every event canonical with a type, and every
  /// recorded table exactly as the write sets leave it. Events are handed
  /// to replayer (may be null) for the replayed owners. Failures go to
  /// report; an error only if the check could not run.
  base::Status VerifyLog(EventReplayer* replayer, VerifyReport* report,
                         const std::function<void(std::string_view stage)>& on_stage) const;

  /// Internal state, defined in ledger/internal/ledger_rep.h.
  struct Rep;

 private:
  explicit Ledger(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace ledger

#endif  // LEDGER_LEDGER_H_
