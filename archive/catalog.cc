#include "archive/catalog.h"

#include "base/date.h"

#include "base/json.h"
#include "ledger/data_dir.h"
#include "storage/key_codec.h"

namespace archive {

using base::Result;
using base::Status;
using storage::KeyDecoder;
using storage::KeyEncoder;

namespace {

// The day (Japan) a receipt arrived, as the pending index orders it.
int64_t ReceiptDay(const Receipt& r) { return base::Date::InJapan(r.received_at).DaysSinceEpoch(); }
constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kNextSeqKey = "next_seq";

std::string SeqKey(uint64_t seq) { return KeyEncoder().U64(seq).Release(); }
std::string SubKey(uint64_t seq, uint32_t n) { return KeyEncoder().U64(seq).U32(n).Release(); }

template <class T>
Result<T> Decode(std::string_view bytes, Result<T> (*from_json)(const nlohmann::json&)) {
  ASSIGN_OR_RETURN(auto j, base::ParseJson(bytes));
  return from_json(j);
}

// The stored bytes of all rows of a (seq, n) keyed table for one seq, in n
// order; valid while txn is open.
Result<std::vector<std::string_view>> ScanSubRaw(const storage::ReadTxn& txn,
                                                 const storage::Table& table, uint64_t seq) {
  std::vector<std::string_view> out;
  const std::string prefix = SeqKey(seq);
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(table));
  for (bool ok = c.Seek(prefix); ok && c.key().substr(0, prefix.size()) == prefix; ok = c.Next()) {
    out.push_back(c.value());
  }
  RETURN_IF_ERROR(c.status());
  return out;
}

// Decode through the cache: the record at key whose bytes were just read.
template <class T>
Result<T> CachedDecode(storage::DecodedCache<T>& cache, std::string_view key,
                       std::string_view bytes, Result<T> (*from_json)(const nlohmann::json&)) {
  return cache.Get(key, bytes, [from_json](std::string_view b) { return Decode<T>(b, from_json); });
}

// All rows of a (seq, n) keyed table for one seq, in n order.
template <class T>
Result<std::vector<T>> ScanSub(const storage::ReadTxn& txn, const storage::Table& table,
                               uint64_t seq, Result<T> (*from_json)(const nlohmann::json&),
                               storage::DecodedCache<T>& cache) {
  std::vector<T> out;
  const std::string prefix = SeqKey(seq);
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(table));
  for (bool ok = c.Seek(prefix); ok && c.key().substr(0, prefix.size()) == prefix; ok = c.Next()) {
    ASSIGN_OR_RETURN(T row, CachedDecode<T>(cache, c.key(), c.value(), from_json));
    out.push_back(std::move(row));
  }
  RETURN_IF_ERROR(c.status());
  return out;
}
// The conditions of q (all that its count depends on), as a key.
std::string CountKey(const SearchQuery& q) {
  const auto date = [](const std::optional<base::Date>& d) { return d ? d->ToString() : ""; };
  const auto amount = [](const std::optional<base::Decimal>& a) { return a ? a->ToString() : ""; };
  std::string k;
  for (const std::string& part :
       {date(q.date_from), date(q.date_to), amount(q.amount_min), amount(q.amount_max),
        q.counterparty, q.department, q.type, q.format, q.invoice_number, date(q.received_from),
        date(q.received_to), q.text,
        std::string(q.needs_metadata ? (*q.needs_metadata ? "1" : "0") : "-"),
        std::string(q.include_history ? "1" : "0")}) {
    k += part;
    k += '\x1f';
  }
  for (const std::string& r : q.registration_numbers) k += r + ',';
  return k;
}

}  // namespace

