// BlobStore: content-addressed, write-once storage of received originals.
//
//   objects/sha256/ab/cd/abcd…(64 hex)   the bytes, mode 0444
//   objects/tmp/                          temp, incoming and intent files
//
// The store trusts the caller for the digest (hashing belongs to signing/);
// `kura verify` re-hashes every object against the catalog.
//
// Group commit. A Batch collects the blobs of one writer. Stage writes the
// new ones to temp files in tmp/ and lists them in the process's intent log
// (append-only files "<tag>.<gen>.intents", a new generation every 64 KiB,
// each removed once all its batches are committed and durable), on the
// writer's own thread, without a sync. Publish takes the staged batches of
// a whole group of writers (ledger's writer queue), makes all of them
// durable with one syncfs(2), and renames them into place read-only without
// a further sync: the intent stays until a later sync has made the renames
// durable (Finish marks it; a later sync removes a finished generation),
// and if a crash loses the rename of a committed object, Recover redoes it
// from the temp file, whose bytes were durable before the commit. So a
// group costs one syncfs and LMDB's commit, however many writers it holds.
//
// Bytes that arrive over time (an upload read from the network) go to an
// incoming file in tmp/ first (IncomingPath), named after the writer's tag,
// and a batch takes that file over (Batch::AddFile): Stage renames it to
// its temp name instead of writing a copy, so the object is never whole in
// memory. Its durability is the same as a written temp file's: the intent
// names the temp file, and the rename and the file's bytes are covered by
// Publish's syncfs before anything is at a final path.
//
// Several processes may write to one store at once (`kura serve` and `kura
// ingest`). Each writing process owns a tag; its temp and intent files are
// named after the tag, and it holds an exclusive lock on tmp/<tag>.live for
// as long as it lives. Recover only touches the files of tags whose live
// lock it can take (their process is gone): for each intent of such a tag it
// removes the objects that `referenced` says no catalog record names,
// because their receipt was never acknowledged, and puts back from its temp
// file any object a record names whose rename was lost; every other file of
// the tag (temp files, incoming files never added to a batch) goes. Nothing
// else in kura removes an object (disposal after the retention period will,
// with a tombstone in the log).
//
// Thread safety: Contains/Read/Open/IncomingPath/Stage are safe for
// concurrent use (Stage on distinct batches). Publish, Finish and Recover
// are for one thread at a time per process (the ledger's group leader).
#ifndef STORAGE_BLOB_STORE_H_
#define STORAGE_BLOB_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_system.h"
#include "base/result.h"

namespace storage {

class BlobStore {
 public:
  /// fs must outlive the store; root is the objects directory.
  BlobStore(base::FileSystem* fs, std::string root);
  /// Removes this process's live lock file (a clean exit leaves no trace).
  ~BlobStore();
  BlobStore(const BlobStore&) = delete;
  BlobStore& operator=(const BlobStore&) = delete;

  /// Creates the directory layout (idempotent).
  base::Status Init();

  /// REQUIRES: hex is 64 lower-case hex digits.
  std::string PathFor(std::string_view hex) const;
  /// Contains, Read and Open return InvalidArgument for a malformed digest.
  base::Result<bool> Contains(std::string_view hex) const;
  /// The whole object; NotFound if missing, ResourceExhausted over max_bytes.
  base::Result<std::string> Read(std::string_view hex, uint64_t max_bytes) const;
  base::Result<std::unique_ptr<base::SequentialFile>> Open(std::string_view hex) const;

  class Batch {
   public:
    /// Adds a blob. The bytes are not copied: they must stay alive until
    /// Publish returns. REQUIRES: hex is the SHA-256 of bytes in lower-case hex.
    void Add(std::string hex, std::string_view bytes);
    /// Adds a blob whose bytes are the closed file at path, which Stage
    /// takes over: it renames the file to its temp name (read-only) instead
    /// of copying it. If the blob is stored already or comes earlier in the
    /// batch, the file stays where it is, and so does it when Stage fails
    /// before its rename: its owner removes it. REQUIRES: path is in this
    /// store's tmp/ (IncomingPath) and hex is the SHA-256 of its bytes.
    void AddFile(std::string hex, std::string path);
    bool empty() const { return items_.empty(); }
    /// After Publish: the digests whose objects this batch created.
    const std::vector<std::string>& created() const { return created_; }
    /// Every digest added, in order (duplicates included).
    std::vector<std::string> digests() const;
    /// The store the batch was staged in; null before Stage.
    BlobStore* store() const { return store_; }

