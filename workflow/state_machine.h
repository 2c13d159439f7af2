// The payment order's state machine: ONE table of transitions, each with
// the guards that must all pass. Handlers never test states or roles
// themselves; they call Decide, then Apply.
//
//   action    from               to                 guards
//   submit    draft              pending_approval   clerk of the order's department;
//                                                   acknowledges no kAccountingFields
//                                                   (vendor, bank_account, department);
//                                                   the other × fields acknowledged; within
//                                                   the commitment's balance; clock running
//   approve   pending_approval   pending_approval   (not the last step) current step's
//   approve   pending_approval   accounting_review  (last step) approver: the step's title
//                                                   or a substitute for it (代決,
//                                                   RouteConfig::substitutes), of the
//                                                   order's department unless the actor's
//                                                   title is an any-department one (副市長);
//                                                   not the drafter; not approved in this
//                                                   round already
//   return    pending_approval   draft              current step's approver (or substitute);
//                                                   not the drafter; a reason
//   return    accounting_review  draft              accountant; not the drafter; not an
//                                                   approver of the order; a reason
//   withdraw  draft | pending_approval | accounting_review → withdrawn   the drafter
//   accept    accounting_review  accepted           accountant; not the drafter; not an
//                                                   approver of the order; vendor, bank
//                                                   account and department settled; every
//                                                   会計審査 item confirmed
//   pay       accepted           paid               accountant; not the drafter; vendor,
//                                                   bank account and department settled;
//                                                   the order's fiscal year is payable today
//                                                   (this year, or last year in 出納整理期間)
//   resume    draft              draft              clerk of the department; the clock
//                                                   stopped by a defect return
//   override_vendor       accounting_review | accepted → the same state
//                                                   accountant; not the drafter; not an
//                                                   approver; the vendor is an unsettled ×
//                                                   (else 409); a reason
//   confirm_bank_account  accounting_review | accepted → the same state
//                                                   accountant; not the drafter; not an
//                                                   approver; the bank account is an
//                                                   unsettled × (else 409); a reason; the
//                                                   vendor settled. Workflow::Act updates
//                                                   the vendor master to the invoice's
//                                                   account in the same transaction.
//
// "Settled": the × is covered by an acknowledgement of exactly the values
// the match shows now (Acknowledgement::Covers) — override_vendor's, or
// confirm_bank_account's — or the field is no longer ×. The match is the
// current one: Workflow recomputes it before every decision.
//
// Errors of Decide, which the web layer maps to HTTP statuses:
//   Aborted            stale version, or no transition for this action in this
//                      state, or resume of a clock that is not stopped (409)
//   PermissionDenied   a role, department or four-eyes guard, or a clerk
//                      acknowledging a field only the accounting office settles (403)
//   InvalidArgument    the request lacks a reason / comment, or names an
//                      unknown field or checklist item (400)
//   FailedPrecondition the order is not ready: unacknowledged ×, an unsettled
//                      vendor, bank-account or department × (accept, pay,
//                      confirm_bank_account), over the balance, checklist
//                      incomplete, fiscal year closed, submit while the clock
//                      is stopped (422)
// Messages are in Japanese: they are shown to the user as they are.
//
// Four-eyes, precisely: the drafter never approves, returns, accepts or
// pays their own order; nobody approves two steps of one submission round
// (a person who returned an order approves again in the next round); the
// accountant who accepts or returns in 会計審査 approved no step of the order
// in any round. A substitute (代決) is bound by the same rules: a 部長 who
// stood in for the 課長 does not approve the 部長 step of the same round.
//
// Thread safety: pure functions over values; the table is immutable.
#ifndef WORKFLOW_STATE_MACHINE_H_
#define WORKFLOW_STATE_MACHINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/date.h"
#include "base/money.h"
#include "base/result.h"
#include "base/time.h"
#include "workflow/organization.h"
#include "workflow/payment_order.h"
#include "workflow/route.h"

namespace workflow {

/// What an actor asks to do with an order.
struct ActionRequest {
  Action action = Action::kSubmit;
  /// The order version the actor saw; a different current version is
  /// Aborted (someone else acted meanwhile).
  uint32_t version = 0;
  /// The reason of a return (required), the comment of acknowledgements
  /// (required with them), otherwise an optional note for the history.
  std::string comment;
  /// × fields confirmed with `comment` (on submit; never kAccountingFields).
  std::vector<std::string> acknowledge;
  /// 会計審査 answers (accept: all of kChecklistItems confirmed; return
  /// from review: optional, recorded).
  std::vector<ChecklistAnswer> checklist;
  /// Return: the invoice itself is defective; stops the payment clock.
  bool defect = false;
  /// Resume: the corrected invoice (an archived document), if it came as one.
  std::string document_id;
};

/// Everything a guard looks at.
struct GuardContext {
  const PaymentOrder& order;
  const ActionRequest& request;
  const User& actor;
  const RouteConfig& routes;
  base::Date today;  ///< in Japan
  /// What the commitment holds for this order: its remaining balance plus
  /// this order's own reservation.
  base::Decimal available;
};

using GuardFn = base::Status (*)(const GuardContext&);
struct Guard {
  std::string_view name;  ///< "clerk_of_department", ... (for docs and tests)
  GuardFn check;
};

/// When a row applies, beyond its action and from-state.
enum class When { kAlways, kNotLastStep, kLastStep };

struct Transition {
  Action action;
  OrderState from;
  OrderState to;
  When when;
  std::vector<Guard> guards;  ///< permissions first, then input, then readiness
};

/// The table above, in that order.
const std::vector<Transition>& Transitions();

/// The row that lets ctx.actor perform ctx.request on ctx.order, or why not
/// (see the error list above). Checks the version first, then finds the
/// row, then runs its guards in order and returns the first failure.
base::Result<const Transition*> Decide(const GuardContext& ctx);

struct ApplyContext {
  base::Time now;
  base::Date today;  ///< in Japan
  /// Resume: the corrected invoice's receipt date; else the clock resumes
  /// today.
  std::optional<base::Date> corrected_received_on;
};

/// Performs a transition Decide returned on *order: new state, version + 1,
/// a history entry (with substitute_for when a substitute acted), and the
/// action's effects (route progress, acknowledgements with the values they
/// confirm, checklist, payment clock, the bank account confirmed).
/// REQUIRES: Decide(...) returned t for this order, request and actor.
void Apply(const Transition& t, const ActionRequest& request, const User& actor,
           const ApplyContext& ctx, PaymentOrder* order);

/// The actions this user may take on the order now as far as role,
/// department and four-eyes go (the order may still lack something, e.g.
/// an acknowledgement): what the UI offers and what the inbox counts.
std::vector<Action> AvailableActions(const PaymentOrder& order, const User& user,
                                     const RouteConfig& routes, base::Date today);

}  // namespace workflow

#endif  // WORKFLOW_STATE_MACHINE_H_
