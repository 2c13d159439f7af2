// Directory and ZIP sinks and readers of a bag (internal/bag_io.h).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ctime>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compliance/internal/bag_io.h"

namespace compliance::internal {

using base::Result;
using base::Status;
namespace fs = std::filesystem;

namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::IOError(what + " " + path + "（" + std::strerror(errno) + "）");
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("書き込めません:", path);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status SyncPath(const std::string& path, bool whole_filesystem) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("開けません:", path);
  const int rc = whole_filesystem ? ::syncfs(fd) : ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::OK() : Errno("ディスクに書き込めません:", path);
}

// Small files are gathered in a buffer and written with one call; large
// ones go through in the chunks they are handed (1 MiB from the exporter).
class DirSink : public BagSink {
 public:
  explicit DirSink(std::string root) : root_(std::move(root)) {}
  ~DirSink() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Begin(const std::string& path, uint64_t /*size*/) override {
    current_ = root_ + "/" + path;
    const std::string parent = fs::path(current_).parent_path().string();
    if (!made_.contains(parent)) {
      std::error_code ec;
      // Most parents (data/originals/<id>) are one new folder under one
      // that exists: one mkdir, no walk up the path.
      if (::mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) fs::create_directories(parent, ec);
      // Another writer may have made it at the same moment.
      if (ec && fs::is_directory(parent)) ec.clear();
      if (ec) return Status::IOError("フォルダを作れません: " + parent + "（" + ec.message() + "）");
      made_.insert(parent);
    }
    fd_ = ::open(current_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0) return Errno("ファイルを作れません:", current_);
    return Status::OK();
  }
  Status Write(std::string_view data) override {
    if (buffer_.size() + data.size() > kBuffer) {
      RETURN_IF_ERROR(Flush());
      if (data.size() >= kBuffer) return WriteAll(fd_, data, current_);
    }
    buffer_.append(data);
    return Status::OK();
  }
  Status End() override {
    RETURN_IF_ERROR(Flush());
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? Status::OK() : Errno("書き込めません:", current_);
  }
  Status Finish() override {
    // One syncfs makes every file, and every directory entry, of the file
    // system durable: no fsync per file or folder (each would wait for its
    // own journal commit).
    return SyncPath(root_, /*whole_filesystem=*/true);
  }

 private:
  static constexpr size_t kBuffer = 1 << 20;
  Status Flush() {
    Status s = WriteAll(fd_, buffer_, current_);
    buffer_.clear();
    return s;
  }
  std::string root_, current_, buffer_;
  std::set<std::string> made_;
  int fd_ = -1;
};

