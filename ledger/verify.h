// What `kura verify` reports, and the interface through which the owners of
// replayed tables (the archive) take part in the ledger's replay of the log.
//
// Thread safety: EventReplayer::Decode is called concurrently (distinct
// slots); everything else from one thread.
#ifndef LEDGER_VERIFY_H_
#define LEDGER_VERIFY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ledger {

struct VerifyFailure {
  /// A document id, or "log" / "catalog" / "checkpoint" / "<table>/<key>"
  /// for the structures.
  std::string id;
  /// Documents: "changed", "missing", "unreadable", "timestamp_invalid",
  /// "timestamp_pending". Structures: "tree_mismatch", "checkpoint_invalid",
  /// "unexplained_record", "record_mismatch", "missing_record",
  /// "index_mismatch".
  std::string reason;
  std::string detail;
};

struct VerifyReport {
  uint64_t documents = 0;  ///< documents checked (in the period)
  uint64_t ok = 0;         ///< of those, with intact bytes and a valid token
  uint64_t bytes = 0;
  uint64_t tokens_checked = 0;
  uint64_t events = 0;
  uint64_t checkpoint_size = 0;
  uint64_t checkpoints = 0;  ///< signed checkpoints checked
  /// Events after the latest checkpoint: written, replayed and checked
  /// against the tables, but not yet covered by a signature (the publisher
  /// signs every N events or T seconds). Not a failure.
  uint64_t unpublished_events = 0;
  uint64_t module_records = 0;  ///< records of recorded tables (workflow, ...) checked
  std::vector<VerifyFailure> failed;
};

/// {"documents": N, "ok": N, "failed": [{"id", "reason", "detail"}], "events": N,
///  "checkpoint": N, "checkpoints": N, "unpublished_events": N, "timestamps_checked": N,
///  "module_records": N}
nlohmann::json ToJson(const VerifyReport& r);

/// What the ledger needs to know of every event.
struct EventHeader {
  bool object = false;     ///< the bytes are a JSON object
  bool canonical = false;  ///< the bytes are exactly its canonical form
  std::optional<std::string> type;
  /// The canonical bytes of the "writes" member, if present.
  std::optional<std::string> writes;
};

/// The plain decoding: parse, re-serialise, compare.
EventHeader DecodeHeader(std::string_view bytes);

/// An owner of replayed tables, replaying the log alongside the ledger
/// (Ledger::VerifyLog). Events are decoded a window at a time on all cores,
/// then applied one after the other in log order.
class EventReplayer {
 public:
  virtual ~EventReplayer() = default;
  /// Room for n decoded events, slots 0 .. n-1 (reused window after window).
  virtual void Reserve(size_t n) = 0;
  /// Decodes an event into slot and says what the ledger needs of it.
  /// Called concurrently for distinct slots.
  virtual EventHeader Decode(size_t slot, std::string_view bytes) = 0;
  /// Applies the event in slot, whose log index is index. Called in log
  /// order for every event that is a JSON object with a type.
  virtual void Apply(uint64_t index, size_t slot) = 0;
};

}  // namespace ledger

#endif  // LEDGER_VERIFY_H_