Result<Catalog> Catalog::Open(ledger::Ledger* ledger) {
  Catalog c;
  ASSIGN_OR_RETURN(c.documents_, ledger->OpenReplayedTable("documents"));
  ASSIGN_OR_RETURN(c.receipts_, ledger->OpenReplayedTable("receipts"));
  ASSIGN_OR_RETURN(c.versions_, ledger->OpenReplayedTable("versions"));
  ASSIGN_OR_RETURN(c.by_sha256_, ledger->OpenReplayedTable("by_sha256"));
  ASSIGN_OR_RETURN(c.meta_, ledger->OpenReplayedTable("meta"));
  const std::string want = std::to_string(ledger::kDataFormatVersion);
  std::string found;
  RETURN_IF_ERROR(ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    auto v = txn.Get(c.meta_, kFormatKey);
    if (v.ok()) found = std::string(*v);
    return v.ok() || v.status().IsNotFound() ? Status::OK() : v.status();
  }));
  if (found.empty() && !ledger->read_only()) {
    // The format marker needs no event (ledger/ledger.h): like the FORMAT
    // file it says how to read the records, not what happened.
    RETURN_IF_ERROR(ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) {
      return txn.Put(c.meta_, kFormatKey, want);
    }));
  } else if (!found.empty() && found != want) {
    return Status::FailedPrecondition("台帳の形式 " + found + " はこの kura が読める形式 " + want +
                                      " ではありません。対応する版の kura を使ってください");
  }
  auto disposed = ledger->OpenReplayedTable("disposed");
  auto unremoved = ledger->OpenDerivedTable("idx_unremoved");
  if (disposed.ok() && unremoved.ok()) {
    c.disposed_ = std::move(*disposed);
    c.unremoved_ = std::move(*unremoved);
  } else if (!ledger->read_only()) {
    return disposed.ok() ? unremoved.status() : disposed.status();
  }
  auto pending = ledger->OpenDerivedTable("idx_pending");
  if (pending.ok()) {
    c.pending_.emplace(std::move(*pending));
  } else if (!ledger->read_only()) {
    return pending.status();
  }
  auto search = SearchIndex::Open(
      [ledger](const std::string& name) { return ledger->OpenReplayedTable(name); });
  if (search.ok()) {
    c.search_.emplace(std::move(*search));
  } else if (!ledger->read_only()) {
    return search.status();
  }
  return c;
}

Result<uint64_t> Catalog::CountUnindexed(const storage::ReadTxn& txn) const {
  if (!search_) return uint64_t{0};
  ASSIGN_OR_RETURN(const uint64_t rows, search_->RowCount(txn));
  ASSIGN_OR_RETURN(const uint64_t docs, DocumentCount(txn));
  return rows == 0 ? docs : 0;
}

Status Catalog::IndexDocuments(storage::WriteTxn& txn, uint64_t from, size_t limit, uint64_t* next,
                               size_t* indexed) const {
  *indexed = 0;
  *next = 0;
  if (from == 1) RETURN_IF_ERROR(search_->Clear(txn));
  return ScanDocuments(txn, from, [&](const Document& doc, bool* more) -> Status {
    if (*indexed == limit) {
      *more = false;
      *next = doc.seq;
      return Status::OK();
    }
    ASSIGN_OR_RETURN(std::vector<Receipt> receipts, GetReceipts(txn, doc.seq));
    ASSIGN_OR_RETURN(std::vector<Version> versions, GetVersions(txn, doc.seq));
    if (receipts.empty() || versions.empty()) {
      return Status::Corruption(FormatDocumentId(doc.seq) +
                                " に受領記録または版の記録がありません");
    }
    for (size_t i = 0; i < versions.size(); ++i) {
      const SearchRow row = SearchRowFor(doc, receipts[0], versions[i]);
      if (i == 0) {
        RETURN_IF_ERROR(search_->Put(txn, row, nullptr));
      } else {
        const SearchRow prev = SearchRowFor(doc, receipts[0], versions[i - 1]);
        RETURN_IF_ERROR(search_->Put(txn, row, &prev));
      }
    }
    ++*indexed;
    return Status::OK();
  });
}

Result<SearchResult> Catalog::Search(const storage::ReadTxn& txn, const SearchQuery& query) const {
  if (!search_) {
    return Status::FailedPrecondition(
        "検索の索引がまだありません。kura を一度書き込みで開く（kura serve など）と作られます");
  }
  // The count of a query depends only on its conditions and the snapshot:
  // remembered, a page after the first (or another reader of the same
  // list) streams its page and stops instead of counting every match again.
  // A filter of a module above is a function, not a key: never remembered.
  const std::string key = query.filter ? std::string() : CountKey(query);
  std::optional<uint64_t> counted;
  if (query.count && !key.empty()) counted = caches_->search_counts.Find(txn.snapshot_id(), key);
  if (!counted) {
    ASSIGN_OR_RETURN(SearchResult result, search_->Search(txn, query));
    if (query.count && !key.empty()) {
      caches_->search_counts.Store(txn.snapshot_id(), key, result.count);
    }
    return result;
  }
  SearchQuery page_only = query;
  page_only.count = false;
  ASSIGN_OR_RETURN(SearchResult result, search_->Search(txn, page_only));
  result.count = *counted;
  return result;
}