// Little-endian fields of the ZIP records.
void Put16(std::string& out, uint64_t v) {
  for (int i = 0; i < 2; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void Put32(std::string& out, uint64_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void Put64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

constexpr uint64_t kMax32 = 0xffffffff;  // at or above: the value goes in a Zip64 field
constexpr uint64_t kMax16 = 0xffff;

// libdeflate's raw DEFLATE, one compressor per thread (whole buffers: each
// file of a bag is in memory already). Level 1, as zlib's level 1 before
// (a generated 20 KB invoice shrinks about 8-fold), at about twice its speed.
class Deflater {
 public:
  Deflater() : c_(::libdeflate_alloc_compressor(1)) {}
  ~Deflater() { ::libdeflate_free_compressor(c_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  // False if the result would not be smaller (then the file is stored).
  bool Deflate(std::string_view in, std::string* out) {
    if (c_ == nullptr || in.size() < 2) return false;
    out->resize(in.size() - 1);
    const size_t n = ::libdeflate_deflate_compress(c_, in.data(), in.size(), out->data(), out->size());
    out->resize(n);
    return n > 0;
  }

 private:
  libdeflate_compressor* c_;
};

uint32_t Crc32(std::string_view bytes) { return ::libdeflate_crc32(0, bytes.data(), bytes.size()); }

// The MS-DOS date and time of a ZIP record, in local time.
std::pair<uint16_t, uint16_t> DosDateTime(time_t t) {
  struct tm tm {};
  ::localtime_r(&t, &tm);
  if (tm.tm_year < 80) return {static_cast<uint16_t>((1 << 5) | 1), 0};  // 1980-01-01
  const auto date = static_cast<uint16_t>(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  const auto time = static_cast<uint16_t>((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
  return {date, time};
}

// A ZIP written in one pass (APPNOTE 6.3.x): local header, data, ...,
// central directory, Zip64 end records if needed, end record. Each file
// comes whole (packed by the caller's workers, or gathered between Begin
// and End), so its sizes and CRC-32 are in its local header.
class ZipSink : public BagSink {
 public:
  ZipSink(std::string path, std::string temp, int fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {
    std::tie(dos_date_, dos_time_) = DosDateTime(::time(nullptr));
  }
  ~ZipSink() override {
    if (fd_ >= 0) ::close(fd_);
    if (!finished_) ::unlink(temp_.c_str());
  }
  Status Begin(const std::string& path, uint64_t size) override {
    current_ = path;
    pending_.clear();
    pending_.reserve(static_cast<size_t>(size));
    return Status::OK();
  }
  Status Write(std::string_view data) override {
    pending_.append(data);
    return Status::OK();
  }
  void SetStored(bool stored) override { stored_ = stored; }
  Status End() override {
    const PackedFile f = PackForZip(std::move(pending_), stored_);
    pending_ = std::string();
    return PutPacked(current_, f);
  }
  bool TakesPacked() const override { return true; }
  Status PutPacked(const std::string& path, const PackedFile& f) override {
    current_ = path;
    RETURN_IF_ERROR(PutLocalHeader(Entry{path, offset_, f.size, f.data.size(), f.crc32, f.deflated}));
    return Append(f.data);
  }
  // Stored: the CRC-32 taken piece by piece, the pieces appended as they
  // are (a 26 MB metadata.json is not copied into one more buffer).
  Status PutPieces(const std::string& path, const std::vector<std::string_view>& pieces) override {
    if (!stored_) return BagSink::PutPieces(path, pieces);
    current_ = path;
    uint64_t size = 0;
    uint32_t crc = 0;
    for (const std::string_view p : pieces) {
      crc = ::libdeflate_crc32(crc, p.data(), p.size());
      size += p.size();
    }
    RETURN_IF_ERROR(PutLocalHeader(Entry{path, offset_, size, size, crc, false}));
    for (const std::string_view p : pieces) RETURN_IF_ERROR(Append(p));
    return Status::OK();
  }
  Status Finish() override {
    current_ = "(central directory)";
    const uint64_t cd_offset = offset_;
    for (const Entry& e : entries_) RETURN_IF_ERROR(Append(CentralHeader(e)));
    RETURN_IF_ERROR(Append(EndRecords(cd_offset, offset_ - cd_offset)));
    RETURN_IF_ERROR(Flush());
    if (::fsync(fd_) != 0) return Errno("ディスクに書き込めません:", temp_);
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return Errno("書き込めません:", temp_);
    if (::rename(temp_.c_str(), path_.c_str()) != 0) return Errno("名前を変えられません:", temp_);
    finished_ = true;
    const std::string parent = fs::path(path_).parent_path().string();
    return SyncPath(parent.empty() ? "." : parent, false);
  }

 private:
  static constexpr uint16_t kUtf8Flag = 1 << 11;  // APPNOTE 4.4.4 bit 11: names in UTF-8
  static constexpr size_t kBuffer = 1 << 20;
  static constexpr uint64_t kWriteBehind = uint64_t{16} << 20;
  struct Entry {
    std::string path;
    uint64_t offset = 0, size = 0, packed = 0;
    uint32_t crc32 = 0;
    bool deflated = false;
  };

  // The local header of e (appended; e goes to the central directory).
  Status PutLocalHeader(Entry e) {
    const bool zip64 = e.size >= kMax32 || e.packed >= kMax32;
    const std::string& path = e.path;
    std::string h;
    Put32(h, 0x04034b50);
    Put16(h, zip64 ? 45 : 20);
    Put16(h, kUtf8Flag);
    Put16(h, e.deflated ? 8 : 0);
    Put16(h, dos_time_);
    Put16(h, dos_date_);
    Put32(h, e.crc32);
    Put32(h, zip64 ? kMax32 : e.packed);
    Put32(h, zip64 ? kMax32 : e.size);
    Put16(h, path.size());
    Put16(h, zip64 ? 20 : 0);
    h += path;
    if (zip64) {
      Put16(h, 0x0001);
      Put16(h, 16);
      Put64(h, e.size);
      Put64(h, e.packed);
    }
    RETURN_IF_ERROR(Append(h));
    entries_.push_back(std::move(e));
    return Status::OK();
  }
  std::string CentralHeader(const Entry& e) const {
    std::string extra;  // Zip64: only the fields that do not fit, in this order
    if (e.size >= kMax32) Put64(extra, e.size);
    if (e.packed >= kMax32) Put64(extra, e.packed);
    if (e.offset >= kMax32) Put64(extra, e.offset);
    std::string h;
    Put32(h, 0x02014b50);
    Put16(h, (3 << 8) | 45);  // made by: Unix, APPNOTE 4.5
    Put16(h, extra.empty() ? 20 : 45);
    Put16(h, kUtf8Flag);
    Put16(h, e.deflated ? 8 : 0);
    Put16(h, dos_time_);
    Put16(h, dos_date_);
    Put32(h, e.crc32);
    Put32(h, std::min(e.packed, kMax32));
    Put32(h, std::min(e.size, kMax32));
    Put16(h, e.path.size());
    Put16(h, extra.empty() ? 0 : extra.size() + 4);
    Put16(h, 0);  // comment
    Put16(h, 0);  // disk
    Put16(h, 0);  // internal attributes
    Put32(h, uint64_t{0100644} << 16);  // a regular file, rw-r--r--
    Put32(h, std::min(e.offset, kMax32));
    h += e.path;
    if (!extra.empty()) {
      Put16(h, 0x0001);
      Put16(h, extra.size());
      h += extra;
    }
    return h;
  }
  std::string EndRecords(uint64_t cd_offset, uint64_t cd_size) const {
    const uint64_t n = entries_.size();
    std::string out;
    if (n >= kMax16 || cd_offset >= kMax32 || cd_size >= kMax32) {
      const uint64_t zip64_end = offset_;
      Put32(out, 0x06064b50);
      Put64(out, 44);  // the size of what follows
      Put16(out, (3 << 8) | 45);
      Put16(out, 45);
      Put32(out, 0);
      Put32(out, 0);
      Put64(out, n);
      Put64(out, n);
      Put64(out, cd_size);
      Put64(out, cd_offset);
      Put32(out, 0x07064b50);  // the locator
      Put32(out, 0);
      Put64(out, zip64_end);
      Put32(out, 1);
    }
    Put32(out, 0x06054b50);
    Put16(out, 0);
    Put16(out, 0);
    Put16(out, std::min(n, kMax16));
    Put16(out, std::min(n, kMax16));
    Put32(out, std::min(cd_size, kMax32));
    Put32(out, std::min(cd_offset, kMax32));
    Put16(out, 0);
    return out;
  }
  Status Append(std::string_view data) {
    offset_ += data.size();
    if (buffer_.size() + data.size() > kBuffer) {
      RETURN_IF_ERROR(Flush());
      if (data.size() >= kBuffer) {
        RETURN_IF_ERROR(WriteAll(fd_, data, temp_));
        WriteBehind();
        return Status::OK();
      }
    }
    buffer_.append(data);
    return Status::OK();
  }
  Status Flush() {
    Status s = WriteAll(fd_, buffer_, temp_);
    buffer_.clear();
    if (s.ok()) WriteBehind();
    return s;
  }
  // Starts the disk writes of what has been written so far, every
  // kWriteBehind bytes (as RocksDB's bytes_per_sync does), so that they
  // overlap the preparation of the rest instead of all waiting for the
  // fsync at the end. Only a hint: the fsync in Finish still decides.
  void WriteBehind() {
    const uint64_t written = offset_ - buffer_.size();
    if (written - write_behind_ < kWriteBehind) return;
    ::sync_file_range(fd_, static_cast<off_t>(write_behind_),
                      static_cast<off_t>(written - write_behind_), SYNC_FILE_RANGE_WRITE);
    write_behind_ = written;
  }

  std::string path_, temp_, current_, pending_, buffer_;
  int fd_;
  uint64_t offset_ = 0;
  uint64_t write_behind_ = 0;  // writeback started up to here
  uint16_t dos_date_ = 0, dos_time_ = 0;
  std::vector<Entry> entries_;
  bool stored_ = false;
  bool finished_ = false;
};

Status ReadDir(const std::string& root, const BagFileFn& fn) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), root).generic_string());
  }
  if (ec) return Status::IOError("フォルダを読めません: " + root + "（" + ec.message() + "）");
  std::sort(files.begin(), files.end());
  std::string buffer;
  for (const std::string& rel : files) {
    const std::string full = root + "/" + rel;
    const int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Errno("開けません:", full);
    struct stat st{};
    ::fstat(fd, &st);
    buffer.resize(1 << 20);
    Status read_error;
    const auto read = [&]() -> Result<std::string_view> {
      for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Errno("読めません:", full);
        return std::string_view(buffer.data(), static_cast<size_t>(n));
      }
    };
    const Status s = fn(rel, static_cast<uint64_t>(st.st_size), read);
    ::close(fd);
    RETURN_IF_ERROR(s);
  }
  return Status::OK();
}

Status ReadZip(const std::string& path, const BagFileFn& fn) {
  struct archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  std::unique_ptr<struct archive, int (*)(struct archive*)> owner(a, archive_read_free);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return Status::IOError("ZIP ファイルを開けません: " + path + "（" +
                           (archive_error_string(a) ? archive_error_string(a) : "") + "）");
  }
  archive_entry* e = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) {
      return Status::Corruption("ZIP ファイルが壊れています: " + path + "（" +
                                (archive_error_string(a) ? archive_error_string(a) : "") + "）");
    }
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    const char* name = archive_entry_pathname_utf8(e);
    if (name == nullptr) name = archive_entry_pathname(e);
    const std::string rel = name ? name : "";
    const auto read = [&]() -> Result<std::string_view> {
      const void* buf = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      int r;
      // A block may be empty before the end (the inflater has produced
      // nothing yet): only ARCHIVE_EOF ends the entry.
      do {
        r = archive_read_data_block(a, &buf, &size, &offset);
      } while (r == ARCHIVE_OK && size == 0);
      if (r == ARCHIVE_EOF) return std::string_view();
      if (r != ARCHIVE_OK) {
        return Status::Corruption("ZIP の " + rel + " を読めません（" +
                                  (archive_error_string(a) ? archive_error_string(a) : "") + "）");
      }
      return std::string_view(static_cast<const char*>(buf), size);
    };
    RETURN_IF_ERROR(fn(rel, static_cast<uint64_t>(archive_entry_size(e)), read));
  }
  return Status::OK();
}

}  // namespace

