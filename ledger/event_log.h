// EventLog: the append-only record of every state change in kura, and the
// RFC 6962 Merkle tree over it. Each event is appended in the same LMDB write
// transaction as the change it describes, so the catalog can always be
// replayed from the log, and a change without its event (an edit behind
// kura's back) is detectable.
//
// Events are canonical JSON (object keys sorted, no insignificant
// whitespace, UTF-8). The leaf hash of event i is SHA-256(0x00 ‖ bytes).
// Append keeps, in the same transaction, the tree's frontier (so the root of
// any size is known) and the hash of every completed perfect subtree (so
// inclusion and consistency proofs take O(log n) lookups).
//
//   events        index (u64)          → canonical bytes
//   merkle_nodes  level (u8), index    → 32-byte node hash
//   log_state     "frontier"           → size (u64) ‖ frontier hashes
//
// Thread safety: methods run inside the caller's transaction.
#ifndef LEDGER_EVENT_LOG_H_
#define LEDGER_EVENT_LOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "signing/merkle.h"
#include "signing/sha256.h"
#include "storage/lmdb_env.h"

namespace ledger {

class EventLog {
 public:
  /// Opens (creating) the log's tables in env.
  static base::Result<EventLog> Open(storage::Env* env);

  /// The canonical bytes of an event.
  static std::string Canonical(const nlohmann::json& event);

  /// Appends event; returns its index.
  base::Result<uint64_t> Append(storage::WriteTxn& txn, const nlohmann::json& event) const;
  /// Number of events.
  base::Result<uint64_t> Size(const storage::ReadTxn& txn) const;
  /// The frontier after the last committed event.
  base::Result<signing::CompactRange> Frontier(const storage::ReadTxn& txn) const;
  /// Calls fn(index, canonical bytes) for events [from, end) in order; stops
  /// at fn's first error and returns it.
  base::Status ForEach(const storage::ReadTxn& txn, uint64_t from,
                       const std::function<base::Status(uint64_t, std::string_view)>& fn) const;
  /// The stored bytes of one event; NotFound beyond the end.
  base::Result<std::string> Get(const storage::ReadTxn& txn, uint64_t index) const;

  /// Proofs from the stored node hashes. Errors as signing::InclusionProof /
  /// ConsistencyProof, or Corruption if a node is missing.
  base::Result<std::vector<signing::Digest>> InclusionProof(const storage::ReadTxn& txn,
                                                            uint64_t index, uint64_t size) const;
  base::Result<std::vector<signing::Digest>> ConsistencyProof(const storage::ReadTxn& txn,
                                                              uint64_t size1, uint64_t size2) const;
  /// The root of the tree of the first `size` events (size <= Size(); the
  /// caller checks), from the stored perfect-subtree hashes: O(log n).
  base::Result<signing::Digest> Root(const storage::ReadTxn& txn, uint64_t size) const;

 private:
  EventLog(storage::Table events, storage::Table nodes, storage::Table state)
      : events_(std::move(events)), nodes_(std::move(nodes)), state_(std::move(state)) {}
  signing::NodeHashFn Nodes(const storage::ReadTxn& txn) const;

  storage::Table events_, nodes_, state_;
};

}  // namespace ledger

#endif  // LEDGER_EVENT_LOG_H_
