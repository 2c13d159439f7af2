#include "invoice/internal/warning_list.h"

#include <utility>

namespace invoice::internal {

void WarningList::Add(std::string_view code, std::string message) {
  if (items_.size() >= kMaxWarnings) return;
  for (const Warning& w : items_) {
    if (w.code == code && w.message == message) return;
  }
  items_.push_back(Warning{std::string(code), std::move(message)});
}

void WarningList::Append(const std::vector<Warning>& others) {
  for (const Warning& w : others) Add(w.code, w.message);
}

bool WarningList::Has(std::string_view code) const {
  for (const Warning& w : items_) {
    if (w.code == code) return true;
  }
  return false;
}

}  // namespace invoice::internal
