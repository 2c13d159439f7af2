#include "archive/archive.h"

#include <algorithm>
#include <map>
#include <set>

#include "archive/internal/archive_rep.h"
#include "archive/internal/parallel.h"
#include "archive/internal/write_set.h"
#include "invoice/fields_json.h"
#include "invoice/invoice_reader.h"
#include "archive/sniff.h"
#include "signing/checkpoint.h"
#include "signing/merkle.h"
#include "signing/tsa_verify.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

json ToJson(const IngestOutcome& o) {
  return json{{"id", o.id},
              {"sha256", o.sha256},
              {"status", o.duplicate ? "duplicate" : "archived"},
              {"media_type", o.media_type},
              {"size", o.size},
              {"receipt", o.receipt_number},
              {"received_at", base::FormatRfc3339(o.received_at)},
              {"timestamp", o.timestamp},
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
  return json{{"documents", r.documents},
              {"ok", r.ok},
              {"failed", failed},
              {"events", r.events},
              {"checkpoint", r.checkpoint_size},
              {"timestamps_checked", r.tokens_checked},
              {"module_records", r.module_records}};
}

json ToJson(const LogProof& p) {
  json proof = json::array();
  for (const auto& d : p.proof) proof.push_back(d.Hex());
  return json{{"id", p.id},
              {"event_index", p.event_index},
              {"event", p.event},
              {"leaf_hash", p.leaf_hash.Hex()},
              {"tree_size", p.tree_size},
              {"inclusion_proof", proof},
              {"checkpoint", p.checkpoint}};
}

json TimestampEventJson(const TokenRecord& t) {
  return json{{"tsr", t.tsr_sha256},
              {"gen_time", base::FormatRfc3339(t.gen_time)},
              {"serial", t.serial_hex},
              {"kind", t.batch ? "batch" : "each"}};
}

std::string Archive::Rep::TrustedPem() const {
  return keys.ChainPem() + (options.timestamp.url.empty() ? "" : options.timestamp.trusted_pem);
}

Status Archive::Rep::SignCheckpoint() {
  uint64_t size = 0;
  Digest root;
  std::optional<signing::Checkpoint> previous;
  RETURN_IF_ERROR(env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const signing::CompactRange range, log->Frontier(txn));
    size = range.size();
    root = range.Root();
    auto latest = checkpoints->Latest(txn);
    if (!latest.ok()) return latest.status().IsNotFound() ? Status::OK() : latest.status();
    ASSIGN_OR_RETURN(previous, signing::VerifyCheckpoint(latest->note, *verifier, keys.origin));
    if (previous->size > size) {
      return Status::Corruption("the event log holds " + std::to_string(size) +
                                " events but checkpoint " + std::to_string(previous->size) +
                                " was signed: events were removed");
    }
    if (previous->size == size) return Status::OK();
    // A log must never sign two inconsistent checkpoints: prove that the
    // new tree extends the last signed one before signing it.
    ASSIGN_OR_RETURN(const auto proof, log->ConsistencyProof(txn, previous->size, size));
    const Status consistent =
        signing::VerifyConsistency(previous->size, size, previous->root, root, proof);
    if (!consistent.ok()) {
      return Status::Corruption("refusing to sign checkpoint " + std::to_string(size) +
                                ": it does not extend checkpoint " +
                                std::to_string(previous->size) + " (" + consistent.message() +
                                ")");
    }
    return Status::OK();
  }));
  if (size == 0 || (previous && previous->size >= size)) return Status::OK();
  ASSIGN_OR_RETURN(const std::string note,
                   signing::SignCheckpoint(signing::Checkpoint{keys.origin, size, root, {}}, *signer));
  const base::Time now = clock->Now();
  // A checkpoint whose time-stamp failed is still stored; the next one is
  // stamped again.
  auto stamp = stamper->StampDigest(signing::Sha256(note), now);
  return env->Write([&](storage::WriteTxn& txn) -> Status {
    StoredCheckpoint c;
    c.size = size;
    c.note = note;
    c.created_at = now;
    if (stamp.ok()) {
      ASSIGN_OR_RETURN(c.tsr_sha256, tokens->PutResponse(txn, stamp->response_der));
    }
    return checkpoints->Put(txn, c);
  });
}

