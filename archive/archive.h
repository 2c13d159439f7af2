// Archive: the received documents — their original bytes, their receipts and
// their metadata versions. Every change goes through the ledger's one write
// path (ledger/ledger.h): one LMDB transaction that updates the catalog and
// appends the document's "document.*" event to the event log. Slow work
// (reading, hashing, parsing, time-stamping, writing the originals to temp
// files) happens before the write is queued; the ledger's writer queue then
// groups concurrent ingests (web uploads, intake folders, workflow actions)
// into one round of syncs for the originals and one commit.
//
// Every new document gets an RFC 3161 time-stamp over its SHA-256 before
// Ingest answers (or, if the TSA cannot be reached, is archived anyway and
// marked "timestamp pending" until RetryPendingTimestamps gets one).
// Nothing is acknowledged (returned) before it is durable. There is no
// delete: the one way bytes leave is Dispose (after the retention period,
// decided and approved by retention/), which leaves a tombstone forever.
//
// Thread safety: an Archive is safe for concurrent use. Any number of
// processes may open a data directory, for writing too (`kura serve` and
// `kura ingest` at once).
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
#include "archive/scan.h"
#include "archive/search.h"
#include "archive/spool.h"
#include "base/date.h"
#include "base/file_system.h"
#include "base/result.h"
#include "base/time.h"
#include "invoice/field_patch.h"
#include "invoice/invoice_reader.h"
#include "ledger/ledger.h"
#include "signing/sha256.h"
#include "storage/dated_index.h"
#include "storage/lmdb_env.h"

namespace archive {

struct ArchiveOptions {
  std::string data_dir = "kura-data";
  bool read_only = false;
  /// Larger files are refused with ResourceExhausted (kura.toml
  /// [ingest] max_file_mb).
  uint64_t max_file_bytes = uint64_t{100} << 20;
  /// スキャナ保存 requirements and the image size cap (kura.toml [scan]).
  ScanPolicy scan;
  storage::EnvOptions env;
  bool group_commit = false;  ///< ledger::LedgerOptions::group_commit
  ledger::TimestampOptions timestamp;
  ledger::CheckpointOptions checkpoints;
  ledger::TokenKeyOptions key_token;  ///< kura.toml [keys] (ledger/token_keys.h)
};

/// A file as it arrived, with who received it and how.
struct IncomingFile {
  std::string file_name;  ///< base name as received
  std::string department;
  std::string source;    ///< "cli", "upload", "scan", ...
  std::string receiver;  ///< login, or "cli:<os user>"
  std::string bytes;
  /// Instead of bytes (then empty): the file received into a spool
  /// (Archive::NewSpool), closed. Ingest reads it mapped read-only and
  /// takes the file over into the store by a rename, never copying it.
  std::shared_ptr<SpooledFile> spooled;
  /// For a scan: its document class (retention's classes; "" = the scan
  /// policy's default), which decides the colour requirement.
  std::string document_class;
};

struct IngestOutcome {
  std::string id;
  std::string sha256;
  bool duplicate = false;  ///< the same bytes were received before
  std::string media_type;
  uint64_t size = 0;
  uint32_t receipt_number = 0;
  base::Time received_at;
  /// The document's current fields (for a duplicate: as the archive holds
  /// them, corrections included).
  invoice::InvoiceFields fields;
  /// The reader's warnings, and "timestamp_pending" if the TSA failed.
  std::vector<invoice::Warning> warnings;
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
  /// Set once the document was disposed of (its bytes are gone).
  std::optional<Tombstone> disposed;
};
/// {"id", "record": {...}, "current": {version}, "versions": [...], "receipts": [...]}
/// and, for a disposed document, "state": "disposed", "state_label": "廃棄済み",
/// "disposed": {tombstone}.
nlohmann::json ToJson(const DocumentView& v);

using ledger::ToJson;
using ledger::VerifyFailure;
using ledger::VerifyReport;

struct VerifyOptions {
  /// Only documents first received on these Japanese dates (inclusive) are
  /// re-hashed and have their tokens checked (一括検証 of a period); the log
  /// and the catalog are always checked whole.
  std::optional<base::Date> from, to;
  /// Called as each stage starts, in this order: "checkpoints", "log",
  /// "modules", "catalog", "documents" (for progress on long runs).
  std::function<void(std::string_view stage)> on_stage;
};

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

/// A document's time-stamp as a reader sees it (the detail screen).
struct TimestampStatus {
  /// "verified": the token is valid for the document's recorded SHA-256
  /// (directly, or through its batch's root), signed by a trusted TSA;
  /// "invalid": a token is stored but does not verify (problem says why);
  /// "pending": the TSA could not be reached yet, retried later;
  /// "none": neither (a data directory older than time-stamps).
  std::string status;
  std::optional<base::Time> gen_time;  ///< the TSA's time (granted tokens)
  std::string tsa;                     ///< "builtin" or the TSA's URL
  std::string serial;                  ///< hex
  bool batch = false;
  std::string problem;  ///< invalid: the verifier's reason (English, technical)
  // pending only:
  std::optional<base::Time> pending_since, next_attempt;
  uint32_t attempts = 0;
  std::string last_error;
};
/// {"status", "gen_time", "tsa", "serial", "batch", "problem",
///  "pending_since", "next_attempt", "attempts", "last_error"}; absent
/// times are null.
nlohmann::json ToJson(const TimestampStatus& t);

/// A document's time-stamp token as stored, and the digest its imprint
/// covers: the document's SHA-256, or in batch mode the root its batch
/// path leads to (for the renewal of tokens, retention/renewal.h).
struct StoredToken {
  std::string id;
  std::string der;  ///< the TimeStampResp exactly as issued
  base::Time gen_time;
  signing::Digest covered;
};

/// Reads a received file's fields and warnings (version 1 of its document).
/// Must not throw, touch the network or the file system, and must be safe
/// to call from several threads at once (ingest reads a batch in parallel).
using FieldReader = std::function<invoice::ReadResult(std::string_view)>;

class Archive {
 public:
  /// Opens the archive, and the ledger under it, in options.data_dir,
  /// which `kura init` created (FailedPrecondition otherwise, or if a newer
  /// kura wrote it). fs and clock must outlive the Archive. A writer
  /// removes the originals of batches whose process died before their
  /// commit.
  static base::Result<std::unique_ptr<Archive>> Open(const ArchiveOptions& options,
                                                     base::FileSystem* fs,
                                                     const base::Clock* clock);
  ~Archive();

