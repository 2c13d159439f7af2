// Running OCR for an archived document and storing its proposals: shared by
// `kura ocr` (app/ocr_cli.cc) and any background worker of `kura serve`.
// The slow part (decoding, Tesseract) runs before the one write that stores
// the proposals with their event (archive/ocr_store.h).
#ifndef APP_OCR_RUN_H_
#define APP_OCR_RUN_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "base/result.h"
#include "base/time.h"
#include "ocr/engine.h"
#include "ocr/propose.h"
#include "ocr/scan.h"
#include "workflow/organization.h"

namespace app {

/// The vendor master as the proposals use it.
std::vector<ocr::KnownVendor> KnownVendorsOf(const std::vector<workflow::Vendor>& vendors);

/// {"dpi", "colour", "pages", "warnings"} of a scan: the lowest resolution
/// and the poorest colour kind over its pages, with a Japanese warning for
/// under 200 dpi and for a page that is not RGB colour.
nlohmann::json ScanSummary(const std::vector<ocr::ScanPage>& pages);

/// Reads document id's original, runs OCR and stores the record (replacing
/// an earlier one): {"proposal", "confidence", "regions", "scan", "engine"}
/// plus what OcrStore::Put adds. InvalidArgument (Japanese) when the
/// original is not a scan (an XML invoice, a PDF with text pages); the
/// errors of Archive::ReadOriginal, ocr::ReadScan, the engine and the store.
base::Result<nlohmann::json> RunOcr(archive::Archive* archive, archive::OcrStore* store,
                                    ocr::Engine* engine,
                                    const std::vector<ocr::KnownVendor>& vendors,
                                    std::string_view id, const std::string& actor, base::Time now);

/// The line `kura ocr` prints for a stored record, in issue 15's shape:
/// {"id", "proposal", "confidence", "scan": {"dpi", "colour", "warnings"}}.
nlohmann::json OcrLine(const nlohmann::json& record);

}  // namespace app

#endif  // APP_OCR_RUN_H_
