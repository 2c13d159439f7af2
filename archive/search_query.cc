// SearchIndex::Search: the query planner and executor. archive/search_index.h
// explains the tables and the plan; archive/internal/search_codec.h holds
// their encodings.
//
// SearchRun resolves a query's conditions against the dictionaries, lists
// the indexes that could drive it (Driver), counts up to a cap the entries
// each would visit, and scans the cheapest (Scanner). If the driver's key
// order is the query's, the page streams from the scan; otherwise a heap
// keeps the best offset+limit hits. A query on the issue date alone takes
// its count and its offset from the day counts in s_days.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "archive/document.h"
#include "archive/internal/search_codec.h"
#include "archive/search_index.h"
#include "base/hex.h"
#include "base/text.h"
#include "storage/key_codec.h"

namespace archive {

using base::Decimal;
using base::Result;
using base::Status;
using storage::KeyEncoder;

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

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
      : c_(std::move(cursor)),
        ranges_(std::move(ranges)),
        desc_(descending),
        skip_(std::move(skip)) {
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
    case SearchSort::kDate:
      return 'd';
    case SearchSort::kAmount:
      return 'a';
    case SearchSort::kCounterparty:
      return 'c';
    case SearchSort::kReceived:
      return 'r';
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
          "after: 続きの位置（カーソル）がこの検索の並び順と合いません。"
          "最初のページから検索し直してください");
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
    if (q_.needs_metadata && *q_.needs_metadata != ((t.flags & kNeedsMetadata) != 0)) return false;
    return true;
  }

  // Conditions that need the stored row (invoice number, text), then the
  // filter of a module above.
  Result<bool> PassesRow(const Tuple& t) {
    if (invno_.empty() && text_.empty()) return PassesFilter(t);
    ASSIGN_OR_RETURN(StoredRow row, ReadRow(t.seq, t.version));
    if (!invno_.empty() && InvoiceNumberKey(row.row.invoice_number) != invno_) return false;
    if (!text_.empty() && row.text.find(text_) == std::string::npos) return false;
    return PassesFilter(t);
  }

  Result<bool> PassesFilter(const Tuple& t) const {
    if (!q_.filter) return true;
    return q_.filter(txn_, t.seq);
  }

  Result<StoredRow> ReadRow(uint64_t seq, uint32_t version) {
    ASSIGN_OR_RETURN(std::string_view bytes, txn_.Get(t_.rows, SeqVersion(seq, version)));
    StoredRow row;
    if (!DecodeRow(seq, version, bytes, &row)) {
      return Status::Corruption("検索の索引: " + FormatDocumentId(seq) +
                                " の行（s_rows）が壊れています");
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
        out.push_back({p + DateKey(date_lo_), date_hi_ == INT32_MAX ? storage::PrefixSuccessor(p)
                                                                    : p + DateKey(date_hi_ + 1)});
      } else {
        out.push_back({p, storage::PrefixSuccessor(p)});
      }
    }
    return out;
  }

  // The date driver: s_ix_date over the dates asked, skipping within each
  // day to the amount band if an amount is asked too.
  Driver DateDriver() const {
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
    return d;
  }

  // The amount driver: s_ix_amount over the amount band.
  Driver AmountDriver() const {
    Driver d{&t_.amount, {}, {}, SearchSort::kAmount, 0, "amount"};
    const std::string lo = q_.amount_min
                               ? AmountKey(true, q_.amount_min->mantissa(), q_.amount_min->scale())
                               : std::string("\x01");
    const std::string hi = q_.amount_max
                               ? storage::PrefixSuccessor(AmountKey(true, q_.amount_max->mantissa(),
                                                                    q_.amount_max->scale()))
                               : std::string("\x02");
    d.ranges.push_back({lo, hi});
    return d;
  }

  // The index of the requested order, whole: the plan of last resort, and
  // the only one for queries with text alone or no condition.
  Driver WholeIndexDriver() const {
    switch (q_.sort) {
      case SearchSort::kDate:
        return {&t_.date, {{"", ""}}, {}, SearchSort::kDate, 0, "date (all)"};
      case SearchSort::kAmount:
        return {&t_.amount, {{"", ""}}, {}, SearchSort::kAmount, 0, "amount (all)"};
      case SearchSort::kCounterparty:
        return {&t_.cp, {{"", ""}}, {}, SearchSort::kCounterparty, 0, "counterparty (all)"};
      case SearchSort::kReceived:
        return {&t_.recv, {{"", ""}}, {}, SearchSort::kReceived, 0, "received (all)"};
    }
    return {};  // not reached: every order has its index
  }

  // Every index that can drive the query, the whole index of its order last.
  std::vector<Driver> Drivers() const {
    std::vector<Driver> out;
    if (has_date_) out.push_back(DateDriver());
    if (has_amount_) out.push_back(AmountDriver());
    if (has_cp_) {
      std::vector<std::string> prefixes;
      for (const auto& n : cp_names_) prefixes.push_back(StringKey(n));
      out.push_back(
          {&t_.cp, WithDates(prefixes), {}, SearchSort::kCounterparty, 0, "counterparty"});
    }
    if (has_regno_) {
      std::vector<std::string> prefixes;
      for (const auto& r : regnos_) prefixes.push_back(StringKey(r));
      out.push_back({&t_.regno, WithDates(prefixes), {}, std::nullopt, 0, "registration_number"});
    }
    if (!q_.department.empty()) {
      out.push_back(
          {&t_.dept, WithDates({StringKey(q_.department)}), {}, std::nullopt, 0, "department"});
    }
    if (type_ >= 0) {
      KeyEncoder k;
      k.U32(static_cast<uint32_t>(type_));
      if (format_ >= 0) {
        k.U32(static_cast<uint32_t>(format_));
        out.push_back({&t_.kind, WithDates({k.key()}), {}, std::nullopt, 0, "type"});
      } else {
        out.push_back({&t_.kind,
                       {{k.key(), storage::PrefixSuccessor(k.key())}},
                       {},
                       std::nullopt,
                       0,
                       "type"});
      }
    }
    if (!invno_.empty()) {
      const std::string p = StringKey(invno_);
      out.push_back(
          {&t_.invno, {{p, storage::PrefixSuccessor(p)}}, {}, std::nullopt, 0, "invoice_number"});
    }
    if (has_recv_) {
      out.push_back(
          {&t_.recv,
           {{DateKey(recv_lo_), recv_hi_ == INT32_MAX ? std::string() : DateKey(recv_hi_ + 1)}},
           {},
           SearchSort::kReceived,
           0,
           "received"});
    }
    out.push_back(WholeIndexDriver());
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
      case SearchSort::kReceived:
        return DateKey(t.received) + sv;
    }
    return Status::Internal("検索: 不明な並び順です");
  }

  // The sort position of a row as numbers, in the order of SortKey's bytes
  // for date, amount and received sorts (received: the date, no amount).
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
    r.date = q_.sort == SearchSort::kDate       ? t.date
             : q_.sort == SearchSort::kReceived ? t.received
                                                : 0;
    r.has = q_.sort == SearchSort::kReceived ? 0 : t.has_amount;
    if (t.has_amount && q_.sort != SearchSort::kReceived) {
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
    const bool received = q_.sort == SearchSort::kReceived;
    const size_t want =
        (q_.sort == SearchSort::kDate || received ? 4 : 0) + (received ? 0 : kAmountKeySize) + 12;
    if (key.size() != want) return false;
    *r = Rank{};
    if (q_.sort == SearchSort::kDate || received) {
      r->date = static_cast<int32_t>(static_cast<int64_t>(be(4)) + INT32_MIN);
    }
    if (received) {
      r->seq = static_cast<uint64_t>(be(8));
      r->version = static_cast<uint32_t>(be(4));
      return true;
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
           !q_.needs_metadata && !q_.filter && q_.sort == SearchSort::kDate;
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
      if (!dec.U64(&n)) {
        return Status::Corruption("検索の索引: 日ごとの件数（s_days）が壊れています");
      }
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
  // One matching row on its way to the page.
  struct Hit {
    std::string key;  // streaming and counterparty order only
    Rank rank;
    Tuple t;
  };

  // What a scan collected: the hits of the page, in page order; the rows
  // that matched; and how many of those come after the cursor.
  struct Collected {
    std::vector<Hit> page;
    uint64_t matches = 0;
    uint64_t after_cursor = 0;
  };

  // Scans the driver and builds the page, its count and its next cursor.
  Result<SearchResult> Execute(Driver d) {
    const bool streaming = d.streams == q_.sort;
    uint64_t offset = q_.offset;
    bool count = q_.count;
    std::optional<uint64_t> counted;
    if (streaming && DateOnly()) {
      RETURN_IF_ERROR(CountFromDays(&d, &offset, &counted));
      count = false;
    }
    if (streaming && !count && !cursor_.empty()) StartAfterCursor(&d);
    ASSIGN_OR_RETURN(Scanner scan, ScannerFor(d, streaming && q_.descending));
    Collected hits;
    if (streaming) {
      RETURN_IF_ERROR(Stream(scan, offset, count, &hits));
    } else {
      RETURN_IF_ERROR(KeepBest(scan, offset, &hits));
    }
    SearchResult result;
    result.count = counted ? *counted : (q_.count ? hits.matches : 0);
    for (const Hit& h : hits.page) {
      ASSIGN_OR_RETURN(SearchItem item, ItemFor(h));
      result.items.push_back(std::move(item));
    }
    if (hits.after_cursor > offset + hits.page.size() && !hits.page.empty()) {
      ASSIGN_OR_RETURN(result.next, NextCursor(hits.page.back()));
    }
    result.plan = d.name + ": " + std::to_string(scan.visited()) + " 件の索引項目を読みました";
    return result;
  }

  // A streaming query on the issue date alone (DateOnly): the day counts
  // give *counted (if the query counts, or on a first page) and, on a first
  // page, move the driver to the day where the page starts, leaving in
  // *offset the offset within that day.
  Status CountFromDays(Driver* d, uint64_t* offset, std::optional<uint64_t>* counted) const {
    // The whole-index driver and the date driver both scan s_ix_date.
    if (d->ranges[0].lo.empty() && d->ranges[0].hi.empty()) d->ranges[0] = {DateKey(kNoDate), ""};
    if (cursor_.empty()) {
      ASSIGN_OR_RETURN(*counted, CountByDays(d, offset));
    } else if (q_.count) {
      uint64_t no_offset = 0;
      Driver whole = *d;
      ASSIGN_OR_RETURN(*counted, CountByDays(&whole, &no_offset));
    }
    return Status::OK();
  }

  // For a streaming driver: starts its ranges right after the cursor
  // instead of walking up to it.
  void StartAfterCursor(Driver* d) const {
    for (Range& r : d->ranges) {
      if (q_.descending) {
        if (r.hi.empty() || cursor_ < r.hi) r.hi = cursor_;
      } else if (cursor_ >= r.lo) {
        r.lo = cursor_ + '\0';
      }
    }
  }

  // Reads the tuple of an index entry into *t: whether the row meets every
  // condition of the query.
  Result<bool> Matches(std::string_view value, Tuple* t) {
    if (!ReadTuple(value, t)) return Status::Corruption("検索の索引: 項目が壊れています");
    if (!Passes(*t)) return false;
    return PassesRow(*t);
  }

  // The streaming path: the scan runs in the requested order, so the page
  // is the hits after the cursor and the offset, in scan order. Unless it
  // must count every match, the scan stops at the first hit past the page.
  Status Stream(Scanner& scan, uint64_t offset, bool count, Collected* out) {
    std::string_view k, v;
    while (scan.Next(&k, &v)) {
      Tuple t;
      ASSIGN_OR_RETURN(const bool match, Matches(v, &t));
      if (!match) continue;
      ++out->matches;
      if (!AfterCursor(k)) continue;
      if (out->after_cursor++ < offset) continue;
      if (out->page.size() < q_.limit) {
        out->page.push_back({std::string(k), {}, t});
      } else if (!count) {
        break;  // one more hit exists: enough to know there is a next page
      }
    }
    return scan.status();
  }

  // The heap path: the scan runs in another order, so a heap keeps the best
  // offset+limit hits after the cursor; the page is what follows the offset
  // once they are sorted.
  Status KeepBest(Scanner& scan, uint64_t offset, Collected* out) {
    // Heap order for date and amount sorts compares numbers, not key
    // strings (no allocation per hit); counterparty order needs the name.
    const bool by_rank = q_.sort != SearchSort::kCounterparty;
    Rank cursor_rank;
    if (by_rank && !cursor_.empty() && !RankFromKey(cursor_, &cursor_rank)) {
      return Status::InvalidArgument("after: 続きの位置（カーソル）が壊れています");
    }
    const auto better = [&](const Hit& a, const Hit& b) {
      if (by_rank) return q_.descending ? b.rank < a.rank : a.rank < b.rank;
      return q_.descending ? a.key > b.key : a.key < b.key;
    };
    const uint64_t keep = offset + q_.limit;
    std::vector<Hit>& heap = out->page;
    std::string_view k, v;
    while (scan.Next(&k, &v)) {
      Tuple t;
      ASSIGN_OR_RETURN(const bool match, Matches(v, &t));
      if (!match) continue;
      ++out->matches;
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
      ++out->after_cursor;
      if (heap.size() < keep) {
        heap.push_back(std::move(hit));
        std::push_heap(heap.begin(), heap.end(), better);
      } else if (better(hit, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), better);
        heap.back() = std::move(hit);
        std::push_heap(heap.begin(), heap.end(), better);
      }
    }
    RETURN_IF_ERROR(scan.status());
    std::sort_heap(heap.begin(), heap.end(), better);
    heap.erase(heap.begin(), heap.begin() + std::min<uint64_t>(offset, heap.size()));
    return Status::OK();
  }

  // The item of the page for a hit, from its stored row.
  Result<SearchItem> ItemFor(const Hit& h) {
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
    return item;
  }

  // The cursor of the next page: the sort key of the page's last hit.
  Result<std::string> NextCursor(const Hit& last_hit) {
    std::string last = last_hit.key;
    if (last.empty()) {
      ASSIGN_OR_RETURN(last, SortKey(last_hit.t));
    }
    return std::string{SortChar(q_.sort), q_.descending ? '-' : '+'} + base::HexEncode(last);
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
