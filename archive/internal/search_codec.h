// The encodings of the search index (archive/search_index.h explains its
// tables), shared by the index maintenance (archive/search_index.cc) and the
// query planner (archive/search_query.cc): the 48-byte filter tuple stored as
// the value of every index entry, the keys of the indexes and of the
// dictionary (s_terms), the s_rows record, and the normalisations on which
// the index keys, the queries and the row checks must agree. For archive/
// only.
//
// Thread safety: pure functions and constants.
#ifndef ARCHIVE_INTERNAL_SEARCH_CODEC_H_
#define ARCHIVE_INTERNAL_SEARCH_CODEC_H_

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "archive/search_index.h"

namespace archive {

// Tuple::date of a row without an issue date.
inline constexpr int32_t kNoDate = INT32_MIN;
// Tuple::flags.
inline constexpr uint8_t kCurrent = 1;
inline constexpr uint8_t kNeedsMetadata = 2;
inline constexpr size_t kAmountKeySize = 17;  // flag + 16-byte decimal

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

inline std::string_view TupleBytes(const Tuple& t) {
  return std::string_view(reinterpret_cast<const char*>(&t), sizeof t);
}
inline bool ReadTuple(std::string_view bytes, Tuple* t) {
  if (bytes.size() != sizeof(Tuple)) return false;
  std::memcpy(t, bytes.data(), sizeof(Tuple));
  return true;
}

// Tuple::type and Tuple::format are indexes into these (0 for any other
// name).
inline constexpr std::string_view kTypes[] = {"unknown", "invoice", "credit_note"};
// "scan" (issue 15) came last so that the stored codes of the others hold.
inline constexpr std::string_view kFormats[] = {
    "unknown", "jp-pint", "peppol-bis", "xrechnung", "ubl", "cii", "factur-x", "zugferd", "pdf",
    "scan"};
// The index of s in names, or -1.
template <size_t N>
int CodeOf(const std::string_view (&names)[N], std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<int>(i);
  }
  return -1;
}

// Key parts (storage/key_codec.h), each ordered as what it encodes.
std::string DateKey(int32_t days);
// kAmountKeySize bytes; all zero without an amount.
std::string AmountKey(bool has, int64_t mantissa, int scale);
std::string SeqVersion(uint64_t seq, uint32_t version);
std::string StringKey(std::string_view s);

// Dictionary keys: kind, 'n', string → id;  kind, 'i', id → string.
std::string TermNameKey(char kind, std::string_view s);
std::string TermIdKey(char kind, uint32_t id);
// The key of the next id to assign for kind.
std::string NextIdKey(char kind);
// A stored dictionary id (0 if malformed).
uint32_t DecodeU32(std::string_view v);

// --- row serialisation (s_rows values) ---------------------------------------

// The s_rows record of a row: its fields, and instead of the line
// descriptions the text to match --text in.
std::string EncodeRow(const SearchRow& r);

struct StoredRow {
  SearchRow row;
  std::string text;
};

// False if bytes is not a record EncodeRow wrote.
bool DecodeRow(uint64_t seq, uint32_t version, std::string_view bytes, StoredRow* out);

// Invoice numbers match after NFKC, case folding and trimming, the same
// way in the index key, the query and the row check.
std::string InvoiceNumberKey(std::string_view s);

std::string NormalizeRegistrationNumber(std::string_view s);

}  // namespace archive

#endif  // ARCHIVE_INTERNAL_SEARCH_CODEC_H_