  /// The ledger the archive writes through; the modules above (workflow)
  /// write their own tables through it too.
  ledger::Ledger& ledger();
  const ledger::Ledger& ledger() const;

  /// Replaces the field reader (default: invoice::ReadInvoice).
  /// REQUIRES: reader is not empty.
  void SetFieldReader(FieldReader reader);
  /// Sets the decoder of scans' images (archive/scan.h); without one, a
  /// JPEG/PNG/TIFF is still archived as a scan, its images unchecked, and
  /// a PDF is never taken for one. Call before the first Ingest.
  void SetScanInspector(ScanInspector inspector);
  const ScanPolicy& scan_policy() const;

  /// Archives a batch of files as one write of the ledger (grouped with
  /// concurrent writers into one commit). The result has one entry per
  /// file, in order: an outcome, or why that file was refused
  /// (InvalidArgument: empty; ResourceExhausted: over the size limit;
  /// FailedPrecondition: a spool not closed; IOError: a spooled file that
  /// cannot be read). If the write itself fails, every entry carries that
  /// error and nothing of the batch is visible. Spooled files are taken
  /// over by the store (new documents) or removed when the last reference
  /// to their SpooledFile goes (duplicates, refusals, a failed write).
  std::vector<base::Result<IngestOutcome>> Ingest(std::vector<IncomingFile> files);

  /// A new spool to receive a file in pieces (an upload read from the
  /// network) for Ingest: an incoming file beside the originals, hashed as
  /// it is written (archive/spool.h). Nothing is archived until Ingest gets
  /// it; a spool that never gets there is removed when dropped, or by the
  /// next Open if the process dies. FailedPrecondition if the archive is
  /// open read-only; IOError if the file cannot be created.
  base::Result<std::shared_ptr<SpooledFile>> NewSpool();

