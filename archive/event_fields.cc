#include "archive/internal/event_fields.h"

#include <vector>

#include <nlohmann/json.hpp>

#include "archive/event_log.h"

namespace archive {

using nlohmann::json;

namespace {

// Scans an event with nlohmann's SAX parser, comparing every token with the
// bytes EventLog::Canonical writes for it at the same place. It gives up
// (returns false from a callback, which stops the parse) at the first
// difference or at anything it does not read itself; the caller then takes
// the reference path. When the parse completes and all input was matched,
// the input IS the canonical form, so the byte ranges of the members are
// their canonical bytes.
class CanonicalScanner {
 public:
  explicit CanonicalScanner(std::string_view in) : in_(in) {}

  bool Finished() const { return pos_ == in_.size() && open_.empty(); }
  EventFields& fields() { return f_; }

  // nlohmann's SAX interface (duck-typed; see json_sax in json.hpp).
  bool null() { return BeforeValue() && Emit("null") && AfterScalar(); }
  bool boolean(bool v) { return BeforeValue() && Emit(v ? "true" : "false") && AfterScalar(); }
  bool number_integer(json::number_integer_t v) {
    return BeforeValue() && Emit(std::to_string(v)) && AfterScalar();
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (!BeforeValue() || !Emit(std::to_string(v))) return false;
    if (open_.size() == 1 && key_[0] == "size") f_.size = v;
    return AfterScalar();
  }
  bool number_float(json::number_float_t v, const std::string&) {
    // The serializer's own rendering of a double: exactly what a re-dump writes.
    return BeforeValue() && Emit(json(v).dump()) && AfterScalar();
  }
  bool string(std::string& s) {
    if (!BeforeValue() || !EmitString(s)) return false;
    TakeString(s);
    return AfterScalar();
  }
  bool binary(json::binary_t&) { return false; }  // not produced by JSON text
  bool start_object(std::size_t) {
    if (!BeforeValue() || !Emit("{")) return false;
    if (open_.empty()) f_.object = true;
    if (open_.size() == 1 && key_[0] == "timestamp") f_.timestamp = EventFields::Timestamp::kObject;
    open_.push_back({/*object=*/true, /*first=*/true});
    key_.emplace_back();
    return true;
  }
  bool key(std::string& k) {
    Level& l = open_.back();
    if (!l.first && !Emit(",")) return false;
    // Canonical objects are std::maps: keys strictly increasing (so unique).
    if (!l.first && !(key_.back() < k)) return false;
    l.first = false;
    if (!EmitString(k) || !Emit(":")) return false;
    key_.back() = k;
    return true;
  }
  bool end_object() {
    if (!Emit("}")) return false;
    open_.pop_back();
    key_.pop_back();
    return AfterValue();
  }
  bool start_array(std::size_t) {
    if (open_.empty()) return false;  // an event is an object
    if (!BeforeValue() || !Emit("[")) return false;
    if (open_.size() == 1 && key_[0] == "timestamp") f_.timestamp = EventFields::Timestamp::kOther;
    open_.push_back({/*object=*/false, /*first=*/true});
    key_.emplace_back();
    return true;
  }
  bool end_array() {
    if (!Emit("]")) return false;
    open_.pop_back();
    key_.pop_back();
    return AfterValue();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  struct Level {
    bool object;
    bool first;
  };

  bool Emit(std::string_view canonical) {
    if (in_.compare(pos_, canonical.size(), canonical) != 0) return false;
    pos_ += canonical.size();
    return true;
  }
  // A string the serializer copies unchanged between quotes unless it holds
  // a quote, a backslash or a control character; those few go through the
  // serializer itself.
  bool EmitString(const std::string& s) {
    for (unsigned char c : s) {
      if (c < 0x20 || c == '"' || c == '\\') return Emit(EventLog::Canonical(json(s)));
    }
    return Emit("\"") && Emit(s) && Emit("\"");
  }
  bool BeforeValue() {
    if (open_.empty()) {
      if (pos_ != 0) return false;
    } else if (!open_.back().object) {
      if (!open_.back().first && !Emit(",")) return false;
      open_.back().first = false;
    }
    if (open_.size() == 1) value_start_ = pos_;
    return true;
  }
  bool AfterScalar() {
    if (open_.empty()) return false;  // an event is an object
    if (open_.size() == 1 && key_[0] == "timestamp") f_.timestamp = EventFields::Timestamp::kOther;
    return AfterValue();
  }
  // A value has ended; if it was a top-level member, note its bytes.
  bool AfterValue() {
    if (open_.size() != 1) return true;
    const std::string& k = key_[0];
    const std::string_view value = in_.substr(value_start_, pos_ - value_start_);
    if (k == "receipt") f_.receipt = signing::Sha256(value);
    if (k == "version") f_.version = signing::Sha256(value);
    if (k == "writes") f_.writes = std::string(value);
    return true;
  }
  void TakeString(const std::string& s) {
    if (open_.size() == 1) {
      const std::string& k = key_[0];
      if (k == "type") f_.type = s;
      if (k == "id") f_.id = s;
      if (k == "sha256") f_.sha256 = s;
      if (k == "media_type") f_.media_type = s;
    } else if (open_.size() == 2 && open_[1].object) {
      if (key_[0] == "receipt" && key_[1] == "received_at") f_.received_at = s;
      if (key_[0] == "timestamp" && key_[1] == "tsr") f_.tsr = s;
    }
  }

  std::string_view in_;
  size_t pos_ = 0;
  size_t value_start_ = 0;
  std::vector<Level> open_;       // the containers the parse is inside
  std::vector<std::string> key_;  // per open container: its last key
  EventFields f_;
};

std::optional<std::string> StringMember(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::optional<EventFields> ScanCanonicalEvent(std::string_view bytes) {
  CanonicalScanner scan(bytes);
  bool ok = false;
  try {
    ok = json::sax_parse(bytes.begin(), bytes.end(), &scan, json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false);
  } catch (const json::exception&) {
    ok = false;  // the SAX parser reports errors through parse_error; be safe
  }
  if (!ok || !scan.Finished() || !scan.fields().object) return std::nullopt;
  EventFields f = std::move(scan.fields());
  f.canonical = true;
  return f;
}

EventFields DecodeEvent(std::string_view bytes) {
  std::optional<EventFields> f = ScanCanonicalEvent(bytes);
  return f ? std::move(*f) : DecodeEventReference(bytes);
}

EventFields DecodeEventReference(std::string_view bytes) {
  EventFields f;
  const json e = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (e.is_discarded() || !e.is_object()) return f;
  f.object = true;
  f.canonical = EventLog::Canonical(e) == bytes;
  f.type = StringMember(e, "type");
  f.id = StringMember(e, "id");
  f.sha256 = StringMember(e, "sha256");
  f.media_type = StringMember(e, "media_type");
  if (auto it = e.find("size"); it != e.end() && it->is_number_unsigned()) {
    f.size = it->get<uint64_t>();
  }
  if (auto it = e.find("receipt"); it != e.end()) {
    f.receipt = signing::Sha256(EventLog::Canonical(*it));
    if (it->is_object()) f.received_at = StringMember(*it, "received_at");
  }
  if (auto it = e.find("version"); it != e.end()) {
    f.version = signing::Sha256(EventLog::Canonical(*it));
  }
  if (auto it = e.find("writes"); it != e.end()) f.writes = EventLog::Canonical(*it);
  if (auto it = e.find("timestamp"); it != e.end()) {
    if (it->is_object()) {
      f.timestamp = EventFields::Timestamp::kObject;
      f.tsr = StringMember(*it, "tsr");
    } else {
      f.timestamp = EventFields::Timestamp::kOther;
    }
  }
  return f;
}

}  // namespace archive
