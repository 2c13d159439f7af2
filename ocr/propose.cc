#include "ocr/propose.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <regex>

#include "base/date.h"
#include "base/money.h"
#include "base/registration_number.h"
#include "base/text.h"
#include "ocr/internal/rows.h"

namespace ocr {
namespace internal {

std::string Nfkc(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return utf8;
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(utf8);
  const icu::UnicodeString out = nfkc->normalize(in, status);
  if (U_FAILURE(status)) return utf8;
  std::string result;
  out.toUTF8String(result);
  return result;
}

namespace {

bool Contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

std::optional<std::string> DateString(int y, int m, int d) {
  if (y < 1989 || y > 2100) return std::nullopt;
  auto date = base::Date::FromYmd(y, m, d);
  if (!date.ok()) return std::nullopt;
  return date->ToString();
}

// Gregorian year of a 和暦 year: 令和 (R) from 2019, 平成 (H) from 1989.
int WesternYear(const std::string& era, const std::string& year) {
  const int n = year == "元" ? 1 : std::stoi(year);
  // "和" alone: 令 misread (信和, 合和), the 和 of 令和 kept.
  return (era == "令和" || era == "R" || era == "和") ? 2018 + n : 1988 + n;
}

const std::regex& KanjiDate() {
  // The closing 日 is often misread (晶, 目): not required.
  static const std::regex re("([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})");
  return re;
}
const std::regex& WarekiDate() {
  static const std::regex re(
      "(令和|平成|R|H|和)([0-9]{1,2}|元)(?:年|\\.|/)([0-9]{1,2})(?:月|\\.|/)([0-9]{1,2})");
  return re;
}
const std::regex& SlashDate() {
  static const std::regex re("([0-9]{4})[/.\\-]([0-9]{1,2})[/.\\-]([0-9]{1,2})");
  return re;
}

}  // namespace

std::optional<std::string> ParseDate(const std::string& s) {
  std::smatch m;
  if (std::regex_search(s, m, KanjiDate()) || std::regex_search(s, m, SlashDate())) {
    return DateString(std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]));
  }
  if (std::regex_search(s, m, WarekiDate())) {
    return DateString(WesternYear(m[1], m[2]), std::stoi(m[3]), std::stoi(m[4]));
  }
  return std::nullopt;
}

std::optional<std::string> ParseAmount(const std::string& text) {
  // ",." or ".," is one separator read twice.
  std::string s;
  for (char c : text) {
    const bool sep = c == ',' || c == '.';
    if (sep && !s.empty() && (s.back() == ',' || s.back() == '.')) continue;
    s.push_back(c);
  }
  std::vector<std::string> groups(1);
  std::vector<char> seps;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      groups.back().push_back(c);
    } else if (c == ',' || c == '.') {
      seps.push_back(c);
      groups.emplace_back();
    } else {
      return std::nullopt;
    }
  }
  for (const std::string& g : groups) {
    if (g.empty()) return std::nullopt;
  }
  // A last group of one or two digits after a dot is a fraction.
  std::string fraction;
  if (groups.size() > 1 && seps.back() == '.' && groups.back().size() <= 2) {
    fraction = groups.back();
    groups.pop_back();
  }
  if (groups.size() > 1 && groups.front().size() > 3) return std::nullopt;
  std::string whole = groups[0];
  for (size_t i = 1; i < groups.size(); ++i) {
    // A thousands separator, comma or (misread) dot.
    if (groups[i].size() != 3) return std::nullopt;
    whole += groups[i];
  }
  auto d = base::Decimal::Parse(fraction.empty() ? whole : whole + "." + fraction);
  return d.ok() ? std::optional<std::string>(d->Normalized().ToString()) : std::nullopt;
}

}  // namespace internal

