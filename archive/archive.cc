#include "archive/archive.h"

#include <cassert>

#include "archive/internal/archive_rep.h"
#include "base/hex.h"
#include "base/text.h"
#include "base/utf8.h"
#include "invoice/field_patch.h"
#include "ledger/event_types.h"
#include "invoice/fields_json.h"
#include "invoice/invoice_reader.h"

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
              {"timestamp", o.timestamp},
              {"fields", invoice::FieldsToJson(o.fields)},
              {"warnings", invoice::WarningsToJson(o.warnings)}};
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
  if (v.disposed) {
    out["state"] = "disposed";
    out["state_label"] = "廃棄済み";
    out["disposed"] = ToJson(*v.disposed);
  }
  return out;
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

Status Archive::Rep::Write(const ledger::WriteFn& fn, storage::BlobStore::Batch* batch) {
  ledger::WriteOptions write;
  write.blobs = batch;
  write.owner = ledger::event::kDocumentPrefix;
  return ledger->Write(fn, write);
}

namespace {

ledger::LedgerOptions LedgerOptionsFor(const ArchiveOptions& options) {
  ledger::LedgerOptions l;
  l.data_dir = options.data_dir;
  l.read_only = options.read_only;
  l.env = options.env;
  l.group_commit = options.group_commit;
  l.timestamp = options.timestamp;
  l.checkpoints = options.checkpoints;
  l.key_token = options.key_token;
  return l;
}

// Objects of batches whose process died before their commit are removed,
// inside a write transaction so that no live writer commits a reference to
// one of them meanwhile (storage/blob_store.h).
Status RecoverObjects(Archive::Rep* rep) {
  RETURN_IF_ERROR(rep->blobs->Init());
  RETURN_IF_ERROR(rep->blobs->OpenForWriting());
  return rep->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) -> Status {
    return rep->blobs->Recover([&](std::string_view hex) -> Result<bool> {
      ASSIGN_OR_RETURN(auto seq, rep->catalog->FindBySha256(txn, hex));
      return seq.has_value();
    });
  });
}

// A data directory written before the search index existed is indexed
// once, a few thousand documents per transaction, with an event saying so.
Status BackfillSearchIndex(Archive::Rep* rep) {
  uint64_t todo = 0;
  RETURN_IF_ERROR(rep->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(todo, rep->catalog->CountUnindexed(txn));
    return Status::OK();
  }));
  for (uint64_t from = 1; todo > 0 && from != 0;) {
    uint64_t next = 0;
    RETURN_IF_ERROR(rep->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
      size_t indexed = 0;
      RETURN_IF_ERROR(rep->catalog->IndexDocuments(txn, from, 5000, &next, &indexed));
      return append(json{{"type", ledger::event::kDocumentIndexBackfilled},
                         {"from", FormatDocumentId(from)},
                         {"documents", indexed}})
          .status();
    }));
    from = next;
  }
  return Status::OK();
}

}  // namespace

Archive::Archive(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}

Archive::~Archive() {
  // The ledger publishes its last checkpoint as it closes.
  rep_->catalog.reset();
  rep_->ledger.reset();
}

Result<std::unique_ptr<Archive>> Archive::Open(const ArchiveOptions& options, base::FileSystem* fs,
                                               const base::Clock* clock) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  rep->fs = fs;
  rep->clock = clock;
  rep->reader = [](std::string_view bytes) { return invoice::ReadInvoice(bytes); };
  ASSIGN_OR_RETURN(rep->ledger, ledger::Ledger::Open(LedgerOptionsFor(options), fs, clock));
  rep->ledger->RegisterOwner(std::string(ledger::event::kDocumentPrefix));
  ASSIGN_OR_RETURN(Catalog catalog, Catalog::Open(rep->ledger.get()));
  rep->catalog = std::make_unique<Catalog>(std::move(catalog));
  ASSIGN_OR_RETURN(TokenStore tokens, TokenStore::Open(rep->ledger.get()));
  rep->tokens = std::make_unique<TokenStore>(std::move(tokens));
  rep->blobs = std::make_unique<storage::BlobStore>(fs, rep->ledger->layout().objects());
  if (!options.read_only) {
    RETURN_IF_ERROR(RecoverObjects(rep.get()));
    RETURN_IF_ERROR(BackfillSearchIndex(rep.get()));
  }
  auto archive = std::unique_ptr<Archive>(new Archive(std::move(rep)));
  if (!options.read_only) RETURN_IF_ERROR(archive->RemoveDisposedOriginals().status());
  return archive;
}

