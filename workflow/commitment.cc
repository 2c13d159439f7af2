#include "workflow/commitment.h"

#include <cstdlib>

#include "workflow/internal/json_util.h"

namespace workflow {

using base::Decimal;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

bool IsBudgetLine(std::string_view s) {
  if (s.size() != 11) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i % 3 == 2;
    if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return false;
  }
  return true;
}

}  // namespace

Decimal Commitment::Remaining() const {
  auto r = amount.Sub(reserved);
  if (!r.ok()) std::abort();  // amounts are validated to ≤ 10^15
  return *r;
}

Status Validate(const Commitment& c) {
  if (c.department.empty()) return Status::InvalidArgument("課が指定されていません");
  if (c.vendor_id.empty()) return Status::InvalidArgument("債権者が指定されていません");
  if (!IsBudgetLine(c.budget_line)) {
    return Status::InvalidArgument(
        "予算科目（款項目節）は \"02-01-03-13\" の形式で指定してください");
  }
  if (c.fiscal_year < 2000 || c.fiscal_year > 2999) {
    return Status::InvalidArgument("会計年度が正しくありません");
  }
  if (c.description.empty()) return Status::InvalidArgument("件名がありません");
  if (c.amount.sign() <= 0 || c.amount > Decimal::FromInt(1'000'000'000'000'000) ||
      c.amount.Normalized().scale() != 0) {
    return Status::InvalidArgument("金額は1円以上の整数（円）で指定してください");
  }
  if (c.contract_to < c.contract_from) {
    return Status::InvalidArgument("契約期間の終了日が開始日より前です");
  }
  if (c.expense_type != kGoods && c.expense_type != kServices && c.expense_type != kWorks) {
    return Status::InvalidArgument("支出の種類は goods, services, works のいずれかです");
  }
  return Status::OK();
}

json ToJson(const Commitment& c) {
  return {{"id", c.id},
          {"department", c.department},
          {"vendor_id", c.vendor_id},
          {"budget_line", c.budget_line},
          {"fiscal_year", c.fiscal_year},
          {"description", c.description},
          {"amount", c.amount.ToString()},
          {"contract_from", c.contract_from.ToString()},
          {"contract_to", c.contract_to.ToString()},
          {"expense_type", c.expense_type},
          {"reserved", c.reserved.ToString()},
          {"paid", c.paid.ToString()},
          {"remaining", c.Remaining().ToString()},
          {"created_by", c.created_by},
          {"created_at", base::FormatRfc3339(c.created_at)}};
}

Result<Commitment> CommitmentFromJson(const json& j) {
  Commitment c;
  RETURN_IF_ERROR(internal::Decode("支出負担行為の記録", [&] {
    c.id = j.at("id").get<std::string>();
    c.department = j.at("department").get<std::string>();
    c.vendor_id = j.at("vendor_id").get<std::string>();
    c.budget_line = j.at("budget_line").get<std::string>();
    c.fiscal_year = j.at("fiscal_year").get<int>();
    c.description = j.at("description").get<std::string>();
    c.amount = internal::DecimalAt(j, "amount");
    c.contract_from = internal::DateAt(j, "contract_from");
    c.contract_to = internal::DateAt(j, "contract_to");
    c.expense_type = j.at("expense_type").get<std::string>();
    c.reserved = internal::DecimalAt(j, "reserved");
    c.paid = internal::DecimalAt(j, "paid");
    c.created_by = j.at("created_by").get<std::string>();
    c.created_at = internal::TimeAt(j, "created_at");
  }));
  return c;
}

int PaymentDaysFor(std::string_view expense_type) { return expense_type == kWorks ? 40 : 30; }

}  // namespace workflow
