// DatedIndex: a set of entries (group, scope, day, id) kept in one table,
// with a count per day, for work lists that are counted and paged by date:
// the invoices waiting for an order (group "", scope = department, day =
// receipt), the open payment orders by due date, the orders waiting at
// each step. "How many in this group (in one scope or in all), between two
// days" reads one count per day that has entries; a page of entries in
// (day, id) order is one cursor walk from where the last page ended. Both
// are read in the caller's transaction, so they agree with each other and
// with the tables the index is kept beside (in the same write transaction).
//
// Layout (storage/key_codec.h components):
//   0 group day id        → scope     every entry, all scopes
//   1 group scope day id  → ""        every entry, by scope
//   2 group day           → count     (U64 big-endian)
//   3 group scope day     → count
//
// Thread safety: a DatedIndex is a value naming its table; safe for
// concurrent use with the transactions' rules.
#ifndef STORAGE_DATED_INDEX_H_
#define STORAGE_DATED_INDEX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/lmdb_env.h"

namespace storage {

class DatedIndex {
 public:
  struct Entry {
    std::string scope;
    int64_t day = 0;
    std::string id;
  };
  /// Where a page ends: the next page starts after (day, id).
  struct Position {
    int64_t day = 0;
    std::string id;
  };
  struct Page {
    std::vector<Entry> entries;
    std::optional<Position> next;  ///< none: this was the last page
  };
  static constexpr int64_t kMinDay = INT64_MIN;
  static constexpr int64_t kMaxDay = INT64_MAX;

  explicit DatedIndex(Table table) : table_(std::move(table)) {}

  /// Adds the entry; nothing if it is there already.
  base::Status Insert(WriteTxn& txn, std::string_view group, std::string_view scope, int64_t day,
                      std::string_view id) const;
  /// Removes the entry; nothing if it is not there.
  base::Status Erase(WriteTxn& txn, std::string_view group, std::string_view scope, int64_t day,
                     std::string_view id) const;
  /// True if the entry is there.
  base::Result<bool> Contains(const ReadTxn& txn, std::string_view group, std::string_view scope,
                              int64_t day, std::string_view id) const;

  /// Entries of group with day in [from, to], in scope or (nullopt) in all.
  base::Result<uint64_t> Count(const ReadTxn& txn, std::string_view group,
                               const std::optional<std::string>& scope, int64_t from,
                               int64_t to) const;
  /// Up to limit entries of group with day in [from, to], in (day, id)
  /// order, after `after` (nullopt: from the start); a limit of 0 is 1.
  base::Result<Page> List(const ReadTxn& txn, std::string_view group,
                          const std::optional<std::string>& scope, int64_t from, int64_t to,
                          const std::optional<Position>& after, size_t limit) const;

  /// Removes every entry (a rebuild starts with it).
  base::Status Clear(WriteTxn& txn) const;

 private:
  base::Status AddCount(WriteTxn& txn, const std::string& key, int64_t delta) const;
  Table table_;
};

}  // namespace storage

#endif  // STORAGE_DATED_INDEX_H_
