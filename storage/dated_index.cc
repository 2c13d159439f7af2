#include "storage/dated_index.h"

#include "storage/key_codec.h"

namespace storage {

using base::Result;
using base::Status;

namespace {

enum Kind : uint32_t { kAll = 0, kByScope = 1, kCountAll = 2, kCountScope = 3 };

KeyEncoder Prefix(Kind kind, std::string_view group, const std::optional<std::string>& scope) {
  KeyEncoder k;
  k.U32(kind).String(group);
  if (scope) k.String(*scope);
  return k;
}

std::string EncodeCount(uint64_t n) {
  std::string v(8, '\0');
  for (int i = 7; i >= 0; --i, n >>= 8) v[static_cast<size_t>(i)] = static_cast<char>(n & 0xff);
  return v;
}

uint64_t DecodeCount(std::string_view v) {
  uint64_t n = 0;
  for (char c : v) n = (n << 8) | static_cast<unsigned char>(c);
  return n;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Status DatedIndex::AddCount(WriteTxn& txn, const std::string& key, int64_t delta) const {
  uint64_t n = 0;
  if (auto v = txn.Get(table_, key); v.ok()) {
    n = DecodeCount(*v);
  } else if (!v.status().IsNotFound()) {
    return v.status();
  }
  const uint64_t next = delta < 0 && n == 0 ? 0 : n + static_cast<uint64_t>(delta);
  if (next == 0) {
    if (n == 0) return Status::OK();
    return txn.Delete(table_, key);
  }
  return txn.Put(table_, key, EncodeCount(next));
}

Result<bool> DatedIndex::Contains(const ReadTxn& txn, std::string_view group,
                                  std::string_view scope, int64_t day, std::string_view id) const {
  KeyEncoder k;
  k.U32(kByScope).String(group).String(scope).I64(day).String(id);
  auto v = txn.Get(table_, k.key());
  if (v.ok()) return true;
  if (v.status().IsNotFound()) return false;
  return v.status();
}

Status DatedIndex::Insert(WriteTxn& txn, std::string_view group, std::string_view scope,
                          int64_t day, std::string_view id) const {
  ASSIGN_OR_RETURN(const bool there, Contains(txn, group, scope, day, id));
  if (there) return Status::OK();
  KeyEncoder all, by_scope, count_all, count_scope;
  all.U32(kAll).String(group).I64(day).String(id);
  by_scope.U32(kByScope).String(group).String(scope).I64(day).String(id);
  count_all.U32(kCountAll).String(group).I64(day);
  count_scope.U32(kCountScope).String(group).String(scope).I64(day);
  RETURN_IF_ERROR(txn.Put(table_, all.key(), scope));
  RETURN_IF_ERROR(txn.Put(table_, by_scope.key(), ""));
  RETURN_IF_ERROR(AddCount(txn, count_all.key(), +1));
  return AddCount(txn, count_scope.key(), +1);
}

Status DatedIndex::Erase(WriteTxn& txn, std::string_view group, std::string_view scope,
                         int64_t day, std::string_view id) const {
  ASSIGN_OR_RETURN(const bool there, Contains(txn, group, scope, day, id));
  if (!there) return Status::OK();
  KeyEncoder all, by_scope, count_all, count_scope;
  all.U32(kAll).String(group).I64(day).String(id);
  by_scope.U32(kByScope).String(group).String(scope).I64(day).String(id);
  count_all.U32(kCountAll).String(group).I64(day);
  count_scope.U32(kCountScope).String(group).String(scope).I64(day);
  RETURN_IF_ERROR(txn.Delete(table_, all.key()));
  RETURN_IF_ERROR(txn.Delete(table_, by_scope.key()));
  RETURN_IF_ERROR(AddCount(txn, count_all.key(), -1));
  return AddCount(txn, count_scope.key(), -1);
}

Result<uint64_t> DatedIndex::Count(const ReadTxn& txn, std::string_view group,
                                   const std::optional<std::string>& scope, int64_t from,
                                   int64_t to) const {
  const std::string prefix = Prefix(scope ? kCountScope : kCountAll, group, scope).Release();
  KeyEncoder start;
  start.Raw(prefix).I64(from);
  ASSIGN_OR_RETURN(Cursor c, txn.NewCursor(table_));
  uint64_t total = 0;
  for (bool ok = c.Seek(start.key()); ok && StartsWith(c.key(), prefix); ok = c.Next()) {
    KeyDecoder d(c.key().substr(prefix.size()));
    int64_t day = 0;
    if (!d.I64(&day)) return Status::Corruption("件数の索引が壊れています: " + table_.name);
    if (day > to) break;
    total += DecodeCount(c.value());
  }
  RETURN_IF_ERROR(c.status());
  return total;
}

Result<DatedIndex::Page> DatedIndex::List(const ReadTxn& txn, std::string_view group,
                                          const std::optional<std::string>& scope, int64_t from,
                                          int64_t to, const std::optional<Position>& after,
                                          size_t limit) const {
  const std::string prefix = Prefix(scope ? kByScope : kAll, group, scope).Release();
  KeyEncoder start;
  start.Raw(prefix);
  if (after && after->day >= from) {
    start.I64(after->day).String(after->id);
  } else {
    start.I64(from);
  }
  ASSIGN_OR_RETURN(Cursor c, txn.NewCursor(table_));
  Page page;
  if (limit == 0) limit = 1;
  bool ok = c.Seek(start.key());
  if (ok && after && after->day >= from && c.key() == start.key()) ok = c.Next();
  for (; ok && StartsWith(c.key(), prefix); ok = c.Next()) {
    KeyDecoder d(c.key().substr(prefix.size()));
    Entry e;
    if (!d.I64(&e.day) || !d.String(&e.id)) {
      return Status::Corruption("一覧の索引が壊れています: " + table_.name);
    }
    if (e.day > to) break;
    if (page.entries.size() == limit) {
      page.next = Position{page.entries.back().day, page.entries.back().id};
      break;
    }
    e.scope = scope ? *scope : std::string(c.value());
    page.entries.push_back(std::move(e));
  }
  RETURN_IF_ERROR(c.status());
  return page;
}

Status DatedIndex::Clear(WriteTxn& txn) const {
  std::vector<std::string> keys;
  {
    ASSIGN_OR_RETURN(Cursor c, txn.NewCursor(table_));
    for (bool ok = c.First(); ok; ok = c.Next()) keys.emplace_back(c.key());
    RETURN_IF_ERROR(c.status());
  }
  for (const std::string& k : keys) RETURN_IF_ERROR(txn.Delete(table_, k));
  return Status::OK();
}

}  // namespace storage
