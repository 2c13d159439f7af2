#include "archive/archive.h"

#include <map>
#include <mutex>

#include "archive/catalog.h"
#include "archive/data_dir.h"
#include "archive/event_log.h"
#include "archive/sniff.h"
#include "signing/sha256.h"
#include "storage/blob_store.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;

json ToJson(const IngestOutcome& o) {
  return json{{"id", o.id},
              {"sha256", o.sha256},
              {"status", o.duplicate ? "duplicate" : "archived"},
              {"media_type", o.media_type},
              {"size", o.size},
              {"receipt", o.receipt_number},
              {"received_at", base::FormatRfc3339(o.received_at)},
              {"fields", o.fields},
              {"warnings", o.warnings}};
}

json ToJson(const DocumentView& v) {
  json versions = json::array(), receipts = json::array();
  for (const auto& ver : v.versions) versions.push_back(ToJson(ver));
  for (const auto& r : v.receipts) receipts.push_back(ToJson(r));
  json out{{"id", FormatDocumentId(v.document.seq)},
           {"record", ToJson(v.document)},
           {"versions", versions},
           {"receipts", receipts}};
  out["current"] = versions.empty() ? json(nullptr) : versions.back();
  return out;
}

json ToJson(const VerifyReport& r) {
  json failed = json::array();
  for (const auto& f : r.failed) {
    failed.push_back(json{{"id", f.id}, {"reason", f.reason}, {"detail", f.detail}});
  }
  return json{{"documents", r.documents}, {"ok", r.ok}, {"failed", failed}};
}

struct Archive::Rep {
  ArchiveOptions options;
  DataDirLayout layout;
  base::FileSystem* fs = nullptr;
  const base::Clock* clock = nullptr;
  std::unique_ptr<base::FileLock> lock;  // held while open for writing
  std::unique_ptr<storage::Env> env;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<EventLog> log;
  std::unique_ptr<storage::BlobStore> blobs;
  std::mutex writer_mu;  // one ingest/correction pipeline at a time
  FieldReader reader;

  Result<uint64_t> SeqOf(std::string_view id) const { return ParseDocumentId(id); }
};

Archive::Archive(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Archive::~Archive() = default;

Result<std::unique_ptr<Archive>> Archive::Open(const ArchiveOptions& options, base::FileSystem* fs,
                                               const base::Clock* clock) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  rep->layout.root = options.data_dir;
  rep->fs = fs;
  rep->clock = clock;
  RETURN_IF_ERROR(CheckDataDir(fs, rep->layout));
  if (!options.read_only) {
    auto lock = fs->LockFile(rep->layout.lock());
    if (!lock.ok()) {
      return Status::FailedPrecondition(
          rep->layout.root +
          " is in use by another kura process that writes to it (for example `kura serve`); "
          "stop it or use that process");
    }
    rep->lock = std::move(*lock);
  }
  storage::EnvOptions env_options = options.env;
  env_options.read_only = options.read_only;
  ASSIGN_OR_RETURN(rep->env, storage::Env::Open(rep->layout.catalog(), env_options));
  ASSIGN_OR_RETURN(Catalog catalog, Catalog::Open(rep->env.get()));
  rep->catalog = std::make_unique<Catalog>(std::move(catalog));
  ASSIGN_OR_RETURN(EventLog log, EventLog::Open(rep->env.get()));
  rep->log = std::make_unique<EventLog>(std::move(log));
  rep->blobs = std::make_unique<storage::BlobStore>(fs, rep->layout.objects());
  if (!options.read_only) {
    RETURN_IF_ERROR(rep->blobs->Init());
    // Objects of a batch whose catalog commit never happened are removed.
    const Catalog* cat = rep->catalog.get();
    storage::Env* env = rep->env.get();
    RETURN_IF_ERROR(rep->blobs->Recover([cat, env](std::string_view hex) -> Result<bool> {
      bool found = false;
      RETURN_IF_ERROR(env->Read([&](const storage::ReadTxn& txn) -> Status {
        ASSIGN_OR_RETURN(auto seq, cat->FindBySha256(txn, hex));
        found = seq.has_value();
        return Status::OK();
      }));
      return found;
    }));
  }
  return std::unique_ptr<Archive>(new Archive(std::move(rep)));
}

void Archive::SetFieldReader(FieldReader reader) { rep_->reader = std::move(reader); }

