#include "archive/internal/event_fields.h"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/document.h"
#include "archive/search_index.h"
#include "invoice/fields_json.h"
#include "ledger/event_log.h"

namespace archive {

using nlohmann::json;

namespace {

// Scans an event with nlohmann's SAX parser, comparing every token with the
// bytes ledger::EventLog::Canonical writes for it at the same place. It gives up
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
  bool null() {
    if (!BeforeValue() || !Emit("null")) return false;
    TakeRowField(nullptr);
    return AfterScalar();
  }
  bool boolean(bool v) {
    if (!BeforeValue() || !Emit(v ? "true" : "false")) return false;
    TakeRowField(v);
    return AfterScalar();
  }
  bool number_integer(json::number_integer_t v) {
    if (!BeforeValue() || !Emit(std::to_string(v))) return false;
    TakeRowField(nullptr);
    return AfterScalar();
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (!BeforeValue() || !Emit(std::to_string(v))) return false;
    if (open_.size() == 1 && key_[0] == "size") f_.size = v;
    if (InVersion() && key_[1] == "number") f_.version_number = v;
    TakeRowField(nullptr);
    return AfterScalar();
  }
  bool number_float(json::number_float_t v, const std::string&) {
    // The serializer's own rendering of a double: exactly what a re-dump writes.
    if (!BeforeValue() || !Emit(json(v).dump())) return false;
    TakeRowField(nullptr);
    return AfterScalar();
  }
  bool string(std::string& s) {
    if (!BeforeValue() || !EmitString(s)) return false;
    TakeString(s);
    if (InRowFields(4) && !open_[3].object && RowField()) {
      (*f_.row_fields)[key_[2]].push_back(s);  // a string in an array field
    }
    TakeRowField(s);
    return AfterScalar();
  }
  bool binary(json::binary_t&) { return false; }  // not produced by JSON text
  bool start_object(std::size_t) {
    if (!BeforeValue() || !Emit("{")) return false;
    if (open_.empty()) f_.object = true;
    if (open_.size() == 1 && key_[0] == "timestamp") f_.timestamp = EventFields::Timestamp::kObject;
    // Keys are sorted: "search_row", if present, has been seen by now.
    if (InVersion() && key_[1] == "fields" && !has_search_row_) f_.row_fields = json::object();
    TakeRowField(nullptr);
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
    if (open_.size() == 1 && k == "search_row") has_search_row_ = true;
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
    TakeRowField(json::array());
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
      if (c < 0x20 || c == '"' || c == '\\') return Emit(ledger::EventLog::Canonical(json(s)));
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
      if (k == "search_row") f_.search_row = s;
    } else if (open_.size() == 2 && open_[1].object) {
      if (key_[0] == "receipt") {
        if (key_[1] == "received_at") f_.received_at = s;
        if (key_[1] == "department") f_.department = s;
        if (key_[1] == "file_name") f_.file_name = s;
      }
      if (key_[0] == "timestamp" && key_[1] == "tsr") f_.tsr = s;
    }
  }
  // Directly inside the top-level "version" object.
  bool InVersion() const {
    return open_.size() == 2 && open_[1].object && key_[0] == "version";
  }
  // At the given depth inside version.fields (3: its members' values; 4:
  // the elements of an array member).
  bool InRowFields(size_t depth) const {
    return open_.size() == depth && open_[1].object && open_[2].object &&
           key_[0] == "version" && key_[1] == "fields";
  }
  // The member of version.fields being read is one the search row uses.
  bool RowField() const {
    return f_.row_fields &&
           std::any_of(std::begin(kSearchRowFields), std::end(kSearchRowFields),
                       [&](invoice::Field f) { return invoice::FieldName(f) == key_[2]; });
  }
  // A member value of version.fields: strings and booleans are kept, an
  // array starts empty (its strings are added), anything else is null.
  void TakeRowField(json value) {
    if (!InRowFields(3) || !RowField()) return;
    if (!value.is_string() && !value.is_boolean() && !value.is_array()) value = nullptr;
    (*f_.row_fields)[key_[2]] = std::move(value);
  }

  std::string_view in_;
  size_t pos_ = 0;
  size_t value_start_ = 0;
  bool has_search_row_ = false;  // the event has a top-level "search_row"
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
  f.canonical = ledger::EventLog::Canonical(e) == bytes;
  f.type = StringMember(e, "type");
  f.id = StringMember(e, "id");
  f.sha256 = StringMember(e, "sha256");
  f.media_type = StringMember(e, "media_type");
  f.search_row = StringMember(e, "search_row");
  if (auto it = e.find("size"); it != e.end() && it->is_number_unsigned()) {
    f.size = it->get<uint64_t>();
  }
  if (auto it = e.find("receipt"); it != e.end()) {
    f.receipt = signing::Sha256(ledger::EventLog::Canonical(*it));
    if (it->is_object()) {
      f.received_at = StringMember(*it, "received_at");
      f.department = StringMember(*it, "department");
      f.file_name = StringMember(*it, "file_name");
    }
  }
  if (auto it = e.find("version"); it != e.end()) {
    f.version = signing::Sha256(ledger::EventLog::Canonical(*it));
    if (it->is_object()) {
      if (auto n = it->find("number"); n != it->end() && n->is_number_unsigned()) {
        f.version_number = n->get<uint64_t>();
      }
      if (auto fields = it->find("fields");
          !e.contains("search_row") && fields != it->end() && fields->is_object()) {
        json row = json::object();
        for (invoice::Field field : kSearchRowFields) {
          const std::string name(invoice::FieldName(field));
          auto m = fields->find(name);
          if (m == fields->end()) continue;
          json v = nullptr;
          if (m->is_string() || m->is_boolean()) v = *m;
          if (m->is_array()) {
            v = json::array();
            for (const json& x : *m) {
              if (x.is_string()) v.push_back(x);
            }
          }
          row[name] = std::move(v);
        }
        f.row_fields = std::move(row);
      }
    }
  }
  if (auto it = e.find("writes"); it != e.end()) f.writes = ledger::EventLog::Canonical(*it);
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

// The digest of the s_rows record the search index must hold for this
// version of document seq, from what the log says: the digest the event
// carries, or (events written before they carried it) the row derived from
// the version's fields and the first receipt.
std::optional<signing::Digest> ImpliedSearchRow(uint64_t seq, const base::Time& received_at,
                                                const std::string& department,
                                                const std::string& file_name,
                                                const EventFields& f) {
  if (f.search_row) {
    auto d = signing::Digest::FromHex(*f.search_row);
    return d.ok() ? std::optional<signing::Digest>(*d) : std::nullopt;
  }
  if (!f.version_number || *f.version_number > UINT32_MAX) return std::nullopt;
  Document doc;
  doc.seq = seq;
  Receipt first;
  first.received_at = received_at;
  first.department = department;
  first.file_name = file_name;
  // Only events older than "search_row" get here, so the codec costs verify
  // nothing on a current log. Fields kura never wrote (not an object, a
  // member of the wrong type) give no row.
  if (!f.row_fields) return std::nullopt;
  auto fields = invoice::FieldsFromJson(*f.row_fields);
  if (!fields.ok()) return std::nullopt;
  Version v;
  v.number = static_cast<uint32_t>(*f.version_number);
  v.fields = std::move(*fields);
  return SearchRowDigest(SearchRowFor(doc, first, v));
}

}  // namespace archive