Archive::Archive(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Archive::~Archive() = default;

Result<std::unique_ptr<Archive>> Archive::Open(const ArchiveOptions& options, base::FileSystem* fs,
                                               const base::Clock* clock) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  rep->layout.root = options.data_dir;
  rep->fs = fs;
  rep->clock = clock;
  rep->reader = [](std::string_view bytes) {
    const invoice::ReadResult r = invoice::ReadInvoice(bytes);
    return std::make_pair(invoice::FieldsToJson(r.fields), invoice::WarningsToJson(r.warnings));
  };
  RETURN_IF_ERROR(CheckDataDir(fs, rep->layout));
  if (!options.read_only) {
    if (!options.timestamp.url.empty() && options.timestamp.transport == nullptr) {
      return Status::InvalidArgument("an external TSA needs a transport");
    }
    auto lock = fs->LockFile(rep->layout.lock());
    if (!lock.ok()) {
      return Status::FailedPrecondition(
          rep->layout.root +
          " is in use by another kura process that writes to it (for example `kura serve`); "
          "stop it or use that process");
    }
    rep->lock = std::move(*lock);
    RETURN_IF_ERROR(EnsureKeys(fs, rep->layout, clock->Now()));
  }
  ASSIGN_OR_RETURN(rep->keys, LoadKeys(fs, rep->layout, /*with_private=*/!options.read_only));
  ASSIGN_OR_RETURN(signing::NoteVerifier verifier,
                   signing::NoteVerifier::FromVerifierKey(rep->keys.log_vkey));
  rep->verifier = std::make_unique<signing::NoteVerifier>(std::move(verifier));
  if (!options.read_only) {
    ASSIGN_OR_RETURN(signing::NoteSigner signer,
                     signing::NoteSigner::FromPkcs8Pem(rep->keys.origin, rep->keys.log_key_pem));
    rep->signer = std::make_unique<signing::NoteSigner>(std::move(signer));
    if (options.timestamp.url.empty()) {
      ASSIGN_OR_RETURN(rep->stamper,
                       NewBuiltinTimestamper(rep->keys.tsa_key_pem, rep->keys.tsa_cert_pem,
                                             rep->keys.ChainPem()));
    } else {
      rep->stamper = NewExternalTimestamper(options.timestamp.transport, options.timestamp.url,
                                            options.timestamp.trusted_pem);
    }
  }
  storage::EnvOptions env_options = options.env;
  env_options.read_only = options.read_only;
  ASSIGN_OR_RETURN(rep->env, storage::Env::Open(rep->layout.catalog(), env_options));
  ASSIGN_OR_RETURN(Catalog catalog, Catalog::Open(rep->env.get()));
  rep->catalog = std::make_unique<Catalog>(std::move(catalog));
  ASSIGN_OR_RETURN(EventLog log, EventLog::Open(rep->env.get()));
  rep->log = std::make_unique<EventLog>(std::move(log));
  ASSIGN_OR_RETURN(TokenStore tokens, TokenStore::Open(rep->env.get()));
  rep->tokens = std::make_unique<TokenStore>(std::move(tokens));
  ASSIGN_OR_RETURN(CheckpointStore checkpoints, CheckpointStore::Open(rep->env.get()));
  rep->checkpoints = std::make_unique<CheckpointStore>(std::move(checkpoints));
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
    // A crash after a commit but before its checkpoint: sign it now.
    std::lock_guard<std::mutex> writer(rep->writer_mu);
    RETURN_IF_ERROR(rep->SignCheckpoint());
  }
  return std::unique_ptr<Archive>(new Archive(std::move(rep)));
}

void Archive::SetFieldReader(FieldReader reader) { rep_->reader = std::move(reader); }

