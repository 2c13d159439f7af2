// Archive::Verify: the ledger's checks (Ledger::VerifyLog: checkpoints,
// the rebuilt tree, canonical events, the modules' tables against their
// write sets), with the archive replaying its "document.*" events alongside,
// and then the archive's own:
//
//  1. Replay: the catalog (documents, receipts, versions, by_sha256, tokens,
//     pending time-stamps) and the search index must be exactly what the
//     events say, no more and no less.
//  2. Documents (in the period): the object re-hashes to the recorded
//     SHA-256, and the document's time-stamp verifies over it. A disposed
//     document (a "document.disposed" event and its tombstone in the
//     catalog) has no object to re-hash: it counts as disposed, not
//     missing. Its bytes may still be on disk if a crash came between the
//     disposal's commit and their removal: tolerated (the next writer's
//     Open removes them), never reported as a failure.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "archive/internal/archive_rep.h"
#include "archive/internal/event_fields.h"
#include "base/hex.h"
#include "base/json.h"
#include "base/parallel.h"
#include "base/text.h"
#include "ledger/event_types.h"
#include "signing/merkle.h"
#include "signing/tsa_verify.h"
#include "storage/key_codec.h"

namespace archive {

using base::Result;
using base::Status;
using signing::Digest;

namespace {

// Text read from the log (an event's type), fit to put in a failure's
// detail: a tampered log may hold control characters.
std::string Shown(std::string_view raw) { return base::DisplayName(raw, 64); }

// What the log says a document should look like.
struct Expected {
  std::string sha256;
  uint64_t size = 0;
  std::string media_type;
  uint64_t received_event = 0;
  base::Date first_received{1970, 1, 1};
  std::vector<Digest> receipts;  // hashes of canonical receipt JSON
  std::vector<Digest> versions;  // hashes of canonical version JSON
  // Per version: SearchRowDigest of the search-index row it implies
  // (nullopt if the event does not say enough to derive it).
  std::vector<std::optional<Digest>> rows;
  // The first receipt's part of every row.
  base::Time received_at;
  std::string department, file_name;
  std::string tsr;  // empty while pending
  // "document.disposed": the hash of its tombstone's canonical JSON.
  std::optional<Digest> tombstone;
};

// Replays the archive's events alongside the ledger (ledger/verify.h):
// what the log says each document should look like.
class DocumentReplayer final : public ledger::EventReplayer {
 public:
  explicit DocumentReplayer(VerifyReport* report) : report_(report) {}

  void Reserve(size_t n) override { decoded_.resize(n); }

  ledger::EventHeader Decode(size_t slot, std::string_view bytes) override {
    decoded_[slot] = DecodeOne(bytes);
    const EventFields& f = decoded_[slot].f;
    ledger::EventHeader h;
    h.object = f.object;
    h.canonical = f.canonical;
    h.type = f.type;
    h.writes = f.writes;
    return h;
  }

  void Apply(uint64_t index, size_t slot) override {
    const Decoded& d = decoded_[slot];
    const std::string type = d.f.type.value_or("");
    // Events of the modules above the archive (workflow., ...) describe
    // their own tables; the ledger checks those.
    if (type.rfind(ledger::event::kDocumentPrefix, 0) != 0) return;
    const std::string where = "イベント " + std::to_string(index);
    if (type == ledger::event::kDocumentTimestampRetry || type == ledger::event::kDocumentIndexBackfilled) return;
    auto seq_or = d.f.id ? ParseDocumentId(*d.f.id) : Result<uint64_t>(Status::NotFound(""));
    const uint64_t seq = seq_or.ok() ? *seq_or : 0;
    if (seq == 0) {
      Fail("log", "record_mismatch", where + "（" + Shown(type) + "）が文書を指していません");
    } else if (type == ledger::event::kDocumentReceived) {
      ApplyReceived(index, where, seq, d);
    } else {
      ApplyToExisting(where, type, seq, d);
    }
  }

  const std::map<uint64_t, Expected>& expected() const { return expected_; }

 private:
  // What an event says, computed without the replay's state (so events can
  // be decoded in parallel): its leaf hash and its fields
  // (archive/internal/event_fields.h), including whether it is canonical and
  // the hashes of its receipt and version.
  struct Decoded {
    Digest leaf;
    EventFields f;
    std::optional<Digest> row;  // a receipt's search row (ImpliedSearchRow)
    // document.disposed: the tombstone's hash, and whether it had one.
    std::optional<Digest> tombstone;
  };

