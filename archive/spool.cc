#include "archive/spool.h"

#include <algorithm>
#include <utility>

namespace archive {

using base::Status;

namespace {
constexpr uint32_t kObjectMode = 0444;  // as storage::BlobStore's objects
constexpr size_t kBufferBytes = 64 << 10;
}  // namespace

base::Result<std::shared_ptr<SpooledFile>> SpooledFile::Create(base::FileSystem* fs,
                                                               std::string path) {
  ASSIGN_OR_RETURN(auto file, fs->NewWritableFile(path, kObjectMode));
  return std::shared_ptr<SpooledFile>(new SpooledFile(fs, std::move(path), std::move(file)));
}

SpooledFile::SpooledFile(base::FileSystem* fs, std::string path,
                         std::unique_ptr<base::WritableFile> file)
    : fs_(fs), path_(std::move(path)), file_(std::move(file)) {
  buffer_.reserve(kBufferBytes);
}

SpooledFile::~SpooledFile() {
  if (file_) file_->Close().IgnoreError();
  // NotFound once Ingest has renamed it into the store.
  fs_->RemoveFile(path_).IgnoreError();
}

Status SpooledFile::Append(std::string_view data) {
  if (closed_) return Status::FailedPrecondition(path_ + ": 閉じた一時ファイルには書き足せません");
  RETURN_IF_ERROR(failed_);
  hasher_.Update(data);
  size_ += data.size();
  while (!data.empty()) {
    const size_t n = std::min(kBufferBytes - buffer_.size(), data.size());
    buffer_.append(data.substr(0, n));
    data.remove_prefix(n);
    if (buffer_.size() == kBufferBytes) RETURN_IF_ERROR(Flush());
  }
  return Status::OK();
}

Status SpooledFile::Flush() {
  failed_ = file_->Append(buffer_);
  buffer_.clear();
  return failed_;
}

Status SpooledFile::Close() {
  if (closed_) return Status::OK();
  RETURN_IF_ERROR(failed_);
  if (!buffer_.empty()) RETURN_IF_ERROR(Flush());
  failed_ = file_->Close();
  file_.reset();
  RETURN_IF_ERROR(failed_);
  closed_ = true;
  sha256_ = hasher_.Finish().Hex();
  return Status::OK();
}

}  // namespace archive
