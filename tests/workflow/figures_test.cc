// 効果の見える化 (workflow/figures.h): known receipts and orders on a fake
// clock give known counts per month, electronic against paper, payments
// and late payments, the median days to payment, × rates per field and
// the documents still waiting for input; who may see them and which
// departments they cover.
#include "workflow/figures.h"

#include "tests/workflow/order_fixture.h"

#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "archive/correction.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"
#include "workflow/workflow.h"

namespace workflow {
namespace {

using base::Date;
using Code = base::Status::Code;
using nlohmann::json;

class FiguresTest : public OrderFixture {
 protected:
  // The history the tests share (FY 2026, 総務課 unless said):
  //   4/10 received A, B, F (XML), S1 (scan, never entered), D (XML, 土木課)
  //   4/12 A drafted, paid 4/30 (20 days, on time); B drafted, paid 5/20
  //        (40 days: due 5/10, late); F drafted and withdrawn
  //   5/15 received C (XML, another bank account: ×) and S2 (scan, entered)
  //   5/20 C drafted, its account confirmed by 会計室, paid 6/10 (26 days)
  void WriteHistory() {
    clock_.Set(Jst("2026-04-10"));
    const std::string a = Receive(Xml("A")), b = Receive(Xml("B")), f = Receive(Xml("F"));
    Receive(Scan(1));
    Receive(Xml("D"), "doboku");
    clock_.Set(Jst("2026-04-12"));
    commitment_ = Commitment();
    const OrderView order_a = Accepted(a), order_b = Accepted(b);
    auto withdrawn = wf_->Draft(f, commitment_, U("kato"));
    ASSERT_OK(withdrawn);
    Act(*withdrawn, Action::kWithdraw, "kato");
    PayOn(order_a, "2026-04-30");

    clock_.Set(Jst("2026-05-15"));
    invoice::InvoiceFields other_account = Xml("C");
    other_account.bank_account = "0005:123:1:7654321";
    const std::string c = Receive(other_account);
    const std::string s2 = Receive(Scan(2));
    auto entered = archive::NormalizeCorrection(
        json{{"issue_date", "2026-05-01"}, {"total", "5500"}, {"counterparty", "山田商事"},
             {"needs_metadata", false}});
    ASSERT_OK(entered);
    ASSERT_OK(wf_->CorrectDocument({s2, *entered, "紙の請求書から入力", 0}, U("kato")));
    // B is paid before C's new account goes into the vendor master (after
    // that B's own account would be a × to settle).
    PayOn(order_b, "2026-05-20");
    const OrderView order_c = Accepted(c);
    PayOn(order_c, "2026-06-10");
    clock_.Set(Jst("2026-06-20"));
  }
  Figures Get(FiguresQuery q, const std::string& who) {
    auto f = wf_->GetFigures(std::move(q), U(who));
    EXPECT_OK(f);
    return f.ok() ? *f : Figures{};
  }
  static const MonthFigures& Month(const Figures& f, const std::string& month) {
    for (const MonthFigures& m : f.months) {
      if (m.month == month) return m;
    }
    static const MonthFigures none;
    ADD_FAILURE() << "no month " << month;
    return none;
  }
  static const FieldMismatchRate& Rate(const Figures& f, const std::string& field) {
    for (const FieldMismatchRate& r : f.mismatch_rates) {
      if (r.field == field) return r;
    }
    static const FieldMismatchRate none;
    ADD_FAILURE() << "no field " << field;
    return none;
  }

};

TEST_F(FiguresTest, KnownReceiptsAndOrdersGiveKnownFigures) {
  WriteHistory();
  // 課長 of 総務課, the fiscal year so far (4/1 to today, 6/20).
  const Figures f = Get({}, "kacho");
  EXPECT_EQ(f.from, Date(2026, 4, 1));
  EXPECT_EQ(f.to, Date(2026, 6, 20));
  EXPECT_EQ(f.department, "somu");
  ASSERT_EQ(f.months.size(), 3u);
  EXPECT_EQ(f.months[0].month, "2026-04");
  EXPECT_EQ(f.months[2].month, "2026-06");

  const MonthFigures& april = Month(f, "2026-04");
  EXPECT_EQ(april.received, 4u);  // A, B, F, S1 (D is 土木課's)
  EXPECT_EQ(april.electronic, 3u);
  EXPECT_EQ(april.paper, 1u);
  EXPECT_EQ(april.waiting_for_input, 1u);  // S1
  EXPECT_EQ(april.paid, 1u);
  EXPECT_EQ(april.paid_late, 0u);
  EXPECT_EQ(april.median_days_to_payment, 20.0);

  const MonthFigures& may = Month(f, "2026-05");
  EXPECT_EQ(may.received, 2u);
  EXPECT_EQ(may.electronic, 1u);
  EXPECT_EQ(may.paper, 1u);
  EXPECT_EQ(may.waiting_for_input, 0u);  // S2's keys were entered
  EXPECT_EQ(may.paid, 1u);
  EXPECT_EQ(may.paid_late, 1u);  // B: 40 days, due after 30
  EXPECT_EQ(may.median_days_to_payment, 40.0);

  const MonthFigures& june = Month(f, "2026-06");
  EXPECT_EQ(june.received, 0u);
  EXPECT_EQ(june.paid, 1u);
  EXPECT_EQ(june.paid_late, 0u);
  EXPECT_EQ(june.median_days_to_payment, 26.0);

  EXPECT_EQ(f.totals.received, 6u);
  EXPECT_EQ(f.totals.electronic, 4u);
  EXPECT_EQ(f.totals.paper, 2u);
  EXPECT_EQ(f.totals.paid, 3u);
  EXPECT_EQ(f.totals.paid_late, 1u);
  EXPECT_EQ(f.totals.median_days_to_payment, 26.0);  // of 20, 40, 26
  EXPECT_EQ(f.totals.waiting_for_input, 1u);

  // × rates over A, B and C (F was withdrawn). C's bank account was ×
  // until 会計室 confirmed it; its match shows ○ now, and it still counts.
  EXPECT_EQ(f.orders_drafted, 3u);
  EXPECT_EQ(Rate(f, "bank_account").orders, 3u);
  EXPECT_EQ(Rate(f, "bank_account").mismatch, 1u);
  EXPECT_EQ(Rate(f, "amount").mismatch, 0u);
  EXPECT_EQ(Rate(f, "vendor").mismatch, 0u);
  EXPECT_EQ(f.mismatch_rates.front().field, "vendor");  // the match's order
}

TEST_F(FiguresTest, APeriodAndADepartmentNarrowThem) {
  WriteHistory();
  // 会計室 sees every department: 土木課's D is counted in April.
  const Figures all = Get({Date(2026, 4, 1), Date(2026, 4, 30), ""}, "kaikei");
  ASSERT_EQ(all.months.size(), 1u);
  EXPECT_EQ(all.department, "");
  EXPECT_EQ(all.totals.received, 5u);
  EXPECT_EQ(all.totals.paid, 1u);  // only A was paid in April
  EXPECT_EQ(all.orders_drafted, 2u);  // A and B were drafted in April

  const Figures doboku = Get({Date(2026, 4, 1), Date(2026, 6, 30), "doboku"}, "admin");
  EXPECT_EQ(doboku.totals.received, 1u);
  EXPECT_EQ(doboku.totals.paid, 0u);
  EXPECT_FALSE(doboku.totals.median_days_to_payment.has_value());
  EXPECT_EQ(doboku.orders_drafted, 0u);

  // A period across two fiscal years has every month, empty ones too.
  const Figures long_period = Get({Date(2026, 1, 15), Date(2026, 7, 2), ""}, "kaikei");
  ASSERT_EQ(long_period.months.size(), 7u);
  EXPECT_EQ(long_period.months.front().month, "2026-01");
  EXPECT_EQ(long_period.months.back().month, "2026-07");
  EXPECT_EQ(long_period.totals.paid, 3u);
}

TEST_F(FiguresTest, ManagersAccountantsAndAdminsSeeThemInTheirScope) {
  WriteHistory();
  EXPECT_EQ(wf_->GetFigures({}, U("kato")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->GetFigures({}, U("kansa")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(wf_->GetFigures({std::nullopt, std::nullopt, "doboku"}, U("kacho")).status().code(),
            Code::kPermissionDenied);
  EXPECT_OK(wf_->GetFigures({std::nullopt, std::nullopt, "somu"}, U("kacho")));
  EXPECT_OK(wf_->GetFigures({}, U("admin")));

  EXPECT_EQ(wf_->GetFigures({Date(2026, 5, 1), Date(2026, 4, 1), ""}, U("kaikei")).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(wf_->GetFigures({Date(2022, 4, 1), Date(2026, 4, 1), ""}, U("kaikei")).status().code(),
            Code::kInvalidArgument);
}

TEST(FiguresQueryTest, ParametersAreDatesAndADepartment) {
  auto q = FiguresQueryFromParams({{"from", "2026-04-01"}, {"department", "somu"}});
  ASSERT_OK(q);
  EXPECT_EQ(q->from, Date(2026, 4, 1));
  EXPECT_FALSE(q->to.has_value());
  EXPECT_EQ(q->department, "somu");
  EXPECT_EQ(FiguresQueryFromParams({{"to", "2026/04/01"}}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(FiguresQueryFromParams({{"month", "4"}}).status().code(), Code::kInvalidArgument);
}

TEST(FiguresMedianTest, MiddleValueOrMeanOfTheMiddleTwo) {
  std::vector<int> none, odd{40, 20, 26}, even{10, 40, 20, 30};
  EXPECT_FALSE(Median(&none).has_value());
  EXPECT_EQ(Median(&odd), 26.0);
  EXPECT_EQ(Median(&even), 25.0);
}

}  // namespace
}  // namespace workflow