  static Decoded DecodeOne(std::string_view bytes) {
    Decoded d{signing::HashLeaf(bytes), DecodeEvent(bytes), std::nullopt, std::nullopt};
    const EventFields& f = d.f;
    if (f.type == ledger::event::kDocumentDisposed) {
      // Rare: a plain parse is cheap enough here.
      auto j = base::ParseJson(bytes);
      if (j.ok() && j->is_object() && j->contains("tombstone") && (*j)["tombstone"].is_object()) {
        d.tombstone = signing::Sha256(base::DumpJson((*j)["tombstone"]));
      }
    }
    if (f.type == ledger::event::kDocumentReceived && f.id && f.received_at) {
      auto seq = ParseDocumentId(*f.id);
      auto t = base::ParseRfc3339(*f.received_at);
      if (seq.ok() && t.ok()) {
        d.row = ImpliedSearchRow(*seq, *t, f.department.value_or(""), f.file_name.value_or(""), f);
      }
    }
    return d;
  }

  void Fail(std::string id, std::string reason, std::string detail) {
    report_->failed.push_back({std::move(id), std::move(reason), std::move(detail)});
  }

  // A member the event's type needs is missing or of the wrong type.
  void Malformed(const std::string& where, const std::string& type, const char* what) {
    Fail("log", "record_mismatch",
         where + "（" + Shown(type) + "）の形式が正しくありません: " + what);
  }

  void ApplyReceived(uint64_t index, const std::string& where, uint64_t seq, const Decoded& d) {
    const EventFields& e = d.f;
    const std::string type(ledger::event::kDocumentReceived);
    if (expected_.count(seq)) {
      Fail(FormatDocumentId(seq), "record_mismatch",
           where + " が同じ文書をもう一度受領したと記録しています");
      return;
    }
    if (!e.sha256) return Malformed(where, type, "文字列の \"sha256\" がありません");
    if (!base::IsLowerHex(*e.sha256, 64)) {
      Fail(FormatDocumentId(seq), "record_mismatch", where + " に正しい sha256 がありません");
      return;
    }
    if (!e.size) return Malformed(where, type, "0 以上の整数の \"size\" がありません");
    if (!e.media_type) return Malformed(where, type, "文字列の \"media_type\" がありません");
    if (!e.received_at) {
      return Malformed(where, type, "文字列の \"receipt\".\"received_at\" がありません");
    }
    if (!e.version) return Malformed(where, type, "\"version\" がありません");
    if (e.timestamp == EventFields::Timestamp::kAbsent) {
      return Malformed(where, type, "\"timestamp\" がありません");
    }
    if (e.timestamp == EventFields::Timestamp::kObject && !e.tsr) {
      return Malformed(where, type, "文字列の \"timestamp\".\"tsr\" がありません");
    }
    Expected x;
    x.sha256 = *e.sha256;
    x.size = *e.size;
    x.media_type = *e.media_type;
    x.received_event = index;
    auto t = base::ParseRfc3339(*e.received_at);
    if (t.ok()) {
      x.first_received = base::Date::InJapan(*t);
      x.received_at = *t;
    }
    x.department = e.department.value_or("");
    x.file_name = e.file_name.value_or("");
    x.receipts.push_back(*e.receipt);
    x.versions.push_back(*e.version);
    x.rows.push_back(d.row);
    if (e.timestamp == EventFields::Timestamp::kObject) x.tsr = *e.tsr;
    expected_[seq] = std::move(x);
  }