  base::Result<DocumentView> Get(std::string_view id) const;
  /// The same, inside the caller's transaction (a write of the modules
  /// above that must decide on the document as this transaction sees it).
  base::Result<DocumentView> Get(const storage::ReadTxn& txn, std::string_view id) const;
  /// The document's record and receipts, with `versions` left empty: what
  /// a list shows beside a search item, without decoding every version.
  base::Result<DocumentView> GetReceived(const storage::ReadTxn& txn, std::string_view id) const;
  /// As Get, except that the versions are not decoded: `versions` is left
  /// empty and *version_records gets each version's stored record in
  /// number order (canonical JSON, the very bytes base::DumpJson(ToJson(v))
  /// gives: tests/archive/fields_compat_test.cc). For a caller that copies
  /// the versions out rather than reads them (the evidence export).
  base::Result<DocumentView> GetStored(std::string_view id,
                                       std::vector<std::string>* version_records) const;
  /// Searches the documents (archive/search.h); one consistent snapshot.
  base::Result<SearchResult> Search(const SearchQuery& query) const;
  /// The same, inside the caller's transaction (a module above deciding on
  /// what a query covers as this transaction sees it: retention's holds).
  base::Result<SearchResult> Search(const storage::ReadTxn& txn, const SearchQuery& query) const;
  /// The original bytes, unchanged. Corruption if they no longer match the
  /// recorded digest; FailedPrecondition (廃棄済み, with when and who) for
  /// a disposed document.
  base::Result<std::string> ReadOriginal(std::string_view id) const;
  /// The stored original with this SHA-256 (Document::sha256) as a stream,
  /// for copying large files without holding them (the evidence export).
  /// Nothing is checked: the caller hashes what it reads and compares.
  /// NotFound if the bytes are gone.
  base::Result<std::unique_ptr<base::SequentialFile>> OpenOriginal(std::string_view sha256) const;

  // --- Documents waiting for work (for the modules above) ---

  /// The documents that no module above has taken up yet — for the
  /// workflow, the invoices without a payment order — in group "" by
  /// receiving department (scope) and receipt day in Japan (days since
  /// 1970-01-01), ids "D…". A document enters it in the transaction that
  /// receives it; the module that takes it up calls SetPending in its own
  /// write transaction. Null if the archive was opened read-only before a
  /// writer created the index. Read it in a transaction of the ledger.
  const storage::DatedIndex* pending() const;
  /// Takes document id out of the pending documents (false) or puts it
  /// back (true), in the caller's write transaction. NotFound for an
  /// unknown id.
  base::Status SetPending(storage::WriteTxn& txn, std::string_view id, bool pending) const;
  /// Rebuilds the pending documents from the catalog: every document for
  /// which taken_up answers false (the module above's own records).
  base::Status RebuildPending(
      storage::WriteTxn& txn,
      const std::function<base::Result<bool>(std::string_view id)>& taken_up) const;

  /// Records a correction of a document's fields as a new version: the
  /// current fields with patch applied (invoice::ApplyPatch; a person's
  /// input becomes a patch through NormalizeCorrection), and the event
  /// "document.corrected" with the patch as its "changes"
  /// (invoice::PatchToJson). The previous versions stay readable.
  /// expected_version, if non-zero, must equal the current version (Aborted
  /// otherwise: someone corrected it meanwhile). InvalidArgument for an
  /// empty patch, or no reason or actor; NotFound for an unknown document.
  ///
  /// in_same_write, if given, runs inside the correction's write
  /// transaction after the new version is added and its event appended,
  /// with the corrected document: the checks and changes of a module above
  /// that must commit with the correction or not at all (the workflow
  /// refusing the correction of an invoice whose payment order is under
  /// way, or updating a draft order). Its events follow the correction's.
  /// Its error undoes the correction and is Correct's.
  using CorrectionHook = std::function<base::Status(storage::WriteTxn&, const ledger::AppendEvent&,
                                                    const DocumentView& corrected)>;
  base::Result<Version> Correct(std::string_view id, const invoice::FieldPatch& patch,
                                const std::string& actor, const std::string& reason,
                                uint32_t expected_version = 0,
                                const CorrectionHook& in_same_write = nullptr);

