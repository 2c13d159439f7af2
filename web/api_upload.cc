// POST /api/v1/documents: the upload, read as it arrives. cpp-httplib hands
// the multipart body over part by part (its content reader), so it never
// buffers the body; each `file` part is streamed into a spool
// (archive::SpooledFile: an incoming file beside the originals, hashed as it
// is written) and the archive takes the files over by a rename. So a
// request costs a few buffers of memory, whatever the size of its files.
//
// The session and CSRF token are checked before a byte of the body is read
// (AuthedReading), and so is whether the caller may upload at all.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/ocr_worker.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using base::Status;
using nlohmann::json;

// A department code is a short word; its part is read into memory up to this.
constexpr size_t kMaxDepartmentBytes = 256;

// One file part of an upload: its name, the spool its bytes went to, and
// why it was refused before the archive saw it (OK if it goes to
// Archive::Ingest).
struct UploadPart {
  std::string name;
  std::shared_ptr<archive::SpooledFile> spool;  // null once refused
  uint64_t size = 0;
  Status refused;
};

// The parts of a multipart body as cpp-httplib parses them: file parts into
// spools (up to the part cap; a part over the size limit is refused and the
// rest of its bytes dropped), the first department part into memory, any
// other part dropped. Begin and Receive return false, which stops the
// reading, only for an error of the server (error()); what is wrong with the
// request is reported once the body has been read.
class UploadReceiver {
 public:
  explicit UploadReceiver(ApiContext& ctx) : ctx_(ctx) {}

  // A part begins (and the one before, if any, has ended).
  bool Begin(const httplib::MultipartFormData& header);
  // Bytes of the current part.
  bool Receive(const char* data, size_t n);
  // After the last part.
  Status Finish() { return EndPart(); }

  const Status& error() const { return error_; }
  const Status& refusal() const { return refusal_; }
  size_t file_count() const { return file_count_; }
  const std::optional<std::string>& department() const { return department_; }
  const std::vector<UploadPart>& parts() const { return parts_; }

 private:
  enum class Kind { kFile, kDepartment, kOther };
  Status EndPart();
  Status TooLarge(const std::string& name) const {
    return Status::ResourceExhausted(name + ": ファイルが上限（" +
                                     std::to_string(ctx_.options.max_upload_bytes >> 20) +
                                     " MiB）を超えています");
  }

  ApiContext& ctx_;
  Kind kind_ = Kind::kOther;
  std::vector<UploadPart> parts_;  // up to the cap
  size_t file_count_ = 0;          // all of them
  std::optional<std::string> department_;
  Status error_;    // the server failed (stops reading)
  Status refusal_;  // the request is refused whole
};

bool UploadReceiver::Begin(const httplib::MultipartFormData& header) {
  error_ = EndPart();
  if (!error_.ok()) return false;
  kind_ = Kind::kOther;
  if (header.name == "file") {
    kind_ = Kind::kFile;
    if (++file_count_ > ctx_.options.max_upload_files) {
      // Refused whole once read (the count is in the answer): nothing more
      // is spooled, and what was goes now.
      for (UploadPart& part : parts_) part.spool.reset();
      return true;
    }
    auto spool = ctx_.archive->NewSpool();
    if (!spool.ok()) {
      error_ = spool.status();
      return false;
    }
    parts_.push_back(UploadPart{BaseName(header.filename), std::move(*spool), 0, Status::OK()});
  } else if (header.name == "department" && !department_) {
    kind_ = Kind::kDepartment;
    department_.emplace();
  }
  return true;
}

bool UploadReceiver::Receive(const char* data, size_t n) {
  if (kind_ == Kind::kDepartment) {
    if (department_->size() + n > kMaxDepartmentBytes) {
      refusal_ = Status::InvalidArgument("department が長すぎます（" +
                                         std::to_string(kMaxDepartmentBytes) + " バイトまで）");
      department_->clear();
      kind_ = Kind::kOther;
      return true;
    }
    department_->append(data, n);
    return true;
  }
  if (kind_ != Kind::kFile || file_count_ > ctx_.options.max_upload_files) return true;
  UploadPart& part = parts_.back();
  part.size += n;
  if (!part.spool) return true;  // refused: the rest is dropped
  if (part.size > ctx_.options.max_upload_bytes) {
    part.refused = TooLarge(part.name);
    part.spool.reset();  // removes what was written
    return true;
  }
  error_ = part.spool->Append(std::string_view(data, n));
  return error_.ok();
}

Status UploadReceiver::EndPart() {
  if (kind_ != Kind::kFile || file_count_ > ctx_.options.max_upload_files) return Status::OK();
  UploadPart& part = parts_.back();
  if (!part.spool) return Status::OK();
  if (part.size == 0) {
    // Worded as archive::Archive::Ingest words it (kura ingest, the intake).
    part.refused = Status::InvalidArgument(part.name + ": ファイルが空です");
    part.spool.reset();
    return Status::OK();
  }
  return part.spool->Close();
}

