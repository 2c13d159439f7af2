// The stable codes of reader warnings (Warning::code). Callers match on
// these; the Japanese messages may be reworded at any time.
//
// Thread safety: constants.
#ifndef INVOICE_WARNING_CODES_H_
#define INVOICE_WARNING_CODES_H_

#include <string_view>

namespace invoice::warning_code {

// --- The input could not be read (format "unknown", or "pdf"). ---
inline constexpr std::string_view kEmptyInput = "empty_input";
inline constexpr std::string_view kInputTooLarge = "input_too_large";
inline constexpr std::string_view kUnrecognizedFormat = "unrecognized_format";
inline constexpr std::string_view kTimeLimitExceeded = "time_limit_exceeded";
inline constexpr std::string_view kInternalError = "internal_error";

inline constexpr std::string_view kXmlMalformed = "xml_malformed";
/// A DOCTYPE declaring entities or naming an external DTD (XXE, billion
/// laughs). E-invoices never need one; the document is not read.
inline constexpr std::string_view kXmlDoctypeForbidden = "xml_doctype_forbidden";
inline constexpr std::string_view kXmlTooDeep = "xml_too_deep";
inline constexpr std::string_view kXmlTooManyNodes = "xml_too_many_nodes";
/// Well-formed XML that is not an invoice format we read.
inline constexpr std::string_view kXmlUnsupportedDocument = "xml_unsupported_document";

inline constexpr std::string_view kPdfMalformed = "pdf_malformed";
inline constexpr std::string_view kPdfEncrypted = "pdf_encrypted";
/// Too many objects, or streams that decompress beyond the limit.
inline constexpr std::string_view kPdfTooComplex = "pdf_too_complex";
/// A PDF without an embedded invoice XML: fields must be entered by hand.
inline constexpr std::string_view kPdfNeedsMetadata = "pdf_needs_metadata";
/// An attachment named like invoice XML (factur-x.xml, ...) that could not be
/// read as an invoice.
inline constexpr std::string_view kPdfAttachmentUnreadable = "pdf_attachment_unreadable";

// --- The document was read; something in it deserves a look. ---
inline constexpr std::string_view kMissingInvoiceNumber = "missing_invoice_number";
inline constexpr std::string_view kInvalidDate = "invalid_date";
inline constexpr std::string_view kInvalidAmount = "invalid_amount";

/// "T" + 13 digits whose check digit does not hold (e.g. the official JP
/// PINT samples' T1234567890123).
inline constexpr std::string_view kRegistrationNumberCheckDigit = "registration_number_check_digit";
/// A JP PINT supplier VAT identifier that is not "T" + 13 digits.
inline constexpr std::string_view kRegistrationNumberMalformed = "registration_number_malformed";

/// Tax per rate differs from taxable × rate by one minor unit or more.
inline constexpr std::string_view kTaxRoundingMismatch = "tax_rounding_mismatch";
/// Σ tax per rate differs from the stated total tax.
inline constexpr std::string_view kTaxTotalMismatch = "tax_total_mismatch";
/// Σ taxable per rate differs from the total without tax.
inline constexpr std::string_view kTaxableTotalMismatch = "taxable_total_mismatch";
/// Total without tax + tax differs from the total with tax.
inline constexpr std::string_view kInclusiveTotalMismatch = "inclusive_total_mismatch";
/// Total with tax − prepaid + rounding differs from the amount due.
inline constexpr std::string_view kPayableTotalMismatch = "payable_total_mismatch";

// Missing items of a qualified invoice (適格請求書, JP PINT only).
inline constexpr std::string_view kMissingIssuerName = "missing_issuer_name";
inline constexpr std::string_view kMissingRegistrationNumber = "missing_registration_number";
inline constexpr std::string_view kMissingIssueDate = "missing_issue_date";
inline constexpr std::string_view kMissingTaxBreakdown = "missing_tax_breakdown";
inline constexpr std::string_view kMissingBuyerName = "missing_buyer_name";

/// The PDF's own metadata (document information, XMP) disagrees with its
/// embedded invoice XML.
inline constexpr std::string_view kPdfXmlMismatch = "pdf_xml_mismatch";

// --- Scans (スキャナ保存, issue 15): recorded at receipt by the archive. ---
/// A scanned paper document (JPEG, PNG, TIFF or an image-only PDF): its
/// keys (取引年月日, 金額, 取引先) must be entered by a person.
inline constexpr std::string_view kScanNeedsMetadata = "scan_needs_metadata";
/// A page scanned below the required resolution (200 dpi).
inline constexpr std::string_view kScanResolutionLow = "scan_resolution_low";
/// Colour below the requirement: 24-bit RGB (8 bits per colour), or 8-bit
/// grey for a document class configured as 一般書類.
inline constexpr std::string_view kScanColourInsufficient = "scan_colour_insufficient";
/// The scan's images could not be decoded: resolution and colour unchecked.
inline constexpr std::string_view kScanUnreadable = "scan_unreadable";
/// The same invoice arrived through another channel (a paper scan of an
/// electronic invoice, or the reverse); shown, never a refusal.
inline constexpr std::string_view kCrossChannelDuplicate = "cross_channel_duplicate";

}  // namespace invoice::warning_code

#endif  // INVOICE_WARNING_CODES_H_
