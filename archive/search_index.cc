#include "archive/search_index.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <unordered_map>

#include "archive/document.h"
#include "base/hex.h"
#include "base/text.h"
#include "storage/key_codec.h"

namespace archive {

using base::Date;
using base::Decimal;
using base::Result;
using base::Status;
using storage::KeyEncoder;

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr int32_t kNoDate = INT32_MIN;
constexpr uint8_t kCurrent = 1;
constexpr uint8_t kNeedsMetadata = 2;
constexpr size_t kAmountKeySize = 17;  // flag + 16-byte decimal

// The filter tuple stored as the value of every index entry.
struct Tuple {
  int32_t date;
  int32_t received;
  int64_t mantissa;
  uint8_t scale;
  uint8_t has_amount;
  uint8_t type;
  uint8_t format;
  uint8_t flags;
  uint8_t pad[3];
  uint32_t cp;
  uint32_t dept;
  uint32_t regno;
  uint32_t version;
  uint64_t seq;
};
static_assert(sizeof(Tuple) == 48, "the stored filter tuple is 48 bytes");

std::string_view TupleBytes(const Tuple& t) {
  return std::string_view(reinterpret_cast<const char*>(&t), sizeof t);
}
bool ReadTuple(std::string_view bytes, Tuple* t) {
  if (bytes.size() != sizeof(Tuple)) return false;
  std::memcpy(t, bytes.data(), sizeof(Tuple));
  return true;
}

constexpr std::string_view kTypes[] = {"unknown", "invoice", "credit_note"};
constexpr std::string_view kFormats[] = {"unknown", "jp-pint", "peppol-bis", "xrechnung", "ubl",
                                         "cii",     "factur-x", "zugferd",   "pdf"};
template <size_t N>
int CodeOf(const std::string_view (&names)[N], std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<int>(i);
  }
  return -1;
}

KeyEncoder& DateKey(KeyEncoder& k, int32_t days) {
  return k.U32(static_cast<uint32_t>(static_cast<int64_t>(days) - INT32_MIN));
}
std::string DateKey(int32_t days) {
  KeyEncoder k;
  return DateKey(k, days).Release();
}
std::string AmountKey(bool has, int64_t mantissa, int scale) {
  if (!has) return std::string(kAmountKeySize, '\0');
  KeyEncoder k;
  k.Raw("\x01").Decimal(Decimal::FromParts(mantissa, scale));
  return k.Release();
}
std::string SeqVersion(uint64_t seq, uint32_t version) {
  return KeyEncoder().U64(seq).U32(version).Release();
}
std::string StringKey(std::string_view s) { return KeyEncoder().String(s).Release(); }

// Dictionary keys: kind, 'n', string → id;  kind, 'i', id → string.
std::string TermNameKey(char kind, std::string_view s) {
  return std::string{kind, 'n'} + std::string(s);
}
std::string TermIdKey(char kind, uint32_t id) {
  return std::string{kind, 'i'} + KeyEncoder().U32(id).Release();
}
std::string NextIdKey(char kind) { return std::string{'\xff', kind}; }

uint32_t DecodeU32(std::string_view v) {
  storage::KeyDecoder d(v);
  uint32_t x = 0;
  return d.U32(&x) ? x : 0;
}

// --- row serialisation (s_rows values) ---------------------------------------