Result<uint64_t> Catalog::AllocateSeq(storage::WriteTxn& txn) const {
  uint64_t next = 1;
  auto v = txn.Get(meta_, kNextSeqKey);
  if (v.ok()) {
    KeyDecoder d(*v);
    if (!d.U64(&next)) {
      return Status::Corruption("台帳: 次の文書番号（next_seq）の記録が壊れています");
    }
  } else if (!v.status().IsNotFound()) {
    return v.status();
  }
  RETURN_IF_ERROR(txn.Put(meta_, kNextSeqKey, KeyEncoder().U64(next + 1).key()));
  return next;
}

Result<std::optional<uint64_t>> Catalog::FindBySha256(const storage::ReadTxn& txn,
                                                      std::string_view hex) const {
  auto v = txn.Get(by_sha256_, hex);
  if (!v.ok()) {
    if (v.status().IsNotFound()) return std::optional<uint64_t>();
    return v.status();
  }
  uint64_t seq;
  KeyDecoder d(*v);
  if (!d.U64(&seq)) {
    return Status::Corruption("台帳: SHA-256 索引（by_sha256）の項目が壊れています");
  }
  return std::optional<uint64_t>(seq);
}

Result<Document> Catalog::GetDocument(const storage::ReadTxn& txn, uint64_t seq) const {
  auto v = txn.Get(documents_, SeqKey(seq));
  if (!v.ok()) {
    if (v.status().IsNotFound()) {
      return Status::NotFound("文書 " + FormatDocumentId(seq) + " はありません");
    }
    return v.status();
  }
  return CachedDecode<Document>(caches_->documents, SeqKey(seq), *v, &DocumentFromJson);
}

Result<std::vector<Receipt>> Catalog::GetReceipts(const storage::ReadTxn& txn, uint64_t seq) const {
  return ScanSub<Receipt>(txn, receipts_, seq, &ReceiptFromJson, caches_->receipts);
}

Result<std::vector<Version>> Catalog::GetVersions(const storage::ReadTxn& txn, uint64_t seq) const {
  return ScanSub<Version>(txn, versions_, seq, &VersionFromJson, caches_->versions);
}

Result<std::vector<std::string_view>> Catalog::ReceiptRecords(const storage::ReadTxn& txn,
                                                              uint64_t seq) const {
  return ScanSubRaw(txn, receipts_, seq);
}

Result<std::vector<std::string_view>> Catalog::VersionRecords(const storage::ReadTxn& txn,
                                                              uint64_t seq) const {
  return ScanSubRaw(txn, versions_, seq);
}

Result<Version> Catalog::GetVersion(const storage::ReadTxn& txn, uint64_t seq,
                                    uint32_t number) const {
  auto v = txn.Get(versions_, SubKey(seq, number));
  if (!v.ok()) {
    if (v.status().IsNotFound()) {
      return Status::NotFound("文書 " + FormatDocumentId(seq) + " に版 " + std::to_string(number) +
                              " はありません");
    }
    return v.status();
  }
  return CachedDecode<Version>(caches_->versions, SubKey(seq, number), *v, &VersionFromJson);
}

Status Catalog::PutDocument(storage::WriteTxn& txn, const Document& doc) const {
  return txn.Put(documents_, SeqKey(doc.seq), base::DumpJson(ToJson(doc)));
}

Result<signing::Digest> Catalog::InsertDocument(storage::WriteTxn& txn, const Document& doc,
                                                const Receipt& receipt,
                                                const Version& version) const {
  RETURN_IF_ERROR(txn.Insert(documents_, SeqKey(doc.seq), base::DumpJson(ToJson(doc))));
  RETURN_IF_ERROR(txn.Insert(by_sha256_, doc.sha256, SeqKey(doc.seq)));
  RETURN_IF_ERROR(
      txn.Insert(receipts_, SubKey(doc.seq, receipt.number), base::DumpJson(ToJson(receipt))));
  RETURN_IF_ERROR(
      txn.Insert(versions_, SubKey(doc.seq, version.number), base::DumpJson(ToJson(version))));
  if (!search_) return Status::FailedPrecondition("台帳: 検索の索引が開かれていません");
  const SearchRow row = SearchRowFor(doc, receipt, version);
  RETURN_IF_ERROR(search_->Put(txn, row, nullptr));
  if (pending_) {
    RETURN_IF_ERROR(pending_->Insert(txn, "", receipt.department, ReceiptDay(receipt),
                                     FormatDocumentId(doc.seq)));
    if (AwaitsKeys(version.fields)) {
      RETURN_IF_ERROR(pending_->Insert(txn, kAwaitingKeysGroup, receipt.department,
                                       ReceiptDay(receipt), FormatDocumentId(doc.seq)));
    }
  }
  return SearchRowDigest(row);
}

