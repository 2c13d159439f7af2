#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/corpus.h"
#include "base/registration_number.h"
#include "tests/fakes/test_util.h"

namespace corpus {
namespace {

using base::Decimal;

std::vector<Invoice> Generate(Options options, int n) {
  Generator g(options);
  std::vector<Invoice> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) out.push_back(g.Next());
  return out;
}

Options Small(uint64_t seed = 1) {
  Options o;
  o.seed = seed;
  o.target_xml_bytes = 0;  // few lines: fast
  return o;
}

int64_t Yen(const Decimal& d) {
  EXPECT_EQ(d.scale(), 0) << d.ToString();
  return d.mantissa();
}

TEST(ComputeTotalsTest, RoundsTaxDownOncePerRate) {
  Invoice inv;
  // Two lines of 15 yen at 10%: per line the tax would be 1 + 1; per invoice
  // it is floor(30 × 10%) = 3.
  inv.lines.push_back({"A",
                       Decimal::FromInt(1),
                       "H87",
                       "個",
                       Decimal::FromInt(15),
                       10,
                       false,
                       {}});
  inv.lines.push_back({"B",
                       Decimal::FromInt(1),
                       "H87",
                       "個",
                       Decimal::FromInt(15),
                       10,
                       false,
                       {}});
  // 2.5 kg × 398 = 995 at 8%: tax floor(79.6) = 79.
  inv.lines.push_back({"米",
                       Decimal::FromParts(25, 1),
                       "KGM",
                       "kg",
                       Decimal::FromInt(398),
                       8,
                       true,
                       {}});
  ASSERT_OK(ComputeTotals(&inv));
  ASSERT_EQ(inv.tax_subtotals.size(), 2u);
  EXPECT_EQ(inv.tax_subtotals[0].rate, 10);
  EXPECT_FALSE(inv.tax_subtotals[0].reduced);
  EXPECT_EQ(inv.tax_subtotals[0].taxable, Decimal::FromInt(30));
  EXPECT_EQ(inv.tax_subtotals[0].tax, Decimal::FromInt(3));
  EXPECT_EQ(inv.tax_subtotals[1].rate, 8);
  EXPECT_TRUE(inv.tax_subtotals[1].reduced);
  EXPECT_EQ(inv.tax_subtotals[1].taxable, Decimal::FromInt(995));
  EXPECT_EQ(inv.tax_subtotals[1].tax, Decimal::FromInt(79));
  EXPECT_EQ(inv.lines[2].amount.ToString(), "995");
  EXPECT_EQ(inv.tax_exclusive_amount.ToString(), "1025");
  EXPECT_EQ(inv.tax_amount.ToString(), "82");
  EXPECT_EQ(inv.tax_inclusive_amount.ToString(), "1107");
  EXPECT_EQ(inv.payable_amount.ToString(), "1107");
}

TEST(ComputeTotalsTest, RejectsImpossibleRate) {
  Invoice inv;
  inv.lines.push_back({"A",
                       Decimal::FromInt(1),
                       "H87",
                       "個",
                       Decimal::FromInt(1),
                       101,
                       false,
                       {}});
  EXPECT_EQ(ComputeTotals(&inv).code(), base::Status::Code::kInvalidArgument);
}

TEST(GeneratorTest, SameSeedGivesSameInvoices) {
  const auto a = Generate(Options(), 50);
  const auto b = Generate(Options(), 50);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(RenderJpPint(a[i]), RenderJpPint(b[i])) << i;
  }
}

TEST(GeneratorTest, DifferentSeedGivesDifferentInvoices) {
  Options other;
  other.seed = 2;
  const auto a = Generate(Options(), 20);
  const auto b = Generate(other, 20);
  int same = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    same += RenderJpPint(a[i]) == RenderJpPint(b[i]);
  }
  EXPECT_EQ(same, 0);
}

