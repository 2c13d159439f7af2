// EventLog: the append-only record of every state change in kura. Each event
// is appended in the same LMDB write transaction as the change it describes,
// so the catalog can always be replayed from the log and a change without
// its event (an edit behind kura's back) is detectable.
//
// Events are canonical JSON (object keys sorted, no insignificant
// whitespace, UTF-8), stored under their 0-based index. The Merkle tree and
// signed checkpoints over these bytes are built on this table (signing/).
//
// Thread safety: methods run inside the caller's transaction.
#ifndef ARCHIVE_EVENT_LOG_H_
#define ARCHIVE_EVENT_LOG_H_

#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "storage/lmdb_env.h"

namespace archive {

class EventLog {
 public:
  /// Opens (creating) the log's table in env.
  static base::Result<EventLog> Open(storage::Env* env);

  /// The canonical bytes of an event.
  static std::string Canonical(const nlohmann::json& event);

  /// Appends event; returns its index.
  base::Result<uint64_t> Append(storage::WriteTxn& txn, const nlohmann::json& event) const;
  /// Number of events.
  base::Result<uint64_t> Size(const storage::ReadTxn& txn) const;
  /// Calls fn(index, canonical bytes) for events [from, end) in order; stops
  /// at fn's first error and returns it.
  base::Status ForEach(const storage::ReadTxn& txn, uint64_t from,
                       const std::function<base::Status(uint64_t, std::string_view)>& fn) const;

 private:
  explicit EventLog(storage::Table events) : events_(std::move(events)) {}
  storage::Table events_;
};

}  // namespace archive

#endif  // ARCHIVE_EVENT_LOG_H_
