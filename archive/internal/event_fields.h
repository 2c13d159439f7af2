// What one stored event says, as Archive::Verify needs it: whether it is
// JSON in kura's canonical form, the members a document event carries, and
// the SHA-256 of the canonical bytes of its "receipt" and "version" (which
// must equal the catalog's records byte for byte). For archive/ only.
//
// DecodeEvent reads a canonical event in one pass of nlohmann's SAX parser
// without building a DOM: it checks each token against the canonical bytes
// nlohmann's serializer writes for it, and takes the member hashes from the
// input itself. Anything else (not JSON, not canonical, an unexpected
// shape) is handed to DecodeEventReference, the plain parse-and-re-dump, so
// both always give the same answer; tests/archive/event_fields_test.cc holds
// them to that.
#ifndef ARCHIVE_INTERNAL_EVENT_FIELDS_H_
#define ARCHIVE_INTERNAL_EVENT_FIELDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "signing/sha256.h"

namespace archive {

struct EventFields {
  bool object = false;     // the bytes are JSON and the value is an object
  bool canonical = false;  // the bytes are exactly EventLog::Canonical of it
  // Top-level members, present only with the type named:
  std::optional<std::string> type, id, sha256, media_type;
  std::optional<uint64_t> size;  // a non-negative integer
  // "receipt": its canonical bytes' hash if present (any type), and its
  // "received_at", "department" and "file_name" if it is an object holding
  // those strings.
  std::optional<signing::Digest> receipt;
  std::optional<std::string> received_at, department, file_name;
  // "search_row": the digest of the version's search-index row, as kura
  // computed it when it wrote the event (SearchRowDigest, hex).
  std::optional<std::string> search_row;
  // "version": its canonical bytes' hash if present; if it is an object, its
  // "number" (a non-negative integer) and — only for events without a
  // "search_row" member (written before events carried it), to derive the
  // row from — if "fields" is an object, the members of it the search index
  // is made of (kSearchRowFields): strings and booleans as they are, an
  // array as its string elements, anything else null.
  std::optional<signing::Digest> version;
  std::optional<uint64_t> version_number;
  std::optional<nlohmann::json> row_fields;
  // "timestamp": absent, an object (with "tsr" if that is a string), or
  // another value (null: not yet stamped).
  enum class Timestamp { kAbsent, kObject, kOther } timestamp = Timestamp::kAbsent;
  std::optional<std::string> tsr;
  // "writes" (ledger/internal/write_set.h): its canonical bytes, if present.
  std::optional<std::string> writes;

  friend bool operator==(const EventFields&, const EventFields&) = default;
};

/// ScanCanonicalEvent if it gives an answer, else DecodeEventReference.
EventFields DecodeEvent(std::string_view bytes);

/// The fast path described above: the fields of a canonical event, or
/// nullopt when bytes are not a canonical JSON object (or the scan cannot
/// tell). Whenever it answers, the answer equals DecodeEventReference's.
std::optional<EventFields> ScanCanonicalEvent(std::string_view bytes);

/// nlohmann::json::parse, then EventLog::Canonical of the value and of its
/// members. The definition DecodeEvent is held to.
EventFields DecodeEventReference(std::string_view bytes);

/// The digest (SearchRowDigest) of the search-index row that the version in
/// f implies for document seq whose first receipt is given: f.search_row,
/// or, for events written before they carried it, the row derived from
/// f.version_number and f.row_fields (read with invoice::FieldsFromJson).
/// nullopt if f says too little, or fields kura never wrote.
std::optional<signing::Digest> ImpliedSearchRow(uint64_t seq, const base::Time& received_at,
                                                const std::string& department,
                                                const std::string& file_name,
                                                const EventFields& f);

}  // namespace archive

#endif  // ARCHIVE_INTERNAL_EVENT_FIELDS_H_
