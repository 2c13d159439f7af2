// Proposals for an invoice's search keys from what OCR read on its pages:
// 取引年月日 (issue date; Western, 和暦 and slashed dates), 合計金額 (total
// with taxes; ¥/円/金/－ around it, full-width digits, commas read as dots),
// 取引先 (counterparty; the vendor master confirms it), 登録番号 (T + 13
// digits, only with a valid check digit), 請求書番号 and the amounts per tax
// rate (10%, 8% 軽減税率). Each proposal carries a confidence in [0, 1] and
// the region of the page it was read from.
//
// Proposals are suggestions for a person to confirm in 項目入力: a field
// not found is absent, never guessed. Pure functions; thread-safe.
#ifndef OCR_PROPOSE_H_
#define OCR_PROPOSE_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ocr/engine.h"

namespace ocr {

/// A vendor of the city's vendor master, for confirming the counterparty.
struct KnownVendor {
  std::string id;
  std::string name;
  std::string registration_number;  ///< "T" + 13 digits, or empty
};

struct ProposedValue {
  std::string value;
  double confidence = 0;  ///< 0..1
  Box box;                ///< where it was read
};

struct ProposedTax {
  int rate = 10;  ///< percent
  bool reduced = false;
  std::string taxable;  ///< decimal, e.g. "12000"
  std::string tax;      ///< decimal, e.g. "1200"
  double confidence = 0;
  Box box;
};

struct Proposal {
  std::optional<ProposedValue> issue_date;  ///< "YYYY-MM-DD"
  std::optional<ProposedValue> total;       ///< decimal, taxes included
  std::optional<ProposedValue> counterparty;
  /// The vendor master's id when a known vendor confirmed the counterparty.
  std::string counterparty_vendor_id;
  std::optional<ProposedValue> registration_number;  ///< "T" + 13 digits
  std::optional<ProposedValue> invoice_number;
  std::vector<ProposedTax> tax_subtotals;  ///< standard rate first
};

/// Proposes the fields from the pages' text.
Proposal Propose(const std::vector<PageText>& pages, const std::vector<KnownVendor>& vendors);

/// {"issue_date": "2025-04-01", "total": "110000", "counterparty": …,
///  "registration_number": "T…", "invoice_number": …, "tax_subtotals":
///  [{"rate": 10, "reduced": false, "taxable": "100000", "tax": "10000"}]}
/// with null for a field not proposed.
nlohmann::json ProposalValuesJson(const Proposal& p);
/// {"issue_date": 0.93, …, "tax_subtotals": 0.9}: the proposed fields only.
nlohmann::json ProposalConfidenceJson(const Proposal& p);
/// {"issue_date": {"page": 1, "x": …, "y": …, "w": …, "h": …}, …,
///  "tax_subtotals": [{…}]}: where each proposed field was read.
nlohmann::json ProposalRegionsJson(const Proposal& p);
/// The inverse of the three above together (for stored proposals);
/// fields that are missing or malformed are absent.
Proposal ProposalFromJson(const nlohmann::json& values, const nlohmann::json& confidence,
                          const nlohmann::json& regions);

namespace internal {
/// Exposed for the unit tests: text (NFKC, spaces removed) → value.
std::optional<std::string> ParseDate(const std::string& compact_nfkc);
std::optional<std::string> ParseAmount(const std::string& digits_with_separators);
std::string Nfkc(const std::string& utf8);
}  // namespace internal

}  // namespace ocr

#endif  // OCR_PROPOSE_H_
