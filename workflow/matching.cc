#include "workflow/matching.h"

#include <string>

#include "base/text.h"
#include "base/utf8.h"
#include "workflow/internal/json_util.h"

namespace workflow {

using base::Decimal;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// --- UTF-8 <-> code points (the input comes from ICU, so it is valid; an
// ill-formed byte would become U+FFFD). ---

std::u32string Decode(std::string_view s) {
  std::u32string out;
  for (size_t pos = 0; pos < s.size();) {
    const int32_t cp = base::NextCodePoint(s, &pos);
    out.push_back(cp == base::kIllFormedUtf8 ? U'\uFFFD' : static_cast<char32_t>(cp));
  }
  return out;
}

std::string Encode(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) base::AppendCodePoint(cp, &out);
  return out;
}

// Digit value of a kanji numeral (0..9), 10/100/1000 for 十百千, or -1.
int KanjiValue(char32_t c) {
  switch (c) {
    case U'〇':
    case U'零':
      return 0;
    case U'一':
      return 1;
    case U'二':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    default:
      return -1;
  }
}

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

bool IsDash(char32_t c) {
  switch (c) {
    case U'-':
    case U'\u2010':
    case U'\u2011':
    case U'\u2012':
    case U'\u2013':
    case U'\u2014':
    case U'\u2015':
    case U'\u2212':
    case U'\uFF0D':
    case U'\uFE63':
      return true;
    default:
      return false;
  }
}

bool IsSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000' || c == U'\n'; }

// "二十三" → "23", "一〇" → "10".
std::u32string KanjiNumber(const std::u32string& run) {
  bool positional = true;
  for (char32_t c : run) positional = positional && KanjiValue(c) < 10;
  if (positional) {
    std::u32string out;
    for (char32_t c : run) out.push_back(U'0' + KanjiValue(c));
    return out;
  }
  long total = 0, current = 0;
  for (char32_t c : run) {
    const int v = KanjiValue(c);
    if (v < 10) {
      current = current * 10 + v;
    } else {
      total += (current == 0 ? 1 : current) * v;
      current = 0;
    }
  }
  total += current;
  std::u32string out;
  for (char ch : std::to_string(total)) out.push_back(static_cast<char32_t>(ch));
  return out;
}

// True if s[i..] starts with a block-number marker (丁目, 番, 号) or a dash.
bool MarkerAt(const std::u32string& s, size_t i) {
  if (i >= s.size()) return false;
  return s[i] == U'丁' || s[i] == U'番' || s[i] == U'号' || IsDash(s[i]) || s[i] == U'ー';
}

// An amount as the invoice states it: NotFound if it states none (an
// absent member, or a subtotal value the document leaves out).
Result<Decimal> Amount(std::string_view text) {
  if (text.empty()) return Status::NotFound("金額の記載がありません");
  return Decimal::Parse(text);
}

FieldMatch Compare(std::string field, std::string invoice_value, std::string expected, bool equal) {
  FieldMatch m{std::move(field), MatchStatus::kMatch, std::move(invoice_value),
               std::move(expected)};
  if (m.invoice_value.empty()) {
    m.status = MatchStatus::kMissing;
  } else if (!equal) {
    m.status = MatchStatus::kMismatch;
  }
  return m;
}

std::string Compact(std::string_view s) {
  std::string out;
  for (char c : base::NormalizeText(s)) {
    if (c != ' ' && c != '-' && c != '\t') out.push_back(c);
  }
  return out;
}

FieldMatch MatchVendor(const MatchInput& in) {
  const std::string reg = in.fields.registration_number.value_or("");
  const std::string& name = in.fields.counterparty;
  const bool same = SameVendor(in.fields, in.vendor);
  if (!reg.empty() && !in.vendor.registration_number.empty()) {
    return Compare("vendor", reg + " " + name, in.vendor.registration_number + " " + in.vendor.name,
                   same);
  }
  return Compare("vendor", name, in.vendor.name, same);
}