void PutU32(std::string* out, uint32_t v) { out->append(reinterpret_cast<const char*>(&v), 4); }
void PutStr(std::string* out, std::string_view s) {
  PutU32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

class RowReader {
 public:
  explicit RowReader(std::string_view s) : s_(s) {}
  bool U32(uint32_t* v) { return Take(v, 4); }
  bool I32(int32_t* v) { return Take(v, 4); }
  bool I64(int64_t* v) { return Take(v, 8); }
  bool U8(uint8_t* v) { return Take(v, 1); }
  bool Str(std::string* v) {
    uint32_t n;
    if (!U32(&n) || s_.size() < n) return false;
    v->assign(s_.data(), n);
    s_.remove_prefix(n);
    return true;
  }

 private:
  bool Take(void* v, size_t n) {
    if (s_.size() < n) return false;
    std::memcpy(v, s_.data(), n);
    s_.remove_prefix(n);
    return true;
  }
  std::string_view s_;
};

// What a stored row holds beyond SearchRow: the text to match --text in.
std::string TextOf(const SearchRow& r) {
  std::string t = r.invoice_number + "\x1f" + r.counterparty + "\x1f" + r.file_name;
  for (const auto& line : r.line_descriptions) t += "\x1f" + line;
  return base::NormalizeText(t);
}

std::string EncodeRow(const SearchRow& r) {
  std::string out;
  const int32_t date = r.issue_date ? r.issue_date->DaysSinceEpoch() : kNoDate;
  const int32_t received = r.received.DaysSinceEpoch();
  out.append(reinterpret_cast<const char*>(&date), 4);
  out.append(reinterpret_cast<const char*>(&received), 4);
  const int64_t mantissa = r.amount ? r.amount->mantissa() : 0;
  const uint8_t scale = r.amount ? static_cast<uint8_t>(r.amount->scale()) : 0;
  const uint8_t has = r.amount.has_value(), needs = r.needs_metadata;
  out.append(reinterpret_cast<const char*>(&mantissa), 8);
  out.push_back(static_cast<char>(scale));
  out.push_back(static_cast<char>(has));
  out.push_back(static_cast<char>(needs));
  for (const std::string* s : {&r.currency, &r.counterparty, &r.registration_number,
                               &r.department, &r.type, &r.format, &r.invoice_number,
                               &r.file_name}) {
    PutStr(&out, *s);
  }
  PutStr(&out, TextOf(r));
  return out;
}

struct StoredRow {
  SearchRow row;
  std::string text;
};

bool DecodeRow(uint64_t seq, uint32_t version, std::string_view bytes, StoredRow* out) {
  RowReader in(bytes);
  int32_t date, received;
  int64_t mantissa;
  uint8_t scale, has, needs;
  SearchRow& r = out->row;
  r.seq = seq;
  r.version = version;
  if (!in.I32(&date) || !in.I32(&received) || !in.I64(&mantissa) || !in.U8(&scale) ||
      !in.U8(&has) || !in.U8(&needs)) {
    return false;
  }
  if (date != kNoDate) r.issue_date = Date::FromDaysSinceEpoch(date);
  r.received = Date::FromDaysSinceEpoch(received);
  if (has) r.amount = Decimal::FromParts(mantissa, scale);
  r.needs_metadata = needs;
  for (std::string* s : {&r.currency, &r.counterparty, &r.registration_number, &r.department,
                         &r.type, &r.format, &r.invoice_number, &r.file_name, &out->text}) {
    if (!in.Str(s)) return false;
  }
  return true;
}

std::string Trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Invoice numbers match after NFKC, case folding and trimming, the same
// way in the index key, the query and the row check.
std::string InvoiceNumberKey(std::string_view s) { return Trim(base::NormalizeText(s)); }

std::string NormalizeRegistrationNumber(std::string_view s) {
  std::string t = Trim(base::NormalizeText(s));
  for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return t;
}

}  // namespace

signing::Digest SearchRowDigest(const SearchRow& row) {
  return signing::Sha256(EncodeRow(row));
}

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
      if (!dec.U64(&n)) return Status::Corruption("search index: bad day count");
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
  for (const storage::Table* table : {&t_.date, &t_.amount, &t_.cp, &t_.regno, &t_.dept,
                                      &t_.kind, &t_.invno, &t_.recv, &t_.rows}) {
    ASSIGN_OR_RETURN(const uint64_t n, txn.Count(*table));
    if (n != rows) {
      out.push_back(table->name + " holds " + std::to_string(n) + " entries for " +
                    std::to_string(rows) + " versions");
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
      out.push_back(t_.days.name + " has a malformed entry");
      continue;
    }
    if (n != 0) stored[static_cast<int32_t>(static_cast<int64_t>(day) + INT32_MIN)] = n;
  }
  RETURN_IF_ERROR(c.status());
  if (stored != current_per_day) {
    out.push_back(t_.days.name + " does not count the current versions of each issue date");
  }
  return out;
}

// --- queries -----------------------------------------------------------------

namespace {

constexpr uint64_t kEstimateCap = 2048;

struct Range {
  std::string lo, hi;  // [lo, hi); hi empty = to the end of the table
};

// Where the amount condition can be skipped to inside s_ix_date.
struct AmountSkip {
  bool enabled = false;
  std::string lo, hi;  // inclusive bounds on the 17-byte amount key
};

// Walks the entries of some key ranges of one table, in key order or in
// reverse, optionally skipping within each day to the amount band.
class Scanner {
 public:
  Scanner(storage::Cursor cursor, std::vector<Range> ranges, bool descending, AmountSkip skip)
      : c_(std::move(cursor)), ranges_(std::move(ranges)), desc_(descending), skip_(std::move(skip)) {
    if (desc_) std::reverse(ranges_.begin(), ranges_.end());
  }