  void ApplyToExisting(const std::string& where, const std::string& type, uint64_t seq,
                       const Decoded& d) {
    const EventFields& e = d.f;
    auto it = expected_.find(seq);
    if (it == expected_.end()) {
      Fail(FormatDocumentId(seq), "record_mismatch",
           where + "（" + Shown(type) + "）が文書の受領より前にあります");
      return;
    }
    Expected& x = it->second;
    if (type == ledger::event::kDocumentReceivedAgain) {
      if (!e.sha256) return Malformed(where, type, "文字列の \"sha256\" がありません");
      if (!e.receipt) return Malformed(where, type, "\"receipt\" がありません");
      if (*e.sha256 != x.sha256) {
        Fail(FormatDocumentId(seq), "record_mismatch",
             where + " がこの文書に別の内容のファイルの受領を記録しています");
      }
      x.receipts.push_back(*e.receipt);
    } else if (type == ledger::event::kDocumentCorrected) {
      if (!e.version) return Malformed(where, type, "\"version\" がありません");
      x.versions.push_back(*e.version);
      x.rows.push_back(ImpliedSearchRow(seq, x.received_at, x.department, x.file_name, e));
    } else if (type == ledger::event::kDocumentTimestamped) {
      if (!e.tsr) return Malformed(where, type, "文字列の \"timestamp\".\"tsr\" がありません");
      x.tsr = *e.tsr;
    } else if (type == ledger::event::kDocumentDisposed) {
      if (!d.tombstone) return Malformed(where, type, "オブジェクトの \"tombstone\" がありません");
      if (x.tombstone) {
        Fail(FormatDocumentId(seq), "record_mismatch", where + " が廃棄済みの文書をもう一度廃棄しています");
      } else if (!e.sha256 || *e.sha256 != x.sha256) {
        Fail(FormatDocumentId(seq), "record_mismatch",
             where + " が受領したものと別の内容のファイルの廃棄を記録しています");
      }
      x.tombstone = d.tombstone;
    } else {
      Fail("log", "record_mismatch", where + " の種類 \"" + Shown(type) + "\" を知りません");
    }
  }

  VerifyReport* report_;
  std::vector<Decoded> decoded_;  // the window being replayed
  std::map<uint64_t, Expected> expected_;
};

class Verifier {
 public:
  Verifier(const Archive::Rep& rep, const VerifyOptions& options, VerifyReport* report)
      : rep_(rep), options_(options), report_(report), replayer_(report) {}

  Status Run(const std::function<void(uint64_t, uint64_t)>& progress) {
    RETURN_IF_ERROR(rep_.ledger->VerifyLog(&replayer_, report_, options_.on_stage));
    // One verifier for every token: it parses the trusted certificates once
    // and checks each distinct TSA certificate's chain once.
    ASSIGN_OR_RETURN(signing::TimestampVerifier tsa,
                     signing::TimestampVerifier::Create(rep_.ledger->TrustedTsaPem()));
    tsa_.emplace(std::move(tsa));
    if (options_.on_stage) options_.on_stage("catalog");
    RETURN_IF_ERROR(CompareCatalog());
    if (options_.on_stage) options_.on_stage("documents");
    return CheckDocuments(progress);
  }

 private:
  void Fail(std::string id, std::string reason, std::string detail) {
    std::lock_guard<std::mutex> l(mu_);
    report_->failed.push_back({std::move(id), std::move(reason), std::move(detail)});
  }

