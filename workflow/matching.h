// Automatic matching (自動照合) of a received invoice against the commitment
// it is paid from and the vendor master: one result per field, ○ match,
// × mismatch or "missing" (the invoice does not state it), with both values
// so that a person can judge. Most × in practice are spelling differences
// of addresses and names, which a person confirms with a comment before
// submitting (see state_machine.h).
//
// Fields checked, in this order:
//   vendor        registration number (T + 13 digits) if both sides have one,
//                 else base::NormalizeName of the names
//   amount        the invoice total against the commitment's remaining balance
//   tax           per rate: tax = taxable × rate / 100 rounded once per rate;
//                 the rounding direction is the issuer's choice (切り捨て,
//                 四捨五入 or 切り上げ), so any of the three matches
//   invoice_date  issue date within the contract period
//   department    the receiving department against the commitment's
//   bank_account  payee account against the vendor master (a changed
//                 account is the classic fraud signal)
//   address       supplier address, compared after NormalizeAddress
//
// Thread safety: pure functions.
#ifndef WORKFLOW_MATCHING_H_
#define WORKFLOW_MATCHING_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/money.h"
#include "base/result.h"
#include "invoice/invoice_fields.h"
#include "workflow/commitment.h"
#include "workflow/organization.h"

namespace workflow {

enum class MatchStatus { kMatch, kMismatch, kMissing };
/// "match", "mismatch", "missing".
std::string_view MatchStatusName(MatchStatus s);
base::Result<MatchStatus> ParseMatchStatus(std::string_view s);

struct FieldMatch {
  std::string field;  ///< "vendor", "amount", "tax", ...
  MatchStatus status = MatchStatus::kMissing;
  std::string invoice_value;   ///< as the invoice states it ("" if missing)
  std::string expected_value;  ///< from the commitment or vendor master
};

/// What the matcher compares the invoice with.
struct MatchInput {
  /// The document's current fields (its supplier_address, when a
  /// correction set one, is compared with the vendor's address).
  invoice::InvoiceFields fields;
  /// Department code of the document's first receipt.
  std::string receipt_department;
  Commitment commitment;
  Vendor vendor;
  /// What the commitment still holds for this order (its remaining balance
  /// not counting the order itself).
  base::Decimal available;
};

/// The per-field results, in the order listed above. Never fails: an
/// unreadable invoice value is "missing".
std::vector<FieldMatch> MatchInvoice(const MatchInput& input);

/// True if vendor is the invoice's vendor as the "vendor" field above
/// decides it (its row would be ○): the registration numbers agree when
/// both have one, else the normalised names.
bool SameVendor(const invoice::InvoiceFields& fields, const Vendor& vendor);

/// A comparison key for Japanese addresses: NFKC with case folding (全角/半角),
/// no spaces, kanji numerals of block numbers as digits (三丁目 → 3-), and
/// 丁目/番地/番/号/の between numbers as hyphens, trailing ones removed, every
/// dash-like character (－ − ‐ ― ー between digits) as "-". Place-name
/// numerals (三鷹市, 八王子市) are kept. So "栄町三丁目2番8号",
/// "栄町３－２－８" and "栄町 3-2-8" all give "栄町3-2-8".
std::string NormalizeAddress(std::string_view utf8);

/// {"field","status","invoice_value","expected_value"}.
nlohmann::json ToJson(const FieldMatch& m);
base::Result<FieldMatch> FieldMatchFromJson(const nlohmann::json& j);
/// [ToJson(m)...]
nlohmann::json ToJson(const std::vector<FieldMatch>& matches);

}  // namespace workflow

#endif  // WORKFLOW_MATCHING_H_