TEST(GeneratorTest, VendorMasterIsRealisticAndValid) {
  const Generator g(Options{});
  const auto& vendors = g.vendors();
  ASSERT_GE(vendors.size(), 40u);
  std::set<std::string> numbers, names;
  int variants = 0, abbreviated = 0, ascii_ampersand = 0;
  const std::set<std::string> expense_types = {
      "委託料", "工事請負費", "需用費", "使用料及び賃借料", "備品購入費"};
  for (const Vendor& v : vendors) {
    EXPECT_TRUE(base::IsValidRegistrationNumber(v.registration_number))
        << v.name;
    numbers.insert(v.registration_number);
    names.insert(v.name);
    EXPECT_EQ(v.address, v.prefecture + v.city + v.street);
    EXPECT_EQ(v.postal_code.size(), 7u) << v.name;
    EXPECT_TRUE(v.prefecture.ends_with("都") || v.prefecture.ends_with("県") ||
                v.prefecture.ends_with("府") || v.prefecture.ends_with("道"))
        << v.prefecture;
    EXPECT_EQ(v.bank_account.size(), 18u)
        << v.bank_account;  // 0005:123:1:1234567
    EXPECT_FALSE(v.bank_name.empty());
    EXPECT_FALSE(v.account_name.empty());
    EXPECT_FALSE(v.name_kana.empty());
    EXPECT_TRUE(expense_types.count(v.expense_type)) << v.expense_type;
    if (v.name_on_invoice != v.name) ++variants;
    if (v.name_on_invoice.find("(株)") != std::string::npos ||
        v.name_on_invoice.find("㈱") != std::string::npos ||
        v.name_on_invoice.find("(有)") != std::string::npos) {
      ++abbreviated;
    }
    if (v.name_on_invoice.find('&') != std::string::npos) ++ascii_ampersand;
  }
  EXPECT_EQ(numbers.size(), vendors.size())
      << "registration numbers must be unique";
  EXPECT_EQ(names.size(), vendors.size());
  EXPECT_GE(variants, 10);
  EXPECT_GE(abbreviated, 5);
  EXPECT_GE(ascii_ampersand, 1);

  // The same master for every seed.
  Options other;
  other.seed = 99;
  const Generator g2(other);
  ASSERT_EQ(g2.vendors().size(), vendors.size());
  for (size_t i = 0; i < vendors.size(); ++i) {
    EXPECT_EQ(g2.vendors()[i].registration_number,
              vendors[i].registration_number);
    EXPECT_EQ(g2.vendors()[i].bank_account, vendors[i].bank_account);
  }
}

TEST(GeneratorTest, BankAccountNamesAreHalfWidthKana) {
  const Generator g(Options{});
  bool found = false;
  for (const Vendor& v : g.vendors()) {
    if (v.name == "株式会社山田建設") {
      EXPECT_EQ(v.account_name, "ｶ)ﾔﾏﾀﾞｹﾝｾﾂ");
      found = true;
    }
    if (v.name == "東和ビルメンテナンス株式会社") {
      EXPECT_EQ(v.account_name, "ﾄｳﾜﾋﾞﾙﾒﾝﾃﾅﾝｽ(ｶ");
    }
  }
  EXPECT_TRUE(found);
}

TEST(GeneratorTest, DepartmentsLookLikeACity) {
  const Generator g(Options{});
  std::set<std::string> codes;
  for (const Department& d : g.departments()) {
    EXPECT_FALSE(d.name.empty());
    codes.insert(d.code);
  }
  EXPECT_EQ(codes.size(), g.departments().size());
  EXPECT_GE(codes.size(), 10u);
  EXPECT_TRUE(codes.count("somu") && codes.count("doboku") &&
              codes.count("kodomo"));
  for (const Invoice& inv : Generate(Small(), 300)) {
    EXPECT_TRUE(codes.count(inv.department_code)) << inv.department_code;
    EXPECT_FALSE(inv.department_name.empty());
  }
}

TEST(GeneratorTest, InvoicesCarryValidRegistrationNumbers) {
  for (const Invoice& inv : Generate(Small(), 300)) {
    EXPECT_TRUE(base::IsValidRegistrationNumber(inv.vendor.registration_number))
        << inv.id;
    EXPECT_TRUE(base::IsValidCorporateNumber(inv.buyer_corporate_number));
    EXPECT_EQ(inv.buyer, "蔵前市");
  }
}

TEST(GeneratorTest, ArithmeticAddsUp) {
  Options o;
  o.target_xml_bytes = 5000;
  for (const Invoice& inv : Generate(o, 400)) {
    SCOPED_TRACE(inv.id);
    ASSERT_FALSE(inv.lines.empty());
    std::map<int, int64_t> per_rate;
    int64_t lines = 0;
    for (const LineItem& l : inv.lines) {
      ASSERT_OK(l.quantity.Mul(l.unit_price));
      EXPECT_EQ(*l.quantity.Mul(l.unit_price), l.amount)
          << "line amounts are exact";
      EXPECT_GT(Yen(l.amount), 0);
      EXPECT_TRUE(l.tax_rate == 10 || l.tax_rate == 8);
      EXPECT_EQ(l.reduced, l.tax_rate == 8);
      per_rate[l.tax_rate] += Yen(l.amount);
      lines += Yen(l.amount);
    }
    int64_t tax = 0;
    ASSERT_EQ(inv.tax_subtotals.size(), per_rate.size());
    for (const TaxSubtotal& t : inv.tax_subtotals) {
      EXPECT_EQ(Yen(t.taxable), per_rate[t.rate]);
      EXPECT_EQ(Yen(t.tax), Yen(t.taxable) * t.rate / 100)
          << "floor(taxable × rate)";
      tax += Yen(t.tax);
    }
    EXPECT_EQ(Yen(inv.line_extension_amount), lines);
    EXPECT_EQ(Yen(inv.tax_exclusive_amount), lines);
    EXPECT_EQ(Yen(inv.tax_amount), tax);
    EXPECT_EQ(Yen(inv.tax_inclusive_amount), lines + tax);
    EXPECT_EQ(inv.payable_amount, inv.tax_inclusive_amount);
    EXPECT_EQ(inv.currency, "JPY");
  }
}

