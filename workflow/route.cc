#include "workflow/route.h"

#include <algorithm>

#include "workflow/internal/json_util.h"

namespace workflow {

using base::Status;

namespace {

// where: the table of kura.toml the rule comes from, "[routes]" or
// "[routes.works]".
Status ValidateRule(const RouteRule& rule, const std::string& where) {
  for (size_t i = 0; i < rule.tiers.size(); ++i) {
    if (rule.tiers[i].titles.empty()) {
      return Status::InvalidArgument(where + " tiers の " + std::to_string(i + 1) +
                                     " 段目に決裁者の役職（titles）がありません");
    }
    if (i > 0 && !(rule.tiers[i - 1].max_amount < rule.tiers[i].max_amount)) {
      return Status::InvalidArgument(
          where + " tiers: 金額の上限（max_amount）は段ごとに大きくしてください");
    }
  }
  if (rule.above.empty()) {
    return Status::InvalidArgument(where +
                                   " above: 最後の段を超える金額の決裁者の役職がありません");
  }
  return Status::OK();
}

}  // namespace

bool RouteConfig::IsAnyDepartmentTitle(std::string_view title) const {
  return std::find(any_department_titles.begin(), any_department_titles.end(), title) !=
         any_department_titles.end();
}

bool RouteConfig::MayStandIn(std::string_view step_title, std::string_view title) const {
  if (title.empty() || title == step_title) return false;
  auto it = substitutes.find(std::string(step_title));
  if (it == substitutes.end()) return false;
  return std::find(it->second.begin(), it->second.end(), title) != it->second.end();
}

Status Validate(const RouteConfig& config) {
  RETURN_IF_ERROR(ValidateRule(config.rule, "[routes]"));
  for (const auto& [type, rule] : config.by_expense_type) {
    RETURN_IF_ERROR(ValidateRule(rule, "[routes." + internal::Shown(type) + "]"));
  }
  for (const auto& [step_title, titles] : config.substitutes) {
    if (step_title.empty()) {
      return Status::InvalidArgument("[routes] substitutes: 代決される役職が空です");
    }
    for (const std::string& t : titles) {
      if (t.empty() || t == step_title) {
        return Status::InvalidArgument("[routes] substitutes: " + internal::Shown(step_title) +
                                       " の代決者には、空でない別の役職を指定してください");
      }
    }
  }
  return Status::OK();
}

std::vector<std::string> ChooseRoute(const RouteConfig& config, const base::Decimal& amount,
                                     std::string_view expense_type) {
  const RouteRule* rule = &config.rule;
  if (auto it = config.by_expense_type.find(std::string(expense_type));
      it != config.by_expense_type.end()) {
    rule = &it->second;
  }
  for (const RouteTier& tier : rule->tiers) {
    if (amount <= tier.max_amount) return tier.titles;
  }
  return rule->above;
}

}  // namespace workflow
