#include "workflow/payment_order.h"

#include <algorithm>
#include <utility>

#include "workflow/internal/json_util.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

constexpr std::array<std::pair<OrderState, std::string_view>, 6> kStates = {{
    {OrderState::kDraft, "draft"},
    {OrderState::kPendingApproval, "pending_approval"},
    {OrderState::kAccountingReview, "accounting_review"},
    {OrderState::kAccepted, "accepted"},
    {OrderState::kPaid, "paid"},
    {OrderState::kWithdrawn, "withdrawn"},
}};

constexpr std::array<std::pair<Action, std::string_view>, 9> kActions = {{
    {Action::kSubmit, "submit"},
    {Action::kApprove, "approve"},
    {Action::kReturn, "return"},
    {Action::kWithdraw, "withdraw"},
    {Action::kAccept, "accept"},
    {Action::kPay, "pay"},
    {Action::kResume, "resume"},
    {Action::kOverrideVendor, "override_vendor"},
    {Action::kConfirmBankAccount, "confirm_bank_account"},
}};

json OptionalTime(const std::optional<base::Time>& t) {
  return t ? json(base::FormatRfc3339(*t)) : json(nullptr);
}

}  // namespace

std::string_view StateName(OrderState s) {
  for (const auto& [state, name] : kStates) {
    if (state == s) return name;
  }
  return "unknown";
}

Result<OrderState> ParseState(std::string_view s) {
  for (const auto& [state, name] : kStates) {
    if (name == s) return state;
  }
  return Status::InvalidArgument("不明な状態です: " + internal::Shown(s));
}

std::string StateLabel(OrderState s) {
  switch (s) {
    case OrderState::kDraft:
      return "起票中";
    case OrderState::kPendingApproval:
      return "決裁待ち";
    case OrderState::kAccountingReview:
      return "会計審査中";
    case OrderState::kAccepted:
      return "支払待ち";
    case OrderState::kPaid:
      return "支払済";
    case OrderState::kWithdrawn:
      return "取下げ済";
  }
  return "不明";
}

bool IsFinal(OrderState s) { return s == OrderState::kPaid || s == OrderState::kWithdrawn; }

std::string_view ActionName(Action a) {
  for (const auto& [action, name] : kActions) {
    if (action == a) return name;
  }
  return "unknown";
}

Result<Action> ParseAction(std::string_view s) {
  for (const auto& [action, name] : kActions) {
    if (name == s) return action;
  }
  return Status::InvalidArgument("不明な操作です: " + internal::Shown(s) +
                                 " (submit, approve, return, withdraw, accept, pay, resume, "
                                 "override_vendor, confirm_bank_account)");
}

bool Acknowledgement::Covers(const FieldMatch& m) const {
  return field == m.field && !invoice_value.empty() && invoice_value == m.invoice_value &&
         expected_value == m.expected_value;
}

bool IsAccountingField(std::string_view field) {
  return std::find(kAccountingFields.begin(), kAccountingFields.end(), field) !=
         kAccountingFields.end();
}

const FieldMatch* PaymentOrder::MatchOf(std::string_view field) const {
  for (const FieldMatch& m : match) {
    if (m.field == field) return &m;
  }
  return nullptr;
}

bool PaymentOrder::NeedsAcknowledgement(std::string_view field) const {
  const FieldMatch* m = MatchOf(field);
  if (m == nullptr || m->status != MatchStatus::kMismatch) return false;
  return std::none_of(acknowledgements.begin(), acknowledgements.end(),
                      [&](const Acknowledgement& a) { return a.Covers(*m); });
}

std::vector<std::string> PaymentOrder::UnacknowledgedMismatches() const {
  std::vector<std::string> out;
  for (const FieldMatch& m : match) {
    if (!IsAccountingField(m.field) && NeedsAcknowledgement(m.field)) out.push_back(m.field);
  }
  return out;
}

std::vector<std::string> PaymentOrder::AccountingRequired() const {
  std::vector<std::string> out;
  for (const FieldMatch& m : match) {
    if (IsAccountingField(m.field) && NeedsAcknowledgement(m.field)) out.push_back(m.field);
  }
  return out;
}

bool PaymentOrder::ApprovedBy(std::string_view login) const {
  return std::any_of(history.begin(), history.end(), [&](const HistoryEntry& h) {
    return h.action == ActionName(Action::kApprove) && h.actor == login;
  });
}

