// Generator: draws vendor, department, dates and an amount, picks lines from
// the vendor's category, then splits the amount over the lines. Most totals
// come out a few yen below the amount drawn; threshold invoices are made
// exact (a lump-sum line takes the rest), so that some land exactly on the
// ¥500,000 and ¥5,000,000 approval thresholds.

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <string_view>

#include "corpus/corpus.h"
#include "corpus/internal/catalog.h"

namespace corpus {
namespace {

using internal::CategorySpec;
using internal::ItemSpec;

// Approval thresholds of a typical 専決規程 (tax-inclusive amounts).
constexpr int64_t kThresholds[] = {500'000, 5'000'000};

// Estimated JP PINT bytes: the fixed part of a document, and of one line
// beyond its variable text (measured against RenderJpPint; see the test
// GeneratorTest.XmlSizeNearTarget).
constexpr size_t kXmlFixedBytes = 3700;
constexpr size_t kXmlLineBytes = 790;

// 1000 × 10^(k/10), k = 0..10: log-uniform amounts without floating point.
constexpr int64_t kTenthDecade[11] = {1000, 1259, 1585, 1995, 2512, 3162,
                                      3981, 5012, 6310, 7943, 10000};

// Facilities, to tell apart repeated items on one invoice.
constexpr const char* kFacilities[] = {
    "本庁舎",       "第二庁舎",   "市民会館",   "中央公民館", "市立図書館",
    "保健センター", "第一小学校", "第二小学校", "蔵前中学校", "消防署",
};

// Approximately log-uniform in [lo, hi]: a tenth of a decade is drawn
// uniformly, then a value uniformly inside it.
int64_t LogUniform(base::Random& rng, int64_t lo, int64_t hi) {
  int64_t bounds[64];
  int n = 0;
  int64_t decade = lo;
  for (int k = 0; n < 63; ++k) {
    const int64_t b = decade / 1000 * kTenthDecade[k % 10] +
                      decade % 1000 * kTenthDecade[k % 10] / 1000;
    if (b >= hi) break;
    bounds[n++] = b;
    if (k % 10 == 9) decade *= 10;
  }
  bounds[n] = hi;
  if (n == 0) return lo;
  const int64_t bucket =
      static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(n)));
  return rng.Range(bounds[bucket], bounds[bucket + 1]);
}

// Tax-inclusive total of a single-rate taxable amount.
int64_t Inclusive(int64_t taxable, int rate) {
  return taxable + taxable * rate / 100;
}

// The smallest taxable amount whose inclusive total is at least target.
int64_t TaxableFor(int64_t target, int rate) {
  int64_t t = target * 100 / (100 + rate);
  while (Inclusive(t, rate) < target) ++t;
  while (t > 1 && Inclusive(t - 1, rate) >= target) --t;
  return t;
}

base::Date EndOfNextMonth(base::Date d) {
  int y = d.year();
  int m = d.month() + 2;
  if (m > 12) {
    m -= 12;
    ++y;
  }
  return base::Date(y, m, 1).AddDays(-1);
}

std::string Describe(const ItemSpec& item, int service_month) {
  std::string d = item.description;
  const size_t at = d.find("{m}");
  if (at != std::string::npos) d.replace(at, 3, std::to_string(service_month));
  return d;
}

std::string_view DepartmentName(std::string_view code) {
  for (const auto& d : internal::DepartmentSpecs()) {
    if (code == d.code) return d.name;
  }
  return {};
}

std::string InvoiceId(int vendor, uint32_t seq, base::Date date) {
  const char p[4] = {'K', static_cast<char>('A' + vendor / 26),
                     static_cast<char>('A' + vendor % 26), '\0'};
  char buf[48];
  switch (vendor % 4) {
    case 0:
      std::snprintf(buf, sizeof buf, "%s-%04d%02d-%05u", p, date.year(),
                    date.month(), seq);
      break;
    case 1:
      std::snprintf(buf, sizeof buf, "%02d%02d%06u", date.year() % 100, vendor,
                    seq);
      break;
    case 2:
      std::snprintf(buf, sizeof buf, "INV-%04d-%s%04u", date.year(), p, seq);
      break;
    default:
      std::snprintf(buf, sizeof buf, "%s%04d%02d%02d-%03u", p, date.year(),
                    date.month(), date.day(), seq);
      break;
  }
  return buf;
}

}  // namespace

