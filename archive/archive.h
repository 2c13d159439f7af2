// Archive: the received documents — their original bytes, their receipts and
// their metadata versions — behind one write path. Every change is one LMDB
// write transaction that updates the catalog and appends its event to the
// event log; slow work (reading, hashing, parsing, fsync of the originals)
// happens before that transaction opens.
//
// Ingest is group-committed: a batch of files shares one round of syncfs for
// the originals and one LMDB commit. Every new document gets an RFC 3161
// time-stamp over its SHA-256 before the ingest is acknowledged (or, if the
// TSA cannot be reached, is archived anyway and marked "timestamp pending"
// until RetryPendingTimestamps gets one). After each committed change the
// event log's new root is signed as a checkpoint, and the checkpoint is
// time-stamped too. Nothing is acknowledged (returned) before it is durable.
// There is no delete.
//
// Thread safety: an Archive is safe for concurrent use; writes are
// serialised. Only one process may open a data directory for writing (the
// LOCK file); any number may open it read-only.
#ifndef ARCHIVE_ARCHIVE_H_
#define ARCHIVE_ARCHIVE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/document.h"
#include "archive/search.h"
#include "base/date.h"
#include "base/file_system.h"
#include "base/result.h"
#include "base/time.h"
#include "signing/tsa_client.h"
#include "signing/sha256.h"
#include "storage/lmdb_env.h"

namespace archive {

struct TimestampOptions {
  /// One token per ingest batch over the Merkle root of its documents,
  /// each document keeping its inclusion path (for paid TSAs). Default: one
  /// token per document, verifiable with `openssl ts -verify -data`.
  bool batch = false;
  /// External TSA (RFC 3161 over HTTP); empty: the built-in TSA.
  std::string url;
  /// PEM certificates that verify the external TSA's tokens.
  std::string trusted_pem;
  /// How to reach url; must outlive the Archive. REQUIRED when url is set.
  signing::TsaTransport* transport = nullptr;
};

struct ArchiveOptions {
  std::string data_dir = "kura-data";
  bool read_only = false;
  /// Larger files are refused with ResourceExhausted (kura.toml
  /// [ingest] max_file_mb).
  uint64_t max_file_bytes = uint64_t{100} << 20;
  storage::EnvOptions env;
  TimestampOptions timestamp;
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
  /// "granted" (a token is stored), "pending" (the TSA failed; retried
  /// later) or "existing" (a duplicate: the first receipt's token holds).
  std::string timestamp;
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
  /// A document id, or "log" / "catalog" / "checkpoint" for the structures.
  std::string id;
  /// Documents: "changed", "missing", "unreadable", "timestamp_invalid",
  /// "timestamp_pending". Structures: "tree_mismatch", "checkpoint_invalid",
  /// "unexplained_record", "record_mismatch", "missing_record".
  std::string reason;
  std::string detail;
};
struct VerifyOptions {
  /// Only documents first received on these Japanese dates (inclusive) are
  /// re-hashed and have their tokens checked (一括検証 of a period); the log
  /// and the catalog are always checked whole.
  std::optional<base::Date> from, to;
  /// Called as each stage starts, in this order: "checkpoints", "log",
  /// "catalog", "modules", "documents" (for progress on long runs).
  std::function<void(std::string_view stage)> on_stage;
};
struct VerifyReport {
  uint64_t documents = 0;  ///< documents checked (in the period)
  uint64_t ok = 0;         ///< of those, with intact bytes and a valid token
  uint64_t bytes = 0;
  uint64_t tokens_checked = 0;
  uint64_t events = 0;
  uint64_t checkpoint_size = 0;
  uint64_t module_records = 0;  ///< records of module tables (workflow, ...) checked
  std::vector<VerifyFailure> failed;
};
/// {"documents": N, "ok": N, "failed": [{"id", "reason", "detail"}], "events": N,
///  "checkpoint": N, "timestamps_checked": N, "module_records": N}
nlohmann::json ToJson(const VerifyReport& r);

/// Where a document stands in the event log: its receipt event, the event's
/// inclusion proof and the signed checkpoint the proof leads to.
struct LogProof {
  std::string id;
  uint64_t event_index = 0;
  std::string event;  ///< canonical bytes
  signing::Digest leaf_hash;
  std::vector<signing::Digest> proof;
  std::string checkpoint;  ///< signed note
  uint64_t tree_size = 0;
};
nlohmann::json ToJson(const LogProof& p);

/// Reads a received file's fields; returns {fields, warnings}. Must not
/// throw, touch the network or the file system, and must be safe to call
/// from several threads at once (ingest reads a batch in parallel).
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

