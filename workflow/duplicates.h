// Duplicates across channels (issue 15): a paper scan of an invoice that
// also arrived electronically (or the reverse) must never be paid twice.
// Two documents are the same invoice when one is a scan and the other not,
// and either
//   - the same registration number (登録番号) and invoice number, or
//   - the same vendor (the same registration number when both state one,
//     else the same normalised name), the same 取引年月日 and the same total.
// A scan is compared once its keys are entered or confirmed (a correction
// version); until then it has nothing to compare. The flag is derived from
// the current versions each time it is read, so it shows on both documents
// at once and follows every correction; nothing is stored.
//
// Thread safety: pure functions over the caller's read transaction.
#ifndef WORKFLOW_DUPLICATES_H_
#define WORKFLOW_DUPLICATES_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/result.h"
#include "storage/lmdb_env.h"

namespace workflow {

struct DuplicateMatch {
  std::string id;  ///< the other document
  /// "registration_and_invoice_number" or "vendor_date_total".
  std::string rule;
  std::string channel;  ///< the other's: "scan" or "electronic"
  /// Filled by the caller that knows orders: the other's live order, if any.
  std::string order_id;
  std::string order_state;
};

/// The documents that are the same invoice as document by another channel,
/// by id; empty when its keys do not allow a comparison.
base::Result<std::vector<DuplicateMatch>> FindCrossChannelDuplicates(
    const archive::Archive& archive, const storage::ReadTxn& txn,
    const archive::DocumentView& document);

/// [{"id", "rule", "channel", "order_id", "order_state", "message"}], message
/// in Japanese (二重払いの注意).
nlohmann::json ToJson(const std::vector<DuplicateMatch>& matches);

}  // namespace workflow

#endif  // WORKFLOW_DUPLICATES_H_
