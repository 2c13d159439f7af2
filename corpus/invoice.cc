// Invoice arithmetic: line amounts, one tax rounding per rate, totals.

#include <algorithm>
#include <cstdio>
#include <string>

#include "corpus/corpus.h"

namespace corpus {

base::Status ComputeTotals(Invoice* inv) {
  const int minor = base::MinorUnits(inv->currency);
  inv->tax_subtotals.clear();
  base::Decimal sum;
  for (LineItem& line : inv->lines) {
    if (line.tax_rate < 0 || line.tax_rate > 100) {
      return base::Status::InvalidArgument("税率 " + std::to_string(line.tax_rate) +
                                           "% は範囲外です（0〜100%）");
    }
    ASSIGN_OR_RETURN(const base::Decimal product,
                     line.quantity.Mul(line.unit_price));
    ASSIGN_OR_RETURN(line.amount,
                     product.Round(minor, base::RoundingMode::kDown));
    ASSIGN_OR_RETURN(sum, sum.Add(line.amount));
    auto it = std::find_if(
        inv->tax_subtotals.begin(), inv->tax_subtotals.end(),
        [&](const TaxSubtotal& t) { return t.rate == line.tax_rate; });
    if (it == inv->tax_subtotals.end()) {
      inv->tax_subtotals.push_back(
          {line.tax_rate, line.reduced, base::Decimal(), base::Decimal()});
      it = inv->tax_subtotals.end() - 1;
    }
    it->reduced = it->reduced || line.reduced;
    ASSIGN_OR_RETURN(it->taxable, it->taxable.Add(line.amount));
  }
  std::sort(inv->tax_subtotals.begin(), inv->tax_subtotals.end(),
            [](const TaxSubtotal& a, const TaxSubtotal& b) {
              return a.rate > b.rate;
            });
  base::Decimal tax;
  for (TaxSubtotal& t : inv->tax_subtotals) {
    // One rounding per rate per invoice, down (切り捨て).
    ASSIGN_OR_RETURN(const base::Decimal exact,
                     t.taxable.Mul(base::Decimal::FromParts(t.rate, 2)));
    ASSIGN_OR_RETURN(t.tax, exact.Round(minor, base::RoundingMode::kDown));
    ASSIGN_OR_RETURN(tax, tax.Add(t.tax));
  }
  inv->line_extension_amount = sum;
  inv->tax_exclusive_amount = sum;
  inv->tax_amount = tax;
  ASSIGN_OR_RETURN(inv->tax_inclusive_amount, sum.Add(tax));
  inv->payable_amount = inv->tax_inclusive_amount;
  return base::Status::OK();
}

std::string CorpusFileName(int n, Format format) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "invoice-%06d.%s", n,
                format == Format::kPdf ? "pdf" : "xml");
  return buf;
}

}  // namespace corpus