ledger::Ledger& Archive::ledger() { return *rep_->ledger; }
const ledger::Ledger& Archive::ledger() const { return *rep_->ledger; }

void Archive::SetFieldReader(FieldReader reader) {
  assert(reader);
  rep_->reader = std::move(reader);
}

void Archive::SetScanInspector(ScanInspector inspector) {
  rep_->scan_inspector = std::move(inspector);
}

const ScanPolicy& Archive::scan_policy() const { return rep_->options.scan; }

Result<DocumentView> Archive::Get(std::string_view id) const {
  DocumentView view;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(view, Get(txn, id));
    return Status::OK();
  }));
  return view;
}

Result<DocumentView> Archive::Get(const storage::ReadTxn& txn, std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  DocumentView view;
  ASSIGN_OR_RETURN(view.document, rep_->catalog->GetDocument(txn, seq));
  ASSIGN_OR_RETURN(view.receipts, rep_->catalog->GetReceipts(txn, seq));
  ASSIGN_OR_RETURN(view.versions, rep_->catalog->GetVersions(txn, seq));
  ASSIGN_OR_RETURN(view.disposed, rep_->catalog->GetTombstone(txn, seq));
  return view;
}

Result<DocumentView> Archive::GetReceived(const storage::ReadTxn& txn, std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  DocumentView view;
  ASSIGN_OR_RETURN(view.document, rep_->catalog->GetDocument(txn, seq));
  ASSIGN_OR_RETURN(view.receipts, rep_->catalog->GetReceipts(txn, seq));
  return view;
}

Result<DocumentView> Archive::GetStored(std::string_view id,
                                       std::vector<std::string>* version_records) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  DocumentView view;
  version_records->clear();
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(view, GetReceived(txn, id));
    ASSIGN_OR_RETURN(const std::vector<std::string_view> records,
                     rep_->catalog->VersionRecords(txn, seq));
    version_records->assign(records.begin(), records.end());  // copied before the txn ends
    ASSIGN_OR_RETURN(view.disposed, rep_->catalog->GetTombstone(txn, seq));
    return Status::OK();
  }));
  return view;
}

Result<std::string> Archive::ReadOriginal(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  Document doc;
  std::optional<Tombstone> disposed;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(doc, rep_->catalog->GetDocument(txn, seq));
    ASSIGN_OR_RETURN(disposed, rep_->catalog->GetTombstone(txn, seq));
    return Status::OK();
  }));
  if (disposed) {
    return Status::FailedPrecondition(
        FormatDocumentId(seq) + " は保存期間の満了により廃棄済みです（廃棄日時 " +
        base::FormatRfc3339(disposed->disposed_at) + "、申請 " +
        base::DisplayName(disposed->requested_by, 64) + "、承認 " +
        base::DisplayName(disposed->approved_by, 64) +
        "）。原本はありません。記録は kura show で確認できます");
  }
  const auto changed = [&] {
    return Status::Corruption(
        FormatDocumentId(seq) +
        ": 保存されている原本が記録された SHA-256 と一致しません"
        "（改ざんまたは破損のおそれがあります。kura verify で確認してください）");
  };
  auto bytes = rep_->blobs->Read(doc.sha256, doc.size + 1);
  // Longer than recorded is a changed original, not a size limit of ours.
  if (bytes.status().code() == Status::Code::kResourceExhausted) return changed();
  if (!bytes.ok()) {
    return bytes.status().WithContext(FormatDocumentId(seq) + " の原本のファイルを読めません");
  }
  if (bytes->size() != doc.size || signing::Sha256(*bytes).Hex() != doc.sha256) return changed();
  return std::move(*bytes);
}