Status Catalog::SetPending(storage::WriteTxn& txn, uint64_t seq, bool pending) const {
  if (!pending_) return Status::FailedPrecondition("未処理一覧の索引が開かれていません");
  ASSIGN_OR_RETURN(const std::vector<Receipt> receipts, GetReceipts(txn, seq));
  if (receipts.empty()) return Status::Corruption("受領記録がありません: " + FormatDocumentId(seq));
  const Receipt& first = receipts.front();
  const std::string id = FormatDocumentId(seq);
  return pending ? pending_->Insert(txn, "", first.department, ReceiptDay(first), id)
                 : pending_->Erase(txn, "", first.department, ReceiptDay(first), id);
}

Status Catalog::RebuildPending(
    storage::WriteTxn& txn,
    const std::function<Result<bool>(std::string_view id)>& taken_up) const {
  if (!pending_) return Status::FailedPrecondition("未処理一覧の索引が開かれていません");
  RETURN_IF_ERROR(pending_->Clear(txn));
  std::vector<uint64_t> waiting, awaiting_keys;
  RETURN_IF_ERROR(ScanDocuments(txn, 1, [&](const Document& doc, bool*) -> Status {
    ASSIGN_OR_RETURN(const bool done, taken_up(FormatDocumentId(doc.seq)));
    if (!done) waiting.push_back(doc.seq);
    ASSIGN_OR_RETURN(const Version current, GetVersion(txn, doc.seq, doc.current_version));
    if (AwaitsKeys(current.fields)) awaiting_keys.push_back(doc.seq);
    return Status::OK();
  }));
  for (uint64_t seq : waiting) RETURN_IF_ERROR(SetPending(txn, seq, true));
  for (uint64_t seq : awaiting_keys) {
    ASSIGN_OR_RETURN(const std::vector<Receipt> receipts, GetReceipts(txn, seq));
    if (receipts.empty()) {
      return Status::Corruption("受領記録がありません: " + FormatDocumentId(seq));
    }
    RETURN_IF_ERROR(pending_->Insert(txn, kAwaitingKeysGroup, receipts.front().department,
                                     ReceiptDay(receipts.front()), FormatDocumentId(seq)));
  }
  return Status::OK();
}

Status Catalog::AddReceipt(storage::WriteTxn& txn, Document* doc, const Receipt& receipt) const {
  RETURN_IF_ERROR(
      txn.Insert(receipts_, SubKey(doc->seq, receipt.number), base::DumpJson(ToJson(receipt))));
  doc->receipt_count = receipt.number;
  return PutDocument(txn, *doc);
}

Result<signing::Digest> Catalog::AddVersion(storage::WriteTxn& txn, Document* doc,
                                            const Version& version) const {
  if (version.number != doc->current_version + 1) {
    return Status::Aborted("版 " + std::to_string(version.number) + " は現在の版 " +
                           std::to_string(doc->current_version) +
                           " の次ではありません。他の訂正と競合しました。読み込み直してください");
  }
  if (!search_) return Status::FailedPrecondition("台帳: 検索の索引が開かれていません");
  // The search index replaces the current row and keeps the old one as
  // history; both need the first receipt (receive date, department).
  auto first = txn.Get(receipts_, SubKey(doc->seq, 1));
  if (!first.ok()) return first.status();
  ASSIGN_OR_RETURN(const Receipt receipt, Decode<Receipt>(*first, &ReceiptFromJson));
  ASSIGN_OR_RETURN(const Version previous, GetVersion(txn, doc->seq, doc->current_version));
  RETURN_IF_ERROR(
      txn.Insert(versions_, SubKey(doc->seq, version.number), base::DumpJson(ToJson(version))));
  doc->current_version = version.number;
  RETURN_IF_ERROR(PutDocument(txn, *doc));
  const SearchRow old_row = SearchRowFor(*doc, receipt, previous);
  const SearchRow row = SearchRowFor(*doc, receipt, version);
  RETURN_IF_ERROR(search_->Put(txn, row, &old_row));
  if (pending_ && AwaitsKeys(previous.fields) != AwaitsKeys(version.fields)) {
    const std::string id = FormatDocumentId(doc->seq);
    RETURN_IF_ERROR(
        AwaitsKeys(version.fields)
            ? pending_->Insert(txn, kAwaitingKeysGroup, receipt.department, ReceiptDay(receipt), id)
            : pending_->Erase(txn, kAwaitingKeysGroup, receipt.department, ReceiptDay(receipt),
                              id));
  }
  return SearchRowDigest(row);
}