namespace {

using internal::Row;
using internal::SpanOf;

struct Amount {
  std::string value;
  size_t begin, end;
};

// Amounts in row.text from byte `from` on: digits with separators, with an
// optional ¥ / 円 / 金 / - around them.
std::vector<Amount> AmountsIn(const Row& row, size_t from) {
  static const std::regex re("(?:¥|\\\\|金|Y)?([0-9][0-9,.]*[0-9]|[0-9])(?:円|-|ー|―|−)?");
  std::vector<Amount> out;
  if (from > row.text.size()) return out;
  auto begin = std::sregex_iterator(row.text.begin() + static_cast<long>(from), row.text.end(), re);
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const size_t at = from + static_cast<size_t>(m.position(0));
    // Part of a rate ("10%") or a date: not an amount.
    const size_t after = at + static_cast<size_t>(m.length(0));
    if (after < row.text.size() && (row.text[after] == '%' || row.text.compare(after, 3, "年") == 0 ||
                                    row.text.compare(after, 3, "月") == 0)) {
      continue;
    }
    if (auto v = internal::ParseAmount(m[1])) out.push_back({*v, at, after});
  }
  return out;
}

ProposedValue Value(const Row& row, size_t begin, size_t end, std::string value, double factor) {
  const internal::Span span = SpanOf(row, begin, end);
  return ProposedValue{std::move(value), std::clamp(span.confidence * factor, 0.0, 1.0), span.box};
}

std::optional<ProposedValue> FindIssueDate(const std::vector<Row>& rows) {
  std::optional<ProposedValue> unlabelled;
  for (const Row& row : rows) {
    const std::string& t = row.text;
    if (internal::Contains(t, "期限") || internal::Contains(t, "期日") ||
        internal::Contains(t, "支払")) {
      continue;
    }
    for (const std::regex* re : {&internal::KanjiDate(), &internal::WarekiDate(),
                                 &internal::SlashDate()}) {
      std::smatch m;
      if (!std::regex_search(t, m, *re)) continue;
      auto date = internal::ParseDate(m.str(0));
      if (!date) continue;
      const size_t at = static_cast<size_t>(m.position(0));
      const bool labelled = internal::Contains(t, "請求日") || internal::Contains(t, "発行日") ||
                            internal::Contains(t, "年月日") || internal::Contains(t, "取引日") ||
                            internal::Contains(t, "日付");
      ProposedValue v = Value(row, at, at + m.str(0).size(), *date, labelled ? 1.0 : 0.7);
      if (labelled) return v;
      if (!unlabelled) unlabelled = v;
    }
  }
  return unlabelled;
}

// T + 13 digits with OCR's usual confusions in the digits (O for 0, l for 1).
std::optional<ProposedValue> FindRegistrationNumber(const std::vector<Row>& rows) {
  static const std::regex re("(T|丁|Т|7|1)?([0-9OoIl|]{13})(?![0-9])");
  std::optional<ProposedValue> best;
  for (const Row& row : rows) {
    const bool labelled = internal::Contains(row.text, "登録番号");
    for (auto it = std::sregex_iterator(row.text.begin(), row.text.end(), re);
         it != std::sregex_iterator(); ++it) {
      const std::smatch& m = *it;
      const std::string prefix = m[1];
      const bool t = prefix == "T" || prefix == "丁" || prefix == "Т";
      if (!t && !labelled) continue;
      std::string digits = m[2];
      for (char& c : digits) {
        if (c == 'O' || c == 'o') c = '0';
        if (c == 'I' || c == 'l' || c == '|') c = '1';
      }
      const std::string number = "T" + digits;
      if (!base::IsValidRegistrationNumber(number)) continue;
      const size_t at = static_cast<size_t>(m.position(0));
      const double factor = (t ? 1.0 : 0.8) * (labelled ? 1.0 : 0.9);
      ProposedValue v = Value(row, at, at + static_cast<size_t>(m.length(0)), number, factor);
      if (labelled) return v;
      if (!best) best = v;
    }
  }
  return best;
}

