// Running OCR for an archived document and storing its proposals: shared by
// `kura ocr` (app/ocr_cli.cc) and any background worker of `kura serve`.
// The slow part (decoding, Tesseract) runs before the one write that stores
// the proposals with their event (archive/ocr_store.h).
#ifndef APP_OCR_RUN_H_
#define APP_OCR_RUN_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "archive/ocr_worker.h"
#include "base/result.h"
#include "base/time.h"
#include "ocr/engine.h"
#include "ocr/propose.h"
#include "ocr/scan.h"
#include "workflow/organization.h"
#include "workflow/workflow.h"

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

/// The record RunOcr stores, from a scan's original bytes (decoding,
/// Tesseract, the proposals): InvalidArgument when the bytes are not a scan.
base::Result<nlohmann::json> ReadOcrRecord(ocr::Engine* engine,
                                           const std::vector<ocr::KnownVendor>& vendors,
                                           std::string_view id, std::string_view bytes);

/// The background worker's reader (archive/ocr_worker.h): ReadOcrRecord with
/// an engine opened on first use, on the worker's thread, with `options`
/// (set page_time_limit_ms; cancel is the worker's); `vendors` is asked at
/// each read.
archive::OcrReader MakeOcrReader(std::function<std::vector<ocr::KnownVendor>()> vendors,
                                 ocr::EngineOptions options);

/// The background OCR of `kura serve` and `kura watch`: the store and its
/// started worker over workflow's vendor master (nullptr, after logging why,
/// when kura.toml's [scan] ocr_page_seconds is 0 or the store cannot be
/// opened). Destroy before the archive and workflow.
struct BackgroundOcr {
  std::unique_ptr<archive::OcrStore> store;
  std::unique_ptr<archive::OcrWorker> worker;  // after store: stops first
};
std::unique_ptr<BackgroundOcr> StartBackgroundOcr(archive::Archive* archive,
                                                  workflow::Workflow* workflow,
                                                  const base::Clock* clock, int page_seconds);

/// The line `kura ocr` prints for a stored record, in issue 15's shape:
/// {"id", "proposal", "confidence", "scan": {"dpi", "colour", "warnings"}}.
nlohmann::json OcrLine(const nlohmann::json& record);

}  // namespace app

#endif  // APP_OCR_RUN_H_