Result<std::unique_ptr<base::SequentialFile>> Archive::OpenOriginal(
    std::string_view sha256) const {
  return rep_->blobs->Open(sha256);
}

Result<Version> Archive::Correct(std::string_view id, const invoice::FieldPatch& patch,
                                 const std::string& actor, const std::string& reason,
                                 uint32_t expected_version, const CorrectionHook& in_same_write) {
  if (rep_->options.read_only) {
    return Status::FailedPrecondition("読み取り専用で開いているため訂正できません");
  }
  if (patch.empty()) return Status::InvalidArgument("訂正する項目を1つ以上指定してください");
  if (reason.empty()) return Status::InvalidArgument("訂正の理由を入力してください");
  if (actor.empty()) return Status::InvalidArgument("訂正する人が分かりません");
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  const base::Time now = rep_->clock->Now();
  Version version;
  RETURN_IF_ERROR(rep_->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(Document doc, rep_->catalog->GetDocument(txn, seq));
    if (expected_version != 0 && expected_version != doc.current_version) {
      return Status::Aborted(std::string(id) + " は他の人が先に訂正しています（版 " +
                             std::to_string(expected_version) + " → 現在 " +
                             std::to_string(doc.current_version) +
                             "）。再読み込みしてから訂正してください");
    }
    ASSIGN_OR_RETURN(Version current, rep_->catalog->GetVersion(txn, seq, doc.current_version));
    version = Version{};
    version.number = doc.current_version + 1;
    version.created_at = now;
    version.created_by = base::ToValidUtf8(actor);
    version.reason = base::ToValidUtf8(reason);
    version.fields = current.fields;
    invoice::ApplyPatch(patch, &version.fields);
    version.warnings = current.warnings;
    version.scan = current.scan;
    ASSIGN_OR_RETURN(const signing::Digest row, rep_->catalog->AddVersion(txn, &doc, version));
    RETURN_IF_ERROR(append(json{{"type", ledger::event::kDocumentCorrected},
                                {"id", FormatDocumentId(seq)},
                                {"changes", invoice::PatchToJson(patch)},
                                {"search_row", row.Hex()},
                                {"version", ToJson(version)}})
                        .status());
    if (!in_same_write) return Status::OK();
    ASSIGN_OR_RETURN(const DocumentView corrected, Get(txn, FormatDocumentId(seq)));
    return in_same_write(txn, append, corrected);
  }));
  return version;
}

Result<Tombstone> Archive::Dispose(std::string_view id, const Tombstone& disposal,
                                   const DisposalHook& in_same_write, bool* bytes_removed) {
  if (bytes_removed) *bytes_removed = false;
  if (rep_->options.read_only) {
    return Status::FailedPrecondition("読み取り専用で開いているため廃棄できません");
  }
  if (disposal.reason.empty()) return Status::InvalidArgument("廃棄の理由を入力してください");
  if (disposal.requested_by.empty() || disposal.approved_by.empty()) {
    return Status::InvalidArgument("廃棄の申請者と承認者が必要です");
  }
  if (!in_same_write) return Status::InvalidArgument("廃棄を決めるモジュールの確認がありません");
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  const base::Time now = rep_->clock->Now();
  Tombstone t;
  RETURN_IF_ERROR(rep_->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const DocumentView view, Get(txn, FormatDocumentId(seq)));
    if (view.disposed) {
      return Status::FailedPrecondition(FormatDocumentId(seq) + " は既に廃棄済みです");
    }
    t = disposal;
    t.sha256 = view.document.sha256;
    t.size = view.document.size;
    t.media_type = view.document.media_type;
    t.disposed_at = now;
    t.requested_by = base::ToValidUtf8(disposal.requested_by);
    t.approved_by = base::ToValidUtf8(disposal.approved_by);
    t.reason = base::ToValidUtf8(disposal.reason);
    RETURN_IF_ERROR(rep_->catalog->PutTombstone(txn, seq, t));
    RETURN_IF_ERROR(rep_->catalog->SetUnremoved(txn, seq, t.sha256, true));
    RETURN_IF_ERROR(append(json{{"type", ledger::event::kDocumentDisposed},
                                {"id", FormatDocumentId(seq)},
                                {"sha256", t.sha256},
                                {"tombstone", ToJson(t)}})
                        .status());
    return in_same_write(txn, append, view);
  }));
  // After the commit: the tombstone stands whatever happens to the bytes.
  auto removed = RemoveDisposedOriginals();
  if (bytes_removed) *bytes_removed = removed.ok();
  return t;
}

