// SearchIndex maintenance: the row of a document's version, opening and
// clearing the tables, writing a row's entries (Put), and the checks
// Archive::Verify makes of them. archive/search_index.h explains the tables;
// archive/internal/search_codec.h holds their encodings, and
// archive/search_query.cc the queries.
#include "archive/search_index.h"

#include <array>
#include <climits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "archive/document.h"
#include "archive/internal/search_codec.h"
#include "base/text.h"
#include "storage/key_codec.h"

namespace archive {

using base::Date;
using base::Decimal;
using base::Result;
using base::Status;
using storage::KeyEncoder;

signing::Digest SearchRowDigest(const SearchRow& row) { return signing::Sha256(EncodeRow(row)); }

SearchRow SearchRowFor(const Document& doc, const Receipt& first, const Version& version) {
  SearchRow r;
  r.seq = doc.seq;
  r.version = version.number;
  r.received = Date::InJapan(first.received_at);
  r.department = first.department;
  r.file_name = first.file_name;
  // An absent member reads as it always did when rows were derived from
  // the JSON (invoice/invoice_fields.h), so old versions give the rows
  // their events recorded.
  const invoice::InvoiceFields& f = version.fields;
  if (f.issue_date) {
    auto parsed = Date::Parse(*f.issue_date);
    if (parsed.ok()) r.issue_date = *parsed;
  }
  for (const std::optional<std::string>* amount : {&f.total, &f.tax_inclusive_total}) {
    if (!*amount) continue;
    auto parsed = Decimal::Parse(**amount);
    if (parsed.ok()) {
      r.amount = *parsed;
      break;
    }
  }
  r.currency = f.currency;
  r.counterparty = f.counterparty;
  r.registration_number = NormalizeRegistrationNumber(f.registration_number.value_or(""));
  r.type = f.document_type;
  r.format = f.format;
  r.invoice_number = f.invoice_number;
  r.needs_metadata = f.needs_metadata;
  r.line_descriptions = f.line_descriptions;
  return r;
}

Result<SearchIndex> SearchIndex::Open(const TableOpener& open_table) {
  Tables t;
  ASSIGN_OR_RETURN(t.date, open_table("s_ix_date"));
  ASSIGN_OR_RETURN(t.amount, open_table("s_ix_amount"));
  ASSIGN_OR_RETURN(t.cp, open_table("s_ix_cp"));
  ASSIGN_OR_RETURN(t.regno, open_table("s_ix_regno"));
  ASSIGN_OR_RETURN(t.dept, open_table("s_ix_dept"));
  ASSIGN_OR_RETURN(t.kind, open_table("s_ix_kind"));
  ASSIGN_OR_RETURN(t.invno, open_table("s_ix_invno"));
  ASSIGN_OR_RETURN(t.recv, open_table("s_ix_recv"));
  ASSIGN_OR_RETURN(t.rows, open_table("s_rows"));
  ASSIGN_OR_RETURN(t.terms, open_table("s_terms"));
  ASSIGN_OR_RETURN(t.days, open_table("s_days"));
  return SearchIndex(std::move(t));
}

Status SearchIndex::Clear(storage::WriteTxn& txn) const {
  for (const storage::Table* table : {&t_.date, &t_.amount, &t_.cp, &t_.regno, &t_.dept, &t_.kind,
                                      &t_.invno, &t_.recv, &t_.rows, &t_.terms, &t_.days}) {
    std::vector<std::string> keys;
    {
      ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(*table));
      for (bool ok = c.First(); ok; ok = c.Next()) keys.emplace_back(c.key());
      RETURN_IF_ERROR(c.status());
    }
    for (const auto& k : keys) RETURN_IF_ERROR(txn.Delete(*table, k));
  }
  return Status::OK();
}

Result<uint64_t> SearchIndex::RowCount(const storage::ReadTxn& txn) const {
  return txn.Count(t_.rows);
}

