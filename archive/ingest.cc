// Archive::Ingest. The slow work comes first, on the caller's thread and
// without any lock: validate, hash, sniff and read each file (on all cores),
// decide which documents are new, time-stamp them, and stage their bytes in
// temp files (a spooled file, hashed as it arrived, is read from a read-only
// mapping and staged by a rename, never copied). Then one ledger write
// records the batch; the ledger's writer queue groups it with concurrent
// writers into one round of syncs for the originals and one commit.
#include <map>
#include <optional>
#include <set>

#include "archive/internal/archive_rep.h"
#include "archive/scan.h"
#include "archive/sniff.h"
#include "base/parallel.h"
#include "base/text.h"
#include "base/utf8.h"
#include "invoice/warning_codes.h"
#include "ledger/event_types.h"
#include "signing/merkle.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

namespace {

// A file read and checked, ready to be recorded.
struct Prepared {
  IngestOutcome outcome;
  Receipt receipt;
  Version version;
};

// What the time-stamping step decided for one new document.
struct StampPlan {
  std::optional<signing::Stamp> stamp;  // shared by a batch: the same response
  TokenRecord record;                   // without tsr_sha256, filled in the txn
  std::string error;                    // when pending
};

// The files of one Ingest call on their way to the catalog.
class IngestBatch {
 public:
  IngestBatch(Archive::Rep* rep, std::vector<IncomingFile> files)
      : rep_(rep), files_(std::move(files)), prepared_(files_.size()), refused_(files_.size()) {}

  std::vector<Result<IngestOutcome>> Run() {
    // Hashing and reading dominate ingest; spread them over the cores.
    base::ParallelFor(files_.size(), [&](size_t i) { Prepare(i); });
    Status status = FindNew();
    if (status.ok() && !new_shas_.empty()) Stamp();
    for (size_t i = 0; i < files_.size(); ++i) {
      if (!prepared_[i]) continue;
      if (files_[i].spooled) {
        blobs_.AddFile(prepared_[i]->outcome.sha256, files_[i].spooled->path());
      } else {
        blobs_.Add(prepared_[i]->outcome.sha256, files_[i].bytes);
      }
    }
    if (status.ok() && !blobs_.empty()) status = rep_->blobs->Stage(&blobs_);
    if (status.ok()) {
      status = rep_->Write([&](storage::WriteTxn& txn,
                               const ledger::AppendEvent& append) { return Record(txn, append); },
                           &blobs_);
    }
    return Results(status);
  }

 private:
  void Prepare(size_t i);
  Result<std::string_view> BytesOf(size_t i, std::unique_ptr<base::MappedFile>* mapped) const;
  Status FindNew();
  void Stamp();
  Status Record(storage::WriteTxn& txn, const ledger::AppendEvent& append);
  Status RecordAgain(storage::WriteTxn& txn, const ledger::AppendEvent& append, Document doc,
                     Receipt receipt, IngestOutcome* out);
  Status RecordNew(storage::WriteTxn& txn, const ledger::AppendEvent& append, const Prepared& p,
                   Receipt receipt, IngestOutcome* out);
  std::vector<Result<IngestOutcome>> Results(const Status& status);