Result<uint64_t> Archive::RemoveDisposedOriginals() {
  std::vector<std::pair<uint64_t, std::string>> todo;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(todo, rep_->catalog->Unremoved(txn));
    return Status::OK();
  }));
  if (todo.empty()) return uint64_t{0};
  uint64_t removed = 0;
  for (const auto& [seq, sha] : todo) {
    if (!base::IsLowerHex(sha, 64)) continue;
    const std::string path = rep_->blobs->PathFor(sha);
    const Status s = rep_->fs->RemoveFile(path);
    if (!s.ok() && !s.IsNotFound()) {
      return s.WithContext(FormatDocumentId(seq) + " の原本を削除できません");
    }
    removed += s.ok();
    // The removal must be durable before the entry goes: a power cut must
    // not bring back bytes that nothing would remove again.
    RETURN_IF_ERROR(rep_->fs->SyncDir(path.substr(0, path.rfind('/'))));
  }
  // The index is derived: taking the entries out needs no event.
  RETURN_IF_ERROR(rep_->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) -> Status {
    for (const auto& [seq, sha] : todo) {
      RETURN_IF_ERROR(rep_->catalog->SetUnremoved(txn, seq, sha, false));
    }
    return Status::OK();
  }));
  return removed;
}

Result<std::string> Archive::TimestampResponse(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  std::string der;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
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
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    RETURN_IF_ERROR(rep_->catalog->GetDocument(txn, seq).status());
    ASSIGN_OR_RETURN(const TokenRecord t, rep_->tokens->GetToken(txn, seq));
    out = ToJson(t);
    return Status::OK();
  }));
  return out;
}

Result<LogProof> Archive::ProveDocument(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  Document doc;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(doc, rep_->catalog->GetDocument(txn, seq));
    return Status::OK();
  }));
  LogProof p;
  p.id = FormatDocumentId(seq);
  auto proof = rep_->ledger->ProveEvent(doc.received_event);
  if (!proof.ok()) return proof.status().WithContext(p.id);
  p.event_index = proof->index;
  p.event = std::move(proof->event);
  p.leaf_hash = proof->leaf_hash;
  p.proof = std::move(proof->proof);
  p.checkpoint = std::move(proof->checkpoint);
  p.tree_size = proof->tree_size;
  return p;
}

Result<SearchResult> Archive::Search(const SearchQuery& query) const {
  SearchResult result;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(result, Search(txn, query));
    return Status::OK();
  }));
  return result;
}

Result<SearchResult> Archive::Search(const storage::ReadTxn& txn, const SearchQuery& query) const {
  ASSIGN_OR_RETURN(SearchResult result, rep_->catalog->Search(txn, query));
  for (SearchItem& item : result.items) {
    ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(item.id));
    ASSIGN_OR_RETURN(const std::optional<std::string_view> t,
                     rep_->catalog->TombstoneRecord(txn, seq));
    item.disposed = t.has_value();
  }
  return result;
}

const storage::DatedIndex* Archive::pending() const { return rep_->catalog->pending(); }

Status Archive::SetPending(storage::WriteTxn& txn, std::string_view id, bool pending) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  RETURN_IF_ERROR(rep_->catalog->GetDocument(txn, seq).status());  // NotFound if unknown
  return rep_->catalog->SetPending(txn, seq, pending);
}

Status Archive::RebuildPending(
    storage::WriteTxn& txn,
    const std::function<Result<bool>(std::string_view id)>& taken_up) const {
  return rep_->catalog->RebuildPending(txn, taken_up);
}

}  // namespace archive
