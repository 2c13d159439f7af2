// Payment orders (支出命令): the request to pay an invoice from a commitment,
// with everything that happened to it. The states and the rules for moving
// between them are in state_machine.h; this header holds the record.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_PAYMENT_ORDER_H_
#define WORKFLOW_PAYMENT_ORDER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/money.h"
#include "base/result.h"
#include "base/time.h"
#include "workflow/deadlines.h"
#include "workflow/matching.h"

namespace workflow {

enum class OrderState {
  kDraft,             ///< with the drafter (new, or returned)
  kPendingApproval,   ///< waiting for route step `step`
  kAccountingReview,  ///< 会計審査 by the accounting office
  kAccepted,          ///< accepted for payment
  kPaid,              ///< paid (final)
  kWithdrawn,         ///< withdrawn by the drafter (final)
};
/// "draft", "pending_approval", "accounting_review", "accepted", "paid",
/// "withdrawn".
std::string_view StateName(OrderState s);
base::Result<OrderState> ParseState(std::string_view s);
/// "起票中", "決裁待ち", "会計審査中", "支払待ち", "支払済", "取下げ済": for
/// messages.
std::string StateLabel(OrderState s);
/// True for paid and withdrawn.
bool IsFinal(OrderState s);

enum class Action {
  kSubmit,    ///< draft → approval (起票者の課の会計担当)
  kApprove,   ///< one route step (決裁)
  kReturn,    ///< 差戻し to the drafter, with a reason
  kWithdraw,  ///< 取下げ by the drafter, before acceptance
  kAccept,    ///< 会計審査 passed
  kPay,       ///< 支払
  kResume,    ///< the corrected invoice arrived: restart the payment clock
  /// 会計室: pay although the invoice's vendor does not match the
  /// commitment's (registration number, else name), with a reason.
  kOverrideVendor,
  /// 会計室: the invoice's bank account, which differs from the vendor
  /// master's, is the vendor's new account: the master is updated.
  kConfirmBankAccount,
};
/// "submit", "approve", "return", "withdraw", "accept", "pay", "resume",
/// "override_vendor", "confirm_bank_account".
std::string_view ActionName(Action a);
/// InvalidArgument for an unknown action.
base::Result<Action> ParseAction(std::string_view s);

/// The items of 会計審査 the accounting office confirms before accepting.
inline constexpr std::array<std::string_view, 7> kChecklistItems = {
    "fiscal_year",              ///< 会計年度
    "budget_line",              ///< 予算科目
    "legitimate_creditor",      ///< 正当債権者
    "amount",                   ///< 金額
    "delivery_done",            ///< 履行確認（検収）
    "debt_fixed",               ///< 債務確定
    "payment_method_and_date",  ///< 支払方法・支払日
};

struct ChecklistAnswer {
  std::string item;  ///< one of kChecklistItems
  bool confirmed = false;
  std::string note;
};

/// A person's confirmation of a × field ("住所の表記違い、同一と確認"): by
/// the clerk on submit, or by the accounting office for the fields only it
/// may settle (kAccountingFields). It holds the two values that were
/// confirmed and covers the × only while the match still shows exactly
/// these (Covers): a correction of the invoice or a change of the vendor
/// master makes a new × that needs a new confirmation.
struct Acknowledgement {
  std::string field;
  std::string comment;
  std::string by;
  base::Time at;
  std::string invoice_value;   ///< the match's values when confirmed
  std::string expected_value;  ///< (empty in records of an older kura: cover nothing)

  bool Covers(const FieldMatch& m) const;
};

/// The × fields that a clerk cannot acknowledge: the vendor (only the
/// accounting office may override it, action override_vendor), the bank
/// account (only the accounting office may confirm a new one, which
/// updates the vendor master: confirm_bank_account) and the department
/// (an order is drafted only from an invoice its own department received;
/// nobody acknowledges that ×).
inline constexpr std::array<std::string_view, 3> kAccountingFields = {"vendor", "bank_account",
                                                                      "department"};
/// True if field is one of kAccountingFields.
bool IsAccountingField(std::string_view field);

struct RouteStep {
  std::string title;        ///< 課長, 部長, 副市長
  std::string approved_by;  ///< login, empty until approved in this round
  std::optional<base::Time> approved_at;
  /// 代決: the step's title when approved_by stood in for its holder (a
  /// 部長 for an absent 課長); empty otherwise.
  std::string substitute_for;
};

/// One transition, as recorded.
struct HistoryEntry {
  std::string action;  ///< ActionName, or "draft" for the creation
  std::string actor;
  base::Time at;
  std::string from;  ///< StateName; "" for the creation
  std::string to;
  std::string comment;
  bool defect = false;  ///< a return for a defect of the invoice
  int round = 0;        ///< submission round (1 = first submission)
  std::string step;     ///< the route step's title for approve/return in approval
  /// 代決: the step's title when the actor stood in for its holder.
  std::string substitute_for;
};

struct PaymentOrder {
  std::string id;  ///< "P2026-0001"
  /// Starts at 1; each transition adds 1. An action names the version it
  /// was decided on (optimistic concurrency).
  uint32_t version = 1;
  OrderState state = OrderState::kDraft;

  // What is paid, filled from the invoice and the commitment.
  std::string document_id;  ///< the invoice (archive id)
  /// Corrected invoices received after defect returns, in order.
  std::vector<std::string> corrected_documents;
  std::string commitment_id;
  std::string department;
  std::string vendor_id;
  std::string counterparty;  ///< as the invoice names it
  std::string budget_line;
  std::string expense_type;
  /// 会計年度 the order is paid from; explicit, because in 出納整理期間
  /// (April–May) orders of the previous year are still paid.
  int fiscal_year = 0;
  base::Decimal amount;
  std::string currency = "JPY";
  std::string invoice_number;
  std::string issue_date;
  std::string bank_account;  ///< the payee account of the vendor master

  std::string drafter;
  base::Time created_at;

  std::vector<RouteStep> route;
  size_t step = 0;  ///< index of the route step waiting, in pending_approval
  int round = 0;    ///< submissions so far

  std::vector<FieldMatch> match;
  std::vector<Acknowledgement> acknowledgements;
  std::vector<ChecklistAnswer> checklist;  ///< the latest 会計審査 answers
  std::string accepted_by;
  std::string paid_by;
  std::string last_return_reason;

  PaymentClock clock;
  std::vector<HistoryEntry> history;

  /// True if field is a × of `match` that no acknowledgement covers.
  bool NeedsAcknowledgement(std::string_view field) const;
  /// The × fields the clerk must acknowledge before submitting: those
  /// without an acknowledgement, other than kAccountingFields.
  std::vector<std::string> UnacknowledgedMismatches() const;
  /// The × of kAccountingFields not yet settled by the accounting office:
  /// until it is empty the order is not accepted or paid.
  std::vector<std::string> AccountingRequired() const;
  /// The match row of field, or null.
  const FieldMatch* MatchOf(std::string_view field) const;
  /// True if login approved this order in any round.
  bool ApprovedBy(std::string_view login) const;
};

/// The order with its match, route, checklist, clock (with due date) and
/// history; amounts as decimal strings; "unacknowledged" and
/// "accounting_required" derived from the match.
nlohmann::json ToJson(const PaymentOrder& o);
/// The inverse of ToJson; Corruption for a malformed record.
base::Result<PaymentOrder> PaymentOrderFromJson(const nlohmann::json& j);

}  // namespace workflow

#endif  // WORKFLOW_PAYMENT_ORDER_H_