// The response of an upload (docs/API.md): one entry per file in order, the
// counts, and for exactly one file that file's entry at the top level too
// (the body a single upload has always had). 201 if any file became a new
// document, 200 if every archived file was a further receipt, else the
// status of the first refusal.
void SendUploadResults(const httplib::Request& req, httplib::Response& res,
                       const std::vector<UploadPart>& parts,
                       const std::vector<base::Result<archive::IngestOutcome>>& ingested) {
  json entries = json::array();
  int archived = 0, duplicates = 0, refused = 0;
  Status first_refusal;
  size_t next = 0;
  for (const UploadPart& part : parts) {
    Status s = part.refused;
    if (s.ok()) {
      s = next < ingested.size() ? ingested[next].status()
                                 : Status::Internal("保存の結果がファイルの数より少なく返りました");
    }
    json entry;
    if (s.ok()) {
      entry = archive::ToJson(*ingested[next]);
      if (ingested[next]->duplicate) {
        ++duplicates;
      } else {
        ++archived;
      }
    } else {
      entry = json{{"status", "error"}, {"error", ErrorJson(req, s)}};
      if (refused++ == 0) first_refusal = s;
    }
    if (part.refused.ok()) ++next;
    entry["file"] = part.name;
    entries.push_back(std::move(entry));
  }
  json body = parts.size() == 1 ? entries[0] : json::object();
  if (parts.size() > 1 && archived + duplicates == 0) {
    body["error"] = {{"code", ErrorCodeFor(first_refusal)},
                     {"message", "どのファイルも保存できませんでした（" + std::to_string(refused) +
                                     " 件）。ファイルごとの理由は results にあります"}};
  }
  body["results"] = std::move(entries);
  body["counts"] = {{"archived", archived}, {"duplicate", duplicates}, {"refused", refused}};
  const int status = archived > 0 ? 201 : duplicates > 0 ? 200 : HttpStatusFor(first_refusal);
  SendJson(res, status, body);
}

// What is wrong with the request as a whole once its body has been read,
// in the order a person fixes it; OK if its files go to the archive.
Status CheckUploadRequest(const ApiContext& ctx, const UploadReceiver& upload) {
  if (upload.file_count() > ctx.options.max_upload_files) {
    return Status::InvalidArgument("一度に送れるファイルは " +
                                   std::to_string(ctx.options.max_upload_files) + " 件までです（" +
                                   std::to_string(upload.file_count()) +
                                   " 件）。分けて送ってください。どのファイルも保存していません");
  }
  if (upload.file_count() == 0) {
    return Status::InvalidArgument("multipart/form-data の file にファイルを指定してください");
  }
  return upload.refusal();
}

}  // namespace

// Every `file` part is archived with its own result, all of them in one
// Archive::Ingest batch. A part that is empty or too large is refused alone;
// the others are still archived (as `kura ingest` does). The department and
// who may upload for it are checked once: every file of a request goes to
// the same department.
void UploadDocuments(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                     const Caller& c, const httplib::ContentReader& body) {
  // What needs no body is refused before it is read.
  if (!req.is_multipart_form_data()) {
    return SendError(res, 400, "invalid_argument",
                     "multipart/form-data の file にファイルを指定してください");
  }
  const std::string default_department = workflow::DefaultUploadDepartment(c.user);
  if (const Status s = workflow::MayUpload(c.user, default_department); !s.ok()) {
    return SendStatus(req, res, s);
  }
  UploadReceiver upload(ctx);
  const bool read = body([&](const httplib::MultipartFormData& part) { return upload.Begin(part); },
                         [&](const char* data, size_t n) { return upload.Receive(data, n); });
  Status s = read ? upload.Finish() : upload.error();
  if (!read && s.ok()) {
    s = Status::InvalidArgument(
        "multipart/form-data の形式が正しくないか、送信が途中で終わっています");
  }
  if (s.ok()) s = CheckUploadRequest(ctx, upload);
  const std::string department = upload.department().value_or(default_department);
  if (s.ok()) s = ctx.workflow->CheckUpload(c.user, department);
  if (!s.ok()) return SendStatus(req, res, s);
  std::vector<archive::IncomingFile> files;
  for (const UploadPart& part : upload.parts()) {
    if (!part.refused.ok()) continue;
    archive::IncomingFile file;
    file.file_name = part.name;
    file.department = department;
    file.source = "upload";
    file.receiver = c.user.login;
    file.spooled = part.spool;
    files.push_back(std::move(file));
  }
  std::vector<base::Result<archive::IngestOutcome>> ingested;
  if (!files.empty()) ingested = ctx.archive->Ingest(std::move(files));
  // Committed: new scans go to the background OCR, which the response never
  // waits for (a full queue leaves them to its backlog pass).
  if (ctx.options.ocr_worker != nullptr) {
    for (const auto& outcome : ingested) {
      if (outcome.ok() && !outcome->duplicate && outcome->fields.format == "scan") {
        ctx.options.ocr_worker->Enqueue(outcome->id);
      }
    }
  }
  SendUploadResults(req, res, upload.parts(), ingested);
}

}  // namespace web::internal
