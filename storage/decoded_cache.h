// DecodedCache<T>: the decoded form of stored records, kept so that a
// record read again is not parsed again.
//
// Reading a list page decodes the same few hundred records (the documents,
// orders and commitments on the accounting office's home screen) on every
// request, and JSON parsing is most of what such a request costs. The cache
// is keyed by the record's key and holds a copy of the bytes it decoded; a
// hit is returned only if the bytes just read in the caller's transaction
// are exactly those bytes. So a hit is always what decoding the current
// record would give — whoever wrote it, in this process or another (kura
// serve and the CLI share a data directory), and whatever the record's
// history — and the cache needs no invalidation: a changed record misses
// and replaces its entry.
//
// Bounded by the bytes it holds (the stored bytes, which track the decoded
// size), least recently used first out. Only the decoding is shared: each
// caller gets its own copy of T.
//
// Thread safety: safe for concurrent use (one mutex, held for the look-up
// and the insertion only; decoding and copying happen outside it).
#ifndef STORAGE_DECODED_CACHE_H_
#define STORAGE_DECODED_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/result.h"

namespace storage {

template <class T>
class DecodedCache {
 public:
  /// capacity_bytes: the stored bytes the cache may hold (0 disables it).
  explicit DecodedCache(size_t capacity_bytes) : capacity_(capacity_bytes) {}
  DecodedCache(const DecodedCache&) = delete;
  DecodedCache& operator=(const DecodedCache&) = delete;

  /// decode(bytes) for the record at key, from the cache when bytes are
  /// those it decoded last time. Errors are not cached.
  template <class Decode>
  base::Result<T> Get(std::string_view key, std::string_view bytes, const Decode& decode) {
    if (std::shared_ptr<const Entry> e = Find(key); e && e->bytes == bytes) {
      return T(e->value);
    }
    base::Result<T> decoded = decode(bytes);
    if (decoded.ok() && bytes.size() <= capacity_ / 8) {
      Insert(key, std::make_shared<const Entry>(Entry{std::string(bytes), *decoded}));
    }
    return decoded;
  }

  /// Entries and bytes held (for tests and figures).
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return map_.size();
  }
  size_t bytes() const {
    std::lock_guard<std::mutex> lock(mu_);
    return used_;
  }

 private:
  struct Entry {
    std::string bytes;
    T value;
  };
  struct Slot {
    std::shared_ptr<const Entry> entry;
    std::list<std::string>::iterator lru;
  };

  std::shared_ptr<const Entry> Find(std::string_view key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(std::string(key));
    if (it == map_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second.entry;
  }

  void Insert(std::string_view key, std::shared_ptr<const Entry> entry) {
    std::lock_guard<std::mutex> lock(mu_);
    std::string k(key);
    if (auto it = map_.find(k); it != map_.end()) {
      used_ -= it->second.entry->bytes.size();
      lru_.erase(it->second.lru);
      map_.erase(it);
    }
    used_ += entry->bytes.size();
    lru_.push_front(k);
    map_.emplace(std::move(k), Slot{std::move(entry), lru_.begin()});
    while (used_ > capacity_ && !lru_.empty()) {
      auto victim = map_.find(lru_.back());
      used_ -= victim->second.entry->bytes.size();
      map_.erase(victim);
      lru_.pop_back();
    }
  }

  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<std::string> lru_;  // most recently used first
  std::unordered_map<std::string, Slot> map_;
  size_t used_ = 0;
};

}  // namespace storage

#endif  // STORAGE_DECODED_CACHE_H_