  // The next entry, or false at the end (or on error: see status()).
  bool Next(std::string_view* key, std::string_view* value) {
    while (range_ < ranges_.size()) {
      const Range& r = ranges_[range_];
      bool ok;
      if (!started_) {
        started_ = true;
        ok = desc_ ? SeekBefore(r.hi) : (r.lo.empty() ? c_.First() : c_.Seek(r.lo));
      } else {
        ok = desc_ ? c_.Prev() : c_.Next();
      }
      while (ok) {
        const std::string_view k = c_.key();
        if (desc_ ? k < r.lo : (!r.hi.empty() && k >= r.hi)) {
          ok = false;
          break;
        }
        ++visited_;
        if (skip_.enabled && k.size() >= 4 + kAmountKeySize) {
          const std::string_view day = k.substr(0, 4);
          const std::string_view amount = k.substr(4, kAmountKeySize);
          if (amount < skip_.lo) {
            ok = desc_ ? SeekBefore(std::string(day)) : c_.Seek(std::string(day) + skip_.lo);
            continue;
          }
          if (amount > skip_.hi) {
            ok = desc_ ? SeekBefore(std::string(day) + skip_.hi + std::string(12, '\xff') + '\xff')
                       : c_.Seek(NextDay(day));
            continue;
          }
        }
        *key = k;
        *value = c_.value();
        return true;
      }
      if (!c_.status().ok()) return false;
      ++range_;
      started_ = false;
    }
    return false;
  }

  uint64_t visited() const { return visited_; }
  const Status& status() const { return c_.status(); }

 private:
  // Positions at the last key < key (the table's last key if key is empty).
  bool SeekBefore(const std::string& key) {
    if (key.empty()) return c_.Last();
    if (c_.Seek(key)) return c_.Prev();
    return c_.status().ok() && c_.Last();
  }
  static std::string NextDay(std::string_view day) {
    std::string next(day);
    for (int i = 3; i >= 0; --i) {
      if (++reinterpret_cast<unsigned char&>(next[i]) != 0) return next;
    }
    return std::string(5, '\xff');  // past every date
  }

  storage::Cursor c_;
  std::vector<Range> ranges_;
  bool desc_;
  AmountSkip skip_;
  size_t range_ = 0;
  bool started_ = false;
  uint64_t visited_ = 0;
};

struct Driver {
  const storage::Table* table = nullptr;
  std::vector<Range> ranges;
  AmountSkip skip;
  std::optional<SearchSort> streams;  // the order its keys give
  uint64_t estimate = 0;
  std::string name;
};

char SortChar(SearchSort s) {
  switch (s) {
    case SearchSort::kDate: return 'd';
    case SearchSort::kAmount: return 'a';
    case SearchSort::kCounterparty: return 'c';
  }
  return '?';
}

}  // namespace

// One query's execution: resolves the conditions against the dictionaries,
// plans, scans and builds the page.
class SearchRun {
 public:
  SearchRun(const SearchIndex::Tables& t, const storage::ReadTxn& txn, const SearchQuery& q)
      : t_(t), txn_(txn), q_(q) {}

  Result<SearchResult> Run() {
    RETURN_IF_ERROR(ValidateSearchQuery(q_));
    RETURN_IF_ERROR(ParseCursor());
    bool empty = false;
    RETURN_IF_ERROR(Resolve(&empty));
    SearchResult result;
    if (empty) return result;
    std::vector<Driver> drivers = Drivers();
    ASSIGN_OR_RETURN(Driver driver, Choose(std::move(drivers)));
    return Execute(driver);
  }

 private:
  // --- conditions --------------------------------------------------------

  Status ParseCursor() {
    if (q_.after.empty()) return Status::OK();
    const std::string want = std::string{SortChar(q_.sort), q_.descending ? '-' : '+'};
    auto bytes = base::HexDecode(q_.after.size() > 2 ? q_.after.substr(2) : "");
    if (q_.after.compare(0, 2, want) != 0 || !bytes.ok() || bytes->empty()) {
      return Status::InvalidArgument(
          "after: 続きの位置（カーソル）がこの検索の並び順と合いません。最初のページから検索し直してください");
    }
    cursor_ = *bytes;
    return Status::OK();
  }

