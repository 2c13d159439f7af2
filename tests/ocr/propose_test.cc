// Propose on text as Tesseract returns it (lines of words with boxes), made
// by hand: the extraction rules without running OCR.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/registration_number.h"
#include "ocr/propose.h"

namespace {

using ocr::PageText;

// A page whose lines are given as text; words split at spaces, each word
// 20 px wide per byte... enough for boxes that do not overlap. A line given
// as {"label", "amount"} with a gap puts the amount in its own line at the
// same height, as Tesseract does across a column gap.
PageText Page(const std::vector<std::vector<std::string>>& rows, float confidence = 90) {
  PageText page;
  page.page = 1;
  page.width = 2480;
  page.height = 3508;
  int y = 100;
  for (const auto& parts : rows) {
    int x = 100;
    for (const std::string& part : parts) {
      ocr::Line line;
      line.confidence = confidence;
      size_t start = 0;
      while (start <= part.size()) {
        size_t end = part.find(' ', start);
        if (end == std::string::npos) end = part.size();
        const std::string word = part.substr(start, end - start);
        if (!word.empty()) {
          const int w = 12 * static_cast<int>(word.size());
          line.words.push_back({word, confidence, {1, x, y, w, 40}});
          line.box = ocr::Union(line.box, {1, x, y, w, 40});
          x += w + 10;
        }
        start = end + 1;
      }
      page.lines.push_back(line);
      x += 400;  // the column gap
    }
    y += 60;
  }
  return page;
}

std::string ValidNumber(const std::string& body12) {
  return std::string("T") + base::CorporateNumberCheckDigit(body12) + body12;
}

TEST(ProposeTest, WesternDateWithLabelBeatsTheDueDate) {
  auto p = ocr::Propose({Page({{"お支払期限: 2026年5月31日"}, {"請求日: 2026年4月1日"}})}, {});
  ASSERT_TRUE(p.issue_date);
  EXPECT_EQ(p.issue_date->value, "2026-04-01");
  EXPECT_EQ(p.issue_date->box.y, 160);
  EXPECT_NEAR(p.issue_date->confidence, 0.9, 1e-6);
}

TEST(ProposeTest, JapaneseEraAndSlashedDates) {
  EXPECT_EQ(ocr::internal::ParseDate("発行日令和7年4月17日"), "2025-04-17");
  EXPECT_EQ(ocr::internal::ParseDate("R6.4.1"), "2024-04-01");
  EXPECT_EQ(ocr::internal::ParseDate("平成31年4月30日"), "2019-04-30");
  EXPECT_EQ(ocr::internal::ParseDate("令和元年5月1日"), "2019-05-01");
  EXPECT_EQ(ocr::internal::ParseDate("2026/04/01"), "2026-04-01");
  // 令 misread (信和), 日 misread (晶): still the date.
  EXPECT_EQ(ocr::internal::ParseDate("発行日信和7年4月17晶"), "2025-04-17");
  EXPECT_EQ(ocr::internal::ParseDate("2026年2月30日"), std::nullopt);
  auto p = ocr::Propose({Page({{"発行日 令和８年４月１日"}})}, {});
  ASSERT_TRUE(p.issue_date);
  EXPECT_EQ(p.issue_date->value, "2026-04-01");  // full-width digits via NFKC
}

TEST(ProposeTest, AmountsReadCommasAsDotsAndKeepDecimals) {
  EXPECT_EQ(ocr::internal::ParseAmount("1,234,567"), "1234567");
  EXPECT_EQ(ocr::internal::ParseAmount("1.234.567"), "1234567");
  EXPECT_EQ(ocr::internal::ParseAmount("15.388,408"), "15388408");
  EXPECT_EQ(ocr::internal::ParseAmount("1234.5"), "1234.5");
  EXPECT_EQ(ocr::internal::ParseAmount("1,.009,651"), "1009651");  // one separator read twice
  EXPECT_EQ(ocr::internal::ParseAmount("12,34"), std::nullopt);
}

TEST(ProposeTest, TotalAcrossAColumnGapWithYenAndDash) {
  auto p = ocr::Propose({Page({{"小計(税抜)", "¥100,000"},
                               {"10%対象", "¥100,000", "消費税", "¥10,000"},
                               {"合計（税込）", "￥１１０．０００－"}})},
                        {});
  ASSERT_TRUE(p.total);
  EXPECT_EQ(p.total->value, "110000");
  EXPECT_EQ(p.total->box.y, 220);
  EXPECT_GE(p.total->confidence, 0.9);  // agrees with the tax summary
  ASSERT_EQ(p.tax_subtotals.size(), 1u);
  EXPECT_EQ(p.tax_subtotals[0].rate, 10);
  EXPECT_EQ(p.tax_subtotals[0].taxable, "100000");
  EXPECT_EQ(p.tax_subtotals[0].tax, "10000");
}

TEST(ProposeTest, TotalWithKinAndEnAndNoTaxSummary) {
  auto p = ocr::Propose({Page({{"ご請求金額 金12,000円"}})}, {});
  ASSERT_TRUE(p.total);
  EXPECT_EQ(p.total->value, "12000");
  EXPECT_LT(p.total->confidence, 0.9);
}

TEST(ProposeTest, ReducedRateSubtotalsAndATotalThatDisagrees) {
  auto p = ocr::Propose({Page({{"10%対象 ¥1,269", "消費税 ¥126"},
                               {"8%対象 ※軽減税率 ¥3,731", "消費税 ¥298"},
                               {"消費税合計", "¥424"},
                               {"合計(税込)", "¥5,424"},
                               {"合計金額", "¥9,999"}})},
                        {});
  ASSERT_EQ(p.tax_subtotals.size(), 2u);
  EXPECT_EQ(p.tax_subtotals[0].rate, 10);
  EXPECT_FALSE(p.tax_subtotals[0].reduced);
  EXPECT_EQ(p.tax_subtotals[1].rate, 8);
  EXPECT_TRUE(p.tax_subtotals[1].reduced);
  EXPECT_EQ(p.tax_subtotals[1].taxable, "3731");
  EXPECT_EQ(p.tax_subtotals[1].tax, "298");
  ASSERT_TRUE(p.total);
  EXPECT_EQ(p.total->value, "5424");  // the one the rates add up to
}

TEST(ProposeTest, RegistrationNumberNeedsItsCheckDigit) {
  const std::string good = ValidNumber("030201282094");
  auto p = ocr::Propose({Page({{"登録番号: " + good}})}, {});
  ASSERT_TRUE(p.registration_number);
  EXPECT_EQ(p.registration_number->value, good);

  std::string bad = good;
  bad[1] = bad[1] == '9' ? '1' : static_cast<char>(bad[1] + 1);
  ASSERT_FALSE(base::IsValidRegistrationNumber(bad));
  EXPECT_FALSE(ocr::Propose({Page({{"登録番号: " + bad}})}, {}).registration_number);

  // O read for 0 in the digits, full-width T.
  std::string misread = good;
  for (char& c : misread) {
    if (c == '0') c = 'O';
  }
  auto q = ocr::Propose({Page({{"登録番号 Ｔ" + misread.substr(1)}})}, {});
  ASSERT_TRUE(q.registration_number);
  EXPECT_EQ(q.registration_number->value, good);
}

TEST(ProposeTest, VendorMasterConfirmsTheCounterparty) {
  const std::string number = ValidNumber("010401012345");
  const std::vector<ocr::KnownVendor> vendors = {{"7", "株式会社山田建設", number},
                                                 {"8", "有限会社髙橋商店", ""}};
  auto by_number = ocr::Propose({Page({{"㈱ヤマダ"}, {"T" + number.substr(1)}})}, vendors);
  ASSERT_TRUE(by_number.counterparty);
  EXPECT_EQ(by_number.counterparty->value, "株式会社山田建設");
  EXPECT_EQ(by_number.counterparty_vendor_id, "7");
  EXPECT_GE(by_number.counterparty->confidence, 0.95);

  auto by_name = ocr::Propose({Page({{"蔵前市 御中"}, {"(有) 髙橋商店"}})}, vendors);
  ASSERT_TRUE(by_name.counterparty);
  EXPECT_EQ(by_name.counterparty->value, "有限会社髙橋商店");
  EXPECT_EQ(by_name.counterparty_vendor_id, "8");

  auto unknown = ocr::Propose({Page({{"蔵前市 御中"}, {"株式会社 見知らぬ商事"}})}, vendors);
  ASSERT_TRUE(unknown.counterparty);
  EXPECT_EQ(unknown.counterparty->value, "株式会社見知らぬ商事");
  EXPECT_TRUE(unknown.counterparty_vendor_id.empty());
  EXPECT_LE(unknown.counterparty->confidence, 0.5);
}

TEST(ProposeTest, InvoiceNumberAfterItsLabel) {
  auto p = ocr::Propose({Page({{"No. 品名 数量"}, {"請求番号： KAM-202505-00788"}})}, {});
  ASSERT_TRUE(p.invoice_number);
  EXPECT_EQ(p.invoice_number->value, "KAM-202505-00788");
}

TEST(ProposeTest, NothingFoundIsNothingProposed) {
  auto p = ocr::Propose({Page({{"毎度ありがとうございます。"}})}, {});
  EXPECT_FALSE(p.issue_date || p.total || p.counterparty || p.registration_number ||
               p.invoice_number);
  EXPECT_TRUE(p.tax_subtotals.empty());
  const nlohmann::json values = ocr::ProposalValuesJson(p);
  EXPECT_TRUE(values["total"].is_null());
  EXPECT_TRUE(ocr::ProposalConfidenceJson(p).empty());
}

TEST(ProposeTest, JsonRoundTrip) {
  auto p = ocr::Propose({Page({{"請求日: 2026年4月1日"},
                               {"10%対象 ¥1,000", "消費税 ¥100"},
                               {"合計(税込)", "¥1,100"}})},
                        {});
  const auto values = ocr::ProposalValuesJson(p);
  EXPECT_EQ(values["issue_date"], "2026-04-01");
  EXPECT_EQ(values["tax_subtotals"][0]["taxable"], "1000");
  const ocr::Proposal back = ocr::ProposalFromJson(values, ocr::ProposalConfidenceJson(p),
                                                   ocr::ProposalRegionsJson(p));
  EXPECT_EQ(ocr::ProposalValuesJson(back), values);
  EXPECT_EQ(ocr::ProposalRegionsJson(back), ocr::ProposalRegionsJson(p));
  ASSERT_TRUE(back.total);
  EXPECT_EQ(back.total->box.y, p.total->box.y);
}

}  // namespace
