// The encodings of the search index: see archive/internal/search_codec.h.
#include "archive/internal/search_codec.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "base/text.h"
#include "storage/key_codec.h"

namespace archive {

using base::Date;
using base::Decimal;
using storage::KeyEncoder;

namespace {

KeyEncoder& DateKey(KeyEncoder& k, int32_t days) {
  return k.U32(static_cast<uint32_t>(static_cast<int64_t>(days) - INT32_MIN));
}

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

std::string Trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

}  // namespace

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
  for (const std::string* s : {&r.currency, &r.counterparty, &r.registration_number, &r.department,
                               &r.type, &r.format, &r.invoice_number, &r.file_name}) {
    PutStr(&out, *s);
  }
  PutStr(&out, TextOf(r));
  return out;
}

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

// Invoice numbers match after NFKC, case folding and trimming, the same
// way in the index key, the query and the row check.
std::string InvoiceNumberKey(std::string_view s) { return Trim(base::NormalizeText(s)); }

std::string NormalizeRegistrationNumber(std::string_view s) {
  std::string t = Trim(base::NormalizeText(s));
  for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return t;
}

}  // namespace archive
