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

#include "signing/sha256.h"

namespace archive {

struct EventFields {
  bool object = false;     // the bytes are JSON and the value is an object
  bool canonical = false;  // the bytes are exactly EventLog::Canonical of it
  // Top-level members, present only with the type named:
  std::optional<std::string> type, id, sha256, media_type;
  std::optional<uint64_t> size;  // a non-negative integer
  // "receipt": its canonical bytes' hash if present (any type), and its
  // "received_at" if it is an object holding that string.
  std::optional<signing::Digest> receipt;
  std::optional<std::string> received_at;
  // "version": its canonical bytes' hash if present.
  std::optional<signing::Digest> version;
  // "timestamp": absent, an object (with "tsr" if that is a string), or
  // another value (null: not yet stamped).
  enum class Timestamp { kAbsent, kObject, kOther } timestamp = Timestamp::kAbsent;
  std::optional<std::string> tsr;
  // "writes" (archive/internal/write_set.h): its canonical bytes, if present.
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

}  // namespace archive

#endif  // ARCHIVE_INTERNAL_EVENT_FIELDS_H_
