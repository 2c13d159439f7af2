#include "compliance/document_events.h"

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

}  // namespace

base::Result<std::map<std::string, std::vector<EventRef>>> CollectDocumentEvents(
    const ledger::Ledger& ledger, const std::set<std::string>& ids) {
  std::map<std::string, std::vector<EventRef>> out;
  std::map<std::string, std::set<std::string>> orders;
  RETURN_IF_ERROR(ledger.ForEachEvent(0, [&](uint64_t index, std::string_view bytes) -> Status {
    const json e = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (!e.is_object()) {
      return Status::Corruption("イベント " + std::to_string(index) + " が JSON として読めません");
    }
    const std::string type = StringMember(e, "type");
    for (const std::string& id : DocumentsOf(e, type, &orders)) {
      if (!ids.empty() && !ids.contains(id)) continue;
      out[id].push_back(EventRef{index, type, std::string(bytes)});
    }
    return Status::OK();
  }));
  return out;
}

}  // namespace compliance
