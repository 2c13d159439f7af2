// Reader for UBL 2.x Invoice and CreditNote documents (JP PINT, Peppol BIS
// Billing 3, XRechnung UBL, plain OASIS UBL). Paths follow JP PINT / EN 16931
// (see shared/DOMAIN.md); elements are matched by namespace URI, so any
// prefix works.
//
// Thread safety: pure function over a tree nobody modifies.
#ifndef INVOICE_INTERNAL_UBL_READER_H_
#define INVOICE_INTERNAL_UBL_READER_H_

#include <libxml/tree.h>

#include "invoice/internal/parsed_invoice.h"
#include "invoice/internal/warning_list.h"

namespace invoice::internal {

inline constexpr char kUblInvoiceNs[] = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
inline constexpr char kUblCreditNoteNs[] =
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

/// True if root is a UBL Invoice or CreditNote element.
bool IsUblRoot(const xmlNode* root);

/// Extracts the fields of a UBL invoice or credit note. Leaves
/// fields.format to the caller (it depends on the CustomizationID).
/// REQUIRES: IsUblRoot(root).
ParsedInvoice ReadUbl(const xmlNode* root, WarningList* warnings);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_UBL_READER_H_