   private:
    friend class BlobStore;
    struct Item {
      std::string hex;
      std::string_view bytes;
      std::string path;  // AddFile: the file to take over; empty for bytes
    };
    std::vector<Item> items_;
    std::vector<std::string> fresh_;    // staged: hex of each temp file
    std::vector<std::string> created_;  // published
    uint64_t log_ = 0;                  // the intent log generation listing it; 0: none
    uint64_t number_ = 0;
    BlobStore* store_ = nullptr;
  };

  /// Claims this process's tag (see the file comment). REQUIRES: before the
  /// first Stage; the store then holds the live lock until destroyed.
  base::Status OpenForWriting();

  /// A fresh path in tmp/ for bytes that arrive before they can be added to
  /// a batch (an upload read from the network): "<tag>.<n>.incoming". The
  /// caller creates and writes the file, and removes it unless a batch took
  /// it over (Batch::AddFile); if the process dies first, a Recover removes
  /// it with the other files of the dead writer's tag. FailedPrecondition
  /// before OpenForWriting.
  base::Result<std::string> IncomingPath();

  /// Writes the blobs of the batch that are not stored yet to temp files,
  /// with an intent listing them, not synced; nothing is at a final path
  /// yet. On error the batch's files are removed again.
  base::Status Stage(Batch* batch);
  /// Makes the staged blobs of every batch durable (one syncfs for all),
  /// then moves them to their final paths, not synced (see the file
  /// comment). If the sync fails, every batch is taken back as after a
  /// failed Stage; if a rename fails, objects already renamed stay until a
  /// Recover finds no record naming them.
  base::Status Publish(const std::vector<Batch*>& batches);
  /// Stage and Publish of one batch.
  base::Status Prepare(Batch* batch);
  /// Call after the catalog commit that references the batch's blobs: its
  /// intent goes with a later sync. (After a failed commit, do not: a
  /// Recover after this process has gone removes the unreferenced objects.)
  void Finish(const Batch& batch);

  /// Removes the temp files of dead writers (and of this process, if it has
  /// not claimed a tag) and, for each of their intents, the objects that
  /// `referenced` says no catalog record names. Call it where the answer of
  /// `referenced` cannot change before the removal (inside the catalog's
  /// write transaction), so that a live writer committing the same bytes
  /// is never robbed of its object.
  base::Status Recover(const std::function<base::Result<bool>(std::string_view hex)>& referenced);

  /// This process's tag; empty before OpenForWriting.
  const std::string& tag() const { return tag_; }

 private:
  std::string TmpDir() const;

  std::string TempPath(const Batch& batch, std::string_view hex) const;
  base::Status StageFiles(Batch* batch, const std::vector<const Batch::Item*>& fresh);
  base::Status RecoverTag(
      const std::string& tag, const std::vector<std::string>& names,
      const std::function<base::Result<bool>(std::string_view hex)>& referenced);
  base::Status RecoverIntent(
      const std::string& path,
      const std::function<base::Result<bool>(std::string_view hex)>& referenced, bool* redone);
  /// One syncfs of the store's file system; then drops the intents whose
  /// renames it made durable.
  base::Status Sync();
  // Removes a batch's temp files and closes its intent (nothing of it is
  // at a final path).
  void Abandon(Batch* batch);

  base::FileSystem* fs_;
  std::string root_;
  std::string tag_;
  std::unique_ptr<base::FileLock> live_;
  std::atomic<uint64_t> batch_counter_{0};
  std::mutex mu_;
  uint64_t syncs_started_ = 0;       // GUARDED_BY(mu_)
  uint64_t syncs_done_ = 0;          // GUARDED_BY(mu_): the last that succeeded

  /// One generation of this process's intent log, "<tag>.<gen>.intents".
  struct IntentLog {
    std::string path;
    uint64_t open_batches = 0;  ///< staged and not finished
    uint64_t durable_at = 0;    ///< sync ticket that makes its renames durable
  };
  std::map<uint64_t, IntentLog> logs_;            // GUARDED_BY(mu_)
  uint64_t log_gen_ = 0;                          // GUARDED_BY(mu_): the current one
  std::unique_ptr<base::WritableFile> log_file_;  // GUARDED_BY(mu_): open for appending
  uint64_t log_bytes_ = 0;                        // GUARDED_BY(mu_)
  base::Status AppendIntents(Batch* batch, const std::string& lines);
  /// The logs whose batches are all finished and durable; REQUIRES: mu_.
  std::vector<std::string> TakeDoneLogs();
};

}  // namespace storage

#endif  // STORAGE_BLOB_STORE_H_