  Status Resolve(bool* empty) {
    if (q_.date_from || q_.date_to) {
      has_date_ = true;
      date_lo_ = q_.date_from ? q_.date_from->DaysSinceEpoch() : kNoDate + 1;
      date_hi_ = q_.date_to ? q_.date_to->DaysSinceEpoch() : INT32_MAX;
    }
    if (q_.received_from || q_.received_to) {
      has_recv_ = true;
      recv_lo_ = q_.received_from ? q_.received_from->DaysSinceEpoch() : kNoDate + 1;
      recv_hi_ = q_.received_to ? q_.received_to->DaysSinceEpoch() : INT32_MAX;
    }
    if (q_.amount_min || q_.amount_max) has_amount_ = true;
    if (!q_.counterparty.empty()) {
      const std::string needle = base::NormalizeName(q_.counterparty);
      if (!needle.empty()) {
        has_cp_ = true;
        // The dictionary of distinct names, in name order.
        ASSIGN_OR_RETURN(storage::Cursor c, txn_.NewCursor(t_.terms));
        const std::string prefix{'c', 'n'};
        for (bool ok = c.Seek(prefix); ok && c.key().substr(0, 2) == prefix; ok = c.Next()) {
          const std::string_view name = c.key().substr(2);
          if (name.find(needle) != std::string_view::npos) {
            cp_names_.emplace_back(name);
            cp_ids_.push_back(DecodeU32(c.value()));
          }
        }
        RETURN_IF_ERROR(c.status());
        std::sort(cp_ids_.begin(), cp_ids_.end());
        if (cp_ids_.empty()) *empty = true;
      }
    }
    if (!q_.registration_numbers.empty()) {
      has_regno_ = true;
      for (const auto& r : q_.registration_numbers) {
        const std::string norm = NormalizeRegistrationNumber(r);
        ASSIGN_OR_RETURN(auto id, Lookup('r', norm));
        if (id) {
          regnos_.push_back(norm);
          regno_ids_.push_back(*id);
        }
      }
      std::sort(regnos_.begin(), regnos_.end());
      regnos_.erase(std::unique(regnos_.begin(), regnos_.end()), regnos_.end());
      std::sort(regno_ids_.begin(), regno_ids_.end());
      if (regno_ids_.empty()) *empty = true;
    }
    if (!q_.department.empty()) {
      ASSIGN_OR_RETURN(auto id, Lookup('d', q_.department));
      if (!id) *empty = true;
      dept_id_ = id.value_or(0);
    }
    if (!q_.type.empty()) type_ = CodeOf(kTypes, q_.type);
    if (!q_.format.empty()) format_ = CodeOf(kFormats, q_.format);
    if ((!q_.type.empty() && type_ < 0) || (!q_.format.empty() && format_ < 0)) *empty = true;
    if (!q_.invoice_number.empty()) invno_ = InvoiceNumberKey(q_.invoice_number);
    if (!q_.text.empty()) text_ = base::NormalizeText(q_.text);
    if (has_date_ && date_lo_ > date_hi_) *empty = true;
    if (has_recv_ && recv_lo_ > recv_hi_) *empty = true;
    if (q_.amount_min && q_.amount_max && *q_.amount_min > *q_.amount_max) *empty = true;
    return Status::OK();
  }

  Result<std::optional<uint32_t>> Lookup(char kind, std::string_view s) {
    auto v = txn_.Get(t_.terms, TermNameKey(kind, s));
    if (v.ok()) return std::optional<uint32_t>(DecodeU32(*v));
    if (v.status().IsNotFound()) return std::optional<uint32_t>();
    return v.status();
  }

  bool Passes(const Tuple& t) const {
    if (!q_.include_history && !(t.flags & kCurrent)) return false;
    if (has_date_ && (t.date < date_lo_ || t.date > date_hi_)) return false;
    if (has_recv_ && (t.received < recv_lo_ || t.received > recv_hi_)) return false;
    if (has_amount_) {
      if (!t.has_amount) return false;
      const Decimal a = Decimal::FromParts(t.mantissa, t.scale);
      if (q_.amount_min && a < *q_.amount_min) return false;
      if (q_.amount_max && a > *q_.amount_max) return false;
    }
    if (has_cp_ && !std::binary_search(cp_ids_.begin(), cp_ids_.end(), t.cp)) return false;
    if (has_regno_ && !std::binary_search(regno_ids_.begin(), regno_ids_.end(), t.regno)) {
      return false;
    }
    if (!q_.department.empty() && t.dept != dept_id_) return false;
    if (type_ >= 0 && t.type != type_) return false;
    if (format_ >= 0 && t.format != format_) return false;
    return true;
  }

  // Conditions that need the stored row (invoice number, text).
  Result<bool> PassesRow(const Tuple& t) {
    if (invno_.empty() && text_.empty()) return true;
    ASSIGN_OR_RETURN(StoredRow row, ReadRow(t.seq, t.version));
    if (!invno_.empty() && InvoiceNumberKey(row.row.invoice_number) != invno_) return false;
    if (!text_.empty() && row.text.find(text_) == std::string::npos) return false;
    return true;
  }

