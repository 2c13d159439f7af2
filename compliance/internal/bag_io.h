// Where a bag's files go and where they come from: a directory or a ZIP
// file (written here with libdeflate, read with libarchive; neither appears
// in a public header). The exporter and the verifier see only these
// interfaces.
//
// Thread safety: one thread per object.
#ifndef COMPLIANCE_INTERNAL_BAG_IO_H_
#define COMPLIANCE_INTERNAL_BAG_IO_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace compliance::internal {

/// A file packed for a ZIP on any thread (PackForZip): its bytes deflated
/// (zlib, raw, level 1) or as they are, and the CRC-32 of the original.
struct PackedFile {
  std::string data;
  uint64_t size = 0;  ///< of the file itself
  uint32_t crc32 = 0;
  bool deflated = false;
};
/// Deflates unless store is set or deflating would not make it smaller.
PackedFile PackForZip(std::string bytes, bool store);

/// Writes the files of a bag, each between Begin and End. Nothing is
/// durable before Finish, which syncs everything at once (and, for a ZIP,
/// renames it into place).
class BagSink {
 public:
  virtual ~BagSink() = default;
  /// path is relative to the bag's root ("data/originals/...").
  virtual base::Status Begin(const std::string& path, uint64_t size) = 0;
  virtual base::Status Write(std::string_view data) = 0;
  virtual base::Status End() = 0;
  virtual base::Status Finish() = 0;
  /// Whether the next files go in as they are (a ZIP stores them instead
  /// of deflating: originals that are compressed already, or everything
  /// when deflating would cost more than it saves); a folder ignores it.
  virtual void SetStored(bool /*stored*/) {}
  /// True if the sink takes files packed already (a ZIP): PutPacked.
  virtual bool TakesPacked() const { return false; }
  virtual base::Status PutPacked(const std::string& path, const PackedFile& file);
  base::Status Put(const std::string& path, std::string_view data);
  /// A file made of pieces, in order, written without joining them into
  /// one buffer when the sink can (a folder; a ZIP that stores it).
  virtual base::Status PutPieces(const std::string& path,
                                 const std::vector<std::string_view>& pieces);
};

/// dir must not exist, or be empty (FailedPrecondition otherwise).
base::Result<std::unique_ptr<BagSink>> NewDirSink(const std::string& dir);
/// Another sink into the folder a NewDirSink writes (for a second writer
/// thread); its Finish is the first sink's.
base::Result<std::unique_ptr<BagSink>> OpenDirSink(const std::string& dir);
/// Written to a temporary file beside zip_path and renamed over it by
/// Finish; zip_path must not exist. The ZIP (PKWARE APPNOTE 6.3) has each
/// file's sizes and CRC-32 in its local header (no data descriptors), UTF-8
/// names, Unix mode 0644, and Zip64 records where a size, an offset or the
/// number of files needs them.
base::Result<std::unique_ptr<BagSink>> NewZipSink(const std::string& zip_path);

/// Reads every regular file of a bag: fn(path relative to the bag's root,
/// size, read) where read(chunk) returns the next bytes ("" at the end).
/// A directory is walked in sorted order; a ZIP in its stored order.
using BagFileFn = std::function<base::Status(
    const std::string& path, uint64_t size,
    const std::function<base::Result<std::string_view>()>& read)>;
base::Status ForEachBagFile(const std::string& path, const BagFileFn& fn);

/// True if path names a ZIP file (by its name).
bool IsZipPath(std::string_view path);

}  // namespace compliance::internal

#endif  // COMPLIANCE_INTERNAL_BAG_IO_H_
