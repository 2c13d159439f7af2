// BlobStore: content-addressed, write-once storage of received originals.
//
//   objects/sha256/ab/cd/abcd…(64 hex)   the bytes, mode 0444
//   objects/tmp/                          temp files and batch intents
//
// The store trusts the caller for the digest (hashing belongs to signing/);
// `kura verify` re-hashes every object against the catalog.
//
// Group commit. A Batch collects the blobs of one writer. Stage writes the
// new ones to temp files in tmp/ with an intent file listing them and makes
// them durable with one syncfs(2); writers stage concurrently, each on its
// own thread. Publish then takes the staged batches of a whole group of writers
// (ledger's writer queue), renames them into place read-only and makes all
// the renames durable with one syncfs. Finish removes a batch's intent after
// the catalog commit that references its blobs.
//
// Several processes may write to one store at once (`kura serve` and `kura
// ingest`). Each writing process owns a tag; its temp and intent files are
// named after the tag, and it holds an exclusive lock on tmp/<tag>.live for
// as long as it lives. Recover only touches the files of tags whose live
// lock it can take (their process is gone): for each intent of such a tag it
// removes the objects that `referenced` says no catalog record names,
// because their receipt was never acknowledged. Nothing else in kura removes
// an object (disposal after the retention period will, with a tombstone in
// the log).
//
// Thread safety: Contains/Read/Open/Stage are safe for concurrent use
// (Stage on distinct batches). Publish, Finish and Recover are for one
// thread at a time per process (the ledger's group leader).
#ifndef STORAGE_BLOB_STORE_H_
#define STORAGE_BLOB_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
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
    };
    std::vector<Item> items_;
    std::vector<std::string> fresh_;    // staged: hex of each temp file
    std::vector<std::string> created_;  // published
    std::string intent_path_;
    uint64_t number_ = 0;
    BlobStore* store_ = nullptr;
  };

  /// Claims this process's tag (see the file comment). REQUIRES: before the
  /// first Stage; the store then holds the live lock until destroyed.
  base::Status OpenForWriting();

  /// Writes the blobs of the batch that are not stored yet to temp files,
  /// with an intent listing them, durably; nothing is at a final path yet.
  /// On error the batch's files are removed again.
  base::Status Stage(Batch* batch);
  /// Moves the staged blobs of every batch to their final paths and makes
  /// the moves durable with one syncfs (see the file comment). On error, objects already renamed stay until a
  /// Recover finds no record naming them.
  base::Status Publish(const std::vector<Batch*>& batches);
  /// Stage and Publish of one batch.
  base::Status Prepare(Batch* batch);
  /// Call after the catalog commit that references the batch's blobs (or
  /// after it failed: then a later Recover cleans up).
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
      const std::function<base::Result<bool>(std::string_view hex)>& referenced);

  base::FileSystem* fs_;
  std::string root_;
  std::string tag_;
  std::unique_ptr<base::FileLock> live_;
  std::atomic<uint64_t> batch_counter_{0};
};

}  // namespace storage

#endif  // STORAGE_BLOB_STORE_H_