  // Every catalog record must be one the log explains, and vice versa.
  Status CompareCatalog() {
    std::set<uint64_t> found;
    uint64_t from = 1;
    for (;;) {
      std::vector<Document> chunk;
      RETURN_IF_ERROR(rep_.ledger->Read([&](const storage::ReadTxn& txn) -> Status {
        return rep_.catalog->ScanDocuments(txn, from, [&](const Document& d, bool* more) {
          chunk.push_back(d);
          *more = chunk.size() < 1024;
          return Status::OK();
        });
      }));
      if (chunk.empty()) break;
      // The documents are independent: compare them on all cores, each
      // slice of the chunk in its own read transaction.
      constexpr size_t kSlice = 64;
      std::mutex error_mu;
      Status error;  // of the first failing slice, as a sequential scan would stop
      size_t error_slice = SIZE_MAX;
      base::ParallelFor((chunk.size() + kSlice - 1) / kSlice, [&](size_t slice) {
        const Status s = rep_.ledger->Read([&](const storage::ReadTxn& txn) -> Status {
          const size_t end = std::min(chunk.size(), (slice + 1) * kSlice);
          for (size_t i = slice * kSlice; i < end; ++i) {
            RETURN_IF_ERROR(CompareDocument(txn, chunk[i]));
          }
          return Status::OK();
        });
        if (s.ok()) return;
        std::lock_guard<std::mutex> l(error_mu);
        if (slice < error_slice) {
          error = s;
          error_slice = slice;
        }
      });
      RETURN_IF_ERROR(error);
      for (const Document& d : chunk) found.insert(d.seq);
      from = chunk.back().seq + 1;
    }
    for (const auto& [seq, x] : expected_) {
      if (!found.count(seq)) {
        Fail(FormatDocumentId(seq), "missing_record",
             "ログには受領が記録されています（イベント " + std::to_string(x.received_event) +
                 "）が、台帳に記録がありません");
      }
    }
    // No more than the log explains: each index holds exactly one row per
    // document (or per stamped document).
    uint64_t with_token = 0;
    for (const auto& [seq, x] : expected_) with_token += !x.tsr.empty();
    return rep_.ledger->Read([&](const storage::ReadTxn& txn) -> Status {
      ASSIGN_OR_RETURN(const uint64_t shas, rep_.catalog->Sha256IndexCount(txn));
      if (shas != expected_.size()) {
        Fail("catalog", "unexplained_record",
             "by_sha256 の項目が " + std::to_string(shas) + " 件あります（文書は " +
                 std::to_string(expected_.size()) + " 件）");
      }
      uint64_t disposed = 0;
      for (const auto& [seq, x] : expected_) disposed += x.tombstone.has_value();
      ASSIGN_OR_RETURN(const uint64_t tombstones, rep_.catalog->TombstoneCount(txn));
      if (tombstones != disposed) {
        Fail("catalog", "unexplained_record",
             "disposed の記録が " + std::to_string(tombstones) + " 件あります（廃棄した文書は " +
                 std::to_string(disposed) + " 件）");
      }
      ASSIGN_OR_RETURN(const uint64_t tokens, rep_.tokens->TokenCount(txn));
      if (tokens != with_token) {
        Fail("catalog", "unexplained_record",
             "tokens の記録が " + std::to_string(tokens) +
                 " 件あります（タイムスタンプのある文書は " + std::to_string(with_token) + " 件）");
      }
      // Every document without a token waits in tsa_pending, and no other.
      // (The retry schedule itself is recorded by document.timestamp_retry
      // events and not checked: it only says when to ask again.)
      ASSIGN_OR_RETURN(const uint64_t pending, rep_.tokens->PendingCount(txn));
      if (pending != expected_.size() - with_token) {
        Fail("catalog", "unexplained_record",
             "tsa_pending の記録が " + std::to_string(pending) +
                 " 件あります（タイムスタンプのない文書は " +
                 std::to_string(expected_.size() - with_token) + " 件）");
      }
      // No more index entries than the versions checked above.
      if (const SearchIndex* index = rep_.catalog->search_index()) {
        ASSIGN_OR_RETURN(const std::vector<std::string> wrong,
                         index->CheckCounts(txn, index_rows_, index_current_days_));
        for (const std::string& w : wrong) Fail("search_index", "index_mismatch", w);
      }
      return Status::OK();
    });
  }

  Status CompareDocument(const storage::ReadTxn& txn, const Document& d) {
    const std::string id = FormatDocumentId(d.seq);
    auto it = expected_.find(d.seq);
    if (it == expected_.end()) {
      Fail(id, "unexplained_record",
           "台帳にこの文書がありますが、受領したイベントがログにありません");
      return Status::OK();
    }
    const Expected& x = it->second;
    std::string diff;
    if (d.sha256 != x.sha256) diff += " sha256";
    if (d.size != x.size) diff += " size";
    if (d.media_type != x.media_type) diff += " media_type";
    if (d.received_event != x.received_event) diff += " received_event";
    if (d.receipt_count != x.receipts.size()) diff += " receipt_count";
    if (d.current_version != x.versions.size()) diff += " current_version";
    // The stored receipt and version records must be, byte for byte, the
    // canonical JSON the events carry (both are written by one serializer),
    // so their hashes are compared without decoding them.
    ASSIGN_OR_RETURN(const auto receipts, rep_.catalog->ReceiptRecords(txn, d.seq));
    ASSIGN_OR_RETURN(const auto versions, rep_.catalog->VersionRecords(txn, d.seq));
    if (receipts.size() != x.receipts.size()) {
      diff += " receipts";
    } else {
      for (size_t i = 0; i < receipts.size(); ++i) {
        if (signing::Sha256(receipts[i]) != x.receipts[i])
          diff += " receipt#" + std::to_string(i + 1);
      }
    }
    if (versions.size() != x.versions.size()) {
      diff += " versions";
    } else {
      for (size_t i = 0; i < versions.size(); ++i) {
        if (signing::Sha256(versions[i]) != x.versions[i])
          diff += " version#" + std::to_string(i + 1);
      }
    }
    auto by_sha = rep_.catalog->FindBySha256(txn, x.sha256);
    if (!by_sha.ok() || !*by_sha || **by_sha != d.seq) diff += " by_sha256";
    ASSIGN_OR_RETURN(const std::optional<std::string_view> tombstone,
                     rep_.catalog->TombstoneRecord(txn, d.seq));
    if (tombstone ? !x.tombstone || signing::Sha256(*tombstone) != *x.tombstone
                  : x.tombstone.has_value()) {
      diff += " disposed";
    }
    auto token = rep_.tokens->GetToken(txn, d.seq);
    if (token.ok() ? token->tsr_sha256 != x.tsr : !x.tsr.empty()) diff += " timestamp";
    if (!diff.empty()) {
      Fail(id, "record_mismatch", "台帳の記録がログの記録と違います。違う項目:" + diff);
    }
    return CheckSearchIndex(txn, d.seq, x);
  }

