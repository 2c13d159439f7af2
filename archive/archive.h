// Archive: the received documents — their original bytes, their receipts and
// their metadata versions — behind one write path. Every change is one LMDB
// write transaction that updates the catalog and appends its event to the
// event log; slow work (reading, hashing, parsing, fsync of the originals)
// happens before that transaction opens.
//
// Ingest is group-committed: a batch of files shares one round of syncfs for
// the originals and one LMDB commit. Nothing is acknowledged (returned)
// before both are durable. There is no delete.
//
// Thread safety: an Archive is safe for concurrent use; writes are
// serialised. Only one process may open a data directory for writing (the
// LOCK file); any number may open it read-only.
#ifndef ARCHIVE_ARCHIVE_H_
#define ARCHIVE_ARCHIVE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/document.h"
#include "base/file_system.h"
#include "base/result.h"
#include "base/time.h"
#include "storage/lmdb_env.h"

namespace archive {

struct ArchiveOptions {
  std::string data_dir = "kura-data";
  bool read_only = false;
  /// Larger files are refused with ResourceExhausted (kura.toml
  /// [ingest] max_file_mb).
  uint64_t max_file_bytes = uint64_t{100} << 20;
  storage::EnvOptions env;
};

/// A file as it arrived, with who received it and how.
struct IncomingFile {
  std::string file_name;  ///< base name as received
  std::string department;
  std::string source;    ///< "cli", "upload", "scan", ...
  std::string receiver;  ///< login, or "cli:<os user>"
  std::string bytes;
};

struct IngestOutcome {
  std::string id;
  std::string sha256;
  bool duplicate = false;  ///< the same bytes were received before
  std::string media_type;
  uint64_t size = 0;
  uint32_t receipt_number = 0;
  base::Time received_at;
  nlohmann::json fields = nlohmann::json::object();
  nlohmann::json warnings = nlohmann::json::array();
};
/// The line `kura ingest` prints: {"id","sha256","status","media_type",
/// "size","fields","warnings"}.
nlohmann::json ToJson(const IngestOutcome& o);

struct DocumentView {
  Document document;
  std::vector<Receipt> receipts;
  std::vector<Version> versions;
};
/// {"id", "record": {...}, "current": {version}, "versions": [...], "receipts": [...]}
nlohmann::json ToJson(const DocumentView& v);

struct VerifyFailure {
  std::string id;
  std::string reason;  ///< "changed", "missing" or "unreadable"
  std::string detail;
};
struct VerifyReport {
  uint64_t documents = 0;
  uint64_t ok = 0;
  uint64_t bytes = 0;
  std::vector<VerifyFailure> failed;
};
/// {"documents": N, "ok": N, "failed": [{"id", "reason", "detail"}]}
nlohmann::json ToJson(const VerifyReport& r);

/// Reads a received file's fields; returns {fields, warnings}. Must not
/// throw, touch the network or the file system.
using FieldReader = std::function<std::pair<nlohmann::json, nlohmann::json>(std::string_view)>;

class Archive {
 public:
  /// Opens the archive in options.data_dir, which `kura init` created
  /// (FailedPrecondition otherwise, or if another kura holds it for writing,
  /// or if a newer kura wrote it). fs and clock must outlive the Archive.
  static base::Result<std::unique_ptr<Archive>> Open(const ArchiveOptions& options,
                                                     base::FileSystem* fs,
                                                     const base::Clock* clock);
  ~Archive();

  /// Replaces the field reader (default: none, fields stay {}).
  void SetFieldReader(FieldReader reader);

  /// Archives a batch of files with one group commit. The result has one
  /// entry per file, in order: an outcome, or why that file was refused
  /// (InvalidArgument: empty; ResourceExhausted: over the size limit). If
  /// the commit itself fails, every entry carries that error and nothing of
  /// the batch is visible.
  std::vector<base::Result<IngestOutcome>> Ingest(std::vector<IncomingFile> files);

  base::Result<DocumentView> Get(std::string_view id) const;
  /// The original bytes, unchanged. Corruption if they no longer match the
  /// recorded digest.
  base::Result<std::string> ReadOriginal(std::string_view id) const;

  /// Records a correction of a document's fields as a new version. changes
  /// is an object of field → new value (null removes a field); the previous
  /// versions stay readable. expected_version, if non-zero, must equal the
  /// current version (Aborted otherwise: someone corrected it meanwhile).
  base::Result<Version> Correct(std::string_view id, const nlohmann::json& changes,
                                const std::string& actor, const std::string& reason,
                                uint32_t expected_version = 0);

  /// Re-hashes every stored original and compares it with the catalog.
  /// progress(done, total) is called now and then.
  base::Result<VerifyReport> Verify(
      const std::function<void(uint64_t, uint64_t)>& progress = nullptr) const;

  /// Number of events in the log.
  base::Result<uint64_t> EventCount() const;

 private:
  struct Rep;
  explicit Archive(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace archive

#endif  // ARCHIVE_ARCHIVE_H_