  Result<StoredRow> ReadRow(uint64_t seq, uint32_t version) {
    ASSIGN_OR_RETURN(std::string_view bytes, txn_.Get(t_.rows, SeqVersion(seq, version)));
    StoredRow row;
    if (!DecodeRow(seq, version, bytes, &row)) {
      return Status::Corruption("search index: malformed row for " + FormatDocumentId(seq));
    }
    return row;
  }

  // --- planning ----------------------------------------------------------

  // Ranges of prefix P restricted to the date condition when the index
  // orders by date after P.
  std::vector<Range> WithDates(const std::vector<std::string>& prefixes) const {
    std::vector<Range> out;
    for (const auto& p : prefixes) {
      if (has_date_) {
        out.push_back({p + DateKey(date_lo_), date_hi_ == INT32_MAX
                                                  ? storage::PrefixSuccessor(p)
                                                  : p + DateKey(date_hi_ + 1)});
      } else {
        out.push_back({p, storage::PrefixSuccessor(p)});
      }
    }
    return out;
  }

  std::vector<Driver> Drivers() const {
    std::vector<Driver> out;
    if (has_date_) {
      Driver d{&t_.date, {}, {}, SearchSort::kDate, 0, "date"};
      d.ranges.push_back(
          {DateKey(date_lo_), date_hi_ == INT32_MAX ? std::string() : DateKey(date_hi_ + 1)});
      if (has_amount_) {
        d.skip.enabled = true;
        d.skip.lo = q_.amount_min ? AmountKey(true, q_.amount_min->mantissa(), q_.amount_min->scale())
                                  : "\x01" + std::string(16, '\0');
        d.skip.hi = q_.amount_max ? AmountKey(true, q_.amount_max->mantissa(), q_.amount_max->scale())
                                  : "\x01" + std::string(16, '\xff');
      }
      out.push_back(std::move(d));
    }
    if (has_amount_) {
      Driver d{&t_.amount, {}, {}, SearchSort::kAmount, 0, "amount"};
      const std::string lo = q_.amount_min
                                 ? AmountKey(true, q_.amount_min->mantissa(), q_.amount_min->scale())
                                 : std::string("\x01");
      const std::string hi =
          q_.amount_max ? storage::PrefixSuccessor(
                              AmountKey(true, q_.amount_max->mantissa(), q_.amount_max->scale()))
                        : std::string("\x02");
      d.ranges.push_back({lo, hi});
      out.push_back(std::move(d));
    }
    if (has_cp_) {
      std::vector<std::string> prefixes;
      for (const auto& n : cp_names_) prefixes.push_back(StringKey(n));
      out.push_back({&t_.cp, WithDates(prefixes), {}, SearchSort::kCounterparty, 0, "counterparty"});
    }
    if (has_regno_) {
      std::vector<std::string> prefixes;
      for (const auto& r : regnos_) prefixes.push_back(StringKey(r));
      out.push_back({&t_.regno, WithDates(prefixes), {}, std::nullopt, 0, "registration_number"});
    }
    if (!q_.department.empty()) {
      out.push_back({&t_.dept, WithDates({StringKey(q_.department)}), {}, std::nullopt, 0,
                     "department"});
    }
    if (type_ >= 0) {
      KeyEncoder k;
      k.U32(static_cast<uint32_t>(type_));
      if (format_ >= 0) {
        k.U32(static_cast<uint32_t>(format_));
        out.push_back({&t_.kind, WithDates({k.key()}), {}, std::nullopt, 0, "type"});
      } else {
        out.push_back({&t_.kind, {{k.key(), storage::PrefixSuccessor(k.key())}}, {},
                       std::nullopt, 0, "type"});
      }
    }
    if (!invno_.empty()) {
      const std::string p = StringKey(invno_);
      out.push_back({&t_.invno, {{p, storage::PrefixSuccessor(p)}}, {}, std::nullopt, 0,
                     "invoice_number"});
    }
    if (has_recv_) {
      out.push_back({&t_.recv,
                     {{DateKey(recv_lo_),
                       recv_hi_ == INT32_MAX ? std::string() : DateKey(recv_hi_ + 1)}},
                     {},
                     std::nullopt,
                     0,
                     "received"});
    }
    // The index of the requested order, whole: the plan of last resort, and
    // the only one for queries with text alone or no condition.
    switch (q_.sort) {
      case SearchSort::kDate:
        out.push_back({&t_.date, {{"", ""}}, {}, SearchSort::kDate, 0, "date (all)"});
        break;
      case SearchSort::kAmount:
        out.push_back({&t_.amount, {{"", ""}}, {}, SearchSort::kAmount, 0, "amount (all)"});
        break;
      case SearchSort::kCounterparty:
        out.push_back({&t_.cp, {{"", ""}}, {}, SearchSort::kCounterparty, 0, "counterparty (all)"});
        break;
    }
    return out;
  }