  /// Disposes of document id: in one write of the ledger, records its
  /// tombstone (the document's sha256, size and media type, disposed_at =
  /// the clock's now, and disposal's requested_by, approved_by, reason and
  /// details) in the catalog with a "document.disposed" event, then runs
  /// in_same_write (REQUIRED: the module that decided it — retention/ —
  /// checks its holds, the expiry and the four-eyes rule there, records its
  /// own tables and appends its event after the archive's; its error undoes
  /// everything). Only after the commit are the original's bytes removed;
  /// if that fails or the process dies first, the tombstone stands, Verify
  /// tolerates the leftover bytes and the next writer's Open (or
  /// RemoveDisposedOriginals) removes them. *bytes_removed says whether they
  /// are gone now. FailedPrecondition: read-only, or already disposed;
  /// NotFound: unknown document; InvalidArgument: no reason, or requester
  /// and approver missing.
  using DisposalHook = std::function<base::Status(storage::WriteTxn&, const ledger::AppendEvent&,
                                                  const DocumentView& document)>;
  base::Result<Tombstone> Dispose(std::string_view id, const Tombstone& disposal,
                                  const DisposalHook& in_same_write, bool* bytes_removed = nullptr);
  /// Removes the bytes of every disposed document that are still there (a
  /// crash between a disposal's commit and the removal). Returns how many
  /// were removed. A writer's Open calls it.
  base::Result<uint64_t> RemoveDisposedOriginals();

  /// Checks everything: the ledger's part (checkpoints, the Merkle tree
  /// rebuilt from the stored events, the modules' tables against their
  /// write sets; Ledger::VerifyLog), then replays the document events
  /// against the catalog and the search index, reporting any record the log
  /// does not explain (an edit of the LMDB file behind kura's back), and
  /// re-hashes the originals and checks their tokens (in the period).
  /// progress(done, total) is called now and then during the documents. An
  /// error only if the check could not run at all.
  base::Result<VerifyReport> Verify(
      const VerifyOptions& options = {},
      const std::function<void(uint64_t, uint64_t)>& progress = nullptr) const;

  /// The DER TimeStampResp of a document's token; NotFound while pending.
  base::Result<std::string> TimestampResponse(std::string_view id) const;
  /// The document's time-stamp, its token verified against the recorded
  /// SHA-256 and the trusted TSA certificates (the bytes themselves are
  /// re-hashed by Verify and by every ReadOriginal). NotFound for an
  /// unknown document; a token that does not verify is status "invalid",
  /// not an error.
  base::Result<TimestampStatus> CheckTimestamp(std::string_view id) const;
  /// The document's token record as JSON (kind, gen_time, batch path...).
  base::Result<nlohmann::json> TimestampRecord(std::string_view id) const;
  /// The receipt event's inclusion proof in the latest checkpoint;
  /// FailedPrecondition while no checkpoint covers it yet.
  base::Result<LogProof> ProveDocument(std::string_view id) const;

  /// Document seq's token in the caller's transaction; nullopt while its
  /// time-stamp is pending (or it has none). NotFound for an unknown
  /// document; Corruption for a batch path that leads nowhere.
  base::Result<std::optional<StoredToken>> StoredTokenOf(const storage::ReadTxn& txn,
                                                         uint64_t seq) const;

  /// Asks the TSA again for documents whose time-stamp is pending and due
  /// (backoff doubles per failure, from 1 minute to 1 day). Returns how many
  /// got a token. A round that fails is recorded too, as one
  /// "document.timestamp_retry" event naming the documents and the error.
  base::Result<uint64_t> RetryPendingTimestamps();
  base::Result<uint64_t> PendingTimestampCount() const;

  /// Internal state, defined in archive/internal/archive_rep.h for the
  /// archive's own .cc files only.
  struct Rep;

 private:
  explicit Archive(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace archive

#endif  // ARCHIVE_ARCHIVE_H_
