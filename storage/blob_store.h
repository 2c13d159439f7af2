// BlobStore: content-addressed, write-once storage of received originals.
//
//   objects/sha256/ab/cd/abcd…(64 hex)   the bytes, mode 0444
//   objects/tmp/                          temp files and batch intents
//
// The store trusts the caller for the digest (hashing belongs to signing/);
// `kura verify` re-hashes every object against the catalog.
//
// Group commit. A Batch collects many blobs; Prepare writes the new ones to
// tmp/, makes them durable with one syncfs(2), renames them into place
// read-only and makes the renames durable with a second syncfs. A small
// intent file lists the new blobs until Finish, so that a crash between
// Prepare and the catalog commit can be cleaned up by Recover: objects no
// catalog record references are removed, because their receipt was never
// acknowledged. Nothing else in kura removes an object (disposal after the
// retention period will, with a tombstone in the log).
//
// Thread safety: Contains/Read/Open are safe for concurrent use. Prepare,
// Finish and Recover are for the single writer (the data directory lock).
#ifndef STORAGE_BLOB_STORE_H_
#define STORAGE_BLOB_STORE_H_

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
    /// Prepare returns. REQUIRES: hex is the SHA-256 of bytes in lower-case hex.
    void Add(std::string hex, std::string_view bytes);
    bool empty() const { return items_.empty(); }
    /// After Prepare: the digests whose objects this batch created.
    const std::vector<std::string>& created() const { return created_; }

   private:
    friend class BlobStore;
    struct Item {
      std::string hex;
      std::string_view bytes;
    };
    std::vector<Item> items_;
    std::vector<std::string> created_;
    std::string intent_path_;
  };

  /// Makes every blob of the batch durable at its final path (see the file
  /// comment). On error nothing new is visible at a final path... except
  /// objects already renamed, which Recover removes if no record names them.
  base::Status Prepare(Batch* batch);
  /// Call after the catalog commit that references the batch's blobs (or
  /// after it failed, then Recover cleans up at the next start).
  void Finish(const Batch& batch);

  /// Removes leftover temp files and, for each intent left by a crash, the
  /// objects that `referenced` says no catalog record names.
  base::Status Recover(const std::function<base::Result<bool>(std::string_view hex)>& referenced);

 private:
  std::string TmpDir() const;

  base::FileSystem* fs_;
  std::string root_;
  uint64_t batch_counter_ = 0;
};

}  // namespace storage

#endif  // STORAGE_BLOB_STORE_H_
