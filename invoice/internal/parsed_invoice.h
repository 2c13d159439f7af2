// ParsedInvoice: what a syntax reader (UBL, CII) extracts from one XML
// invoice: the public fields plus the document-level amounts that only the
// consistency checks need.
//
// Thread safety: plain values.
#ifndef INVOICE_INTERNAL_PARSED_INVOICE_H_
#define INVOICE_INTERNAL_PARSED_INVOICE_H_

#include <optional>
#include <string>

#include "invoice/invoice_reader.h"

namespace invoice::internal {

/// Totals as written (validated decimals), absent when not stated.
struct DocumentAmounts {
  /// UBL TaxExclusiveAmount, CII TaxBasisTotalAmount.
  std::optional<std::string> tax_exclusive;
  /// Total tax in the document currency: UBL TaxTotal/TaxAmount, CII
  /// TaxTotalAmount.
  std::optional<std::string> tax_total;
  /// UBL PrepaidAmount, CII TotalPrepaidAmount.
  std::optional<std::string> prepaid;
  /// UBL PayableRoundingAmount, CII RoundingAmount.
  std::optional<std::string> rounding;
};

struct ParsedInvoice {
  InvoiceFields fields;
  DocumentAmounts amounts;
  /// The supplier's identifier under the VAT tax scheme as written, even when
  /// it is not a registration number (so JP PINT can flag a malformed one).
  std::optional<std::string> supplier_vat_id;
};

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_PARSED_INVOICE_H_
