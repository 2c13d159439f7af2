#include "workflow/state_machine.h"

#include <algorithm>

#include "workflow/internal/json_util.h"

namespace workflow {

using base::Result;
using base::Status;

namespace {

std::string ActionLabel(Action a) {
  switch (a) {
    case Action::kSubmit:
      return "提出";
    case Action::kApprove:
      return "承認";
    case Action::kReturn:
      return "差戻し";
    case Action::kWithdraw:
      return "取下げ";
    case Action::kAccept:
      return "会計審査の受理";
    case Action::kPay:
      return "支払";
    case Action::kResume:
      return "支払期限の再開";
    case Action::kOverrideVendor:
      return "債権者の不一致の確認";
    case Action::kConfirmBankAccount:
      return "振込口座の変更の確認";
  }
  return "不明な操作";
}

// --- Permission guards (PermissionDenied). ---

Status ClerkOfDepartment(const GuardContext& c) {
  if (!c.actor.HasRole(Role::kClerk) || c.actor.department != c.order.department) {
    return Status::PermissionDenied("この支出命令の課（" + c.order.department +
                                    "）の会計担当者だけが行えます");
  }
  return Status::OK();
}

Status Drafter(const GuardContext& c) {
  if (c.actor.login != c.order.drafter) {
    return Status::PermissionDenied("取下げは起票者だけが行えます");
  }
  return Status::OK();
}

// The holder of the current step's title, or a substitute for it (代決,
// RouteConfig::substitutes); of the order's department unless the actor's
// title is an any-department one.
Status CurrentStepApprover(const GuardContext& c) {
  if (c.order.step >= c.order.route.size()) {
    return Status::PermissionDenied("決裁の順番がありません");
  }
  const std::string& title = c.order.route[c.order.step].title;
  const bool holder = c.actor.title == title;
  if (!c.actor.HasRole(Role::kApprover) ||
      (!holder && !c.routes.MayStandIn(title, c.actor.title))) {
    std::string who = title;
    if (auto it = c.routes.substitutes.find(title); it != c.routes.substitutes.end()) {
      for (const std::string& s : it->second) who += "（代決: " + s + "）";
    }
    return Status::PermissionDenied("この決裁は" + who + "が行います");
  }
  if (!c.routes.IsAnyDepartmentTitle(c.actor.title) && c.actor.department != c.order.department) {
    return Status::PermissionDenied("他の課の支出命令は決裁できません");
  }
  return Status::OK();
}

Status Accountant(const GuardContext& c) {
  if (!c.actor.HasRole(Role::kAccountant)) {
    return Status::PermissionDenied("会計室の職員だけが行えます");
  }
  return Status::OK();
}

Status NotDrafter(const GuardContext& c) {
  if (c.actor.login == c.order.drafter) {
    switch (c.request.action) {
      case Action::kApprove:
        return Status::PermissionDenied("自分が起票した支出命令は承認できません");
      case Action::kReturn:
        return Status::PermissionDenied(
            "自分が起票した支出命令は差し戻せません（取下げを使ってください）");
      case Action::kAccept:
        return Status::PermissionDenied("自分が起票した支出命令は会計審査できません");
      default:
        return Status::PermissionDenied("自分が起票した支出命令には行えません");
    }
  }
  return Status::OK();
}

Status NotApprovedThisRound(const GuardContext& c) {
  for (const RouteStep& s : c.order.route) {
    if (s.approved_by == c.actor.login) {
      return Status::PermissionDenied(
          "この支出命令はすでに承認しています（同じ人は二度決裁できません）");
    }
  }
  return Status::OK();
}

Status NotAnApprover(const GuardContext& c) {
  if (c.order.ApprovedBy(c.actor.login)) {
    return Status::PermissionDenied("この支出命令を承認した人は会計審査を行えません");
  }
  return Status::OK();
}

// --- Request guards (InvalidArgument). ---

// A clerk acknowledges on submit only the × they may judge: the vendor,
// the bank account and the department are for the accounting office
// (kAccountingFields).
Status AcknowledgesOnlyClerkFields(const GuardContext& c) {
  for (const std::string& field : c.request.acknowledge) {
    if (field == "vendor") {
      return Status::PermissionDenied(
          "債権者（vendor）の × は起票者・会計担当者では確認できません。"
          "会計室が会計審査で理由を記して判断します（override_vendor）");
    }
    if (field == "bank_account") {
      return Status::PermissionDenied(
          "振込口座（bank_account）の × は会計担当者の確認では支払えません。"
          "会計室が新しい口座を確認して債権者マスタを更新するか、差し戻します"
          "（confirm_bank_account）");
    }
    if (field == "department") {
      return Status::PermissionDenied(
          "受付課（department）の × は確認できません。受付課の支出負担行為から起票してください");
    }
  }
  return Status::OK();
}

Status ReasonGiven(const GuardContext& c) {
  if (!c.request.comment.empty()) return Status::OK();
  switch (c.request.action) {
    case Action::kOverrideVendor:
      return Status::InvalidArgument("債権者の不一致を確認した理由（comment）を入力してください");
    case Action::kConfirmBankAccount:
      return Status::InvalidArgument(
          "振込口座の変更を確認した根拠（変更届の受領など。comment）を入力してください");
    default:
      return Status::InvalidArgument("差戻しには理由が必要です");
  }
}

Status AcknowledgementsWellFormed(const GuardContext& c) {
  if (c.request.acknowledge.empty()) return Status::OK();
  if (c.request.comment.empty()) {
    return Status::InvalidArgument("× の項目を確認したコメントを入力してください");
  }
  for (const std::string& field : c.request.acknowledge) {
    const bool known = std::any_of(c.order.match.begin(), c.order.match.end(),
                                   [&](const FieldMatch& m) { return m.field == field; });
    if (!known) return Status::InvalidArgument("照合項目にない項目です: " + internal::Shown(field));
  }
  return Status::OK();
}

Status ChecklistWellFormed(const GuardContext& c) {
  for (const ChecklistAnswer& a : c.request.checklist) {
    if (std::find(kChecklistItems.begin(), kChecklistItems.end(), a.item) ==
        kChecklistItems.end()) {
      return Status::InvalidArgument("会計審査のチェック項目にありません: " +
                                     internal::Shown(a.item));
    }
  }
  return Status::OK();
}

// --- Readiness guards (FailedPrecondition). ---

Status MismatchesAcknowledged(const GuardContext& c) {
  std::string missing;
  for (const std::string& field : c.order.UnacknowledgedMismatches()) {
    if (std::find(c.request.acknowledge.begin(), c.request.acknowledge.end(), field) !=
        c.request.acknowledge.end()) {
      continue;
    }
    missing += (missing.empty() ? "" : ", ") + field;
  }
  if (!missing.empty()) {
    return Status::FailedPrecondition("× の項目を確認してコメントしてから提出してください: " +
                                      missing);
  }
  return Status::OK();
}

// "A: invoice value / expected value" of field's match row, for messages.
std::string Values(const PaymentOrder& o, std::string_view field) {
  const FieldMatch* m = o.MatchOf(field);
  if (m == nullptr) return "";
  return "（請求書: " + m->invoice_value + " / 登録: " + m->expected_value + "）";
}

// Nothing to settle: like a transition that does not exist (409), so that
// the action is not offered.
Status VendorMismatchOpen(const GuardContext& c) {
  if (!c.order.NeedsAcknowledgement("vendor")) {
    return Status::Aborted(
        "債権者は一致しているか、すでに確認済みです（確認するものがありません）");
  }
  return Status::OK();
}

Status BankAccountMismatchOpen(const GuardContext& c) {
  if (!c.order.NeedsAcknowledgement("bank_account")) {
    return Status::Aborted(
        "振込口座は債権者マスタと一致しているか、すでに確認済みです（確認するものがありません）");
  }
  return Status::OK();
}

Status VendorSettled(const GuardContext& c) {
  if (c.order.NeedsAcknowledgement("vendor")) {
    return Status::FailedPrecondition(
        "請求書の債権者が支出負担行為の債権者と一致しません" + Values(c.order, "vendor") +
        "。会計室が理由を記して確認する（override_vendor）か、差し戻してください");
  }
  return Status::OK();
}

Status BankAccountSettled(const GuardContext& c) {
  if (c.order.NeedsAcknowledgement("bank_account")) {
    return Status::FailedPrecondition(
        "請求書の振込口座が債権者マスタの口座と違います" + Values(c.order, "bank_account") +
        "。会計室が新しい口座を確認して債権者マスタを更新する（confirm_bank_account）か、"
        "差し戻してください");
  }
  return Status::OK();
}

Status DepartmentSettled(const GuardContext& c) {
  if (c.order.NeedsAcknowledgement("department")) {
    return Status::FailedPrecondition(
        "請求書の受付課が支出負担行為の課と違います" + Values(c.order, "department") +
        "。この支出命令は会計審査・支払ができません。差し戻してください");
  }
  return Status::OK();
}

Status WithinBalance(const GuardContext& c) {
  if (c.available < c.order.amount) {
    return Status::FailedPrecondition("支出負担行為の残額（" + c.available.ToString() +
                                      "円）を超えています: " + c.order.amount.ToString() + "円");
  }
  return Status::OK();
}

Status ClockRunning(const GuardContext& c) {
  if (c.order.clock.stopped()) {
    return Status::FailedPrecondition(
        "請求書の不備で差し戻し中です。補正された請求書を受け取ってから再開（resume）してください");
  }
  return Status::OK();
}

Status ClockStopped(const GuardContext& c) {
  if (!c.order.clock.stopped()) {
    // Nothing to resume: like a transition that does not exist (409).
    return Status::Aborted("支払期限は止まっていません（再開するものがありません）");
  }
  return Status::OK();
}

Status ChecklistComplete(const GuardContext& c) {
  std::string missing;
  for (std::string_view item : kChecklistItems) {
    const bool ok =
        std::any_of(c.request.checklist.begin(), c.request.checklist.end(),
                    [&](const ChecklistAnswer& a) { return a.item == item && a.confirmed; });
    if (!ok) missing += (missing.empty() ? "" : ", ") + std::string(item);
  }
  if (!missing.empty()) {
    return Status::FailedPrecondition("会計審査のチェック項目がすべて確認されていません: " +
                                      missing);
  }
  return Status::OK();
}

Status PayableFiscalYear(const GuardContext& c) {
  const int now = base::FiscalYearOf(c.today);
  const int fy = c.order.fiscal_year;
  if (fy == now || (fy == now - 1 && base::InClosingPeriod(c.today))) return Status::OK();
  if (fy > now) {
    return Status::FailedPrecondition(std::to_string(fy) + "年度の支出命令はまだ支払えません");
  }
  return Status::FailedPrecondition("出納整理期間（5月31日まで）を過ぎたため、" +
                                    std::to_string(fy) + "年度の支出命令は支払えません");
}

constexpr Guard kClerkOfDepartment{"clerk_of_department", ClerkOfDepartment};
constexpr Guard kDrafter{"drafter", Drafter};
constexpr Guard kCurrentStepApprover{"current_step_approver", CurrentStepApprover};
constexpr Guard kAccountant{"accountant", Accountant};
constexpr Guard kNotDrafter{"not_drafter", NotDrafter};
constexpr Guard kNotApprovedThisRound{"not_approved_this_round", NotApprovedThisRound};
constexpr Guard kNotAnApprover{"not_an_approver", NotAnApprover};
constexpr Guard kReasonGiven{"reason_given", ReasonGiven};
constexpr Guard kAcknowledgesOnlyClerkFields{"acknowledges_only_clerk_fields",
                                             AcknowledgesOnlyClerkFields};
constexpr Guard kVendorMismatchOpen{"vendor_mismatch_open", VendorMismatchOpen};
constexpr Guard kBankAccountMismatchOpen{"bank_account_mismatch_open", BankAccountMismatchOpen};
constexpr Guard kVendorSettled{"vendor_settled", VendorSettled};
constexpr Guard kBankAccountSettled{"bank_account_settled", BankAccountSettled};
constexpr Guard kDepartmentSettled{"department_settled", DepartmentSettled};
constexpr Guard kAcknowledgementsWellFormed{"acknowledgements_well_formed",
                                            AcknowledgementsWellFormed};
constexpr Guard kChecklistWellFormed{"checklist_well_formed", ChecklistWellFormed};
constexpr Guard kMismatchesAcknowledged{"mismatches_acknowledged", MismatchesAcknowledged};
constexpr Guard kWithinBalance{"within_balance", WithinBalance};
constexpr Guard kClockRunning{"clock_running", ClockRunning};
constexpr Guard kClockStopped{"clock_stopped", ClockStopped};
constexpr Guard kChecklistComplete{"checklist_complete", ChecklistComplete};
constexpr Guard kPayableFiscalYear{"payable_fiscal_year", PayableFiscalYear};

// An acknowledgement of field as the order's match shows it now.
Acknowledgement AcknowledgementOf(const PaymentOrder& o, std::string_view field,
                                  const std::string& comment, const User& actor, base::Time now) {
  Acknowledgement a{std::string(field), comment, actor.login, now, "", ""};
  if (const FieldMatch* m = o.MatchOf(field)) {
    a.invoice_value = m->invoice_value;
    a.expected_value = m->expected_value;
  }
  return a;
}

bool Applies(When when, const PaymentOrder& o) {
  switch (when) {
    case When::kAlways:
      return true;
    case When::kNotLastStep:
      return o.step + 1 < o.route.size();
    case When::kLastStep:
      return o.step + 1 >= o.route.size();
  }
  return false;
}

}  // namespace

const std::vector<Transition>& Transitions() {
  using S = OrderState;
  using A = Action;
  static const std::vector<Transition> kTable = {
      {A::kSubmit,
       S::kDraft,
       S::kPendingApproval,
       When::kAlways,
       {kClerkOfDepartment, kAcknowledgesOnlyClerkFields, kAcknowledgementsWellFormed,
        kMismatchesAcknowledged, kWithinBalance, kClockRunning}},
      {A::kApprove,
       S::kPendingApproval,
       S::kPendingApproval,
       When::kNotLastStep,
       {kCurrentStepApprover, kNotDrafter, kNotApprovedThisRound}},
      {A::kApprove,
       S::kPendingApproval,
       S::kAccountingReview,
       When::kLastStep,
       {kCurrentStepApprover, kNotDrafter, kNotApprovedThisRound}},
      {A::kReturn,
       S::kPendingApproval,
       S::kDraft,
       When::kAlways,
       {kCurrentStepApprover, kNotDrafter, kReasonGiven}},
      {A::kReturn,
       S::kAccountingReview,
       S::kDraft,
       When::kAlways,
       {kAccountant, kNotDrafter, kNotAnApprover, kReasonGiven, kChecklistWellFormed}},
      {A::kWithdraw, S::kDraft, S::kWithdrawn, When::kAlways, {kDrafter}},
      {A::kWithdraw, S::kPendingApproval, S::kWithdrawn, When::kAlways, {kDrafter}},
      {A::kWithdraw, S::kAccountingReview, S::kWithdrawn, When::kAlways, {kDrafter}},
      {A::kAccept,
       S::kAccountingReview,
       S::kAccepted,
       When::kAlways,
       {kAccountant, kNotDrafter, kNotAnApprover, kChecklistWellFormed, kVendorSettled,
        kBankAccountSettled, kDepartmentSettled, kChecklistComplete}},
      {A::kPay,
       S::kAccepted,
       S::kPaid,
       When::kAlways,
       {kAccountant, kNotDrafter, kVendorSettled, kBankAccountSettled, kDepartmentSettled,
        kPayableFiscalYear}},
      {A::kResume, S::kDraft, S::kDraft, When::kAlways, {kClerkOfDepartment, kClockStopped}},
      // The accounting office settles what a clerk cannot acknowledge, in
      // 会計審査 or after acceptance (a vendor master changed meanwhile).
      {A::kOverrideVendor,
       S::kAccountingReview,
       S::kAccountingReview,
       When::kAlways,
       {kAccountant, kNotDrafter, kNotAnApprover, kVendorMismatchOpen, kReasonGiven}},
      {A::kOverrideVendor,
       S::kAccepted,
       S::kAccepted,
       When::kAlways,
       {kAccountant, kNotDrafter, kNotAnApprover, kVendorMismatchOpen, kReasonGiven}},
      {A::kConfirmBankAccount,
       S::kAccountingReview,
       S::kAccountingReview,
       When::kAlways,
       {kAccountant, kNotDrafter, kNotAnApprover, kBankAccountMismatchOpen, kReasonGiven,
        kVendorSettled}},
      {A::kConfirmBankAccount,
       S::kAccepted,
       S::kAccepted,
       When::kAlways,
       {kAccountant, kNotDrafter, kNotAnApprover, kBankAccountMismatchOpen, kReasonGiven,
        kVendorSettled}},
  };
  return kTable;
}

Result<const Transition*> Decide(const GuardContext& ctx) {
  if (ctx.request.version != ctx.order.version) {
    return Status::Aborted("この支出命令は他の操作で更新されています（版 " +
                           std::to_string(ctx.request.version) + " → 現在 " +
                           std::to_string(ctx.order.version) + "）。再読み込みしてください");
  }
  const Transition* row = nullptr;
  for (const Transition& t : Transitions()) {
    if (t.action == ctx.request.action && t.from == ctx.order.state && Applies(t.when, ctx.order)) {
      row = &t;
      break;
    }
  }
  if (row == nullptr) {
    return Status::Aborted("「" + StateLabel(ctx.order.state) + "」の支出命令は「" +
                           ActionLabel(ctx.request.action) + "」できません");
  }
  for (const Guard& g : row->guards) {
    RETURN_IF_ERROR(g.check(ctx));
  }
  return row;
}

void Apply(const Transition& t, const ActionRequest& request, const User& actor,
           const ApplyContext& ctx, PaymentOrder* o) {
  HistoryEntry h;
  h.action = std::string(ActionName(t.action));
  h.actor = actor.login;
  h.at = ctx.now;
  h.from = std::string(StateName(t.from));
  h.to = std::string(StateName(t.to));
  h.comment = internal::Clean(request.comment);
  if (t.from == OrderState::kPendingApproval && o->step < o->route.size()) {
    h.step = o->route[o->step].title;
    // 代決: an approver of another title acts at this step.
    const bool at_step = t.action == Action::kApprove || t.action == Action::kReturn;
    if (at_step && actor.title != h.step) h.substitute_for = h.step;
  }
  switch (t.action) {
    case Action::kSubmit:
      o->round += 1;
      o->step = 0;
      for (RouteStep& s : o->route) {
        s.approved_by.clear();
        s.approved_at.reset();
        s.substitute_for.clear();
      }
      o->checklist.clear();
      for (const std::string& field : request.acknowledge) {
        o->acknowledgements.push_back(AcknowledgementOf(*o, field, h.comment, actor, ctx.now));
      }
      break;
    case Action::kApprove:
      o->route[o->step].approved_by = actor.login;
      o->route[o->step].approved_at = ctx.now;
      o->route[o->step].substitute_for = h.substitute_for;
      o->step += 1;
      break;
    case Action::kOverrideVendor:
      o->acknowledgements.push_back(AcknowledgementOf(*o, "vendor", h.comment, actor, ctx.now));
      break;
    case Action::kConfirmBankAccount: {
      const Acknowledgement a = AcknowledgementOf(*o, "bank_account", h.comment, actor, ctx.now);
      o->bank_account = a.invoice_value;  // the vendor's new account (the master follows)
      o->acknowledgements.push_back(a);
      break;
    }
    case Action::kReturn:
      o->last_return_reason = h.comment;
      h.defect = request.defect;
      if (!request.checklist.empty()) o->checklist = request.checklist;
      if (request.defect) StopPaymentClock(&o->clock, ctx.today);
      break;
    case Action::kWithdraw:
      break;
    case Action::kAccept:
      o->checklist = request.checklist;
      o->accepted_by = actor.login;
      break;
    case Action::kPay:
      o->paid_by = actor.login;
      MarkPaid(&o->clock, ctx.today);
      break;
    case Action::kResume:
      if (!request.document_id.empty()) o->corrected_documents.push_back(request.document_id);
      ResumePaymentClock(&o->clock, ctx.corrected_received_on.value_or(ctx.today));
      break;
  }
  h.round = o->round;
  o->state = t.to;
  o->version += 1;
  o->history.push_back(std::move(h));
}

std::vector<Action> AvailableActions(const PaymentOrder& order, const User& user,
                                     const RouteConfig& routes, base::Date today) {
  std::vector<Action> out;
  if (!user.active) return out;
  for (Action a :
       {Action::kSubmit, Action::kApprove, Action::kReturn, Action::kWithdraw, Action::kAccept,
        Action::kPay, Action::kResume, Action::kOverrideVendor, Action::kConfirmBankAccount}) {
    ActionRequest request;
    request.action = a;
    request.version = order.version;
    const GuardContext ctx{order, request, user, routes, today, order.amount};
    auto decision = Decide(ctx);
    const auto code = decision.status().code();
    if (decision.ok() ||
        (code != Status::Code::kPermissionDenied && code != Status::Code::kAborted)) {
      out.push_back(a);
    }
  }
  return out;
}

}  // namespace workflow
