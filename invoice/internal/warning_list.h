// WarningList collects the warnings of one read, in order, without
// duplicates, and with a cap so that a hostile document cannot make the list
// itself large.
//
// Thread safety: none; one per read.
#ifndef INVOICE_INTERNAL_WARNING_LIST_H_
#define INVOICE_INTERNAL_WARNING_LIST_H_

#include <string>
#include <string_view>
#include <vector>

#include "invoice/invoice_reader.h"

namespace invoice::internal {

class WarningList {
 public:
  static constexpr size_t kMaxWarnings = 64;

  /// Adds a warning unless an identical one is already there or the list is
  /// full.
  void Add(std::string_view code, std::string message);
  /// Appends the warnings of another list (same rules as Add).
  void Append(const std::vector<Warning>& others);

  bool Has(std::string_view code) const;
  const std::vector<Warning>& items() const { return items_; }
  std::vector<Warning> Take() { return std::move(items_); }

 private:
  std::vector<Warning> items_;
};

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_WARNING_LIST_H_
