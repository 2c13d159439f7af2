// Evidence export: the documents a search finds, with everything an outside
// auditor needs to check them without kura, as a BagIt 1.0 bag (RFC 8493)
// in a directory or a ZIP file:
//
//   bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt,
//   tagmanifest-sha256.txt, VERIFY.txt (日本語 / English), verify_proofs.py
//   data/originals/<id>/<file name>   the received bytes, unchanged
//   data/metadata.csv (UTF-8 BOM), data/metadata.json   電帳法 search fields
//                                     and extracted fields, one row per document
//   data/timestamps/<id>.tsr, <id>.json, tsa-chain.pem   RFC 3161 tokens
//   data/timestamps/renewals/<id>.chain.json, T<n>.tsr,   time-stamp renewal
//     tsa-certificates.pem (every TSA certificate)        (internal/renewal_files.h)
//   data/proofs/<id>.json             inclusion of every event of the
//                                     document in the latest checkpoint
//   data/checkpoints/<size>.note, <size>.tsr, consistency-<a>-<b>.json,
//                    verifier-key.txt
//   data/history/<id>.json            receipts, versions, workflow steps
//   data/report.pdf                   a readable summary (Japanese)
//
// Each original is read once: hashed (SHA-256, SHA-512) as the bytes that
// are copied, and its SHA-256 compared with the catalog's. Two workers
// prepare the documents (their versions, files, digests and metadata rows;
// for a ZIP also each file deflated and its CRC-32); a ZIP is written in
// order by the calling thread. A document whose original is
// absent (not stored any more) is exported without it and marked so in
// metadata and report. Nothing is durable before the end, when the whole
// bag is synced at once.
//
// Thread safety: ExportBag reads the archive through read snapshots; the
// archive may be written meanwhile (events after the proofs' checkpoint are
// listed in the history but not proved).
#ifndef COMPLIANCE_EXPORT_H_
#define COMPLIANCE_EXPORT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "archive/archive.h"
#include "archive/search.h"
#include "base/result.h"
#include "base/time.h"

namespace compliance {

struct ExportOptions {
  /// Which documents (the filters of `kura search`); limit, offset and
  /// after are ignored: every hit is exported.
  archive::SearchQuery query;
  /// The search as a person typed it, for bag-info.txt and the report.
  std::string query_text;
  /// A directory (created; must be empty) or a path ending in ".zip".
  std::string out;
  /// bag-info.txt Source-Organization (e.g. the city's name).
  std::string organization = "kura";
  /// Japanese TrueType font of report.pdf.
  std::string font_file = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";
  /// Called now and then with (documents done, documents to do) and a stage
  /// ("search", "originals", "finish", "report", "sync").
  std::function<void(std::string_view stage, uint64_t done, uint64_t total)> progress;
  /// If set, read between documents and stages: once true, the export
  /// stops and returns Aborted ("証跡出力を中止しました"); a ZIP's partial
  /// file is removed, a folder is left as far as it got.
  const std::atomic<bool>* cancel = nullptr;
  /// If not 0: more bytes of originals than this are refused with
  /// ResourceExhausted before anything is written.
  uint64_t max_original_bytes = 0;
  /// A ZIP stores every file as it is instead of deflating the text ones
  /// (originals that are compressed already, PDF and images, and tokens
  /// are always stored).
  bool zip_store_all = false;
};

struct ExportSummary {
  uint64_t documents = 0;
  uint64_t missing_originals = 0;
  uint64_t payload_files = 0;
  uint64_t payload_bytes = 0;
  uint64_t original_bytes = 0;
  uint64_t tree_size = 0;  ///< the checkpoint the proofs lead to
  uint64_t unproved_events = 0;  ///< events newer than that checkpoint
};

/// Writes the bag. Errors: those of the search (InvalidArgument), of the
/// output (FailedPrecondition: not empty / exists; IOError), Corruption
/// if an original does not match its recorded SHA-256 (nothing of a
/// changed original is exported as evidence), FailedPrecondition if the
/// log has no checkpoint yet, Aborted if options.cancel was set,
/// ResourceExhausted over options.max_original_bytes.
base::Result<ExportSummary> ExportBag(const archive::Archive& archive, const base::Clock& clock,
                                      const ExportOptions& options);

}  // namespace compliance

#endif  // COMPLIANCE_EXPORT_H_
