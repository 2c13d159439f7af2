#include "compliance/document_events.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/event_types.h"

namespace compliance {

using base::Status;
using nlohmann::json;

namespace {

std::string StringMember(const json& e, const char* name) {
  const auto it = e.find(name);
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The document ids an event speaks of; orders maps each payment order to
// the documents it was drafted from or resumed with.
std::vector<std::string> DocumentsOf(const json& e, const std::string& type,
                                     std::map<std::string, std::set<std::string>>* orders) {
  std::vector<std::string> out;
  if (type.rfind(ledger::event::kDocumentPrefix, 0) == 0) {
    if (std::string id = StringMember(e, "id"); !id.empty()) out.push_back(std::move(id));
    if (const auto it = e.find("next_attempt"); it != e.end() && it->is_object()) {
      for (const auto& [id, _] : it->items()) out.push_back(id);
    }
    return out;
  }
  const std::string order = StringMember(e, "order");
  if (order.empty() || type.rfind("workflow.", 0) != 0) return out;
  if (std::string doc = StringMember(e, "document"); !doc.empty()) {
    (*orders)[order].insert(std::move(doc));
  }
  if (const auto it = orders->find(order); it != orders->end()) {
    out.assign(it->second.begin(), it->second.end());
  }
  return out;
}

// The members DocumentsOf reads, taken from an event's text without
// building it (the events of a 200 KB invoice carry its fields: parsing
// each whole was most of an export's time before its workers started).
// False for anything not plainly shaped (an escape in a string it reads, a
// value it cannot skip): then the event is parsed.
class EventHead {
 public:
  explicit EventHead(std::string_view s) : s_(s) {}
  std::string type, id, order, document;
  std::vector<std::string> next_attempt;
  bool Read() {
    if (!Ws() || s_[i_] != '{') return false;
    ++i_;
    if (Ws() && s_[i_] == '}') return ++i_, End();
    for (;;) {
      std::string_view key;
      if (!PlainString(&key) || !Ws() || s_[i_] != ':') return false;
      ++i_;
      if (!Member(key)) return false;
      if (!Ws()) return false;
      if (s_[i_] == '}') return ++i_, End();
      if (s_[i_] != ',') return false;
      ++i_;
    }
  }

 private:
  bool Member(std::string_view key) {
    std::string* target = key == "type" ? &type : key == "id" ? &id : key == "order" ? &order
                        : key == "document" ? &document : nullptr;
    if (!Ws()) return false;
    if (target != nullptr) {
      target->clear();  // the last member of a name counts, as in a parse
      if (s_[i_] != '"') return SkipValue();  // not a string: none
      std::string_view v;
      if (!PlainString(&v)) return false;
      target->assign(v);
      return true;
    }
    if (key != "next_attempt") return SkipValue();
    next_attempt.clear();
    if (s_[i_] != '{') return SkipValue();
    ++i_;
    if (Ws() && s_[i_] == '}') return ++i_, true;
    for (;;) {
      std::string_view k;
      if (!PlainString(&k) || !Ws() || s_[i_] != ':') return false;
      ++i_;
      if (!SkipValue() || !Ws()) return false;
      next_attempt.emplace_back(k);
      if (s_[i_] == '}') return ++i_, true;
      if (s_[i_] != ',') return false;
      ++i_;
    }
  }
  bool End() { return !Ws(); }
  bool Ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    return i_ < s_.size();
  }
  bool PlainString(std::string_view* out) {
    if (!Ws() || s_[i_] != '"') return false;
    const size_t end = s_.find_first_of("\"\\", i_ + 1);
    if (end == std::string_view::npos || s_[end] != '"') return false;
    *out = s_.substr(i_ + 1, end - i_ - 1);
    i_ = end + 1;
    return true;
  }
  bool SkipString() {  // at the opening quote
    for (size_t j = i_ + 1; (j = s_.find_first_of("\"\\", j)) != std::string_view::npos; j += 2) {
      if (s_[j] == '"') {
        i_ = j + 1;
        return true;
      }
    }
    return false;
  }
  bool SkipValue() {
    if (!Ws()) return false;
    if (s_[i_] == '"') return SkipString();
    if (s_[i_] == '{' || s_[i_] == '[') {
      std::string open;  // the brackets still open, to match each closing one
      while (i_ < s_.size()) {
        const char c = s_[i_];
        if (c == '"') {
          if (!SkipString()) return false;
          continue;
        }
        if (c == '{' || c == '[') open.push_back(c);
        if (c == '}' || c == ']') {
          if (open.empty() || open.back() != (c == '}' ? '{' : '[')) return false;
          open.pop_back();
          if (open.empty()) return ++i_, true;
        }
        ++i_;
      }
      return false;
    }
    const size_t start = i_;  // a number, true, false or null
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' ||
                              s_[i_] == '+' || s_[i_] == '.')) {
      ++i_;
    }
    return i_ > start;
  }
  std::string_view s_;
  size_t i_ = 0;
};

// DocumentsOf from an EventHead (the same rules).
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
    EventHead head(bytes);
    std::string type;
    std::vector<std::string> docs;
    if (head.Read()) {
      type = head.type;
      docs = DocumentsOfHead(head, &orders);
    } else {
      const json e = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
      if (!e.is_object()) {
        return Status::Corruption("イベント " + std::to_string(index) + " が JSON として読めません");
      }
      type = StringMember(e, "type");
      docs = DocumentsOf(e, type, &orders);
    }
    for (const std::string& id : docs) {
      if (!ids.empty() && !ids.contains(id)) continue;
      out[id].push_back(EventRef{index, type, std::string(bytes)});
    }
    return Status::OK();
  }));
  return out;
}

}  // namespace compliance