PackedFile PackForZip(std::string bytes, bool store) {
  thread_local Deflater deflater;
  PackedFile f;
  f.size = bytes.size();
  f.crc32 = Crc32(bytes);
  if (!store && deflater.Deflate(bytes, &f.data)) {
    f.deflated = true;
  } else {
    f.data = std::move(bytes);  // stored: no second copy of a large original
  }
  return f;
}

Status BagSink::PutPacked(const std::string& path, const PackedFile& /*file*/) {
  return Status::Internal(path + ": この出力先は ZIP ではありません");
}

Status BagSink::Put(const std::string& path, std::string_view data) {
  RETURN_IF_ERROR(Begin(path, data.size()));
  RETURN_IF_ERROR(Write(data));
  return End();
}

Status BagSink::PutPieces(const std::string& path, const std::vector<std::string_view>& pieces) {
  uint64_t size = 0;
  for (const std::string_view p : pieces) size += p.size();
  RETURN_IF_ERROR(Begin(path, size));
  for (const std::string_view p : pieces) RETURN_IF_ERROR(Write(p));
  return End();
}

bool IsZipPath(std::string_view path) {
  return path.size() > 4 && (path.substr(path.size() - 4) == ".zip" ||
                             path.substr(path.size() - 4) == ".ZIP");
}

Result<std::unique_ptr<BagSink>> NewDirSink(const std::string& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status::FailedPrecondition("出力先 " + dir +
                                      " は空ではありません（新しいフォルダを指定してください）");
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("フォルダを作れません: " + dir + "（" + ec.message() + "）");
  return std::unique_ptr<BagSink>(std::make_unique<DirSink>(dir));
}

Result<std::unique_ptr<BagSink>> OpenDirSink(const std::string& dir) {
  return std::unique_ptr<BagSink>(std::make_unique<DirSink>(dir));
}

Result<std::unique_ptr<BagSink>> NewZipSink(const std::string& zip_path) {
  std::error_code ec;
  if (fs::exists(zip_path, ec)) {
    return Status::FailedPrecondition("出力先 " + zip_path + " はすでにあります");
  }
  const std::string temp = zip_path + ".partial";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("ZIP ファイルを作れません:", temp);
  return std::unique_ptr<BagSink>(std::make_unique<ZipSink>(zip_path, temp, fd));
}

Status ForEachBagFile(const std::string& path, const BagFileFn& fn) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return ReadDir(path, fn);
  if (!fs::exists(path, ec)) return Status::NotFound(path + " がありません");
  return ReadZip(path, fn);
}

}  // namespace compliance::internal
