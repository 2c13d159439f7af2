// Where a received document stands for the person looking at it: its
// payment order, what that person may do with it (enter or correct its
// keys, draft its order — decided here, so the screens only show or hide
// buttons), and its history as one list — receipts, corrections with what
// they changed, the time-stamp and the payment order's steps — each entry
// one event of the log (document.received, document.corrected, ...,
// workflow.order.*), told from the records that those events wrote.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_DOCUMENT_STANDING_H_
#define WORKFLOW_DOCUMENT_STANDING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/result.h"
#include "base/time.h"
#include "workflow/duplicates.h"
#include "workflow/input_deadline.h"
#include "workflow/payment_order.h"

namespace workflow {

/// The states a document list can be narrowed to: "received" (no live
/// payment order: unprocessed, or its order was withdrawn) and the states
/// of its order but "withdrawn".
inline constexpr std::string_view kDocumentStates[] = {
    "received", "draft", "pending_approval", "accounting_review", "accepted", "paid"};
/// OK for "" and kDocumentStates; InvalidArgument ("state: …") otherwise.
base::Status CheckDocumentState(std::string_view state);

struct DocumentStanding {
  /// "received", or the StateName of its live order.
  std::string state = "received";
  /// The live order (paid ones included; a withdrawn one is not).
  std::optional<PaymentOrder> order;
  /// The viewer may enter or correct the document's keys now: access.h's
  /// MayCorrectDocument, and no order under way (submitted, in approval,
  /// 会計審査 or accepted). correct_refusal says why not (Japanese).
  bool may_correct = false;
  std::string correct_refusal;
  /// The viewer may draft its payment order now: a clerk of the receiving
  /// department (MayDraftFrom), no order yet, and a total an order can pay.
  /// draft_refusal says why not when the viewer is such a clerk.
  bool may_draft = false;
  std::string draft_refusal;
  /// A scan's input deadline (スキャナ保存); none for other documents.
  std::optional<InputDeadlineView> input_deadline;
  /// The same invoice received by another channel (workflow/duplicates.h),
  /// each with its live order. A document whose duplicate has a live order
  /// may not be drafted (二重払いの防止).
  std::vector<DuplicateMatch> duplicates;
};
/// {"state", "order": {"id", "state", "version", "drafter"} | null,
///  "may_correct", "correct_refusal", "may_draft_order", "draft_refusal",
///  "input_deadline": {...} | null, "duplicates": [...]}
nlohmann::json ToJson(const DocumentStanding& s);

/// One entry of a document's history.
struct DocumentEvent {
  base::Time at;
  std::string actor;  ///< login, "demo", "token:…", "cli:…"; "" for the TSA
  /// "received", "received_again", "corrected", "timestamped",
  /// "order.<action>" (order.draft, order.submit, order.approve, ...).
  std::string kind;
  std::string source;     ///< receipts: "upload", "peppol", "scan", ...
  std::string file_name;  ///< receipts
  std::string reason;     ///< corrections, order returns and comments
  uint32_t version = 0;   ///< corrections: the version they made
  std::string order_id;   ///< order.*
  std::string from, to;   ///< order.*: StateName before and after
  /// corrections: {field: {"from": value, "to": value}} of the invoice
  /// fields (invoice/fields_json.h) that changed.
  nlohmann::json changes;
};

/// The history of document, oldest first (ties in the order above):
/// each receipt, each version after the first (with the fields it changed),
/// the time-stamp when granted, and the steps of order (if any).
std::vector<DocumentEvent> DocumentHistory(const archive::DocumentView& document,
                                           const archive::TimestampStatus& timestamp,
                                           const std::optional<PaymentOrder>& order);
/// [{"at", "actor", "kind", ...}] with only the members an entry has.
nlohmann::json ToJson(const std::vector<DocumentEvent>& history);

/// A search's item with what the list of invoices shows beside it.
struct DocumentListItem {
  archive::SearchItem item;
  std::string state;     ///< as DocumentStanding::state
  std::string order_id;  ///< "" without a live order
  std::string media_type;
  std::string source;  ///< of the first receipt: "upload", "scan", "peppol", ...
};
struct DocumentList {
  uint64_t count = 0;
  std::vector<DocumentListItem> items;
  std::optional<std::string> next;
};
/// archive::ToJson of the search result, each item with "state",
/// "order_id", "media_type" and "source" added.
nlohmann::json ToJson(const DocumentList& list);

}  // namespace workflow

#endif  // WORKFLOW_DOCUMENT_STANDING_H_
