// InvoiceFields: the invoice record kura keeps for each version of a
// document — what the readers extract (番号, 日付, 金額, 取引先, 登録番号,
// 税率ごとの税額 …), and what a person's corrections make of it. It is the
// one type the modules pass around for "a version's fields"; its JSON form
// (invoice/fields_json.h) is what the catalog stores and the event log
// hashes, and corrections change it through invoice/field_patch.h.
//
// Every member has a name (Field, FieldName) so that the codec, the
// correction rules and the search index can talk about one member without
// spelling its JSON key.
//
// A stored record need not hold every member: a correction removes a member
// (null in its input), and records written by early builds lack some.
// `absent` says which members the record lacks, so that its bytes survive a
// decode and encode unchanged; an absent member reads as the value kura has
// always read for a missing one (AbsentValue in the .cc: "" or nullopt, empty
// lists, false, and "unknown" for format and document_type).
//
// Thread safety: plain values.
#ifndef INVOICE_INVOICE_FIELDS_H_
#define INVOICE_INVOICE_FIELDS_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace invoice {

/// One row of the per-rate tax breakdown (UBL TaxSubtotal, CII
/// ApplicableTradeTax). Values are exactly as written; an empty string means
/// the document does not state the value.
struct TaxSubtotal {
  std::string category;  ///< "S", "AA", "E", "Z", "O", ...
  std::string rate;      ///< percent, e.g. "10", "8", "7.00"
  std::string taxable;   ///< taxable amount, e.g. "260000"
  std::string tax;       ///< tax amount, e.g. "26000"

  friend bool operator==(const TaxSubtotal&, const TaxSubtotal&) = default;
};

/// Something a person should look at. Never a refusal.
struct Warning {
  std::string code;     ///< stable snake_case id, see warning_codes.h
  std::string message;  ///< Japanese, for the clerk

  friend bool operator==(const Warning&, const Warning&) = default;
};

/// The members of InvoiceFields, in declaration order.
enum class Field : uint8_t {
  kFormat,
  kDocumentType,
  kSpecificationId,
  kInvoiceNumber,
  kIssueDate,
  kDueDate,
  kCurrency,
  kTotal,
  kTaxInclusiveTotal,
  kCounterparty,
  kRegistrationNumber,
  kSupplierTaxIds,
  kSupplierAddress,
  kBuyer,
  kTaxSubtotals,
  kBankAccount,
  kLineDescriptions,
  kPageCount,
  kPdfInfo,
  kNeedsMetadata,
};
inline constexpr int kFieldCount = static_cast<int>(Field::kNeedsMetadata) + 1;

/// The member's key in the JSON form: "issue_date" for Field::kIssueDate.
std::string_view FieldName(Field field);
/// The inverse of FieldName; nullopt for a name that is no member.
std::optional<Field> FieldByName(std::string_view name);

/// A set of members.
class FieldSet {
 public:
  constexpr FieldSet() = default;
  constexpr FieldSet(std::initializer_list<Field> fields) {
    for (Field f : fields) insert(f);
  }
  constexpr bool contains(Field f) const { return (bits_ & Bit(f)) != 0; }
  constexpr void insert(Field f) { bits_ |= Bit(f); }
  constexpr void erase(Field f) { bits_ &= ~Bit(f); }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr bool operator==(FieldSet, FieldSet) = default;

 private:
  static constexpr uint32_t Bit(Field f) { return uint32_t{1} << static_cast<int>(f); }
  static_assert(kFieldCount <= 32);
  uint32_t bits_ = 0;
};

/// The fields kura keeps for search and display.
struct InvoiceFields {
  /// jp-pint | peppol-bis | xrechnung | ubl | cii | factur-x | zugferd | pdf |
  /// unknown.
  std::string format = "unknown";
  /// invoice | credit_note | unknown.
  std::string document_type = "unknown";
  /// UBL CustomizationID or CII guideline ID, as written ("" if none).
  std::string specification_id;
  std::string invoice_number;
  std::optional<std::string> issue_date;  ///< "YYYY-MM-DD"
  std::optional<std::string> due_date;    ///< "YYYY-MM-DD"
  std::string currency;                   ///< ISO 4217, e.g. "JPY"
  /// Amount due (UBL PayableAmount, CII DuePayableAmount).
  std::optional<std::string> total;
  /// UBL TaxInclusiveAmount, CII GrandTotalAmount.
  std::optional<std::string> tax_inclusive_total;
  /// Supplier name: UBL PartyLegalEntity/RegistrationName, else
  /// PartyName/Name; CII SellerTradeParty/Name.
  std::string counterparty;
  /// The supplier's qualified-invoice registration number ("T" + 13 digits)
  /// when the document states one, whether or not its check digit holds.
  std::optional<std::string> registration_number;
  /// Every tax identifier stated for the supplier, as written.
  std::vector<std::string> supplier_tax_ids;
  /// The supplier's address. No reader extracts it yet (so it is absent by
  /// default and in every reader's output); versions corrected with `kura
  /// correct --set supplier_address=…` before corrections were checked
  /// hold it, and payment-order matching compares it with the vendor's.
  std::optional<std::string> supplier_address;
  std::optional<std::string> buyer;
  /// Per-rate breakdown in the document currency.
  std::vector<TaxSubtotal> tax_subtotals;
  std::optional<std::string> bank_account;
  /// Item names (or descriptions) of the lines, in document order.
  std::vector<std::string> line_descriptions;

  // PDF only (also set for hybrid PDFs).
  std::optional<int> page_count;
  /// Document information: Title, Author, Subject, Keywords, Creator,
  /// Producer, CreationDate (ISO 8601 when it parses, else as written).
  std::map<std::string, std::string> pdf_info;
  /// True when no structured invoice data was found: a person must enter
  /// date, amount and counterparty (電子帳簿保存法 search keys).
  bool needs_metadata = true;

  /// Members the stored record does not hold (see the file comment). A
  /// member in this set that holds anything but its absent value is
  /// written all the same: assigning a member makes it present.
  FieldSet absent = {Field::kSupplierAddress};

  /// Members that `kura correct --set NAME=VALUE` wrote before it checked
  /// names and values (it stored any name, always as text): a name that is
  /// no member here, or a member that is not text (needs_metadata,
  /// page_count, the lists, pdf_info) set to text. Kept as written so that
  /// those versions keep their bytes; kura reads none of them (such a
  /// member is in `absent` and reads as its absent value). Empty for every
  /// record written since.
  std::map<std::string, std::string> legacy_members;

  friend bool operator==(const InvoiceFields&, const InvoiceFields&) = default;
};

/// Whether the JSON form of fields holds the member (its value, or legacy
/// text of that name).
bool HasMember(const InvoiceFields& fields, Field field);

/// Takes the member out of the record (what a correction's null does): it
/// becomes absent and reads as its absent value; a legacy member of that
/// name goes too.
void RemoveMember(Field field, InvoiceFields* fields);

}  // namespace invoice

#endif  // INVOICE_INVOICE_FIELDS_H_