namespace {

// What the time-stamping step decided for one new document.
struct StampPlan {
  std::optional<Stamp> stamp;  // shared by a batch: the same response
  TokenRecord record;          // without tsr_sha256, filled in the txn
  std::string error;           // when pending
};

}  // namespace

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
  const auto prepare_one = [&](size_t i) {
    const IncomingFile& f = files[i];
    if (f.bytes.empty()) {
      refused[i] = Status::InvalidArgument(f.file_name + ": file is empty");
      return;
    }
    if (f.bytes.size() > rep_->options.max_file_bytes) {
      refused[i] = Status::ResourceExhausted(
          f.file_name + ": file is larger than the limit of " +
          std::to_string(rep_->options.max_file_bytes >> 20) + " MiB");
      return;
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
    p.receipt.receiver = ValidUtf8(f.receiver);
    p.receipt.department = ValidUtf8(f.department);
    p.receipt.source = ValidUtf8(f.source);
    p.receipt.file_name = ValidUtf8(base::BaseName(f.file_name));
    p.version.number = 1;
    p.version.created_at = p.outcome.received_at;
    p.version.created_by = "kura";
    p.version.fields = p.outcome.fields;
    p.version.warnings = p.outcome.warnings;
    prepared[i] = std::move(p);
  };
  // Hashing and reading dominate ingest; spread them over the cores.
  ParallelFor(files.size(), prepare_one);
  storage::BlobStore::Batch batch;
  for (size_t i = 0; i < files.size(); ++i) {
    if (prepared[i]) batch.Add(prepared[i]->outcome.sha256, files[i].bytes);
  }

  // 2. Which documents are new? Decided before the writer lock so that a
  // slow TSA does not hold up other batches; a document another batch adds
  // meanwhile simply becomes a duplicate in the transaction below (its extra
  // token is not used).
  std::vector<std::string> new_shas;
  Status status = rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    std::set<std::string> seen;
    for (const auto& p : prepared) {
      if (!p || !seen.insert(p->outcome.sha256).second) continue;
      ASSIGN_OR_RETURN(auto seq, rep_->catalog->FindBySha256(txn, p->outcome.sha256));
      if (!seq) new_shas.push_back(p->outcome.sha256);
    }
    return Status::OK();
  });

  // 3. Time-stamps for the new documents, before anything is acknowledged.
  std::map<std::string, StampPlan> plans;
  if (status.ok() && !new_shas.empty()) {
    const base::Time now = rep_->clock->Now();
    if (rep_->options.timestamp.batch) {
      std::vector<Digest> leaves;
      for (const auto& sha : new_shas) {
        leaves.push_back(signing::HashLeaf(Digest::FromHex(sha)->AsStringView()));
      }
      auto stamp = rep_->stamper->StampDigest(signing::RootFromLeafHashes(leaves), now);
      const signing::NodeHashFn nodes = signing::NodesFromLeafHashes(leaves);
      for (size_t i = 0; i < new_shas.size(); ++i) {
        StampPlan& plan = plans[new_shas[i]];
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
      std::vector<StampPlan> stamped(new_shas.size());
      ParallelFor(new_shas.size(), [&](size_t i) {
        auto stamp = rep_->stamper->StampDigest(*Digest::FromHex(new_shas[i]), now);
        if (stamp.ok()) {
          stamped[i].stamp = std::move(*stamp);
        } else {
          stamped[i].error = stamp.status().message();
        }
      });
      for (size_t i = 0; i < new_shas.size(); ++i) plans[new_shas[i]] = std::move(stamped[i]);
    }
    for (auto& [sha, plan] : plans) {
      if (!plan.stamp) continue;
      plan.record.gen_time = plan.stamp->gen_time;
      plan.record.serial_hex = plan.stamp->serial_hex;
      plan.record.tsa = rep_->stamper->name();
    }
  }

  std::lock_guard<std::mutex> writer(rep_->writer_mu);
  // 4. The originals, durable before any record names them.
  if (status.ok() && !batch.empty()) status = rep_->blobs->Prepare(&batch);

  // 5. One short write transaction for the whole batch. The callback may
  // run more than once (map growth), so it starts from `prepared` each time.
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
        if (existing) {
          Document doc = *existing;
          receipt.number = doc.receipt_count + 1;
          RETURN_IF_ERROR(rep_->catalog->AddReceipt(txn, &doc, receipt));
          ASSIGN_OR_RETURN(Version current,
                           rep_->catalog->GetVersion(txn, doc.seq, doc.current_version));
          out.duplicate = true;
          out.id = FormatDocumentId(doc.seq);
          out.fields = current.fields;  // what the archive holds for these bytes
          out.timestamp = "existing";
          docs_in_batch[out.sha256] = doc;
          RETURN_IF_ERROR(rep_->log
                              ->Append(txn, json{{"type", "document.received_again"},
                                                 {"id", out.id},
                                                 {"sha256", out.sha256},
                                                 {"receipt", ToJson(receipt)}})
                              .status());
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
          out.id = FormatDocumentId(seq);
          json event{{"type", "document.received"},
                     {"id", out.id},
                     {"sha256", out.sha256},
                     {"size", out.size},
                     {"media_type", out.media_type},
                     {"receipt", ToJson(receipt)},
                     {"version", ToJson(prepared[i]->version)}};
          const StampPlan& plan = plans[out.sha256];  // no plan: pending below
          if (plan.stamp) {
            TokenRecord record = plan.record;
            ASSIGN_OR_RETURN(record.tsr_sha256,
                             rep_->tokens->PutResponse(txn, plan.stamp->response_der));
            RETURN_IF_ERROR(rep_->tokens->PutToken(txn, seq, record));
            event["timestamp"] = TimestampEventJson(record);
            out.timestamp = "granted";
          } else {
            PendingStamp pending;
            pending.seq = seq;
            pending.since = out.received_at;
            pending.attempts = 1;
            pending.next_attempt = out.received_at + std::chrono::minutes(1);
            pending.last_error = plan.error;
            RETURN_IF_ERROR(rep_->tokens->PutPending(txn, pending));
            event["timestamp"] = "pending";
            out.timestamp = "pending";
            out.warnings.push_back(
                json{{"code", "timestamp_pending"},
                     {"message", "タイムスタンプを取得できませんでした。後で自動的に再取得します (" +
                                     plan.error + ")"}});
          }
          // The event carries the digest of the search-index row, so that
          // verify can check the index without re-deriving it.
          ASSIGN_OR_RETURN(doc.received_event, rep_->log->Size(txn));
          ASSIGN_OR_RETURN(const signing::Digest row,
                           rep_->catalog->InsertDocument(txn, doc, receipt, prepared[i]->version));
          event["search_row"] = row.Hex();
          ASSIGN_OR_RETURN(const uint64_t index, rep_->log->Append(txn, event));
          if (index != doc.received_event) return Status::Internal("event log: index moved");
          docs_in_batch[out.sha256] = doc;
        }
        out.receipt_number = receipt.number;
        committed.push_back(std::move(out));
      }
      return Status::OK();
    });
  }
  // On failure the intent stays, so that the next open's Recover removes
  // the objects of this unacknowledged batch.
  if (status.ok()) rep_->blobs->Finish(batch);
  // The receipts are durable and acknowledged even if signing the
  // checkpoint fails; the next change (or open) signs it, and `kura verify`
  // reports events that no checkpoint covers yet.
  if (status.ok()) rep_->SignCheckpoint().IgnoreError();

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
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
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
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
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
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
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
    version.created_by = ValidUtf8(actor);
    version.reason = ValidUtf8(reason);
    version.fields = current.fields.is_object() ? current.fields : json::object();
    for (const auto& [key, value] : changes.items()) {
      if (value.is_null()) {
        version.fields.erase(key);
      } else {
        version.fields[key] = value;
      }
    }
    version.warnings = current.warnings;
    ASSIGN_OR_RETURN(const signing::Digest row, rep_->catalog->AddVersion(txn, &doc, version));
    const json event{{"type", "document.corrected"},
                     {"id", FormatDocumentId(seq)},
                     {"changes", changes},
                     {"search_row", row.Hex()},
                     {"version", ToJson(version)}};
    return rep_->log->Append(txn, event).status();
  }));
  rep_->SignCheckpoint().IgnoreError();  // as in Ingest
  return version;
}