std::vector<Result<IngestOutcome>> Archive::Ingest(std::vector<IncomingFile> files) {
  std::vector<Result<IngestOutcome>> results;
  results.reserve(files.size());
  if (rep_->options.read_only) {
    for (size_t i = 0; i < files.size(); ++i) {
      results.emplace_back(Status::FailedPrecondition("archive is open read-only"));
    }
    return results;
  }

  // 1. Slow work first: validate, hash, sniff, read fields.
  struct Prepared {
    IngestOutcome outcome;
    Receipt receipt;
    Version version;
  };
  std::vector<std::optional<Prepared>> prepared(files.size());
  std::vector<Status> refused(files.size());
  storage::BlobStore::Batch batch;
  for (size_t i = 0; i < files.size(); ++i) {
    const IncomingFile& f = files[i];
    if (f.bytes.empty()) {
      refused[i] = Status::InvalidArgument(f.file_name + ": file is empty");
      continue;
    }
    if (f.bytes.size() > rep_->options.max_file_bytes) {
      refused[i] = Status::ResourceExhausted(
          f.file_name + ": file is larger than the limit of " +
          std::to_string(rep_->options.max_file_bytes >> 20) + " MiB");
      continue;
    }
    Prepared p;
    p.outcome.sha256 = signing::Sha256(f.bytes).Hex();
    p.outcome.size = f.bytes.size();
    p.outcome.media_type = SniffMediaType(f.bytes);
    p.outcome.received_at = rep_->clock->Now();
    if (rep_->reader) {
      auto [fields, warnings] = rep_->reader(f.bytes);
      p.outcome.fields = std::move(fields);
      p.outcome.warnings = std::move(warnings);
    }
    p.receipt.received_at = p.outcome.received_at;
    p.receipt.receiver = f.receiver;
    p.receipt.department = f.department;
    p.receipt.source = f.source;
    p.receipt.file_name = base::BaseName(f.file_name);
    p.version.number = 1;
    p.version.created_at = p.outcome.received_at;
    p.version.created_by = "kura";
    p.version.fields = p.outcome.fields;
    p.version.warnings = p.outcome.warnings;
    batch.Add(p.outcome.sha256, f.bytes);
    prepared[i] = std::move(p);
  }

  std::lock_guard<std::mutex> writer(rep_->writer_mu);
  // 2. The originals, durable before any record names them.
  Status status = batch.empty() ? Status::OK() : rep_->blobs->Prepare(&batch);

  // 3. One short write transaction for the whole batch. The callback may run
  // more than once (map growth), so it starts from `prepared` every time.
  std::vector<IngestOutcome> committed;
  if (status.ok()) {
    status = rep_->env->Write([&](storage::WriteTxn& txn) -> Status {
      committed.clear();
      std::map<std::string, Document> docs_in_batch;  // sha256 → document
      for (size_t i = 0; i < prepared.size(); ++i) {
        if (!prepared[i]) continue;
        IngestOutcome out = prepared[i]->outcome;
        Receipt receipt = prepared[i]->receipt;
        auto in_batch = docs_in_batch.find(out.sha256);
        std::optional<Document> existing;
        if (in_batch != docs_in_batch.end()) {
          existing = in_batch->second;
        } else {
          ASSIGN_OR_RETURN(auto seq, rep_->catalog->FindBySha256(txn, out.sha256));
          if (seq) {
            ASSIGN_OR_RETURN(Document d, rep_->catalog->GetDocument(txn, *seq));
            existing = d;
          }
        }
        json event;
        if (existing) {
          Document doc = *existing;
          receipt.number = doc.receipt_count + 1;
          RETURN_IF_ERROR(rep_->catalog->AddReceipt(txn, &doc, receipt));
          ASSIGN_OR_RETURN(Version current,
                           rep_->catalog->GetVersion(txn, doc.seq, doc.current_version));
          out.duplicate = true;
          out.id = FormatDocumentId(doc.seq);
          out.fields = current.fields;  // what the archive holds for these bytes
          docs_in_batch[out.sha256] = doc;
          event = json{{"type", "document.received_again"},
                       {"id", out.id},
                       {"sha256", out.sha256},
                       {"receipt", ToJson(receipt)}};
        } else {
          ASSIGN_OR_RETURN(const uint64_t seq, rep_->catalog->AllocateSeq(txn));
          Document doc;
          doc.seq = seq;
          doc.sha256 = out.sha256;
          doc.size = out.size;
          doc.media_type = out.media_type;
          doc.current_version = 1;
          doc.receipt_count = 1;
          receipt.number = 1;
          RETURN_IF_ERROR(
              rep_->catalog->InsertDocument(txn, doc, receipt, prepared[i]->version));
          out.id = FormatDocumentId(seq);
          docs_in_batch[out.sha256] = doc;
          event = json{{"type", "document.received"},
                       {"id", out.id},
                       {"sha256", out.sha256},
                       {"size", out.size},
                       {"media_type", out.media_type},
                       {"receipt", ToJson(receipt)},
                       {"version", ToJson(prepared[i]->version)}};
        }
        out.receipt_number = receipt.number;
        RETURN_IF_ERROR(rep_->log->Append(txn, event).status());
        committed.push_back(std::move(out));
      }
      return Status::OK();
    });
  }
  rep_->blobs->Finish(batch);

  size_t next = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    if (!prepared[i]) {
      results.emplace_back(refused[i]);
    } else if (!status.ok()) {
      results.emplace_back(status.WithContext(files[i].file_name));
    } else {
      results.emplace_back(std::move(committed[next++]));
    }
  }
  return results;
}

Result<DocumentView> Archive::Get(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, rep_->SeqOf(id));
  DocumentView view;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(view.document, rep_->catalog->GetDocument(txn, seq));
    ASSIGN_OR_RETURN(view.receipts, rep_->catalog->GetReceipts(txn, seq));
    ASSIGN_OR_RETURN(view.versions, rep_->catalog->GetVersions(txn, seq));
    return Status::OK();
  }));
  return view;
}