FieldMatch MatchAmount(const MatchInput& in) {
  auto total = Amount(in.fields.total.value_or(""));
  if (!total.ok()) total = Amount(in.fields.tax_inclusive_total.value_or(""));
  const std::string expected = in.available.ToString();
  if (!total.ok()) return Compare("amount", "", expected, false);
  const std::string& currency = in.fields.currency;
  const bool yen = currency.empty() || currency == "JPY";
  return Compare("amount", total->ToString() + (yen ? "" : " " + currency), expected,
                 yen && total->sign() > 0 && *total <= in.available);
}

// Σ per rate: tax stated vs taxable × rate / 100, rounded once.
FieldMatch MatchTax(const MatchInput& in) {
  FieldMatch m{"tax", MatchStatus::kMatch, "", ""};
  if (in.fields.tax_subtotals.empty()) {
    m.status = MatchStatus::kMissing;
    return m;
  }
  const std::string& currency = in.fields.currency;
  const int minor = base::MinorUnits(currency.empty() ? "JPY" : currency);
  for (const invoice::TaxSubtotal& s : in.fields.tax_subtotals) {
    auto rate = Amount(s.rate);
    auto taxable = Amount(s.taxable);
    auto tax = Amount(s.tax);
    const std::string label = (rate.ok() ? rate->ToString() : "?") + "%: ";
    if (!m.invoice_value.empty()) {
      m.invoice_value += " / ";
      m.expected_value += " / ";
    }
    m.invoice_value += label + (tax.ok() ? tax->ToString() : "?");
    if (!rate.ok() || !taxable.ok() || !tax.ok()) {
      m.expected_value += label + "?";
      if (m.status == MatchStatus::kMatch) m.status = MatchStatus::kMissing;
      continue;
    }
    auto product = taxable->Mul(*rate);
    bool ok = false;
    std::string expected = "?";
    if (product.ok() && product->scale() + 2 <= Decimal::kMaxScale) {
      const Decimal exact = Decimal::FromParts(product->mantissa(), product->scale() + 2);
      for (base::RoundingMode mode :
           {base::RoundingMode::kDown, base::RoundingMode::kHalfUp, base::RoundingMode::kUp}) {
        auto rounded = exact.Round(minor, mode);
        if (!rounded.ok()) continue;
        if (mode == base::RoundingMode::kDown) expected = rounded->ToString();
        ok = ok || *rounded == *tax;
      }
    }
    m.expected_value += label + expected;
    if (!ok) m.status = MatchStatus::kMismatch;
  }
  return m;
}

FieldMatch MatchDate(const MatchInput& in) {
  const std::string issue = in.fields.issue_date.value_or("");
  const std::string expected =
      in.commitment.contract_from.ToString() + "〜" + in.commitment.contract_to.ToString();
  auto date = base::Date::Parse(issue);
  if (!date.ok()) return Compare("invoice_date", "", expected, false);
  return Compare("invoice_date", issue, expected,
                 in.commitment.contract_from <= *date && *date <= in.commitment.contract_to);
}

FieldMatch MatchAddress(const MatchInput& in) {
  const std::string address = in.fields.supplier_address.value_or("");
  return Compare("address", address, in.vendor.address,
                 NormalizeAddress(address) == NormalizeAddress(in.vendor.address));
}

}  // namespace

std::string_view MatchStatusName(MatchStatus s) {
  switch (s) {
    case MatchStatus::kMatch:
      return "match";
    case MatchStatus::kMismatch:
      return "mismatch";
    case MatchStatus::kMissing:
      return "missing";
  }
  return "missing";
}

Result<MatchStatus> ParseMatchStatus(std::string_view s) {
  for (MatchStatus m : {MatchStatus::kMatch, MatchStatus::kMismatch, MatchStatus::kMissing}) {
    if (MatchStatusName(m) == s) return m;
  }
  return Status::InvalidArgument("不明な突合結果です: " + internal::Shown(s));
}

