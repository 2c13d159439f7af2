// Approval routes (専決規程): who must approve a payment order, by amount and
// expense type. The app fills a RouteConfig from kura.toml; the default is
// the common city rule
//   amount ≤ ¥500,000     課長
//   amount ≤ ¥5,000,000   課長 → 部長
//   above                 課長 → 部長 → 副市長
// A route is a list of approver titles, one step each, in order. The route
// is chosen when an order is drafted and kept with the order, so that a
// changed configuration does not change orders already under way (a draft
// whose invoice is corrected has its route chosen again).
//
// 代決: `substitutes` names, per step title, the titles whose holders may act
// at such a step in place of its absent holder (default: 部長 for 課長,
// 副市長 for 部長). Not transitive: 副市長 stands in for 課長 only if listed
// for 課長. The department rule is the substitute's own title's.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_ROUTE_H_
#define WORKFLOW_ROUTE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/money.h"
#include "base/status.h"

namespace workflow {

/// Orders up to and including max_amount need these approvers.
struct RouteTier {
  base::Decimal max_amount;
  std::vector<std::string> titles;
};

struct RouteRule {
  /// Ascending by max_amount.
  std::vector<RouteTier> tiers;
  /// Titles for amounts above the last tier.
  std::vector<std::string> above;
};

struct RouteConfig {
  RouteRule rule = {{{base::Decimal::FromInt(500'000), {"課長"}},
                     {base::Decimal::FromInt(5'000'000), {"課長", "部長"}}},
                    {"課長", "部長", "副市長"}};
  /// Rules for particular expense types ("works", ...) that replace `rule`.
  std::map<std::string, RouteRule> by_expense_type;
  /// Titles whose holders approve orders of any department (副市長);
  /// holders of other titles approve only their own department's orders.
  std::vector<std::string> any_department_titles = {"副市長"};
  /// 代決: step title → titles that may stand in for its holder.
  std::map<std::string, std::vector<std::string>> substitutes = {{"課長", {"部長"}},
                                                                 {"部長", {"副市長"}}};

  bool IsAnyDepartmentTitle(std::string_view title) const;
  /// True if a holder of `title` may act at a step of `step_title` as a
  /// substitute (not for title == step_title: that is no substitution).
  bool MayStandIn(std::string_view step_title, std::string_view title) const;
};

/// InvalidArgument unless every rule has ascending tiers, every route
/// (each tier's and `above`) names at least one title, and no substitute
/// title is empty or the step's own. The message (Japanese) names the
/// kura.toml table of the rule at fault: "[routes]", "[routes.works]", ...
base::Status Validate(const RouteConfig& config);

/// The approver titles for an order of this amount and expense type.
std::vector<std::string> ChooseRoute(const RouteConfig& config, const base::Decimal& amount,
                                     std::string_view expense_type);

}  // namespace workflow

#endif  // WORKFLOW_ROUTE_H_