std::optional<ProposedValue> FindInvoiceNumber(const std::vector<Row>& rows) {
  static const std::regex re(
      "(請求書番号|請求番号|請求書No\\.?|請求No\\.?|InvoiceNo\\.?|伝票番号|No\\.)[:#]?"
      "([A-Za-z0-9][A-Za-z0-9_/\\-]{2,})");
  std::optional<ProposedValue> weak;
  for (const Row& row : rows) {
    std::smatch m;
    if (!std::regex_search(row.text, m, re)) continue;
    const size_t at = static_cast<size_t>(m.position(2));
    const bool strong = m.str(1).rfind("No", 0) != 0;
    ProposedValue v = Value(row, at, at + m.str(2).size(), m.str(2), strong ? 1.0 : 0.7);
    if (strong) return v;
    if (!weak) weak = v;
  }
  return weak;
}

// A row of the tax summary: a rate ("10%", "8%") followed by the taxable
// amount and, after 消費税, the tax ("10%対象 ¥15,388,408 消費税 ¥1,538,840";
// 対象 itself is often misread, so it is not required).
std::vector<ProposedTax> FindTaxSubtotals(const std::vector<Row>& rows) {
  static const std::regex re("(10|8)%");
  std::vector<ProposedTax> out;
  for (const Row& row : rows) {
    const size_t tax_label = row.text.find("消費税");
    if (tax_label == std::string::npos || internal::Contains(row.text, "消費税合計") ||
        internal::Contains(row.text, "合計")) {
      continue;
    }
    std::smatch m;
    const std::string before = row.text.substr(0, tax_label);
    if (!std::regex_search(before, m, re)) continue;
    const int rate = std::stoi(m[1]);
    if (std::any_of(out.begin(), out.end(), [&](const ProposedTax& t) { return t.rate == rate; })) {
      continue;
    }
    const size_t rate_end = static_cast<size_t>(m.position(0) + m.length(0));
    std::vector<Amount> taxable = AmountsIn(row, rate_end);
    std::vector<Amount> tax_amounts = AmountsIn(row, tax_label);
    if (taxable.empty() || taxable[0].begin >= tax_label || tax_amounts.empty()) continue;
    ProposedTax tax;
    tax.rate = rate;
    tax.reduced = rate == 8 || internal::Contains(row.text, "軽減");
    tax.taxable = taxable[0].value;
    tax.tax = tax_amounts[0].value;
    const internal::Span span = SpanOf(row, static_cast<size_t>(m.position(0)), tax_amounts[0].end);
    tax.box = span.box;
    // The tax is the taxable amount times the rate, rounded down once.
    auto base_amount = base::Decimal::Parse(tax.taxable);
    auto expected = base_amount.ok() ? base_amount->Mul(base::Decimal::FromParts(rate, 2)) : base_amount;
    auto rounded = expected.ok() ? expected->Round(0, base::RoundingMode::kDown) : expected;
    auto stated = base::Decimal::Parse(tax.tax);
    const bool consistent = rounded.ok() && stated.ok() && *rounded == *stated;
    tax.confidence = std::clamp(span.confidence * (consistent ? 1.0 : 0.5), 0.0, 1.0);
    out.push_back(tax);
  }
  std::sort(out.begin(), out.end(),
            [](const ProposedTax& a, const ProposedTax& b) { return a.rate > b.rate; });
  return out;
}

// 0: not a total label; higher is a better label.
int TotalLabelRank(const std::string& t, size_t* label_end) {
  if (internal::Contains(t, "小計") || internal::Contains(t, "消費税合計") ||
      internal::Contains(t, "対象")) {
    return 0;
  }
  static const std::pair<const char*, int> kLabels[] = {
      {"合計(税込)", 3}, {"税込合計", 3}, {"合計金額", 3}, {"総合計", 3},
      {"請求金額", 2},   {"ご請求額", 2}, {"金額(税込", 2}, {"求金額", 2},
      {"合計", 1},
  };
  for (const auto& [label, rank] : kLabels) {
    const size_t at = t.find(label);
    if (at != std::string::npos) {
      *label_end = at + std::string(label).size();
      return rank;
    }
  }
  return 0;
}

