// SnapshotMemo<V>: values computed from one LMDB snapshot, remembered for
// the read transactions that see the same snapshot.
//
// A value derived only from what a snapshot holds (the number of documents
// a search matches, say) is the same for every read transaction with that
// snapshot's id (ReadTxn::snapshot_id), whichever process wrote it; once a
// newer snapshot is seen, the values of older ones are dropped. Write
// transactions have no snapshot id and are never memoised.
//
// Bounded by max_entries (all dropped when full: the next requests compute
// again). Thread safety: safe for concurrent use.
#ifndef STORAGE_SNAPSHOT_MEMO_H_
#define STORAGE_SNAPSHOT_MEMO_H_

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace storage {

template <class V>
class SnapshotMemo {
 public:
  explicit SnapshotMemo(size_t max_entries) : max_(max_entries) {}
  SnapshotMemo(const SnapshotMemo&) = delete;
  SnapshotMemo& operator=(const SnapshotMemo&) = delete;

  /// The value remembered for key in snapshot, if any.
  std::optional<V> Find(std::optional<uint64_t> snapshot, std::string_view key) const {
    if (!snapshot) return std::nullopt;
    std::lock_guard<std::mutex> lock(mu_);
    if (*snapshot != snapshot_) return std::nullopt;
    auto it = values_.find(std::string(key));
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

  /// Remembers value for key in snapshot (nothing for an older snapshot
  /// than the newest seen, or a write transaction's nullopt).
  void Store(std::optional<uint64_t> snapshot, std::string_view key, V value) {
    if (!snapshot) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (*snapshot < snapshot_) return;
    if (*snapshot > snapshot_ || values_.size() >= max_) {
      values_.clear();
      snapshot_ = *snapshot;
    }
    values_.insert_or_assign(std::string(key), std::move(value));
  }

 private:
  const size_t max_;
  mutable std::mutex mu_;
  uint64_t snapshot_ = 0;
  std::unordered_map<std::string, V> values_;
};

}  // namespace storage

#endif  // STORAGE_SNAPSHOT_MEMO_H_