json ToJson(const PaymentOrder& o) {
  json route = json::array();
  for (size_t i = 0; i < o.route.size(); ++i) {
    const RouteStep& s = o.route[i];
    std::string status = "waiting";
    if (!s.approved_by.empty()) {
      status = "approved";
    } else if (o.state == OrderState::kPendingApproval && i == o.step) {
      status = "current";
    }
    route.push_back({{"title", s.title},
                     {"approved_by", s.approved_by},
                     {"approved_at", OptionalTime(s.approved_at)},
                     {"substitute_for", s.substitute_for},
                     {"status", status}});
  }
  json acks = json::array();
  for (const Acknowledgement& a : o.acknowledgements) {
    acks.push_back({{"field", a.field},
                    {"comment", a.comment},
                    {"by", a.by},
                    {"at", base::FormatRfc3339(a.at)},
                    {"invoice_value", a.invoice_value},
                    {"expected_value", a.expected_value}});
  }
  json checklist = json::array();
  for (const ChecklistAnswer& c : o.checklist) {
    checklist.push_back({{"item", c.item}, {"confirmed", c.confirmed}, {"note", c.note}});
  }
  json history = json::array();
  for (const HistoryEntry& h : o.history) {
    history.push_back({{"action", h.action},
                       {"actor", h.actor},
                       {"at", base::FormatRfc3339(h.at)},
                       {"from", h.from},
                       {"to", h.to},
                       {"comment", h.comment},
                       {"defect", h.defect},
                       {"round", h.round},
                       {"step", h.step},
                       {"substitute_for", h.substitute_for}});
  }
  return {{"id", o.id},
          {"version", o.version},
          {"state", std::string(StateName(o.state))},
          {"document_id", o.document_id},
          {"corrected_documents", o.corrected_documents},
          {"commitment_id", o.commitment_id},
          {"department", o.department},
          {"vendor_id", o.vendor_id},
          {"counterparty", o.counterparty},
          {"budget_line", o.budget_line},
          {"expense_type", o.expense_type},
          {"fiscal_year", o.fiscal_year},
          {"amount", o.amount.ToString()},
          {"currency", o.currency},
          {"invoice_number", o.invoice_number},
          {"issue_date", o.issue_date},
          {"bank_account", o.bank_account},
          {"drafter", o.drafter},
          {"created_at", base::FormatRfc3339(o.created_at)},
          {"route", route},
          {"step", o.step},
          {"round", o.round},
          {"match", ToJson(o.match)},
          {"unacknowledged", o.UnacknowledgedMismatches()},
          {"accounting_required", o.AccountingRequired()},
          {"acknowledgements", acks},
          {"checklist", checklist},
          {"accepted_by", o.accepted_by},
          {"paid_by", o.paid_by},
          {"last_return_reason", o.last_return_reason},
          {"payment_clock", ToJson(o.clock)},
          {"history", history}};
}

Result<PaymentOrder> PaymentOrderFromJson(const json& j) {
  PaymentOrder o;
  Status inner;
  auto keep = [&](Status s) {
    if (inner.ok() && !s.ok()) inner = std::move(s);
  };
  RETURN_IF_ERROR(internal::Decode("支出命令の記録", [&] {
    o.id = j.at("id").get<std::string>();
    o.version = j.at("version").get<uint32_t>();
    auto state = ParseState(j.at("state").get<std::string>());
    keep(state.status());
    if (state.ok()) o.state = *state;
    o.document_id = j.at("document_id").get<std::string>();
    o.corrected_documents = j.at("corrected_documents").get<std::vector<std::string>>();
    o.commitment_id = j.at("commitment_id").get<std::string>();
    o.department = j.at("department").get<std::string>();
    o.vendor_id = j.at("vendor_id").get<std::string>();
    o.counterparty = j.at("counterparty").get<std::string>();
    o.budget_line = j.at("budget_line").get<std::string>();
    o.expense_type = j.at("expense_type").get<std::string>();
    o.fiscal_year = j.at("fiscal_year").get<int>();
    o.amount = internal::DecimalAt(j, "amount");
    o.currency = j.at("currency").get<std::string>();
    o.invoice_number = j.at("invoice_number").get<std::string>();
    o.issue_date = j.at("issue_date").get<std::string>();
    o.bank_account = j.at("bank_account").get<std::string>();
    o.drafter = j.at("drafter").get<std::string>();
    o.created_at = internal::TimeAt(j, "created_at");
    for (const json& s : j.at("route")) {
      RouteStep step{s.at("title").get<std::string>(), s.at("approved_by").get<std::string>(),
                     std::nullopt, internal::StringOr(s, "substitute_for")};
      if (!s.at("approved_at").is_null()) step.approved_at = internal::TimeAt(s, "approved_at");
      o.route.push_back(std::move(step));
    }
    o.step = j.at("step").get<size_t>();
    o.round = j.at("round").get<int>();
    for (const json& m : j.at("match")) {
      auto fm = FieldMatchFromJson(m);
      keep(fm.status());
      if (fm.ok()) o.match.push_back(*fm);
    }
    for (const json& a : j.at("acknowledgements")) {
      // invoice_value and expected_value: absent in records of an older
      // kura (such an acknowledgement covers no × any more).
      o.acknowledgements.push_back(
          {a.at("field").get<std::string>(), a.at("comment").get<std::string>(),
           a.at("by").get<std::string>(), internal::TimeAt(a, "at"),
           internal::StringOr(a, "invoice_value"), internal::StringOr(a, "expected_value")});
    }
    for (const json& c : j.at("checklist")) {
      o.checklist.push_back({c.at("item").get<std::string>(), c.at("confirmed").get<bool>(),
                             c.at("note").get<std::string>()});
    }
    o.accepted_by = j.at("accepted_by").get<std::string>();
    o.paid_by = j.at("paid_by").get<std::string>();
    o.last_return_reason = j.at("last_return_reason").get<std::string>();
    auto clock = PaymentClockFromJson(j.at("payment_clock"));
    keep(clock.status());
    if (clock.ok()) o.clock = *clock;
    for (const json& h : j.at("history")) {
      o.history.push_back({h.at("action").get<std::string>(), h.at("actor").get<std::string>(),
                           internal::TimeAt(h, "at"), h.at("from").get<std::string>(),
                           h.at("to").get<std::string>(), h.at("comment").get<std::string>(),
                           h.at("defect").get<bool>(), h.at("round").get<int>(),
                           h.at("step").get<std::string>(),
                           internal::StringOr(h, "substitute_for")});
    }
  }));
  if (!inner.ok()) return Status::Corruption("支出命令の記録が壊れています: " + inner.message());
  return o;
}

}  // namespace workflow