  /// Replaces the field reader (default: invoice::ReadInvoice).
  void SetFieldReader(FieldReader reader);

  /// Archives a batch of files with one group commit. The result has one
  /// entry per file, in order: an outcome, or why that file was refused
  /// (InvalidArgument: empty; ResourceExhausted: over the size limit). If
  /// the commit itself fails, every entry carries that error and nothing of
  /// the batch is visible.
  std::vector<base::Result<IngestOutcome>> Ingest(std::vector<IncomingFile> files);

  base::Result<DocumentView> Get(std::string_view id) const;
  /// Searches the documents (archive/search.h); one consistent snapshot.
  base::Result<SearchResult> Search(const SearchQuery& query) const;
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

  /// Checks everything: re-hashes the originals and checks their tokens (in
  /// the period), rebuilds the Merkle tree from the stored events and compares
  /// it with every signed checkpoint, and replays the events against the
  /// catalog, the search index and the modules' tables, reporting any
  /// record the log does not explain (an edit of the LMDB file behind
  /// kura's back). progress(done, total) is called now and then during the
  /// documents. An error only if the check could not run at all.
  base::Result<VerifyReport> Verify(
      const VerifyOptions& options = {},
      const std::function<void(uint64_t, uint64_t)>& progress = nullptr) const;

  /// The DER TimeStampResp of a document's token; NotFound while pending.
  base::Result<std::string> TimestampResponse(std::string_view id) const;
  /// The document's token record as JSON (kind, gen_time, batch path...).
  base::Result<nlohmann::json> TimestampRecord(std::string_view id) const;
  /// PEM certificates that verify kura's tokens (built-in TSA chain, plus
  /// the external TSA's trusted certificates if configured).
  std::string TrustedTsaPem() const;
  /// The latest signed checkpoint (C2SP note); NotFound before the first.
  base::Result<std::string> LatestCheckpoint() const;
  /// The log's verifier key ("<origin>+<hash>+<key>").
  std::string LogVerifierKey() const;
  base::Result<LogProof> ProveDocument(std::string_view id) const;

  /// Asks the TSA again for documents whose time-stamp is pending and due
  /// (backoff doubles per failure, from 1 minute to 1 day). Returns how many
  /// got a token.
  base::Result<uint64_t> RetryPendingTimestamps();
  base::Result<uint64_t> PendingTimestampCount() const;

  /// Number of events in the log.
  base::Result<uint64_t> EventCount() const;
  /// Calls fn with each event from index `from` on, in log order, until fn
  /// fails (its error is returned). Events are canonical JSON.
  base::Status ForEachEvent(
      uint64_t from, const std::function<base::Status(uint64_t index, std::string_view event)>& fn)
      const;

  // The write path for the modules above the archive (workflow, retention,
  // compliance). They keep their records in tables of the same LMDB
  // environment, so that a state change and its event commit together.

  /// Adds one event to the log in the current Write; returns the index it
  /// gets. The event's "type" must not start with "document." (those are
  /// the archive's own); use a module prefix such as "workflow.". The
  /// member "writes" is reserved (see Write).
  using AppendEvent = std::function<base::Result<uint64_t>(const nlohmann::json& event)>;
  /// Runs fn in one LMDB write transaction, serialised with ingest and
  /// corrections; fn changes its tables and appends the events describing
  /// the change. Nothing of it is visible if fn fails. The archive watches
  /// every change fn makes to module tables and records it in the last
  /// event's "writes" member (table, key, SHA-256 of the new value), so that
  /// Verify can replay the log over those tables; a change without an event
  /// is FailedPrecondition. A checkpoint is signed after the commit.
  /// FailedPrecondition on a read-only archive.
  base::Status Write(const std::function<base::Status(storage::WriteTxn&, const AppendEvent&)>& fn);
  /// Runs fn in a read transaction (a consistent snapshot).
  base::Status Read(const std::function<base::Status(const storage::ReadTxn&)>& fn) const;
  /// Opens (creating unless read-only) a table for a module above the
  /// archive. Call before any Write or Read that uses it, not inside one.
  /// The archive's own tables are InvalidArgument.
  base::Result<storage::Table> OpenTable(const std::string& name);

  /// Internal state, defined in archive/internal/archive_rep.h for the
  /// archive's own .cc files only.
  struct Rep;

 private:
  explicit Archive(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace archive

#endif  // ARCHIVE_ARCHIVE_H_
