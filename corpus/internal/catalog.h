// The corpus generator's fixed tables: categories of purchase with their
// item catalogues, the vendors, the departments and the banks. Private to
// archive/corpus.
//
// Thread safety: immutable static data.
#ifndef CORPUS_INTERNAL_CATALOG_H_
#define CORPUS_INTERNAL_CATALOG_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/corpus.h"

namespace corpus::internal {

/// One kind of line a vendor of a category bills.
struct ItemSpec {
  const char* description;  ///< "{m}" stands for the month of service
  const char* unit_code;    ///< UN/ECE Rec 20
  const char* unit_name;
  int64_t price_lo, price_hi;  ///< typical unit price, yen (0: lump sum)
  int64_t qty_max;             ///< 1: always one (一式, 月)
  int tax_rate;
  int weight;   ///< relative frequency within the category
  bool halves;  ///< quantity may end in .5 (kg, L, m², t)
};

struct CategorySpec {
  const char* expense_type;
  int64_t amount_lo, amount_hi;  ///< taxable amount of one invoice, yen
  int due_days;                  ///< days to pay; 0: end of the next month
  std::span<const ItemSpec> items;
  std::span<const char* const> departments;  ///< codes
};

struct VendorSpec {
  int category;  ///< index into Categories()
  int weight;    ///< relative frequency of its invoices
  const char* name;
  const char* name_on_invoice;  ///< nullptr: same as name
  const char* kana;
  const char* postal_code;
  const char* prefecture;
  const char* city;
  const char* street;
};

struct DepartmentSpec {
  const char* code;
  const char* name;
};

std::span<const CategorySpec> Categories();
std::span<const VendorSpec> VendorSpecs();
std::span<const DepartmentSpec> DepartmentSpecs();

/// The vendor master built from VendorSpecs(): registration numbers and bank
/// accounts come from a fixed seed, so they never change.
std::vector<Vendor> BuildVendors();

/// The city's own (fictional) 13-digit corporate number and address.
std::string BuyerCorporateNumber();
const char* BuyerAddress();

/// Full-width katakana (and the 株式会社-style legal form) to the half-width
/// katakana banks use for account holders: small kana become large, ・ and
/// ー map to "." and "ｰ"; other characters pass through.
std::string ToBankKana(std::string_view fullwidth_kana);

}  // namespace corpus::internal

#endif  // CORPUS_INTERNAL_CATALOG_H_