Result<std::string> Archive::TimestampResponse(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  std::string der;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    RETURN_IF_ERROR(rep_->catalog->GetDocument(txn, seq).status());
    ASSIGN_OR_RETURN(const TokenRecord t, rep_->tokens->GetToken(txn, seq));
    ASSIGN_OR_RETURN(der, rep_->tokens->GetResponse(txn, t.tsr_sha256));
    return Status::OK();
  }));
  return der;
}

Result<json> Archive::TimestampRecord(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  json out;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    RETURN_IF_ERROR(rep_->catalog->GetDocument(txn, seq).status());
    ASSIGN_OR_RETURN(const TokenRecord t, rep_->tokens->GetToken(txn, seq));
    out = ToJson(t);
    return Status::OK();
  }));
  return out;
}

std::string Archive::TrustedTsaPem() const { return rep_->TrustedPem(); }

Result<std::string> Archive::LatestCheckpoint() const {
  std::string note;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const StoredCheckpoint c, rep_->checkpoints->Latest(txn));
    note = c.note;
    return Status::OK();
  }));
  return note;
}

std::string Archive::LogVerifierKey() const { return rep_->keys.log_vkey; }

Result<LogProof> Archive::ProveDocument(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  LogProof p;
  p.id = FormatDocumentId(seq);
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const Document doc, rep_->catalog->GetDocument(txn, seq));
    ASSIGN_OR_RETURN(const StoredCheckpoint c, rep_->checkpoints->Latest(txn));
    if (doc.received_event >= c.size) {
      return Status::FailedPrecondition(p.id + " is not yet covered by a signed checkpoint");
    }
    p.event_index = doc.received_event;
    p.tree_size = c.size;
    p.checkpoint = c.note;
    ASSIGN_OR_RETURN(p.event, rep_->log->Get(txn, doc.received_event));
    p.leaf_hash = signing::HashLeaf(p.event);
    ASSIGN_OR_RETURN(p.proof, rep_->log->InclusionProof(txn, p.event_index, p.tree_size));
    return Status::OK();
  }));
  return p;
}