namespace {

// The dictionary id of s, assigned on first use.
Result<uint32_t> TermId(storage::WriteTxn& txn, const storage::Table& terms, char kind,
                        std::string_view s) {
  const std::string name_key = TermNameKey(kind, s);
  auto found = txn.Get(terms, name_key);
  if (found.ok()) return DecodeU32(*found);
  if (!found.status().IsNotFound()) return found.status();
  uint32_t next = 1;
  auto n = txn.Get(terms, NextIdKey(kind));
  if (n.ok()) {
    next = DecodeU32(*n);
  } else if (!n.status().IsNotFound()) {
    return n.status();
  }
  const std::string id = KeyEncoder().U32(next).Release();
  RETURN_IF_ERROR(txn.Put(terms, name_key, id));
  RETURN_IF_ERROR(txn.Put(terms, TermIdKey(kind, next), s));
  RETURN_IF_ERROR(txn.Put(terms, NextIdKey(kind), KeyEncoder().U32(next + 1).Release()));
  return next;
}

}  // namespace

// The entries of one row: the same tuple under a key in each of the eight
// index tables, and its issue date's key in s_days.
struct SearchIndex::Entries {
  std::string tuple;
  std::array<std::pair<const storage::Table*, std::string>, 8> keys;
  std::string day;
};

Result<SearchIndex::Entries> SearchIndex::EntriesFor(
    const SearchRow& r, bool current,
    const std::function<Result<uint32_t>(char kind, std::string_view term)>& term_id) const {
  Tuple t{};
  t.date = r.issue_date ? r.issue_date->DaysSinceEpoch() : kNoDate;
  t.received = r.received.DaysSinceEpoch();
  t.has_amount = r.amount.has_value();
  t.mantissa = r.amount ? r.amount->mantissa() : 0;
  t.scale = r.amount ? static_cast<uint8_t>(r.amount->scale()) : 0;
  const int type = CodeOf(kTypes, r.type), format = CodeOf(kFormats, r.format);
  t.type = static_cast<uint8_t>(type < 0 ? 0 : type);
  t.format = static_cast<uint8_t>(format < 0 ? 0 : format);
  t.flags = (current ? kCurrent : 0) | (r.needs_metadata ? kNeedsMetadata : 0);
  const std::string cp = base::NormalizeName(r.counterparty);
  ASSIGN_OR_RETURN(t.cp, term_id('c', cp));
  ASSIGN_OR_RETURN(t.dept, term_id('d', r.department));
  ASSIGN_OR_RETURN(t.regno, term_id('r', r.registration_number));
  t.version = r.version;
  t.seq = r.seq;
  const std::string sv = SeqVersion(r.seq, r.version);
  const std::string date = DateKey(t.date);
  const std::string amount = AmountKey(t.has_amount, t.mantissa, t.scale);
  Entries e;
  e.tuple = std::string(TupleBytes(t));
  e.keys = {{{&t_.date, date + amount + sv},
             {&t_.amount, amount + sv},
             {&t_.cp, StringKey(cp) + date + sv},
             {&t_.regno, StringKey(r.registration_number) + date + sv},
             {&t_.dept, StringKey(r.department) + date + sv},
             {&t_.kind, KeyEncoder().U32(t.type).U32(t.format).Release() + date + sv},
             {&t_.invno, StringKey(InvoiceNumberKey(r.invoice_number)) + sv},
             {&t_.recv, DateKey(t.received) + sv}}};
  e.day = date;
  return e;
}

Status SearchIndex::Put(storage::WriteTxn& txn, const SearchRow& row,
                        const SearchRow* previous) const {
  const auto term_id = [&](char kind, std::string_view term) {
    return TermId(txn, t_.terms, kind, term);
  };
  const auto write = [&](const SearchRow& r, bool current) -> Status {
    ASSIGN_OR_RETURN(const Entries e, EntriesFor(r, current, term_id));
    for (const auto& [table, key] : e.keys) RETURN_IF_ERROR(txn.Put(*table, key, e.tuple));
    // Current rows per issue date.
    uint64_t n = 0;
    auto old = txn.Get(t_.days, e.day);
    if (old.ok()) {
      storage::KeyDecoder dec(*old);
      if (!dec.U64(&n)) {
        return Status::Corruption("検索の索引: 日ごとの件数（s_days）が壊れています");
      }
    } else if (!old.status().IsNotFound()) {
      return old.status();
    }
    n = current ? n + 1 : (n > 0 ? n - 1 : 0);
    return txn.Put(t_.days, e.day, KeyEncoder().U64(n).Release());
  };
  if (previous != nullptr) RETURN_IF_ERROR(write(*previous, /*current=*/false));
  RETURN_IF_ERROR(write(row, /*current=*/true));
  return txn.Put(t_.rows, SeqVersion(row.seq, row.version), EncodeRow(row));
}