  Archive::Rep* rep_;
  std::vector<IncomingFile> files_;
  std::vector<std::optional<Prepared>> prepared_;
  std::vector<Status> refused_;
  std::vector<std::string> new_shas_;
  std::map<std::string, StampPlan> plans_;
  storage::BlobStore::Batch blobs_;
  std::vector<IngestOutcome> committed_;
  std::map<std::string, Document> docs_in_batch_;  // sha256 → document
};

// The bytes of file i: its own, or its spooled file mapped read-only (the
// pages are page cache, not heap), kept alive by *mapped.
Result<std::string_view> IngestBatch::BytesOf(size_t i,
                                              std::unique_ptr<base::MappedFile>* mapped) const {
  const IncomingFile& f = files_[i];
  if (!f.spooled) return std::string_view(f.bytes);
  if (!f.spooled->closed()) {
    return Status::FailedPrecondition(base::DisplayName(f.file_name) +
                                      ": 受信が終わっていないファイルは登録できません");
  }
  ASSIGN_OR_RETURN(*mapped, rep_->fs->MapFile(f.spooled->path(), f.spooled->size()));
  const std::string_view bytes = (*mapped)->data();
  if (bytes.size() != f.spooled->size()) {
    return Status::Internal(f.spooled->path() + ": 受信した一時ファイルの大きさが変わりました");
  }
  return bytes;
}

// Whether the file is a scan, and if so its facts: the fields become format
// "scan" waiting for a person's keys, and the checks of its images join the
// warnings. A JPEG/PNG/TIFF is always a scan; a PDF only when the inspector
// decodes it as image pages (a PDF with text is not one).
std::optional<ScanFacts> InspectScan(const Archive::Rep& rep, std::string_view bytes,
                                     std::string_view document_class, IngestOutcome* out) {
  namespace code = invoice::warning_code;
  const bool image = IsImageMediaType(out->media_type);
  const bool bare_pdf = out->media_type == "application/pdf" && out->fields.format == "pdf" &&
                        out->fields.needs_metadata;
  if (!image && !(bare_pdf && rep.scan_inspector)) return std::nullopt;
  std::optional<Result<std::vector<ScanPage>>> pages;
  if (rep.scan_inspector) pages = rep.scan_inspector(bytes, out->media_type);
  if (!image && (!pages->ok() || (*pages)->empty())) return std::nullopt;
  ScanFacts facts = SummarizeScan(pages && pages->ok() ? **pages : std::vector<ScanPage>{},
                                  rep.options.scan, document_class);
  std::erase_if(out->warnings, [](const invoice::Warning& w) {
    return w.code == code::kUnrecognizedFormat || w.code == code::kPdfNeedsMetadata;
  });
  out->warnings.push_back({std::string(code::kScanNeedsMetadata),
                           "スキャンした書類です。取引年月日・金額・取引先を入力してください"});
  if (pages && !pages->ok()) {
    out->warnings.push_back({std::string(code::kScanUnreadable),
                             "画像を読み取れないため、解像度と色を確認できません（" +
                                 pages->status().message() + "）"});
  }
  for (invoice::Warning& w : CheckScan(facts, rep.options.scan))
    out->warnings.push_back(std::move(w));
  out->fields.format = "scan";
  out->fields.needs_metadata = true;
  if (facts.pages > 0) out->fields.page_count = facts.pages;
  return facts;
}

void IngestBatch::Prepare(size_t i) {
  const IncomingFile& f = files_[i];
  const uint64_t size = f.spooled ? f.spooled->size() : f.bytes.size();
  if (size == 0) {
    refused_[i] = Status::InvalidArgument(base::DisplayName(f.file_name) + ": ファイルが空です");
    return;
  }
  if (size > rep_->options.max_file_bytes) {
    refused_[i] = Status::ResourceExhausted(base::DisplayName(f.file_name) + ": ファイルが上限（" +
                                            std::to_string(rep_->options.max_file_bytes >> 20) +
                                            " MiB）を超えています");
    return;
  }
  std::unique_ptr<base::MappedFile> mapped;
  const Result<std::string_view> bytes = BytesOf(i, &mapped);
  if (!bytes.ok()) {
    refused_[i] = bytes.status();
    return;
  }
  Prepared p;
  // A spooled file was hashed as it arrived.
  p.outcome.sha256 = f.spooled ? f.spooled->sha256() : signing::Sha256(*bytes).Hex();
  p.outcome.size = size;
  p.outcome.media_type = SniffMediaType(*bytes);
  if (IsImageMediaType(p.outcome.media_type) && size > rep_->options.scan.max_image_bytes) {
    refused_[i] = Status::ResourceExhausted(
        base::DisplayName(f.file_name) + ": スキャン画像が上限（" +
        std::to_string(rep_->options.scan.max_image_bytes >> 20) + " MiB）を超えています");
    return;
  }
  p.outcome.received_at = rep_->clock->Now();
  invoice::ReadResult read = rep_->reader(*bytes);
  p.outcome.fields = std::move(read.fields);
  p.outcome.warnings = std::move(read.warnings);
  p.version.scan = InspectScan(*rep_, *bytes, f.document_class, &p.outcome);
  p.receipt.received_at = p.outcome.received_at;
  p.receipt.receiver = base::ToValidUtf8(f.receiver);
  p.receipt.department = base::ToValidUtf8(f.department);
  p.receipt.source = base::ToValidUtf8(f.source);
  // For display: the name is the sender's choice (the bytes are kept as sent).
  p.receipt.file_name = base::DisplayName(base::BaseName(f.file_name));
  p.version.number = 1;
  p.version.created_at = p.outcome.received_at;
  p.version.created_by = "kura";
  p.version.fields = p.outcome.fields;
  p.version.warnings = p.outcome.warnings;
  prepared_[i] = std::move(p);
}

// Which documents are new? Decided before the write so that a slow TSA
// holds up nobody; a document another writer adds meanwhile simply becomes
// a duplicate in the transaction (its extra token is not used).
Status IngestBatch::FindNew() {
  return rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    std::set<std::string> seen;
    for (const auto& p : prepared_) {
      if (!p || !seen.insert(p->outcome.sha256).second) continue;
      ASSIGN_OR_RETURN(auto seq, rep_->catalog->FindBySha256(txn, p->outcome.sha256));
      if (!seq) new_shas_.push_back(p->outcome.sha256);
    }
    return Status::OK();
  });
}

