// Reader for UN/CEFACT Cross Industry Invoice documents: CII D16B
// (rsm:CrossIndustryInvoice, used by Factur-X, ZUGFeRD 2.x and XRechnung
// CII) and ZUGFeRD 1.0 (rsm:CrossIndustryDocument, older element names).
// Elements are matched by namespace URI, so any prefix works.
//
// Thread safety: pure function over a tree nobody modifies.
#ifndef INVOICE_INTERNAL_CII_READER_H_
#define INVOICE_INTERNAL_CII_READER_H_

#include <libxml/tree.h>

#include "invoice/internal/parsed_invoice.h"
#include "invoice/internal/warning_list.h"

namespace invoice::internal {

enum class CiiVariant {
  kNone,
  kD16B,      ///< urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100
  kZugferd1,  ///< urn:ferd:CrossIndustryDocument:invoice:1p0
};

/// Which CII variant root is, if any.
CiiVariant CiiVariantOf(const xmlNode* root);

/// Extracts the fields of a CII invoice. Leaves fields.format to the caller.
/// REQUIRES: CiiVariantOf(root) != kNone.
ParsedInvoice ReadCii(const xmlNode* root, WarningList* warnings);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_CII_READER_H_