std::optional<ProposedValue> FindTotal(const std::vector<Row>& rows,
                                       const std::vector<ProposedTax>& taxes) {
  std::optional<std::string> sum;
  if (!taxes.empty()) {
    base::Decimal s;
    bool ok = true;
    for (const ProposedTax& t : taxes) {
      auto a = base::Decimal::Parse(t.taxable), b = base::Decimal::Parse(t.tax);
      auto ab = a.ok() && b.ok() ? a->Add(*b) : a;
      auto next = ab.ok() ? s.Add(*ab) : ab;
      if (!next.ok()) {
        ok = false;
        break;
      }
      s = *next;
    }
    if (ok) sum = s.Normalized().ToString();
  }
  std::optional<ProposedValue> best;
  int best_rank = 0;
  for (const Row& row : rows) {
    size_t label_end = 0;
    const int rank = TotalLabelRank(row.text, &label_end);
    if (rank == 0) continue;
    const std::vector<Amount> amounts = AmountsIn(row, label_end);
    if (amounts.empty()) continue;
    const Amount& a = amounts.front();
    const bool consistent = sum && *sum == a.value;
    const int score = rank + (consistent ? 10 : 0);
    if (score > best_rank) {
      best_rank = score;
      best = Value(row, a.begin, a.end, a.value, consistent ? 1.0 : sum ? 0.6 : 0.85);
      if (consistent) best->confidence = std::max(best->confidence, 0.9);
    }
  }
  return best;
}

void FindCounterparty(const std::vector<Row>& rows, const std::vector<KnownVendor>& vendors,
                      Proposal* p) {
  if (p->registration_number) {
    for (const KnownVendor& v : vendors) {
      if (v.registration_number == p->registration_number->value) {
        p->counterparty = ProposedValue{v.name, std::max(p->registration_number->confidence, 0.95),
                                        p->registration_number->box};
        p->counterparty_vendor_id = v.id;
        return;
      }
    }
  }
  // A vendor master name found on the page (normalised: 株式会社, widths).
  const KnownVendor* found = nullptr;
  const Row* where = nullptr;
  size_t found_length = 0;
  for (const Row& row : rows) {
    if (internal::Contains(row.text, "御中")) continue;
    const std::string key = base::NormalizeName(row.text);
    for (const KnownVendor& v : vendors) {
      const std::string name = base::NormalizeName(v.name);
      if (name.size() > found_length && name.size() >= 6 && key.find(name) != std::string::npos) {
        found = &v;
        where = &row;
        found_length = name.size();
      }
    }
  }
  if (found != nullptr) {
    p->counterparty = Value(*where, 0, where->text.size(), found->name, 1.0);
    p->counterparty->confidence = std::max(p->counterparty->confidence, 0.8);
    p->counterparty_vendor_id = found->id;
    return;
  }
  static const char* kForms[] = {"株式会社", "有限会社", "合同会社", "(株)", "(有)"};
  for (const Row& row : rows) {
    if (internal::Contains(row.text, "御中") || internal::Contains(row.text, "様")) continue;
    for (const char* form : kForms) {
      if (internal::Contains(row.text, form)) {
        p->counterparty = Value(row, 0, row.text.size(), row.text, 0.5);
        return;
      }
    }
  }
}

}  // namespace

Proposal Propose(const std::vector<PageText>& pages, const std::vector<KnownVendor>& vendors) {
  const std::vector<Row> rows = internal::BuildRows(pages);
  Proposal p;
  p.issue_date = FindIssueDate(rows);
  p.registration_number = FindRegistrationNumber(rows);
  p.invoice_number = FindInvoiceNumber(rows);
  p.tax_subtotals = FindTaxSubtotals(rows);
  p.total = FindTotal(rows, p.tax_subtotals);
  FindCounterparty(rows, vendors, &p);
  return p;
}

}  // namespace ocr
