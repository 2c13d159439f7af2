#include "workflow/route.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

using base::Decimal;
using Titles = std::vector<std::string>;

TEST(RouteTest, DefaultThresholdsAtTheirBoundaries) {
  const RouteConfig config;
  ASSERT_OK(Validate(config));
  struct Case {
    int64_t amount;
    Titles titles;
  };
  const Case cases[] = {
      {1, {"課長"}},
      {500'000, {"課長"}},
      {500'001, {"課長", "部長"}},
      {5'000'000, {"課長", "部長"}},
      {5'000'001, {"課長", "部長", "副市長"}},
      {900'000'000, {"課長", "部長", "副市長"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ChooseRoute(config, Decimal::FromInt(c.amount), "goods"), c.titles) << c.amount;
  }
}

TEST(RouteTest, ExpenseTypeRuleReplacesTheDefault) {
  RouteConfig config;
  config.by_expense_type["works"] = RouteRule{{{Decimal::FromInt(1'000'000), {"課長", "部長"}}},
                                              {"課長", "部長", "副市長", "市長"}};
  ASSERT_OK(Validate(config));
  EXPECT_EQ(ChooseRoute(config, Decimal::FromInt(100), "works"), (Titles{"課長", "部長"}));
  EXPECT_EQ(ChooseRoute(config, Decimal::FromInt(1'000'001), "works").size(), 4u);
  EXPECT_EQ(ChooseRoute(config, Decimal::FromInt(100), "goods"), (Titles{"課長"}));
}

TEST(RouteTest, MisorderedOrEmptyTiersAreRefused) {
  RouteConfig config;
  std::swap(config.rule.tiers[0], config.rule.tiers[1]);
  EXPECT_FALSE(Validate(config).ok());
  config = RouteConfig();
  config.rule.above.clear();
  EXPECT_FALSE(Validate(config).ok());
  EXPECT_TRUE(RouteConfig().IsAnyDepartmentTitle("副市長"));
  EXPECT_FALSE(RouteConfig().IsAnyDepartmentTitle("部長"));
}

}  // namespace
}  // namespace workflow
