#include "archive/event_log.h"

#include "storage/key_codec.h"

namespace archive {

using base::Result;
using base::Status;

Result<EventLog> EventLog::Open(storage::Env* env) {
  ASSIGN_OR_RETURN(storage::Table events, env->OpenTable("events"));
  return EventLog(std::move(events));
}

std::string EventLog::Canonical(const nlohmann::json& event) {
  // nlohmann::json objects are std::maps: keys come out sorted.
  return event.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

Result<uint64_t> EventLog::Size(const storage::ReadTxn& txn) const {
  // Indexes are dense from 0, so the size is the entry count.
  return txn.Count(events_);
}

Result<uint64_t> EventLog::Append(storage::WriteTxn& txn, const nlohmann::json& event) const {
  ASSIGN_OR_RETURN(const uint64_t index, Size(txn));
  RETURN_IF_ERROR(txn.Insert(events_, storage::KeyEncoder().U64(index).key(), Canonical(event)));
  return index;
}

Status EventLog::ForEach(const storage::ReadTxn& txn, uint64_t from,
                         const std::function<Status(uint64_t, std::string_view)>& fn) const {
  ASSIGN_OR_RETURN(storage::Cursor cursor, txn.NewCursor(events_));
  for (bool ok = cursor.Seek(storage::KeyEncoder().U64(from).key()); ok; ok = cursor.Next()) {
    uint64_t index;
    storage::KeyDecoder d(cursor.key());
    if (!d.U64(&index) || !d.done()) return Status::Corruption("event log: malformed key");
    RETURN_IF_ERROR(fn(index, cursor.value()));
  }
  return cursor.status();
}

}  // namespace archive