Result<uint64_t> Archive::PendingTimestampCount() const {
  uint64_t n = 0;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(n, rep_->tokens->PendingCount(txn));
    return Status::OK();
  }));
  return n;
}

Result<uint64_t> Archive::RetryPendingTimestamps() {
  if (rep_->options.read_only) return Status::FailedPrecondition("archive is open read-only");
  const base::Time now = rep_->clock->Now();
  std::vector<std::pair<PendingStamp, std::string>> due;  // with the document's sha256
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const auto pending, rep_->tokens->ListPending(txn, now, 1000));
    for (const auto& p : pending) {
      ASSIGN_OR_RETURN(const Document doc, rep_->catalog->GetDocument(txn, p.seq));
      due.emplace_back(p, doc.sha256);
    }
    return Status::OK();
  }));
  uint64_t granted = 0;
  bool tsa_down = false;
  for (auto& [pending, sha] : due) {
    auto digest = Digest::FromHex(sha);
    if (!digest.ok()) {
      return Status::Corruption(FormatDocumentId(pending.seq) + ": recorded sha256 is not a digest");
    }
    // Once the TSA has failed in this round, the rest only get their backoff
    // moved on (no more calls that would each wait for a timeout).
    Result<Stamp> stamp = tsa_down ? Result<Stamp>(Status::Unavailable("TSA unavailable in this round"))
                                   : rep_->stamper->StampDigest(*digest, now);
    if (!stamp.ok()) tsa_down = true;
    std::lock_guard<std::mutex> writer(rep_->writer_mu);
    RETURN_IF_ERROR(rep_->env->Write([&](storage::WriteTxn& txn) -> Status {
      if (!stamp.ok()) {
        PendingStamp p = pending;
        ++p.attempts;
        const auto backoff = std::min<std::chrono::microseconds>(
            std::chrono::minutes(1) * (1LL << std::min<uint32_t>(p.attempts - 1, 12)),
            std::chrono::hours(24));
        p.next_attempt = now + backoff;
        p.last_error = stamp.status().message();
        return rep_->tokens->PutPending(txn, p);
      }
      TokenRecord record;
      record.gen_time = stamp->gen_time;
      record.serial_hex = stamp->serial_hex;
      record.tsa = rep_->stamper->name();
      ASSIGN_OR_RETURN(record.tsr_sha256, rep_->tokens->PutResponse(txn, stamp->response_der));
      RETURN_IF_ERROR(rep_->tokens->PutToken(txn, pending.seq, record));
      RETURN_IF_ERROR(rep_->tokens->DeletePending(txn, pending.seq));
      return rep_->log
          ->Append(txn, json{{"type", "document.timestamped"},
                             {"id", FormatDocumentId(pending.seq)},
                             {"timestamp", TimestampEventJson(record)}})
          .status();
    }));
    if (stamp.ok()) ++granted;
  }
  if (granted > 0) {
    std::lock_guard<std::mutex> writer(rep_->writer_mu);
    rep_->SignCheckpoint().IgnoreError();  // as in Ingest
  }
  return granted;
}