bool SameVendor(const invoice::InvoiceFields& fields, const Vendor& vendor) {
  const std::string reg = fields.registration_number.value_or("");
  if (!reg.empty() && !vendor.registration_number.empty()) {
    return base::NormalizeText(reg) == base::NormalizeText(vendor.registration_number);
  }
  return !fields.counterparty.empty() &&
         base::NormalizeName(fields.counterparty) == base::NormalizeName(vendor.name);
}

std::vector<FieldMatch> MatchInvoice(const MatchInput& in) {
  std::vector<FieldMatch> out;
  out.push_back(MatchVendor(in));
  out.push_back(MatchAmount(in));
  out.push_back(MatchTax(in));
  out.push_back(MatchDate(in));
  out.push_back(Compare("department", in.receipt_department, in.commitment.department,
                        in.receipt_department == in.commitment.department));
  const std::string account = in.fields.bank_account.value_or("");
  out.push_back(Compare(
      "bank_account", account, in.vendor.bank_account,
      !in.vendor.bank_account.empty() && Compact(account) == Compact(in.vendor.bank_account)));
  out.push_back(MatchAddress(in));
  return out;
}

std::string NormalizeAddress(std::string_view utf8) {
  const std::u32string s = Decode(base::NormalizeText(utf8));
  std::u32string out;
  auto last_is_digit = [&] { return !out.empty() && IsDigit(out.back()); };
  auto hyphen = [&] {
    if (!out.empty() && out.back() != U'-') out.push_back(U'-');
  };
  for (size_t i = 0; i < s.size();) {
    const char32_t c = s[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (KanjiValue(c) >= 0) {
      size_t j = i;
      while (j < s.size() && KanjiValue(s[j]) >= 0) ++j;
      const std::u32string run = s.substr(i, j - i);
      const bool after_block =
          !out.empty() && out.back() == U'-' && out.size() >= 2 && IsDigit(out[out.size() - 2]);
      if (MarkerAt(s, j) || after_block) {
        out += KanjiNumber(run);
      } else {
        out += run;
      }
      i = j;
      continue;
    }
    if (last_is_digit()) {
      if (s.compare(i, 2, U"丁目") == 0 || s.compare(i, 2, U"番地") == 0) {
        hyphen();
        i += 2;
        continue;
      }
      if (c == U'番' || c == U'号' || IsDash(c) || c == U'ー') {
        hyphen();
        ++i;
        continue;
      }
    }
    // "2番地の8", "2の8": の between block numbers.
    const bool after_number = last_is_digit() || (!out.empty() && out.back() == U'-' &&
                                                  out.size() >= 2 && IsDigit(out[out.size() - 2]));
    if (c == U'の' && after_number && i + 1 < s.size() &&
        (IsDigit(s[i + 1]) || KanjiValue(s[i + 1]) >= 0)) {
      hyphen();
      ++i;
      continue;
    }
    out.push_back(IsDash(c) ? U'-' : c);
    ++i;
  }
  while (!out.empty() && out.back() == U'-') out.pop_back();
  return Encode(out);
}

json ToJson(const FieldMatch& m) {
  return {{"field", m.field},
          {"status", std::string(MatchStatusName(m.status))},
          {"invoice_value", m.invoice_value},
          {"expected_value", m.expected_value}};
}

json ToJson(const std::vector<FieldMatch>& matches) {
  json out = json::array();
  for (const FieldMatch& m : matches) out.push_back(ToJson(m));
  return out;
}

Result<FieldMatch> FieldMatchFromJson(const json& j) {
  FieldMatch m;
  std::string status;
  RETURN_IF_ERROR(internal::Decode("突合の記録", [&] {
    m.field = j.at("field").get<std::string>();
    status = j.at("status").get<std::string>();
    m.invoice_value = j.at("invoice_value").get<std::string>();
    m.expected_value = j.at("expected_value").get<std::string>();
  }));
  auto s = ParseMatchStatus(status);
  if (!s.ok()) {
    return Status::Corruption("突合の記録が壊れています: 不明な突合結果 " +
                              internal::Shown(status));
  }
  m.status = *s;
  return m;
}

}  // namespace workflow
