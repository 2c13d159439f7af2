#include "compliance/document_events.h"

#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/event_types.h"

namespace compliance {

using base::Status;
using nlohmann::json;

namespace {

// The members that say which documents an event speaks of, taken from an event's text by
// nlohmann::json's SAX parser without building it (the events of a 200 KB
// invoice carry its fields: building each whole was most of an export's
// time before its workers started). Events are canonical JSON, their
// members in byte order (ledger/event_log.h), and "type" is the last one
// read here: the parse stops at the first top-level name after it, before
// the version's fields that make up most of a receipt's bytes (the rest
// of the text is not checked here; `kura verify` checks that every event
// is canonical JSON). Read() is false for text that does not begin as a
// JSON object.
class EventHead : public json::json_sax_t {
 public:
  std::string type, id, order, document;
  std::vector<std::string> next_attempt;
  bool Read(std::string_view text) {
    const bool parsed = json::sax_parse(text.begin(), text.end(), this);
    return (parsed || past_type_) && object_;
  }

  bool start_object(std::size_t) override {
    object_ = object_ || depth_ == 0;
    in_attempts_ = depth_ == 1 && key_ == "next_attempt";
    if (in_attempts_) next_attempt.clear();
    ++depth_;
    return true;
  }
  bool end_object() override {
    --depth_;
    if (depth_ == 1) in_attempts_ = false;
    return true;
  }
  bool start_array(std::size_t) override { return ++depth_ > 1; }
  bool end_array() override { return --depth_, true; }
  bool key(string_t& k) override {
    if (depth_ == 2 && in_attempts_) next_attempt.push_back(k);
    if (depth_ != 1) return true;
    if (k > "type") {  // nothing after this name is read: stop the parse
      past_type_ = true;
      return false;
    }
    key_ = k;
    if (std::string* t = Target()) t->clear();  // the last member of a name counts
    return true;
  }
  bool string(string_t& v) override {
    if (depth_ == 1) {
      if (std::string* t = Target()) *t = std::move(v);
    }
    return true;
  }
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  std::string* Target() {
    return key_ == "type" ? &type : key_ == "id" ? &id : key_ == "order" ? &order
         : key_ == "document" ? &document : nullptr;
  }
  std::string key_;
  int depth_ = 0;
  bool object_ = false, in_attempts_ = false, past_type_ = false;
};

// The document ids an event speaks of; orders maps each payment order to
// the documents it was drafted from or resumed with.
std::vector<std::string> DocumentsOfHead(EventHead& h,
                                         std::map<std::string, std::set<std::string>>* orders) {
  std::vector<std::string> out;
  if (h.type.rfind(ledger::event::kDocumentPrefix, 0) == 0) {
    if (!h.id.empty()) out.push_back(std::move(h.id));
    // In key order, each once, as a parsed object gives them.
    std::sort(h.next_attempt.begin(), h.next_attempt.end());
    h.next_attempt.erase(std::unique(h.next_attempt.begin(), h.next_attempt.end()),
                         h.next_attempt.end());
    for (std::string& id : h.next_attempt) out.push_back(std::move(id));
    return out;
  }
  if (h.order.empty() || h.type.rfind("workflow.", 0) != 0) return out;
  if (!h.document.empty()) (*orders)[h.order].insert(std::move(h.document));
  if (const auto it = orders->find(h.order); it != orders->end()) {
    out.assign(it->second.begin(), it->second.end());
  }
  return out;
}

}  // namespace

base::Result<std::map<std::string, std::vector<EventRef>>> CollectDocumentEvents(
    const ledger::Ledger& ledger, const std::set<std::string>& ids) {
  std::map<std::string, std::vector<EventRef>> out;
  std::map<std::string, std::set<std::string>> orders;
  RETURN_IF_ERROR(ledger.ForEachEvent(0, [&](uint64_t index, std::string_view bytes) -> Status {
    EventHead head;
    if (!head.Read(bytes)) {
      return Status::Corruption("イベント " + std::to_string(index) + " が JSON として読めません");
    }
    const std::string type = head.type;
    const std::vector<std::string> docs = DocumentsOfHead(head, &orders);
    for (const std::string& id : docs) {
      if (!ids.empty() && !ids.contains(id)) continue;
      out[id].push_back(EventRef{index, type, std::string(bytes)});
    }
    return Status::OK();
  }));
  return out;
}

}  // namespace compliance