  Result<Scanner> ScannerFor(const Driver& d, bool descending) const {
    ASSIGN_OR_RETURN(storage::Cursor c, txn_.NewCursor(*d.table));
    return Scanner(std::move(c), d.ranges, descending, d.skip);
  }

  // The cheapest driver: fewest entries to visit, counted up to a cap. Of
  // drivers past the cap, one that skips to the amount band, else one that
  // streams in the requested order.
  Result<Driver> Choose(std::vector<Driver> drivers) const {
    for (const Driver& d : drivers) {
      if (!q_.index_hint.empty() && d.name == q_.index_hint) return d;
    }
    for (Driver& d : drivers) {
      if (d.ranges.size() == 1 && d.ranges[0].lo.empty() && d.ranges[0].hi.empty()) {
        d.estimate = UINT64_MAX;  // the whole index
        continue;
      }
      ASSIGN_OR_RETURN(Scanner s, ScannerFor(d, false));
      std::string_view k, v;
      while (s.visited() < kEstimateCap && s.Next(&k, &v)) {
      }
      RETURN_IF_ERROR(s.status());
      d.estimate = s.visited();
    }
    const auto rank = [&](const Driver& d) {
      if (d.estimate < kEstimateCap) return std::make_pair(0, d.estimate);
      if (d.estimate == UINT64_MAX) return std::make_pair(3, uint64_t{0});
      if (d.skip.enabled) return std::make_pair(1, uint64_t{0});
      return std::make_pair(d.streams == q_.sort ? 1 : 2, uint64_t{0});
    };
    return *std::min_element(drivers.begin(), drivers.end(),
                             [&](const Driver& a, const Driver& b) { return rank(a) < rank(b); });
  }

  // --- execution ---------------------------------------------------------

  Result<std::string> CounterpartyName(uint32_t id) {
    auto it = cp_cache_.find(id);
    if (it != cp_cache_.end()) return it->second;
    ASSIGN_OR_RETURN(std::string_view name, txn_.Get(t_.terms, TermIdKey('c', id)));
    return cp_cache_.emplace(id, std::string(name)).first->second;
  }

  // The key a row sorts by: the key of the index of that order.
  Result<std::string> SortKey(const Tuple& t) {
    const std::string sv = SeqVersion(t.seq, t.version);
    switch (q_.sort) {
      case SearchSort::kDate:
        return DateKey(t.date) + AmountKey(t.has_amount, t.mantissa, t.scale) + sv;
      case SearchSort::kAmount:
        return AmountKey(t.has_amount, t.mantissa, t.scale) + sv;
      case SearchSort::kCounterparty: {
        ASSIGN_OR_RETURN(std::string name, CounterpartyName(t.cp));
        return StringKey(name) + DateKey(t.date) + sv;
      }
    }
    return Status::Internal("unknown sort");
  }

  // The sort position of a row as numbers, in the order of SortKey's bytes
  // for date and amount sorts.
  struct Rank {
    int32_t date = 0;
    uint8_t has = 0;
    i128 amount = 0;
    uint64_t seq = 0;
    uint32_t version = 0;
    friend bool operator<(const Rank& a, const Rank& b) {
      if (a.date != b.date) return a.date < b.date;
      if (a.has != b.has) return a.has < b.has;
      if (a.amount != b.amount) return a.amount < b.amount;
      if (a.seq != b.seq) return a.seq < b.seq;
      return a.version < b.version;
    }
  };
  Rank RankOf(const Tuple& t) const {
    Rank r;
    r.date = q_.sort == SearchSort::kDate ? t.date : 0;
    r.has = t.has_amount;
    if (t.has_amount) {
      i128 v = t.mantissa;
      for (int s = t.scale; s < Decimal::kMaxScale; ++s) v *= 10;
      r.amount = v;
    }
    r.seq = t.seq;
    r.version = t.version;
    return r;
  }
  bool RankFromKey(std::string_view key, Rank* r) const {
    const auto be = [&](size_t n) {
      u128 x = 0;
      for (size_t i = 0; i < n; ++i) x = x << 8 | static_cast<unsigned char>(key[i]);
      key.remove_prefix(n);
      return x;
    };
    const size_t want = (q_.sort == SearchSort::kDate ? 4 : 0) + kAmountKeySize + 12;
    if (key.size() != want) return false;
    *r = Rank{};
    if (q_.sort == SearchSort::kDate) {
      r->date = static_cast<int32_t>(static_cast<int64_t>(be(4)) + INT32_MIN);
    }
    r->has = static_cast<uint8_t>(be(1));
    const u128 a = be(16);
    r->amount = r->has ? static_cast<i128>(a ^ (static_cast<u128>(1) << 127)) : 0;
    r->seq = static_cast<uint64_t>(be(8));
    r->version = static_cast<uint32_t>(be(4));
    return true;
  }

