#include "workflow/deadlines.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"
#include "workflow/commitment.h"

namespace workflow {
namespace {

using base::Date;

TEST(DeadlinesTest, ThirtyDaysForGoodsFortyForWorks) {
  EXPECT_EQ(PaymentDaysFor("goods"), 30);
  EXPECT_EQ(PaymentDaysFor("services"), 30);
  EXPECT_EQ(PaymentDaysFor("works"), 40);
  EXPECT_EQ(DueDate(StartPaymentClock(Date(2026, 4, 1), 30)), Date(2026, 5, 1));
  EXPECT_EQ(DueDate(StartPaymentClock(Date(2026, 4, 1), 40)), Date(2026, 5, 11));
  // Across the year end.
  EXPECT_EQ(DueDate(StartPaymentClock(Date(2026, 12, 15), 30)), Date(2027, 1, 14));
}

TEST(DeadlinesTest, ClassifiesAroundTheDueDate) {
  const PaymentClock c = StartPaymentClock(Date(2026, 4, 1), 30);  // due 5/1
  EXPECT_EQ(Classify(c, Date(2026, 4, 23)), DeadlineStatus::kOnTime);
  EXPECT_EQ(Classify(c, Date(2026, 4, 24)), DeadlineStatus::kDueSoon);
  EXPECT_EQ(Classify(c, Date(2026, 5, 1)), DeadlineStatus::kDueSoon);
  EXPECT_EQ(Classify(c, Date(2026, 5, 2)), DeadlineStatus::kOverdue);
  PaymentClock paid = c;
  MarkPaid(&paid, Date(2026, 5, 1));
  EXPECT_EQ(Classify(paid, Date(2026, 6, 1)), DeadlineStatus::kPaid);
  MarkPaid(&paid, Date(2026, 5, 2));
  EXPECT_EQ(Classify(paid, Date(2026, 6, 1)), DeadlineStatus::kPaidLate);
}

TEST(DeadlinesTest, DefectReturnStopsTheClockAndUsedDaysStillCount) {
  PaymentClock c = StartPaymentClock(Date(2026, 4, 1), 30);
  StopPaymentClock(&c, Date(2026, 4, 11));
  EXPECT_TRUE(c.stopped());
  EXPECT_EQ(DueDate(c), std::nullopt);
  EXPECT_EQ(DaysUsed(c, Date(2026, 6, 30)), 10);
  EXPECT_EQ(Classify(c, Date(2026, 6, 30)), DeadlineStatus::kStopped);
  ResumePaymentClock(&c, Date(2026, 4, 20));
  EXPECT_EQ(DueDate(c), Date(2026, 5, 10));
  EXPECT_EQ(DaysUsed(c, Date(2026, 4, 25)), 15);
  // A second defect return adds to the used days.
  StopPaymentClock(&c, Date(2026, 4, 30));
  EXPECT_EQ(c.used_days, 20);
  ResumePaymentClock(&c, Date(2026, 5, 7));
  EXPECT_EQ(DueDate(c), Date(2026, 5, 17));
  auto back = PaymentClockFromJson(ToJson(c));
  ASSERT_OK(back);
  EXPECT_EQ(DueDate(*back), Date(2026, 5, 17));
  EXPECT_EQ(ToJson(c)["due_date"], "2026-05-17");
}

}  // namespace
}  // namespace workflow