Result<std::string> Archive::ReadOriginal(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, rep_->SeqOf(id));
  Document doc;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(doc, rep_->catalog->GetDocument(txn, seq));
    return Status::OK();
  }));
  ASSIGN_OR_RETURN(std::string bytes, rep_->blobs->Read(doc.sha256, doc.size + 1));
  if (bytes.size() != doc.size || signing::Sha256(bytes).Hex() != doc.sha256) {
    return Status::Corruption(std::string(id) +
                              ": the stored original no longer matches its recorded SHA-256");
  }
  return bytes;
}

Result<Version> Archive::Correct(std::string_view id, const json& changes,
                                 const std::string& actor, const std::string& reason,
                                 uint32_t expected_version) {
  if (rep_->options.read_only) return Status::FailedPrecondition("archive is open read-only");
  if (!changes.is_object() || changes.empty()) {
    return Status::InvalidArgument("a correction needs at least one field to change");
  }
  if (reason.empty()) return Status::InvalidArgument("a correction needs a reason");
  if (actor.empty()) return Status::InvalidArgument("a correction needs the person making it");
  ASSIGN_OR_RETURN(const uint64_t seq, rep_->SeqOf(id));
  const base::Time now = rep_->clock->Now();
  Version version;
  std::lock_guard<std::mutex> writer(rep_->writer_mu);
  RETURN_IF_ERROR(rep_->env->Write([&](storage::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(Document doc, rep_->catalog->GetDocument(txn, seq));
    if (expected_version != 0 && expected_version != doc.current_version) {
      return Status::Aborted(std::string(id) + " is at version " +
                             std::to_string(doc.current_version) + ", not " +
                             std::to_string(expected_version) + "; reload and try again");
    }
    ASSIGN_OR_RETURN(Version current, rep_->catalog->GetVersion(txn, seq, doc.current_version));
    version = Version{};
    version.number = doc.current_version + 1;
    version.created_at = now;
    version.created_by = actor;
    version.reason = reason;
    version.fields = current.fields.is_object() ? current.fields : json::object();
    for (const auto& [key, value] : changes.items()) {
      if (value.is_null()) {
        version.fields.erase(key);
      } else {
        version.fields[key] = value;
      }
    }
    version.warnings = current.warnings;
    RETURN_IF_ERROR(rep_->catalog->AddVersion(txn, &doc, version));
    const json event{{"type", "document.corrected"},
                     {"id", std::string(id)},
                     {"changes", changes},
                     {"version", ToJson(version)}};
    return rep_->log->Append(txn, event).status();
  }));
  return version;
}

Result<VerifyReport> Archive::Verify(const std::function<void(uint64_t, uint64_t)>& progress) const {
  VerifyReport report;
  uint64_t total = 0;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(total, rep_->catalog->DocumentCount(txn));
    return Status::OK();
  }));
  // Documents are read in chunks so that no read transaction stays open
  // while objects are hashed.
  constexpr size_t kChunk = 1024;
  uint64_t from = 1;
  signing::Sha256Hasher hasher;
  std::string buf;
  for (;;) {
    std::vector<Document> chunk;
    RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) {
      return rep_->catalog->ScanDocuments(txn, from, [&](const Document& d, bool* more) {
        chunk.push_back(d);
        *more = chunk.size() < kChunk;
        return Status::OK();
      });
    }));
    if (chunk.empty()) break;
    from = chunk.back().seq + 1;
    for (const Document& doc : chunk) {
      ++report.documents;
      const std::string id = FormatDocumentId(doc.seq);
      auto file = rep_->blobs->Open(doc.sha256);
      if (!file.ok()) {
        report.failed.push_back(
            {id, file.status().IsNotFound() ? "missing" : "unreadable", file.status().message()});
        continue;
      }
      uint64_t size = 0;
      Status read_status;
      for (;;) {
        read_status = (*file)->Read(1 << 20, &buf);
        if (!read_status.ok() || buf.empty()) break;
        size += buf.size();
        hasher.Update(buf);
      }
      const std::string hex = hasher.Finish().Hex();
      report.bytes += size;
      if (!read_status.ok()) {
        report.failed.push_back({id, "unreadable", read_status.message()});
      } else if (size != doc.size || hex != doc.sha256) {
        report.failed.push_back({id, "changed",
                                 "stored bytes hash to " + hex + " (" + std::to_string(size) +
                                     " bytes), the catalog recorded " + doc.sha256 + " (" +
                                     std::to_string(doc.size) + " bytes)"});
      } else {
        ++report.ok;
      }
      if (progress && report.documents % 1000 == 0) progress(report.documents, total);
    }
  }
  if (progress) progress(report.documents, total);
  return report;
}

Result<uint64_t> Archive::EventCount() const {
  uint64_t n = 0;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(n, rep_->log->Size(txn));
    return Status::OK();
  }));
  return n;
}

}  // namespace archive
