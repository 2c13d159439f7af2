// OCR proposals of archived documents: data beside the document, not a
// version of its fields. A person confirms or corrects them in 項目入力,
// and that confirmation is the correction version (archive/correction.h);
// until then they only help. Each store is a state change with its event.
//
// Table (recorded: each change is in its event's write set and replayed by
// `kura verify`):
//   ar_ocr         document id → {"id", "proposal", "confidence", "regions",
//                  "scan": {"dpi", "colour", "pages", "warnings"}, "engine", "by", "at"}
//   ar_ocr_failed  document id → {"id", "error", "by", "at"}: OCR that failed
//                  (the background worker does not try it again; `kura ocr`
//                  may, and a stored proposal removes the failure)
// Events: ledger/event_types.h kOcrProposed ("ocr.proposed"), kOcrFailed
// ("ocr.failed").
//
// The record is JSON made by the caller (ocr::Proposal*Json in app/ and
// web/); the store checks only that it is an object naming the document.
//
// Thread safety: safe for concurrent use (each Put is one Ledger::Write).
#ifndef ARCHIVE_OCR_STORE_H_
#define ARCHIVE_OCR_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/result.h"
#include "base/time.h"

namespace archive {

class OcrStore {
 public:
  /// Opens (a writer creates) the table. A read-only archive made before
  /// the table existed gives a store whose Get is always NotFound.
  static base::Result<std::unique_ptr<OcrStore>> Open(Archive* archive);

  /// Stores the proposals of document `id` (replacing earlier ones), with
  /// "id", "by" and "at" set here, and appends the event. NotFound for an
  /// unknown document; InvalidArgument if record is not an object;
  /// FailedPrecondition if read-only.
  base::Status Put(std::string_view id, nlohmann::json record, const std::string& actor,
                   base::Time at);

  /// The stored record. NotFound if OCR has not run for the document.
  base::Result<nlohmann::json> Get(std::string_view id) const;

  /// Records that OCR of document `id` failed (error: the Japanese reason),
  /// with its event, replacing an earlier failure. Errors as Put.
  base::Status PutFailure(std::string_view id, const std::string& error, const std::string& actor,
                          base::Time at);
  /// The recorded failure {"id", "error", "by", "at"}; NotFound if none
  /// (never failed, or a proposal was stored since).
  base::Result<nlohmann::json> GetFailure(std::string_view id) const;

 private:
  OcrStore(Archive* archive, std::optional<storage::Table> table,
           std::optional<storage::Table> failed)
      : archive_(archive), table_(std::move(table)), failed_(std::move(failed)) {}
  base::Result<nlohmann::json> GetFrom(const std::optional<storage::Table>& table,
                                       std::string_view id) const;
  Archive* archive_;
  std::optional<storage::Table> table_;
  std::optional<storage::Table> failed_;
};

}  // namespace archive

#endif  // ARCHIVE_OCR_STORE_H_
