#include "invoice/internal/checks.h"

#include <optional>
#include <string>

#include "invoice/internal/text_util.h"
#include "invoice/warning_codes.h"
#include "base/money.h"
#include "base/registration_number.h"
#include "base/text.h"

namespace invoice::internal {
namespace {

using base::Decimal;

std::optional<Decimal> Dec(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = Decimal::Parse(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}
std::optional<Decimal> Dec(const std::optional<std::string>& text) {
  return text ? Dec(*text) : std::nullopt;
}

std::optional<Decimal> Sum(const Decimal& a, const Decimal& b) {
  auto r = a.Add(b);
  if (!r.ok()) return std::nullopt;
  return *r;
}
std::optional<Decimal> Diff(const Decimal& a, const Decimal& b) {
  auto r = a.Sub(b);
  if (!r.ok()) return std::nullopt;
  return *r;
}

// taxable × rate / 100, exactly; nullopt on overflow.
std::optional<Decimal> PercentOf(const Decimal& taxable, const Decimal& rate) {
  auto product = taxable.Mul(rate);
  if (!product.ok()) return std::nullopt;
  Decimal p = *product;
  if (p.scale() + 2 > Decimal::kMaxScale) {
    auto rounded = p.Round(Decimal::kMaxScale - 2, base::RoundingMode::kHalfEven);
    if (!rounded.ok()) return std::nullopt;
    p = *rounded;
  }
  return Decimal::FromParts(p.mantissa(), p.scale() + 2).Normalized();
}

bool IsJpPint(const ParsedInvoice& inv) { return inv.fields.format == "jp-pint"; }

// JP BIS Invoice for Non-tax Registered Businesses: no T-number, and no tax
// is charged, so neither the registration number nor the per-rate tax
// applies.
bool IsJpNonTaxInvoice(const ParsedInvoice& inv) {
  return IsJpPint(inv) && ContainsIgnoreCase(inv.fields.specification_id, "nontaxinvoice");
}

void CheckInvoiceNumber(const ParsedInvoice& inv, WarningList* w) {
  if (inv.fields.invoice_number.empty()) {
    w->Add(warning_code::kMissingInvoiceNumber, "請求書番号が記載されていません");
  }
}

void CheckRegistrationNumber(const ParsedInvoice& inv, WarningList* w) {
  const InvoiceFields& f = inv.fields;
  if (f.registration_number) {
    if (!base::IsValidRegistrationNumber(*f.registration_number)) {
      w->Add(warning_code::kRegistrationNumberCheckDigit,
             "登録番号 " + *f.registration_number + " のチェックデジットが正しくありません");
    }
    return;
  }
  if (IsJpPint(inv) && !IsJpNonTaxInvoice(inv) && inv.supplier_vat_id) {
    w->Add(warning_code::kRegistrationNumberMalformed,
           "登録番号「" + base::PrintableText(*inv.supplier_vat_id, 64) +
               "」の形式が正しくありません（T と 13 桁の数字）");
  }
}

void CheckTaxRounding(const ParsedInvoice& inv, WarningList* w) {
  if (IsJpNonTaxInvoice(inv)) return;
  const int minor = base::MinorUnits(inv.fields.currency);
  const Decimal one_minor_unit = Decimal::FromParts(1, minor);
  for (const TaxSubtotal& s : inv.fields.tax_subtotals) {
    const auto rate = Dec(s.rate), taxable = Dec(s.taxable), tax = Dec(s.tax);
    if (!rate || !taxable || !tax) continue;
    const auto expected = PercentOf(*taxable, *rate);
    if (!expected) continue;
    auto delta = Diff(*tax, *expected);
    if (!delta) continue;
    if (delta->sign() < 0) delta = delta->Negate();
    if (*delta < one_minor_unit) continue;
    w->Add(warning_code::kTaxRoundingMismatch,
           "税率 " + s.rate + "% の消費税額 " + s.tax + " が、課税対象額 " + s.taxable + " × " +
               s.rate + "% = " + expected->ToString() + " の端数処理の結果と一致しません");
  }
}

void CheckTotals(const ParsedInvoice& inv, WarningList* w) {
  const InvoiceFields& f = inv.fields;
  const DocumentAmounts& a = inv.amounts;

  // Per-rate sums against the document totals (only when every row states
  // the value).
  std::optional<Decimal> sum_taxable = Decimal(), sum_tax = Decimal();
  for (const TaxSubtotal& s : f.tax_subtotals) {
    const auto taxable = Dec(s.taxable), tax = Dec(s.tax);
    sum_taxable = (sum_taxable && taxable) ? Sum(*sum_taxable, *taxable) : std::nullopt;
    sum_tax = (sum_tax && tax) ? Sum(*sum_tax, *tax) : std::nullopt;
  }
  const auto excl = Dec(a.tax_exclusive), tax_total = Dec(a.tax_total);
  if (!f.tax_subtotals.empty()) {
    if (sum_taxable && excl && *sum_taxable != *excl) {
      w->Add(warning_code::kTaxableTotalMismatch, "税率ごとの課税対象額の合計 " +
                                                      sum_taxable->ToString() + " が税抜合計額 " +
                                                      *a.tax_exclusive + " と一致しません");
    }
    if (sum_tax && tax_total && *sum_tax != *tax_total) {
      w->Add(warning_code::kTaxTotalMismatch, "税率ごとの消費税額の合計 " + sum_tax->ToString() +
                                                  " が消費税額合計 " + *a.tax_total +
                                                  " と一致しません");
    }
  }

  const auto incl = Dec(f.tax_inclusive_total), payable = Dec(f.total);
  const Decimal prepaid = Dec(a.prepaid).value_or(Decimal());
  const Decimal rounding = Dec(a.rounding).value_or(Decimal());

  // Inclusive total, with the rounding outside (a) or inside (b) it.
  std::optional<bool> incl_ok_a, incl_ok_b;
  if (excl && tax_total && incl) {
    const auto base_sum = Sum(*excl, *tax_total);
    if (base_sum) {
      incl_ok_a = *base_sum == *incl;
      const auto with_rounding = Sum(*base_sum, rounding);
      incl_ok_b = with_rounding && *with_rounding == *incl;
    }
  }
  std::optional<bool> pay_ok_a, pay_ok_b;
  if (incl && payable) {
    const auto after_prepaid = Diff(*incl, prepaid);
    if (after_prepaid) {
      const auto with_rounding = Sum(*after_prepaid, rounding);
      pay_ok_a = with_rounding && *with_rounding == *payable;
      pay_ok_b = *after_prepaid == *payable;
    }
  }
  const bool incl_known = incl_ok_a.has_value(), pay_known = pay_ok_a.has_value();
  bool incl_bad = incl_known && !*incl_ok_a && !*incl_ok_b;
  bool pay_bad = pay_known && !*pay_ok_a && !*pay_ok_b;
  if (incl_known && pay_known && !incl_bad && !pay_bad) {
    // Each holds on its own; they must hold with the rounding counted once.
    if (!((*incl_ok_a && *pay_ok_a) || (*incl_ok_b && *pay_ok_b))) pay_bad = true;
  }
  if (incl_bad) {
    w->Add(warning_code::kInclusiveTotalMismatch,
           "税抜合計額 " + *a.tax_exclusive + " と消費税額 " + *a.tax_total + " の和が税込合計額 " +
               *f.tax_inclusive_total + " と一致しません");
  }
  if (pay_bad) {
    w->Add(warning_code::kPayableTotalMismatch, "税込合計額 " + *f.tax_inclusive_total +
                                                    " − 前払額 " + prepaid.ToString() +
                                                    " + 端数調整額 " + rounding.ToString() +
                                                    " が支払金額 " + *f.total + " と一致しません");
  }
}

// 適格請求書の記載事項 (消費税法 57 条の 4): issuer name and registration
// number, transaction date, tax per rate with the rate, recipient name. The
// non-registered variant has no registration number and no tax.
void CheckQualifiedInvoiceItems(const ParsedInvoice& inv, WarningList* w) {
  if (!IsJpPint(inv)) return;
  const InvoiceFields& f = inv.fields;
  const bool non_tax = IsJpNonTaxInvoice(inv);
  const auto missing = [&](std::string_view code, std::string_view item) {
    w->Add(code, "適格請求書の記載事項「" + std::string(item) + "」が記載されていません");
  };
  if (f.counterparty.empty()) missing(warning_code::kMissingIssuerName, "発行者の氏名又は名称");
  if (!non_tax && !f.registration_number && !inv.supplier_vat_id) {
    missing(warning_code::kMissingRegistrationNumber, "登録番号");
  }
  if (!f.issue_date) missing(warning_code::kMissingIssueDate, "取引年月日（発行日）");
  if (!non_tax) {
    bool has_rate_and_tax = false;
    for (const TaxSubtotal& s : f.tax_subtotals) {
      if (!s.rate.empty() && !s.tax.empty()) has_rate_and_tax = true;
    }
    if (!has_rate_and_tax) {
      missing(warning_code::kMissingTaxBreakdown, "税率ごとに区分した消費税額等と適用税率");
    }
  }
  if (!f.buyer) missing(warning_code::kMissingBuyerName, "書類の交付を受ける事業者の氏名又は名称");
}

}  // namespace

void CheckInvoice(const ParsedInvoice& invoice, WarningList* warnings) {
  CheckInvoiceNumber(invoice, warnings);
  CheckRegistrationNumber(invoice, warnings);
  CheckTaxRounding(invoice, warnings);
  CheckTotals(invoice, warnings);
  CheckQualifiedInvoiceItems(invoice, warnings);
}

}  // namespace invoice::internal
