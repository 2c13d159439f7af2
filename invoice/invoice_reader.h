// Invoice readers: turn the bytes of a received invoice into the few fields
// the archive indexes and shows (番号, 日付, 金額, 取引先, 登録番号, 税率ごとの
// 税額 …), plus warnings a clerk should look at.
//
// Supported inputs, recognised by content (never by file name):
//   - UBL 2.x Invoice / CreditNote (JP PINT, Peppol BIS 3, XRechnung, plain
//     UBL), any namespace prefix;
//   - UN/CEFACT CII (CrossIndustryInvoice) and ZUGFeRD 1.0
//     (CrossIndustryDocument);
//   - PDF: hybrid Factur-X / ZUGFeRD / XRechnung PDFs are read through their
//     embedded XML; other PDFs yield page count and document information and
//     are flagged needs_metadata (a person types the fields in).
//
// ReadInvoice is a pure function of its input: it never touches the network
// or the file system, never throws, and never refuses a document. What it
// cannot read becomes format "unknown" (or "pdf" with needs_metadata) plus a
// warning. Amounts stay exact decimal strings as written in the document.
//
// Thread safety: ReadInvoice may be called concurrently from any number of
// threads; the structs are plain values.
#ifndef INVOICE_INVOICE_READER_H_
#define INVOICE_INVOICE_READER_H_

#include <chrono>
#include <cstddef>
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
};

/// Something a person should look at. Never a refusal.
struct Warning {
  std::string code;     ///< stable snake_case id, see warning_codes.h
  std::string message;  ///< Japanese, for the clerk
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
};

/// Resource limits. A document that exceeds one is not read further; the
/// result says so in a warning.
struct ReadLimits {
  /// Larger inputs are not parsed at all.
  size_t max_bytes = size_t{100} << 20;
  /// Maximum element nesting. libxml2 itself stops at 256 (XML_PARSE_HUGE is
  /// never set), so larger values have no effect.
  int max_xml_depth = 256;
  /// Elements + attributes + comments; bounds parser memory.
  size_t max_xml_nodes = 1'000'000;
  /// Largest object number (/Size) and object count a PDF may declare.
  int max_pdf_objects = 200'000;
  /// Bytes a PDF may expand to when its object streams, cross-reference
  /// streams, XMP and invoice attachment are decompressed (PDF bombs).
  size_t max_pdf_decoded_bytes = size_t{256} << 20;
  /// Wall-clock budget. Checked while parsing XML and decompressing PDF
  /// streams; PoDoFo's own parsing of the PDF structure cannot be
  /// interrupted, but its cost is bounded by the limits above.
  std::chrono::milliseconds max_time{10'000};
};

struct ReadResult {
  InvoiceFields fields;
  std::vector<Warning> warnings;
};

/// Reads an invoice from its bytes (the whole file as received).
///
/// Never fails and never throws: unreadable input yields format "unknown" (or
/// "pdf" with needs_metadata) and a warning saying why. All strings in the
/// result are valid UTF-8. Does not touch the network or the file system.
ReadResult ReadInvoice(std::string_view bytes, const ReadLimits& limits = {});

}  // namespace invoice

#endif  // INVOICE_INVOICE_READER_H_
