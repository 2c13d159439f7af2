// Names the format of a document from what it says about itself: the UBL
// CustomizationID, the CII guideline, the name of a PDF attachment and the
// PDF's XMP metadata. Never from a file name.
//
// Thread safety: pure functions.
#ifndef INVOICE_INTERNAL_FORMATS_H_
#define INVOICE_INTERNAL_FORMATS_H_

#include <string>
#include <string_view>

namespace invoice::internal {

/// For a UBL document with the given CustomizationID:
///   "jp-pint"    urn:peppol:pint:*@jp* (billing, selfbilling, nontaxinvoice,
///                and the pre-release drafts) and the legacy
///                urn:fdc:peppol:jp:billing:3.0;
///   "xrechnung"  anything naming xrechnung;
///   "peppol-bis" Peppol BIS Billing 3 (…poacc:billing:3.0, incl. A-NZ) and
///                other Peppol PINT specialisations;
///   "ubl"        anything else.
std::string ClassifyUbl(std::string_view customization_id);

/// For a CII document: "zugferd" for ZUGFeRD 1.0, "xrechnung" when the
/// guideline names xrechnung, else "cii".
std::string ClassifyCii(bool zugferd1, std::string_view guideline_id);

/// For a hybrid PDF whose attachment `attachment_name` was read as an
/// invoice of format `xml_format`; `xmp_namespace` is the namespace of the
/// PDF's Factur-X/ZUGFeRD XMP extension ("" if none):
///   "xrechnung" for xrechnung.xml or an XRechnung guideline;
///   "zugferd"   for (ZUGFeRD-|zugferd-)invoice.xml, ZUGFeRD 1.0 XML, or a
///               ZUGFeRD XMP namespace;
///   the XML's own format when it is UBL-based (jp-pint, peppol-bis, ubl);
///   "factur-x"  otherwise.
std::string ClassifyHybridPdf(std::string_view attachment_name, std::string_view xml_format,
                              std::string_view xmp_namespace);

/// True if name is one of the attachment names hybrid invoices use:
/// factur-x.xml, zugferd-invoice.xml, xrechnung.xml (case-insensitive).
bool IsInvoiceAttachmentName(std::string_view name);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_FORMATS_H_