  bool AfterCursor(std::string_view key) const {
    if (cursor_.empty()) return true;
    return q_.descending ? key < cursor_ : key > cursor_;
  }

  // Only the issue date (or nothing) is asked, current versions, in date
  // order: the day counts answer the count and the offset.
  bool DateOnly() const {
    return !has_amount_ && !has_cp_ && !has_regno_ && q_.department.empty() && type_ < 0 &&
           format_ < 0 && invno_.empty() && !has_recv_ && text_.empty() && !q_.include_history &&
           q_.sort == SearchSort::kDate;
  }

  // Sums the day counts over the query's dates; with an offset, also moves
  // the driver's range to the day where the page starts and returns the
  // offset left within that day.
  Result<uint64_t> CountByDays(Driver* d, uint64_t* offset) const {
    const int32_t lo = has_date_ ? date_lo_ : kNoDate, hi = has_date_ ? date_hi_ : INT32_MAX;
    const std::string lo_key = DateKey(lo);
    const std::string hi_key = hi == INT32_MAX ? std::string() : DateKey(hi + 1);
    ASSIGN_OR_RETURN(storage::Cursor c, txn_.NewCursor(t_.days));
    uint64_t total = 0, skipped = 0;
    std::string start_day;
    std::vector<std::pair<std::string, uint64_t>> days;  // descending needs the tail
    for (bool ok = c.Seek(lo_key); ok && (hi_key.empty() || c.key() < hi_key); ok = c.Next()) {
      storage::KeyDecoder dec(c.value());
      uint64_t n = 0;
      if (!dec.U64(&n)) return Status::Corruption("search index: bad day count");
      total += n;
      if (q_.descending) {
        days.emplace_back(std::string(c.key()), n);
      } else if (start_day.empty() && skipped + n > *offset) {
        start_day = std::string(c.key());
      } else if (start_day.empty()) {
        skipped += n;
      }
    }
    RETURN_IF_ERROR(c.status());
    if (q_.descending) {
      for (auto it = days.rbegin(); it != days.rend(); ++it) {
        if (skipped + it->second > *offset) {
          start_day = it->first;
          break;
        }
        skipped += it->second;
      }
    }
    if (start_day.empty()) {
      *offset = 0;
      d->ranges = {{lo_key, lo_key}};  // past the end: nothing to scan
      return total;
    }
    *offset -= skipped;
    if (q_.descending) {
      d->ranges[0].hi = storage::PrefixSuccessor(start_day);
    } else {
      d->ranges[0].lo = start_day;
    }
    return total;
  }