Result<uint64_t> Archive::EventCount() const {
  uint64_t n = 0;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(n, rep_->log->Size(txn));
    return Status::OK();
  }));
  return n;
}

Result<SearchResult> Archive::Search(const SearchQuery& query) const {
  SearchResult result;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(result, rep_->catalog->Search(txn, query));
    return Status::OK();
  }));
  return result;
}

Status Archive::ForEachEvent(
    uint64_t from, const std::function<Status(uint64_t, std::string_view)>& fn) const {
  return rep_->env->Read(
      [&](const storage::ReadTxn& txn) { return rep_->log->ForEach(txn, from, fn); });
}

Status Archive::Write(
    const std::function<Status(storage::WriteTxn&, const AppendEvent&)>& fn) {
  if (rep_->options.read_only) {
    return Status::FailedPrecondition("the archive is open read-only");
  }
  {
    std::lock_guard<std::mutex> writer(rep_->writer_mu);
    RETURN_IF_ERROR(rep_->env->Write([&](storage::WriteTxn& txn) -> Status {
      // The events are appended after fn, so that the last one can carry
      // what fn changed (archive/internal/write_set.h).
      ASSIGN_OR_RETURN(const uint64_t first_index, rep_->log->Size(txn));
      std::vector<json> events;
      WriteSet writes;
      const AppendEvent append = [&](const json& event) -> Result<uint64_t> {
        auto type = event.find("type");
        if (type == event.end() || !type->is_string() || type->get<std::string>().empty()) {
          return Status::InvalidArgument("an event needs a \"type\"");
        }
        if (type->get<std::string>().rfind("document.", 0) == 0) {
          return Status::InvalidArgument("\"document.\" events belong to the archive");
        }
        if (event.contains("writes")) {
          return Status::InvalidArgument("an event's \"writes\" member is the archive's");
        }
        events.push_back(event);
        return first_index + events.size() - 1;
      };
      const storage::WriteTxn::Observer observer = [&](const storage::Table& table,
                                                       std::string_view key,
                                                       std::optional<std::string_view> value) {
        if (!IsArchiveTable(table.name)) writes.Record(table.name, key, value);
      };
      txn.SetObserver(&observer);
      Status s = fn(txn, append);
      txn.SetObserver(nullptr);
      RETURN_IF_ERROR(s);
      if (!writes.empty() && events.empty()) {
        return Status::FailedPrecondition(
            "a change without its event: Archive::Write must append an event describing it");
      }
      if (!writes.empty()) events.back()["writes"] = writes.ToJson();
      for (const json& e : events) RETURN_IF_ERROR(rep_->log->Append(txn, e).status());
      return Status::OK();
    }));
    rep_->SignCheckpoint().IgnoreError();  // as in Ingest
  }
  return Status::OK();
}

Status Archive::Read(const std::function<Status(const storage::ReadTxn&)>& fn) const {
  return rep_->env->Read(fn);
}

Result<storage::Table> Archive::OpenTable(const std::string& name) {
  if (IsArchiveTable(name)) {
    return Status::InvalidArgument("table \"" + name + "\" is the archive's own");
  }
  return rep_->env->OpenTable(name);
}

}  // namespace archive