Result<std::vector<std::string>> SearchIndex::CheckStoredRow(const storage::ReadTxn& txn,
                                                             uint64_t seq, uint32_t version,
                                                             const signing::Digest& row_digest,
                                                             bool current, int32_t* day) const {
  auto stored = txn.Get(t_.rows, SeqVersion(seq, version));
  if (!stored.ok()) {
    if (!stored.status().IsNotFound()) return stored.status();
    return std::vector<std::string>{t_.rows.name};
  }
  StoredRow row;
  if (signing::Sha256(*stored) != row_digest || !DecodeRow(seq, version, *stored, &row)) {
    return std::vector<std::string>{t_.rows.name};
  }
  // The stored row is the one the log implies (its text included, which
  // the record keeps instead of the line descriptions); its entries must be
  // what Put writes for it.
  std::vector<std::string> differ;
  const auto term_id = [&](char kind, std::string_view term) -> Result<uint32_t> {
    auto v = txn.Get(t_.terms, TermNameKey(kind, term));
    if (v.ok()) return DecodeU32(*v);
    if (!v.status().IsNotFound()) return v.status();
    if (differ.empty() || differ.back() != t_.terms.name) differ.push_back(t_.terms.name);
    return 0u;
  };
  ASSIGN_OR_RETURN(const Entries e, EntriesFor(row.row, current, term_id));
  for (const auto& [table, key] : e.keys) {
    auto v = txn.Get(*table, key);
    if (!v.ok() && !v.status().IsNotFound()) return v.status();
    if (!v.ok() || *v != e.tuple) differ.push_back(table->name);
  }
  *day = row.row.issue_date ? row.row.issue_date->DaysSinceEpoch() : kNoDate;
  return differ;
}

Result<std::vector<std::string>> SearchIndex::CheckCounts(
    const storage::ReadTxn& txn, uint64_t rows,
    const std::map<int32_t, uint64_t>& current_per_day) const {
  std::vector<std::string> out;
  for (const storage::Table* table : {&t_.date, &t_.amount, &t_.cp, &t_.regno, &t_.dept, &t_.kind,
                                      &t_.invno, &t_.recv, &t_.rows}) {
    ASSIGN_OR_RETURN(const uint64_t n, txn.Count(*table));
    if (n != rows) {
      out.push_back(table->name + " の項目が " + std::to_string(n) + " 件あります（版は " +
                    std::to_string(rows) + " 件）");
    }
  }
  // s_days: the number of current rows of each issue date (a day whose
  // rows all became history keeps a zero).
  std::map<int32_t, uint64_t> stored;
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(t_.days));
  for (bool ok = c.First(); ok; ok = c.Next()) {
    storage::KeyDecoder key(c.key()), value(c.value());
    uint32_t day;  // DateKey: days - INT32_MIN
    uint64_t n;
    if (!key.U32(&day) || !key.done() || !value.U64(&n)) {
      out.push_back(t_.days.name + " に壊れた項目があります");
      continue;
    }
    if (n != 0) stored[static_cast<int32_t>(static_cast<int64_t>(day) + INT32_MIN)] = n;
  }
  RETURN_IF_ERROR(c.status());
  if (stored != current_per_day) {
    out.push_back(t_.days.name + " の取引年月日ごとの件数が最新の版の件数と合いません");
  }
  return out;
}

}  // namespace archive