  // The search index must hold every version of the document exactly as
  // Put writes it, so that no document can be hidden from (or planted in)
  // an auditor's search by editing the index alone. The digest of the row
  // each version implies came from its event during the replay
  // (ImpliedSearchRow); here the stored row must hash to it and its entries
  // must match it.
  Status CheckSearchIndex(const storage::ReadTxn& txn, uint64_t seq, const Expected& x) {
    const SearchIndex* index = rep_.catalog->search_index();
    if (index == nullptr) return Status::OK();
    const std::string id = FormatDocumentId(seq);
    std::map<int32_t, uint64_t> current_days;
    for (size_t i = 0; i < x.rows.size(); ++i) {
      const uint32_t number = static_cast<uint32_t>(i + 1);
      if (!x.rows[i]) {
        Fail(id, "record_mismatch",
             "ログの版 " + std::to_string(number) +
                 " に正しい search_row ダイジェストまたは版番号がありません");
        continue;
      }
      const bool current = number == x.rows.size();
      int32_t day = 0;
      ASSIGN_OR_RETURN(const std::vector<std::string> differ,
                       index->CheckStoredRow(txn, seq, number, *x.rows[i], current, &day));
      if (current) ++current_days[day];
      if (!differ.empty()) {
        std::string tables;
        for (const std::string& t : differ) tables += " " + t;
        Fail(id, "index_mismatch",
             "検索の索引に版 " + std::to_string(number) +
                 " の項目がないか、記録と違います。該当する表:" + tables);
      }
    }
    std::lock_guard<std::mutex> l(mu_);
    index_rows_ += x.rows.size();
    for (const auto& [day, n] : current_days) index_current_days_[day] += n;
    return Status::OK();
  }

  bool InPeriod(const Expected& x) const {
    return (!options_.from || x.first_received >= *options_.from) &&
           (!options_.to || x.first_received <= *options_.to);
  }

  // Re-hashes objects and checks tokens on all cores: this is where
  // verification spends its time.
  Status CheckDocuments(const std::function<void(uint64_t, uint64_t)>& progress) {
    std::vector<std::pair<uint64_t, const Expected*>> todo;
    for (const auto& [seq, x] : expected_) {
      if (InPeriod(x)) todo.emplace_back(seq, &x);
    }
    const signing::TimestampVerifier& tsa = *tsa_;
    std::atomic<uint64_t> done{0}, ok{0}, bytes{0}, tokens{0};
    base::ParallelFor(todo.size(), [&](size_t i) {
      const auto [seq, x] = todo[i];
      const std::string id = FormatDocumentId(seq);
      // A disposed document's bytes are gone by design (its tombstone was
      // checked against the log above); its token still covers the digest.
      bool good = x->tombstone ? true : CheckObject(id, *x, &bytes);
      good = CheckToken(seq, id, *x, tsa, &tokens) && good;
      if (good) ok.fetch_add(1);
      const uint64_t n = done.fetch_add(1) + 1;
      if (progress && n % 1000 == 0) {
        std::lock_guard<std::mutex> l(mu_);
        progress(n, todo.size());
      }
    });
    report_->documents = todo.size();
    report_->ok = ok.load();
    report_->bytes = bytes.load();
    report_->tokens_checked = tokens.load();
    // Parallel checks finish in any order; report failures by document.
    std::stable_sort(report_->failed.begin(), report_->failed.end(),
                     [](const VerifyFailure& a, const VerifyFailure& b) { return a.id < b.id; });
    if (progress) progress(todo.size(), todo.size());
    return Status::OK();
  }