TEST(GeneratorTest, DatesStayInsideTheRange) {
  Options o = Small();
  for (const Invoice& inv : Generate(o, 500)) {
    EXPECT_GE(inv.issue_date, o.from);
    EXPECT_LE(inv.issue_date, o.to);
    EXPECT_GT(inv.due_date, inv.issue_date);
    EXPECT_LE(base::DaysBetween(inv.issue_date, inv.due_date), 62);
  }
  o.from = base::Date(2026, 2, 28);
  o.to = base::Date(2026, 3, 2);
  std::set<base::Date> seen;
  for (const Invoice& inv : Generate(o, 100)) {
    EXPECT_GE(inv.issue_date, o.from);
    EXPECT_LE(inv.issue_date, o.to);
    seen.insert(inv.issue_date);
  }
  EXPECT_EQ(seen.size(), 3u);
}

TEST(GeneratorTest, DatesSpreadOverTheYear) {
  std::set<int> months;
  for (const Invoice& inv : Generate(Small(), 300)) {
    months.insert(inv.issue_date.month());
  }
  EXPECT_EQ(months.size(), 12u);
}

TEST(GeneratorTest, BothRatesAppearInTwoHundred) {
  int ten = 0, eight = 0, mixed = 0;
  for (const Invoice& inv : Generate(Options(), 200)) {
    bool has10 = false, has8 = false;
    for (const TaxSubtotal& t : inv.tax_subtotals) {
      has10 = has10 || t.rate == 10;
      has8 = has8 || t.rate == 8;
    }
    ten += has10;
    eight += has8;
    mixed += has10 && has8;
  }
  EXPECT_GT(ten, 100);
  EXPECT_GT(eight, 5);
  EXPECT_GT(mixed, 0);
}

TEST(GeneratorTest, AmountsSpreadAndHitThresholds) {
  int64_t lo = INT64_MAX, hi = 0;
  int at_500k = 0, at_5m = 0, above_500k = 0, above_5m = 0;
  std::map<int, int> decades;
  for (const Invoice& inv : Generate(Small(), 3000)) {
    const int64_t p = Yen(inv.payable_amount);
    lo = std::min(lo, p);
    hi = std::max(hi, p);
    at_500k += p == 500'000;
    at_5m += p == 5'000'000;
    above_500k += p > 500'000 && p <= 502'000;
    above_5m += p > 5'000'000 && p <= 5'020'000;
    int d = 0;
    for (int64_t x = p; x >= 10; x /= 10) ++d;
    ++decades[d];
  }
  EXPECT_LT(lo, 10'000);
  EXPECT_GT(hi, 10'000'000);
  EXPECT_GE(at_500k, 10);
  EXPECT_GE(at_5m, 3);
  EXPECT_GE(above_500k, 5);
  EXPECT_GE(above_5m, 2);
  for (int d = 4; d <= 7; ++d) EXPECT_GE(decades[d], 100) << "10^" << d;
}

TEST(GeneratorTest, InvoiceNumbersAreUnique) {
  std::set<std::string> ids;
  for (const Invoice& inv : Generate(Small(), 5000)) {
    EXPECT_FALSE(inv.id.empty());
    ids.insert(inv.id);
  }
  EXPECT_EQ(ids.size(), 5000u);
}

TEST(GeneratorTest, PdfShareIsRespected) {
  Options o = Small();
  int pdfs = 0;
  for (const Invoice& inv : Generate(o, 1000)) {
    pdfs += inv.format == Format::kPdf;
  }
  EXPECT_GT(pdfs, 240);
  EXPECT_LT(pdfs, 360);
  o.pdf_share = 0;
  for (const Invoice& inv : Generate(o, 200)) {
    EXPECT_EQ(inv.format, Format::kJpPint);
  }
  o.pdf_share = 1;
  for (const Invoice& inv : Generate(o, 200)) {
    EXPECT_EQ(inv.format, Format::kPdf);
  }
}

TEST(GeneratorTest, XmlSizeNearTarget) {
  for (size_t target : {size_t{8000}, size_t{20000}, size_t{50000}}) {
    Options o;
    o.target_xml_bytes = target;
    size_t total = 0;
    const int n = 100;
    for (const Invoice& inv : Generate(o, n)) {
      const size_t size = RenderJpPint(inv).size();
      EXPECT_GT(size, target * 8 / 10);
      EXPECT_LT(size, target * 12 / 10);
      total += size;
    }
    EXPECT_NEAR(static_cast<double>(total) / n, static_cast<double>(target),
                target * 0.1);
  }
}

TEST(GeneratorTest, NaturalLineCountWithoutTarget) {
  for (const Invoice& inv : Generate(Small(), 300)) {
    EXPECT_GE(inv.lines.size(), 1u);
    EXPECT_LE(inv.lines.size(), 8u);
  }
}

TEST(GeneratorTest, SomeQuantitiesHaveFractions) {
  int fractional = 0;
  for (const Invoice& inv : Generate(Options(), 100)) {
    for (const LineItem& l : inv.lines) fractional += l.quantity.scale() > 0;
  }
  EXPECT_GT(fractional, 0);
}

}  // namespace
}  // namespace corpus