Generator::Generator(const Options& options)
    : options_(options),
      rng_(options.seed),
      vendors_(internal::BuildVendors()) {
  // Out-of-range options are bugs (WriteCorpus rejects them); keep the
  // arithmetic below defined anyway.
  assert(options.from <= options.to);
  if (options_.to < options_.from) options_.to = options_.from;
  if (!(options_.pdf_share >= 0.0)) options_.pdf_share = 0.0;
  if (options_.pdf_share > 1.0) options_.pdf_share = 1.0;
  for (const auto& d : internal::DepartmentSpecs()) {
    departments_.push_back({d.code, d.name});
  }
  const auto specs = internal::VendorSpecs();
  for (size_t i = 0; i < specs.size(); ++i) {
    state_.push_back(
        {specs[i].category, static_cast<uint32_t>(rng_.Range(1, 5000))});
    for (int w = 0; w < specs[i].weight; ++w) {
      vendor_pick_.push_back(static_cast<int>(i));
    }
  }
}

Invoice Generator::Next() {
  Invoice inv;
  const int v = vendor_pick_[rng_.Uniform(vendor_pick_.size())];
  VendorState& vs = state_[v];
  const CategorySpec& cat = internal::Categories()[vs.category];
  inv.vendor_index = v;
  inv.vendor = vendors_[v];

  const int32_t span = base::DaysBetween(options_.from, options_.to);
  inv.issue_date =
      options_.from.AddDays(static_cast<int32_t>(rng_.Range(0, span)));
  inv.due_date = cat.due_days == 0 ? EndOfNextMonth(inv.issue_date)
                                   : inv.issue_date.AddDays(cat.due_days);
  vs.next_seq += static_cast<uint32_t>(rng_.Range(1, 4));
  inv.id = InvoiceId(v, vs.next_seq, inv.issue_date);

  inv.buyer = options_.buyer;
  inv.buyer_corporate_number = internal::BuyerCorporateNumber();
  inv.buyer_address = internal::BuyerAddress();
  inv.department_code = cat.departments[rng_.Uniform(cat.departments.size())];
  inv.department_name = DepartmentName(inv.department_code);
  inv.format =
      rng_.Uniform(1'000'000) < static_cast<uint64_t>(options_.pdf_share * 1e6)
          ? Format::kPdf
          : Format::kJpPint;

  // The amount: mostly log-uniform over the category's range; a few exactly
  // at or just above an approval threshold (tax included, one rate).
  const int primary_rate = cat.items[0].tax_rate;
  const uint64_t mode = rng_.Uniform(100);
  int64_t taxable = 0;
  int only_rate = 0;
  if (mode < 5) {
    const int64_t threshold = kThresholds[mode == 2 || mode == 4 ? 1 : 0];
    if (threshold >= cat.amount_lo &&
        threshold <= cat.amount_hi + cat.amount_hi / 5) {
      int64_t target = threshold;
      if (mode == 3) target += rng_.Range(1, 2'000);
      if (mode == 4) target += rng_.Range(1, 20'000);
      taxable = TaxableFor(target, primary_rate);
      only_rate = primary_rate;
    }
  }
  if (taxable == 0) taxable = LogUniform(rng_, cat.amount_lo, cat.amount_hi);

  AddLines(vs.category, only_rate, &inv);
  AssignAmounts(vs.category, taxable, /*exact=*/only_rate != 0, &inv);
  const base::Status s = ComputeTotals(&inv);
  assert(s.ok());  // amounts stay far below 18 digits
  s.IgnoreError();
  return inv;
}

void Generator::AddLines(int category, int only_rate, Invoice* inv) {
  const CategorySpec& cat = internal::Categories()[category];
  const auto eligible = [&](const ItemSpec& it, bool lump_sum_only) {
    return (only_rate == 0 || it.tax_rate == only_rate) &&
           (!lump_sum_only || it.qty_max == 1);
  };
  // A weighted pick among the eligible items; -1 if there is none.
  const auto pick_item = [&](bool lump_sum_only) {
    int total = 0;
    for (const ItemSpec& it : cat.items) {
      total += eligible(it, lump_sum_only) ? it.weight : 0;
    }
    if (total == 0) return -1;
    int pick = static_cast<int>(rng_.Uniform(static_cast<uint64_t>(total)));
    for (size_t k = 0; k < cat.items.size(); ++k) {
      if (!eligible(cat.items[k], lump_sum_only)) continue;
      pick -= cat.items[k].weight;
      if (pick < 0) return static_cast<int>(k);
    }
    return -1;
  };
  const int service_month =
      inv->issue_date.month() == 1 ? 12 : inv->issue_date.month() - 1;
  const auto make_line = [&](int item_index) {
    const ItemSpec& item = cat.items[item_index];
    LineItem line;
    line.description = Describe(item, service_month);
    for (const LineItem& other : inv->lines) {
      if (other.description == line.description) {
        line.description += "（";
        line.description += kFacilities[rng_.Uniform(std::size(kFacilities))];
        line.description += "）";
        break;
      }
    }
    line.unit_code = item.unit_code;
    line.unit_name = item.unit_name;
    line.tax_rate = item.tax_rate;
    line.reduced = item.tax_rate == 8;
    return line;
  };

  const size_t target = options_.target_xml_bytes;
  const int natural_lines =
      target == 0 ? static_cast<int>(rng_.Range(1, 8)) : 0;
  size_t estimate = kXmlFixedBytes + 2 * inv->vendor.name_on_invoice.size() +
                    inv->vendor.address.size() + inv->buyer.size() * 2 +
                    inv->vendor.account_name.size() + inv->id.size();
  inv->lines.clear();
  line_items_.clear();
  bool has_lump_sum = false;
  while (target == 0
             ? static_cast<int>(inv->lines.size()) < natural_lines
             : (inv->lines.empty() || estimate + kXmlLineBytes / 2 < target)) {
    const int item_index = pick_item(false);
    inv->lines.push_back(make_line(item_index));
    line_items_.push_back(item_index);
    has_lump_sum = has_lump_sum || cat.items[item_index].qty_max == 1;
    estimate += kXmlLineBytes + inv->lines.back().description.size() +
                inv->lines.back().unit_name.size();
  }
  // An exact total needs a line that can take any amount: a lump sum (一式).
  if (only_rate != 0 && !has_lump_sum) {
    const int item_index = pick_item(true);
    if (item_index >= 0) {
      inv->lines.pop_back();
      line_items_.pop_back();
      inv->lines.push_back(make_line(item_index));
      line_items_.push_back(item_index);
    }
  }
}

void Generator::AssignAmounts(int category, int64_t taxable, bool exact,
                              Invoice* inv) {
  const CategorySpec& cat = internal::Categories()[category];
  const size_t n = inv->lines.size();
  // Shares of the amount, each at least one yen; the last share takes the
  // rest so that the shares add up to taxable.
  std::vector<int64_t> share(n);
  int64_t weight_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    share[i] = rng_.Range(1, 100);
    weight_sum += share[i];
  }
  const int64_t spread =
      std::max<int64_t>(taxable - static_cast<int64_t>(n), 0);
  int64_t assigned = 0;
  for (size_t i = 0; i + 1 < n; ++i) {
    share[i] = 1 + spread * share[i] / weight_sum;
    assigned += share[i];
  }
  share[n - 1] = taxable - assigned;

  // Lines get a quantity and a whole unit price; what a line's share loses
  // to rounding carries into the next. For an exact total, a lump-sum line
  // (quantity 1) comes last and absorbs the carry.
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  if (exact) {
    for (size_t i = n; i-- > 0;) {
      if (cat.items[line_items_[i]].qty_max == 1) {
        std::rotate(order.begin() + i, order.begin() + i + 1, order.end());
        break;
      }
    }
  }
  int64_t carry = 0;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = order[k];
    const ItemSpec& item = cat.items[line_items_[i]];
    LineItem& line = inv->lines[i];
    const int64_t a = share[i] + carry;
    int64_t qty = 1;
    if (item.qty_max > 1 && item.price_hi > 0) {
      qty = std::clamp<int64_t>(a / rng_.Range(item.price_lo, item.price_hi), 1,
                                std::min<int64_t>(item.qty_max, a));
    }
    if (exact && k + 1 == n) {
      // The largest quantity near qty that divides the amount (1 for a lump
      // sum, the usual case).
      int64_t q = qty;
      while (q > 1 && q > qty - 64 && a % q != 0) --q;
      if (a % q != 0) q = 1;
      line.quantity = base::Decimal::FromInt(q);
      line.unit_price = base::Decimal::FromInt(a / q);
      carry = 0;
    } else if (item.halves && qty < 5000 && 2 * qty + 1 <= a && rng_.OneIn(2)) {
      // qty + 0.5 units at an even price: q2 halves × price/2 is whole yen.
      const int64_t halves = 2 * qty + 1;
      const int64_t half_price = a / halves;
      line.quantity = base::Decimal::FromParts(halves * 5, 1);
      line.unit_price = base::Decimal::FromInt(2 * half_price);
      carry = a - halves * half_price;
    } else {
      line.quantity = base::Decimal::FromInt(qty);
      line.unit_price = base::Decimal::FromInt(a / qty);
      carry = a - qty * (a / qty);
    }
  }
  line_items_.clear();
}

}  // namespace corpus
