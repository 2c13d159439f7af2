// SpooledFile: an original received in pieces (an upload read from the
// network), written to an incoming file beside the originals
// (storage::BlobStore::IncomingPath) and hashed as it arrives, so that
// Archive::Ingest takes the file over by a rename instead of holding the
// bytes in memory. Made by Archive::NewSpool; handed to Ingest, closed, in
// IncomingFile::spooled.
//
// The file is removed when the object is destroyed (a refused or unused
// upload), unless Ingest has taken it over by then. If the process dies
// first, the next Archive::Open removes it (BlobStore::Recover).
//
// Thread safety: one thread at a time.
#ifndef ARCHIVE_SPOOL_H_
#define ARCHIVE_SPOOL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/file_system.h"
#include "base/result.h"
#include "signing/sha256.h"

namespace archive {

class SpooledFile {
 public:
  /// Creates the file at path, read-only like the objects (the descriptor
  /// stays writable). fs must outlive the object.
  static base::Result<std::shared_ptr<SpooledFile>> Create(base::FileSystem* fs, std::string path);
  /// Removes the file (if Ingest took it over, there is nothing left to
  /// remove).
  ~SpooledFile();
  SpooledFile(const SpooledFile&) = delete;
  SpooledFile& operator=(const SpooledFile&) = delete;

  /// Appends data and hashes it. An IOError leaves the file unusable (every
  /// later call fails). REQUIRES: not closed.
  base::Status Append(std::string_view data);
  /// Writes what is buffered and closes the file, not synced (Ingest's
  /// syncfs makes it durable with the rest of its batch). The file is then
  /// complete: size() and sha256() are final.
  base::Status Close();

  bool closed() const { return closed_; }
  /// The bytes appended so far.
  uint64_t size() const { return size_; }
  /// After Close: the SHA-256 of the bytes, 64 lower-case hex digits.
  const std::string& sha256() const { return sha256_; }
  const std::string& path() const { return path_; }

 private:
  SpooledFile(base::FileSystem* fs, std::string path, std::unique_ptr<base::WritableFile> file);
  base::Status Flush();

  base::FileSystem* fs_;
  std::string path_;
  std::unique_ptr<base::WritableFile> file_;
  signing::Sha256Hasher hasher_;
  std::string buffer_;  // written in pieces of kBufferBytes, not a write per network read
  uint64_t size_ = 0;
  std::string sha256_;
  bool closed_ = false;
  base::Status failed_;
};

}  // namespace archive

#endif  // ARCHIVE_SPOOL_H_