Status Catalog::ScanDocuments(const storage::ReadTxn& txn, uint64_t from,
                              const std::function<Status(const Document&, bool*)>& fn) const {
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(documents_));
  bool more = true;
  for (bool ok = c.Seek(SeqKey(from)); ok && more; ok = c.Next()) {
    ASSIGN_OR_RETURN(Document doc, Decode<Document>(c.value(), &DocumentFromJson));
    // The key is the truth; a record claiming another seq is corrupt.
    uint64_t key_seq = 0;
    storage::KeyDecoder d(c.key());
    if (!d.U64(&key_seq) || !d.done()) {
      return Status::Corruption("台帳: 文書の記録のキーが壊れています");
    }
    if (doc.seq != key_seq) {
      return Status::Corruption("台帳: " + FormatDocumentId(key_seq) + " の記録が別の文書 " +
                                FormatDocumentId(doc.seq) + " を名乗っています");
    }
    RETURN_IF_ERROR(fn(doc, &more));
  }
  return c.status();
}

Result<uint64_t> Catalog::DocumentCount(const storage::ReadTxn& txn) const {
  return txn.Count(documents_);
}

Result<std::optional<std::string_view>> Catalog::TombstoneRecord(const storage::ReadTxn& txn,
                                                                uint64_t seq) const {
  if (!disposed_) return std::optional<std::string_view>();
  auto v = txn.Get(*disposed_, SeqKey(seq));
  if (!v.ok()) {
    if (v.status().IsNotFound()) return std::optional<std::string_view>();
    return v.status();
  }
  return std::optional<std::string_view>(*v);
}

Result<std::optional<Tombstone>> Catalog::GetTombstone(const storage::ReadTxn& txn,
                                                       uint64_t seq) const {
  ASSIGN_OR_RETURN(const std::optional<std::string_view> raw, TombstoneRecord(txn, seq));
  if (!raw) return std::optional<Tombstone>();
  ASSIGN_OR_RETURN(Tombstone t, Decode<Tombstone>(*raw, &TombstoneFromJson));
  return std::optional<Tombstone>(std::move(t));
}

Status Catalog::PutTombstone(storage::WriteTxn& txn, uint64_t seq, const Tombstone& t) const {
  if (!disposed_) return Status::FailedPrecondition("読み取り専用で開いているため廃棄できません");
  return txn.Put(*disposed_, SeqKey(seq), base::DumpJson(ToJson(t)));
}

Result<std::vector<std::pair<uint64_t, std::string>>> Catalog::Unremoved(
    const storage::ReadTxn& txn) const {
  std::vector<std::pair<uint64_t, std::string>> out;
  if (!unremoved_) return out;
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(*unremoved_));
  for (bool ok = c.First(); ok; ok = c.Next()) {
    uint64_t seq = 0;
    KeyDecoder key(c.key());
    if (!key.U64(&seq)) return Status::Corruption("idx_unremoved の鍵が壊れています");
    out.emplace_back(seq, std::string(c.value()));
  }
  RETURN_IF_ERROR(c.status());
  return out;
}

Status Catalog::SetUnremoved(storage::WriteTxn& txn, uint64_t seq, const std::string& sha256,
                             bool unremoved) const {
  if (!unremoved_) return Status::FailedPrecondition("読み取り専用で開いているため廃棄できません");
  if (unremoved) return txn.Put(*unremoved_, SeqKey(seq), sha256);
  const Status s = txn.Delete(*unremoved_, SeqKey(seq));
  return s.IsNotFound() ? Status::OK() : s;
}

Result<uint64_t> Catalog::TombstoneCount(const storage::ReadTxn& txn) const {
  if (!disposed_) return uint64_t{0};
  return txn.Count(*disposed_);
}

Status Catalog::ScanTombstones(
    const storage::ReadTxn& txn,
    const std::function<Status(uint64_t seq, const Tombstone&)>& fn) const {
  if (!disposed_) return Status::OK();
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(*disposed_));
  for (bool ok = c.First(); ok; ok = c.Next()) {
    uint64_t seq = 0;
    KeyDecoder key(c.key());
    if (!key.U64(&seq)) return Status::Corruption("disposed の鍵が壊れています");
    ASSIGN_OR_RETURN(const Tombstone t, Decode<Tombstone>(c.value(), &TombstoneFromJson));
    RETURN_IF_ERROR(fn(seq, t));
  }
  return c.status();
}

Result<uint64_t> Catalog::Sha256IndexCount(const storage::ReadTxn& txn) const {
  return txn.Count(by_sha256_);
}

}  // namespace archive