  Result<SearchResult> Execute(Driver d) {
    const bool streaming = d.streams == q_.sort;
    uint64_t offset = q_.offset;
    bool count = q_.count;
    std::optional<uint64_t> counted;
    if (streaming && DateOnly()) {
      // The whole-index driver and the date driver both scan s_ix_date.
      if (d.ranges[0].lo.empty() && d.ranges[0].hi.empty()) d.ranges[0] = {DateKey(kNoDate), ""};
      if (cursor_.empty()) {
        ASSIGN_OR_RETURN(counted, CountByDays(&d, &offset));
      } else if (q_.count) {
        uint64_t no_offset = 0;
        Driver whole = d;
        ASSIGN_OR_RETURN(counted, CountByDays(&whole, &no_offset));
      }
      count = false;
    }
    if (streaming && !count && !cursor_.empty()) {
      // Start right after the cursor instead of walking up to it.
      for (Range& r : d.ranges) {
        if (q_.descending) {
          if (r.hi.empty() || cursor_ < r.hi) r.hi = cursor_;
        } else if (cursor_ >= r.lo) {
          r.lo = cursor_ + '\0';
        }
      }
    }
    ASSIGN_OR_RETURN(Scanner scan, ScannerFor(d, streaming && q_.descending));
    const uint64_t keep = offset + q_.limit;
    uint64_t matches = 0, after_cursor = 0;
    // Heap order for date and amount sorts compares numbers, not key
    // strings (no allocation per hit); counterparty order needs the name.
    const bool by_rank = q_.sort != SearchSort::kCounterparty;
    Rank cursor_rank;
    if (!streaming && by_rank && !cursor_.empty() && !RankFromKey(cursor_, &cursor_rank)) {
      return Status::InvalidArgument("after: 続きの位置（カーソル）が壊れています");
    }
    struct Hit {
      std::string key;  // streaming and counterparty order only
      Rank rank;
      Tuple t;
    };
    std::vector<Hit> page;  // streaming: in order; otherwise a heap
    const auto better = [&](const Hit& a, const Hit& b) {
      if (by_rank && !streaming) return q_.descending ? b.rank < a.rank : a.rank < b.rank;
      return q_.descending ? a.key > b.key : a.key < b.key;
    };
    std::string_view k, v;
    while (scan.Next(&k, &v)) {
      Tuple t;
      if (!ReadTuple(v, &t)) return Status::Corruption("search index: malformed entry");
      if (!Passes(t)) continue;
      ASSIGN_OR_RETURN(bool row_ok, PassesRow(t));
      if (!row_ok) continue;
      ++matches;
      if (streaming) {
        if (!AfterCursor(k)) continue;
        if (after_cursor++ < offset) continue;
        if (page.size() < q_.limit) {
          page.push_back({std::string(k), {}, t});
        } else if (!count) {
          break;  // one more hit exists: enough to know there is a next page
        }
      } else {
        Hit hit{{}, RankOf(t), t};
        if (by_rank) {
          if (!cursor_.empty() &&
              !(q_.descending ? hit.rank < cursor_rank : cursor_rank < hit.rank)) {
            continue;
          }
        } else {
          ASSIGN_OR_RETURN(hit.key, SortKey(t));
          if (!AfterCursor(hit.key)) continue;
        }
        ++after_cursor;
        if (page.size() < keep) {
          page.push_back(std::move(hit));
          std::push_heap(page.begin(), page.end(), better);
        } else if (better(hit, page.front())) {
          std::pop_heap(page.begin(), page.end(), better);
          page.back() = std::move(hit);
          std::push_heap(page.begin(), page.end(), better);
        }
      }
    }
    RETURN_IF_ERROR(scan.status());
    if (!streaming) {
      std::sort_heap(page.begin(), page.end(), better);
      page.erase(page.begin(), page.begin() + std::min<uint64_t>(offset, page.size()));
    }
    SearchResult result;
    result.count = counted ? *counted : (q_.count ? matches : 0);
    for (const Hit& h : page) {
      ASSIGN_OR_RETURN(StoredRow row, ReadRow(h.t.seq, h.t.version));
      SearchItem item;
      const SearchRow& r = row.row;
      item.id = FormatDocumentId(r.seq);
      item.version = r.version;
      item.current = h.t.flags & kCurrent;
      if (r.issue_date) item.issue_date = r.issue_date->ToString();
      if (r.amount) item.total = r.amount->ToString();
      item.currency = r.currency;
      item.counterparty = r.counterparty;
      item.registration_number = r.registration_number;
      item.department = r.department;
      item.type = r.type;
      item.format = r.format;
      item.invoice_number = r.invoice_number;
      item.file_name = r.file_name;
      item.received_date = r.received.ToString();
      item.needs_metadata = r.needs_metadata;
      result.items.push_back(std::move(item));
    }
    if (after_cursor > offset + page.size() && !page.empty()) {
      std::string last = page.back().key;
      if (last.empty()) {
        ASSIGN_OR_RETURN(last, SortKey(page.back().t));
      }
      result.next = std::string{SortChar(q_.sort), q_.descending ? '-' : '+'} +
                    base::HexEncode(last);
    }
    result.plan = d.name + ": " + std::to_string(scan.visited()) + " entries visited";
    return result;
  }

  const SearchIndex::Tables& t_;
  const storage::ReadTxn& txn_;
  const SearchQuery& q_;
  std::string cursor_;

  bool has_date_ = false, has_recv_ = false, has_amount_ = false, has_cp_ = false,
       has_regno_ = false;
  int32_t date_lo_ = 0, date_hi_ = 0, recv_lo_ = 0, recv_hi_ = 0;
  std::vector<std::string> cp_names_;
  std::vector<uint32_t> cp_ids_;
  std::vector<std::string> regnos_;
  std::vector<uint32_t> regno_ids_;
  uint32_t dept_id_ = 0;
  int type_ = -1, format_ = -1;
  std::string invno_, text_;
  std::unordered_map<uint32_t, std::string> cp_cache_;
};

Result<SearchResult> SearchIndex::Search(const storage::ReadTxn& txn,
                                         const SearchQuery& query) const {
  SearchRun run(t_, txn, query);
  return run.Run();
}

}  // namespace archive
