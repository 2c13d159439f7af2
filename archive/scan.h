// Scanned paper documents (スキャナ保存, 電子帳簿保存法施行規則 2条6項): what
// the archive records of a scan at receipt, and the checks of its images.
// A scan is a JPEG, PNG or TIFF, or a PDF whose pages are images only; the
// archive keeps its bytes unchanged like any original, marks its fields
// format "scan" (needs_metadata: a person enters its keys), and records the
// facts of its images (pages, resolution, colour) with a warning for each
// requirement they miss — never a refusal.
//
// The images are decoded by a ScanInspector the application injects
// (app/ wires ocr::ReadScan), so that the archive links no image library.
//
// Thread safety: values and pure functions; an inspector must be safe to
// call from several threads at once (ingest reads a batch in parallel).
#ifndef ARCHIVE_SCAN_H_
#define ARCHIVE_SCAN_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "invoice/invoice_fields.h"

namespace archive {

/// One decoded page of a scan.
struct ScanPage {
  int dpi = 0;              ///< the lower of the horizontal and vertical resolution
  std::string colour;       ///< "rgb", "grey" or "bw"
  int bits_per_sample = 0;  ///< 8 for 24-bit RGB or 8-bit grey, 1 for bw
};

/// What the archive records of a scan (Version::scan).
struct ScanFacts {
  int pages = 0;
  int min_dpi = 0;             ///< over all pages; 0 when unknown
  std::string colour;          ///< the poorest page's: "rgb" > "grey" > "bw"; "" unknown
  int bits_per_sample = 0;     ///< that page's
  std::string document_class;  ///< the class the colour rule was checked for
  friend bool operator==(const ScanFacts&, const ScanFacts&) = default;
};
/// {"pages", "min_dpi", "colour", "bits_per_sample", "document_class"}
nlohmann::json ToJson(const ScanFacts& s);
base::Result<ScanFacts> ScanFactsFromJson(const nlohmann::json& j);

/// Decodes a scan's pages (bytes as received, media type as sniffed).
/// InvalidArgument / NotFound: not a scan (a PDF with text); any other
/// error: a scan whose images could not be read.
using ScanInspector = std::function<base::Result<std::vector<ScanPage>>(
    std::string_view bytes, std::string_view media_type)>;

/// The requirements (kura.toml [scan]).
struct ScanPolicy {
  int min_dpi = 200;
  /// Document classes that are 一般書類 (8-bit grey suffices); the others
  /// are 重要書類 (24-bit RGB). Classes are those of retention's schedule.
  std::vector<std::string> grey_classes = {"other"};
  /// The class of a scan received without one (an invoice: 重要書類).
  std::string default_class = "payment_evidence";
  /// JPEG, PNG and TIFF files above this size are refused (decoding them
  /// is the costly part); image-only PDFs keep the general limit.
  uint64_t max_image_bytes = uint64_t{50} << 20;
};

/// The group of Archive::pending() that holds the scans whose keys have
/// not been entered yet (by first receipt day and department).
inline constexpr std::string_view kAwaitingKeysGroup = "input";

/// A scan whose version lacks a key a person must enter: 取引年月日
/// (issue_date), 金額 (total) or 取引先 (counterparty).
bool AwaitsKeys(const invoice::InvoiceFields& fields);

/// Whether a sniffed media type is an image kind kura takes as a scan.
bool IsImageMediaType(std::string_view media_type);

/// The facts of pages for document_class (empty: the policy's default).
ScanFacts SummarizeScan(const std::vector<ScanPage>& pages, const ScanPolicy& policy,
                        std::string_view document_class);
/// The warnings for facts (kScanResolutionLow, kScanColourInsufficient),
/// Japanese, naming the measured value and the requirement.
std::vector<invoice::Warning> CheckScan(const ScanFacts& facts, const ScanPolicy& policy);

}  // namespace archive

#endif  // ARCHIVE_SCAN_H_