// Time-stamps for the new documents, before anything is acknowledged: one
// per document, or one per batch over the RFC 6962 root of their digests.
void IngestBatch::Stamp() {
  signing::Timestamper* stamper = rep_->ledger->stamper();
  const base::Time now = rep_->clock->Now();
  if (rep_->ledger->batch_timestamps()) {
    std::vector<Digest> leaves;
    for (const auto& sha : new_shas_) {
      leaves.push_back(signing::HashLeaf(Digest::FromHex(sha)->AsStringView()));
    }
    auto stamp = stamper->StampDigest(signing::RootFromLeafHashes(leaves), now);
    const signing::NodeHashFn nodes = signing::NodesFromLeafHashes(leaves);
    for (size_t i = 0; i < new_shas_.size(); ++i) {
      StampPlan& plan = plans_[new_shas_[i]];
      if (!stamp.ok()) {
        plan.error = stamp.status().message();
        continue;
      }
      plan.stamp = *stamp;
      plan.record.batch = true;
      plan.record.batch_index = i;
      plan.record.batch_size = leaves.size();
      plan.record.batch_path = *signing::InclusionProof(i, leaves.size(), nodes);
    }
  } else {
    std::vector<StampPlan> stamped(new_shas_.size());
    base::ParallelFor(new_shas_.size(), [&](size_t i) {
      auto stamp = stamper->StampDigest(*Digest::FromHex(new_shas_[i]), now);
      if (stamp.ok()) {
        stamped[i].stamp = std::move(*stamp);
      } else {
        stamped[i].error = stamp.status().message();
      }
    });
    for (size_t i = 0; i < new_shas_.size(); ++i) plans_[new_shas_[i]] = std::move(stamped[i]);
  }
  for (auto& [sha, plan] : plans_) {
    if (!plan.stamp) continue;
    plan.record.gen_time = plan.stamp->gen_time;
    plan.record.serial_hex = plan.stamp->serial_hex;
    plan.record.tsa = stamper->name();
  }
}

// The write function. It may run more than once (map growth), so it starts
// afresh from prepared_ every time.
Status IngestBatch::Record(storage::WriteTxn& txn, const ledger::AppendEvent& append) {
  committed_.clear();
  docs_in_batch_.clear();
  for (const auto& p : prepared_) {
    if (!p) continue;
    IngestOutcome out = p->outcome;
    std::optional<Document> existing;
    if (auto in_batch = docs_in_batch_.find(out.sha256); in_batch != docs_in_batch_.end()) {
      existing = in_batch->second;
    } else {
      ASSIGN_OR_RETURN(auto seq, rep_->catalog->FindBySha256(txn, out.sha256));
      if (seq) {
        ASSIGN_OR_RETURN(Document d, rep_->catalog->GetDocument(txn, *seq));
        existing = d;
      }
    }
    if (existing) {
      RETURN_IF_ERROR(RecordAgain(txn, append, *existing, p->receipt, &out));
    } else {
      RETURN_IF_ERROR(RecordNew(txn, append, *p, p->receipt, &out));
    }
    committed_.push_back(std::move(out));
  }
  return Status::OK();
}