  bool CheckObject(const std::string& id, const Expected& x, std::atomic<uint64_t>* bytes) {
    auto file = rep_.blobs->Open(x.sha256);
    if (!file.ok()) {
      const bool missing = file.status().IsNotFound();
      Fail(id, missing ? "missing" : "unreadable",
           (missing ? "原本のファイルがありません: " : "原本のファイルを読めません: ") +
               file.status().message());
      return false;
    }
    signing::Sha256Hasher hasher;
    std::string buf;
    uint64_t size = 0;
    Status read_status;
    // Read sizes the buffer (zero-filling it) to what is asked for: ask for
    // the recorded size and one byte more (to see a longer file), not 1 MiB.
    const size_t chunk = static_cast<size_t>(std::clamp<uint64_t>(x.size + 1, 4096, 1 << 20));
    for (;;) {
      read_status = (*file)->Read(chunk, &buf);
      if (!read_status.ok() || buf.empty()) break;
      size += buf.size();
      hasher.Update(buf);
    }
    const std::string hex = hasher.Finish().Hex();
    bytes->fetch_add(size);
    if (!read_status.ok()) {
      Fail(id, "unreadable", "原本のファイルを読めません: " + read_status.message());
      return false;
    }
    if (size != x.size || hex != x.sha256) {
      Fail(id, "changed",
           "保存されている原本の SHA-256 は " + hex + "（" + std::to_string(size) +
               " バイト）ですが、ログの記録は " + x.sha256 + "（" + std::to_string(x.size) +
               " バイト）です。原本が変更または破損しています");
      return false;
    }
    return true;
  }

  bool CheckToken(uint64_t seq, const std::string& id, const Expected& x,
                  const signing::TimestampVerifier& tsa, std::atomic<uint64_t>* tokens) {
    if (x.tsr.empty()) {
      Fail(id, "timestamp_pending",
           "タイムスタンプがまだありません（TSA に接続できませんでした。kura timestamp "
           "で再取得できます）");
      return false;
    }
    TokenRecord t;
    std::string der;
    Status s = rep_.ledger->Read([&](const storage::ReadTxn& txn) -> Status {
      ASSIGN_OR_RETURN(t, rep_.tokens->GetToken(txn, seq));
      ASSIGN_OR_RETURN(der, rep_.tokens->GetResponse(txn, t.tsr_sha256));
      return Status::OK();
    });
    if (s.ok() && signing::Sha256(der).Hex() != t.tsr_sha256) {
      s = Status::Corruption(
          "保存されているタイムスタンプトークンが記録された sha256 と一致しません");
    }
    if (s.ok()) s = CheckTokenBytes(t, der, x, tsa);
    tokens->fetch_add(1);
    if (!s.ok()) {
      Fail(id, "timestamp_invalid", "タイムスタンプを検証できません: " + s.message());
      return false;
    }
    return true;
  }

  // The token covers the document directly, or (batch) the root its
  // inclusion path leads to; a batch's verdict is computed once.
  Status CheckTokenBytes(const TokenRecord& t, const std::string& der, const Expected& x,
                         const signing::TimestampVerifier& tsa) {
    ASSIGN_OR_RETURN(const Digest doc_digest, Digest::FromHex(x.sha256));
    if (!t.batch) return tsa.Verify(der, doc_digest).status();
    ASSIGN_OR_RETURN(const Digest root,
                     signing::RootFromInclusionProof(t.batch_index, t.batch_size,
                                                     signing::HashLeaf(doc_digest.AsStringView()),
                                                     t.batch_path));
    const std::string key = t.tsr_sha256 + root.Hex();
    {
      std::lock_guard<std::mutex> l(mu_);
      auto cached = verified_batches_.find(key);
      if (cached != verified_batches_.end()) return cached->second;
    }
    Status verdict = tsa.Verify(der, root).status();
    std::lock_guard<std::mutex> l(mu_);
    verified_batches_.emplace(key, verdict);
    return verdict;
  }

  const Archive::Rep& rep_;
  const VerifyOptions& options_;
  VerifyReport* report_;
  DocumentReplayer replayer_;
  const std::map<uint64_t, Expected>& expected_ = replayer_.expected();
  uint64_t index_rows_ = 0;                         // versions checked in the index
  std::map<int32_t, uint64_t> index_current_days_;  // their issue dates (current ones)
  std::optional<signing::TimestampVerifier> tsa_;   // set by Run
  std::mutex mu_;  // guards report_->failed, verified_batches_, index_* (parallel phases)
  std::map<std::string, Status> verified_batches_;  // tsr + root → verdict
};

}  // namespace

Result<VerifyReport> Archive::Verify(
    const VerifyOptions& options, const std::function<void(uint64_t, uint64_t)>& progress) const {
  VerifyReport report;
  Verifier v(*rep_, options, &report);
  RETURN_IF_ERROR(v.Run(progress));
  return report;
}

}  // namespace archive