Status IngestBatch::RecordAgain(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                                Document doc, Receipt receipt, IngestOutcome* out) {
  receipt.number = doc.receipt_count + 1;
  RETURN_IF_ERROR(rep_->catalog->AddReceipt(txn, &doc, receipt));
  ASSIGN_OR_RETURN(Version current, rep_->catalog->GetVersion(txn, doc.seq, doc.current_version));
  out->duplicate = true;
  out->id = FormatDocumentId(doc.seq);
  out->fields = current.fields;  // what the archive holds for these bytes
  out->timestamp = "existing";
  out->receipt_number = receipt.number;
  docs_in_batch_[out->sha256] = doc;
  return append(json{{"type", ledger::event::kDocumentReceivedAgain},
                     {"id", out->id},
                     {"sha256", out->sha256},
                     {"receipt", ToJson(receipt)}})
      .status();
}

Status IngestBatch::RecordNew(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                              const Prepared& p, Receipt receipt, IngestOutcome* out) {
  Document doc;
  ASSIGN_OR_RETURN(doc.seq, rep_->catalog->AllocateSeq(txn));
  doc.sha256 = out->sha256;
  doc.size = out->size;
  doc.media_type = out->media_type;
  doc.current_version = 1;
  doc.receipt_count = 1;
  receipt.number = 1;
  out->id = FormatDocumentId(doc.seq);
  out->receipt_number = 1;
  json event{{"type", ledger::event::kDocumentReceived},
             {"id", out->id},
             {"sha256", out->sha256},
             {"size", out->size},
             {"media_type", out->media_type},
             {"receipt", ToJson(receipt)},
             {"version", ToJson(p.version)}};
  const StampPlan& plan = plans_[out->sha256];  // no plan: pending below
  if (plan.stamp) {
    TokenRecord record = plan.record;
    ASSIGN_OR_RETURN(record.tsr_sha256, rep_->tokens->PutResponse(txn, plan.stamp->response_der));
    RETURN_IF_ERROR(rep_->tokens->PutToken(txn, doc.seq, record));
    event["timestamp"] = TimestampEventJson(record);
    out->timestamp = "granted";
  } else {
    PendingStamp pending;
    pending.seq = doc.seq;
    pending.since = out->received_at;
    pending.attempts = 1;
    pending.next_attempt = out->received_at + std::chrono::minutes(1);
    pending.last_error = plan.error;
    RETURN_IF_ERROR(rep_->tokens->PutPending(txn, pending));
    event["timestamp"] = "pending";
    out->timestamp = "pending";
    out->warnings.push_back(
        {"timestamp_pending",
         "タイムスタンプを取得できませんでした。後で自動的に再取得します (" + plan.error + ")"});
  }
  // The event carries the digest of the search-index row, so that verify
  // can check the index without re-deriving it.
  doc.received_event = append.next_index();
  ASSIGN_OR_RETURN(const signing::Digest row,
                   rep_->catalog->InsertDocument(txn, doc, receipt, p.version));
  event["search_row"] = row.Hex();
  ASSIGN_OR_RETURN(const uint64_t index, append(event));
  if (index != doc.received_event) {
    return Status::Internal("イベントログ: 記録の番号が予定と違います");
  }
  docs_in_batch_[out->sha256] = doc;
  return Status::OK();
}

std::vector<Result<IngestOutcome>> IngestBatch::Results(const Status& status) {
  std::vector<Result<IngestOutcome>> results;
  results.reserve(files_.size());
  size_t next = 0;
  for (size_t i = 0; i < files_.size(); ++i) {
    if (!prepared_[i]) {
      results.emplace_back(refused_[i]);
    } else if (!status.ok()) {
      results.emplace_back(status.WithContext(base::DisplayName(files_[i].file_name)));
    } else {
      results.emplace_back(std::move(committed_[next++]));
    }
  }
  return results;
}

}  // namespace

Result<std::shared_ptr<SpooledFile>> Archive::NewSpool() {
  if (rep_->options.read_only) {
    return Status::FailedPrecondition("読み取り専用で開いているため、ファイルを保存できません");
  }
  ASSIGN_OR_RETURN(std::string path, rep_->blobs->IncomingPath());
  return SpooledFile::Create(rep_->fs, std::move(path));
}

std::vector<Result<IngestOutcome>> Archive::Ingest(std::vector<IncomingFile> files) {
  if (rep_->options.read_only) {
    return std::vector<Result<IngestOutcome>>(
        files.size(),
        Status::FailedPrecondition("読み取り専用で開いているため、ファイルを保存できません"));
  }
  return IngestBatch(rep_.get(), std::move(files)).Run();
}

}  // namespace archive
