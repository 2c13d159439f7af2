// Archive::Verify: everything `kura verify` checks.
//
//  1. Checkpoints: each signed by the log key for this log's origin, each
//     time-stamp valid over the note.
//  2. The log: the Merkle tree rebuilt from the stored events must give the
//     root of every signed checkpoint; events must be canonical JSON; no
//     checkpoint may be larger than the log (deleted events).
//  3. Replay: the catalog (documents, receipts, versions, by_sha256, tokens)
//     must be exactly what the events say, no more and no less.
//  4. Documents (in the period): the object re-hashes to the recorded
//     SHA-256, and the document's time-stamp verifies over it.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "archive/internal/archive_rep.h"
#include "archive/internal/parallel.h"
#include "signing/checkpoint.h"
#include "signing/merkle.h"
#include "signing/tsa_verify.h"
#include "base/hex.h"
#include "storage/key_codec.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

namespace {

// What the log says a document should look like.
struct Expected {
  std::string sha256;
  uint64_t size = 0;
  std::string media_type;
  uint64_t received_event = 0;
  base::Date first_received{1970, 1, 1};
  std::vector<Digest> receipts;  // hashes of canonical receipt JSON
  std::vector<Digest> versions;  // hashes of canonical version JSON
  std::string tsr;               // empty while pending
};

Digest HashJson(const json& j) { return signing::Sha256(EventLog::Canonical(j)); }

uint64_t SeqFromEvent(const json& e) {
  auto it = e.find("id");
  if (it == e.end() || !it->is_string()) return 0;
  auto seq = ParseDocumentId(it->get<std::string>());
  return seq.ok() ? *seq : 0;
}

std::string TypeOf(const json& e) {
  auto it = e.find("type");
  return it != e.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class Verifier {
 public:
  Verifier(const Archive::Rep& rep, const VerifyOptions& options, VerifyReport* report)
      : rep_(rep), options_(options), report_(report) {}

  Status Run(const std::function<void(uint64_t, uint64_t)>& progress) {
    // One verifier for every token: it parses the trusted certificates once
    // and checks each distinct TSA certificate's chain once.
    ASSIGN_OR_RETURN(signing::TimestampVerifier tsa,
                     signing::TimestampVerifier::Create(rep_.TrustedPem()));
    tsa_.emplace(std::move(tsa));
    RETURN_IF_ERROR(CheckCheckpoints());
    RETURN_IF_ERROR(ReplayLog());
    RETURN_IF_ERROR(CompareCatalog());
    return CheckDocuments(progress);
  }

 private:
  void Fail(std::string id, std::string reason, std::string detail) {
    std::lock_guard<std::mutex> l(mu_);
    report_->failed.push_back({std::move(id), std::move(reason), std::move(detail)});
  }

  Status CheckCheckpoints() {
    return rep_.env->Read([&](const storage::ReadTxn& txn) {
      return rep_.checkpoints->ForEach(txn, [&](const StoredCheckpoint& c) -> Status {
        const std::string where = "checkpoint " + std::to_string(c.size);
        auto cp = signing::VerifyCheckpoint(c.note, *rep_.verifier, rep_.keys.origin);
        if (!cp.ok()) {
          Fail("checkpoint", "checkpoint_invalid", where + ": " + cp.status().message());
          return Status::OK();
        }
        if (cp->size != c.size) {
          Fail("checkpoint", "checkpoint_invalid", where + ": stored under the wrong size");
          return Status::OK();
        }
        roots_[cp->size] = cp->root;
        report_->checkpoint_size = std::max(report_->checkpoint_size, cp->size);
        if (c.tsr_sha256) {
          auto der = rep_.tokens->GetResponse(txn, *c.tsr_sha256);
          Status s = der.status();
          if (der.ok() && signing::Sha256(*der).Hex() != *c.tsr_sha256) {
            s = Status::Corruption("the stored response does not hash to its recorded sha256");
          } else if (der.ok()) {
            s = tsa_->Verify(*der, signing::Sha256(c.note)).status();
          }
          if (!s.ok()) Fail("checkpoint", "timestamp_invalid", where + ": " + s.message());
        }
        return Status::OK();
      });
    });
  }

  // Streams the events in chunks (no long read transaction), rebuilding the
  // tree and the expected catalog. Within a chunk the costly, independent
  // part of each event (leaf hash, JSON parse, canonical re-serialisation,
  // hashes of its receipt and version) runs on all cores; the tree and the
  // expected catalog are then built from it in log order, one event after
  // the other, exactly as before.
  Status ReplayLog() {
    signing::CompactRange range;
    constexpr uint64_t kChunk = 4096;
    for (uint64_t from = 0;; from += kChunk) {
      size_t seen = 0;
      bool gap = false;
      RETURN_IF_ERROR(rep_.env->Read([&](const storage::ReadTxn& txn) -> Status {
        std::vector<std::pair<uint64_t, std::string_view>> events;
        // ForEach stops with Aborted at the chunk boundary; only other
        // errors are real.
        const Status s =
            rep_.log->ForEach(txn, from, [&](uint64_t index, std::string_view bytes) -> Status {
              events.emplace_back(index, bytes);
              return events.size() < kChunk ? Status::OK() : Status::Aborted("chunk");
            });
        if (!s.ok() && s.code() != Status::Code::kAborted) return s;
        seen = events.size();
        // A window of parsed events at a time keeps their JSON small enough
        // to stay in cache.
        constexpr size_t kWindow = 1024;
        std::vector<Decoded> decoded(kWindow);
        for (size_t w = 0; w < events.size() && !gap; w += kWindow) {
          const size_t n = std::min(kWindow, events.size() - w);
          ParallelFor(n, [&](size_t i) { decoded[i] = Decode(events[w + i].second); });
          for (size_t i = 0; i < n; ++i) {
            const uint64_t index = events[w + i].first;
            if (index != range.size()) {
              Fail("log", "tree_mismatch",
                   "event " + std::to_string(range.size()) + " is missing (next stored is " +
                       std::to_string(index) + ")");
              gap = true;
              break;
            }
            range.Append(decoded[i].leaf);
            auto root = roots_.find(range.size());
            if (root != roots_.end() && root->second != range.Root()) {
              Fail("log", "tree_mismatch",
                   "the events do not hash to the root signed in checkpoint " +
                       std::to_string(range.size()) +
                       " (an event was changed, removed or reordered)");
            }
            Apply(index, decoded[i]);
          }
        }
        return Status::OK();
      }));
      if (gap || seen < kChunk) break;
    }
    report_->events = range.size();
    if (range.size() > 0 && roots_.empty()) {
      Fail("checkpoint", "checkpoint_invalid",
           "the log holds " + std::to_string(range.size()) + " events but no signed checkpoint");
    }
    if (report_->checkpoint_size > range.size()) {
      Fail("log", "tree_mismatch",
           "checkpoint " + std::to_string(report_->checkpoint_size) + " covers more events than the " +
               std::to_string(range.size()) + " stored: events were deleted");
    }
    return Status::OK();
  }

  // What an event says, computed without the replay's state (so events can
  // be decoded in parallel): its leaf hash, its JSON, whether that is
  // canonical, and the hashes of its receipt and version if it has them.
  struct Decoded {
    Digest leaf;
    json e;
    bool canonical = false;
    std::optional<Digest> receipt, version;  // HashJson(e["receipt"]), ...
  };

  static Decoded Decode(std::string_view bytes) {
    Decoded d;
    d.leaf = signing::HashLeaf(bytes);
    d.e = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
    if (d.e.is_discarded() || !d.e.is_object()) return d;
    // EventLog::Canonical(e), put together from the canonical forms of its
    // members the way nlohmann's serializer writes an object ({"key":value,
    // ...} in key order), so that the receipt's and the version's canonical
    // bytes, whose hashes the replay needs, are serialised only once.
    std::string canonical = "{";
    for (auto it = d.e.begin(); it != d.e.end(); ++it) {
      if (it != d.e.begin()) canonical += ',';
      canonical += EventLog::Canonical(json(it.key()));
      canonical += ':';
      const size_t start = canonical.size();
      canonical += EventLog::Canonical(it.value());
      const std::string_view member = std::string_view(canonical).substr(start);
      if (it.key() == "receipt") d.receipt = signing::Sha256(member);  // = HashJson(value)
      if (it.key() == "version") d.version = signing::Sha256(member);
    }
    canonical += '}';
    d.canonical = canonical == bytes;
    return d;
  }

  // HashJson(e.at(key)), from the hash Decode computed; throws as at() would.
  static Digest HashOf(const json& e, const char* key, const std::optional<Digest>& h) {
    if (!h) (void)e.at(key);  // throws json::out_of_range, as before
    return *h;
  }

  void Apply(uint64_t index, const Decoded& d) {
    const json& e = d.e;
    const std::string where = "event " + std::to_string(index);
    if (e.is_discarded() || !e.is_object()) {
      Fail("log", "record_mismatch", where + " is not JSON");
      return;
    }
    if (!d.canonical) {
      Fail("log", "record_mismatch", where + " is not in canonical form");
    }
    const std::string type = TypeOf(e);
    if (type.empty()) {
      Fail("log", "record_mismatch", where + " has no type");
      return;
    }
    // Events of the modules above the archive (workflow., ...) describe
    // their own tables; the leaf hashes above already cover them.
    if (type.rfind("document.", 0) != 0) return;
    const uint64_t seq = SeqFromEvent(e);
    if (seq == 0) {
      Fail("log", "record_mismatch", where + " (" + type + ") names no document");
      return;
    }
    try {
      if (type == "document.received") {
        if (expected_.count(seq)) {
          Fail(FormatDocumentId(seq), "record_mismatch", where + " receives it a second time");
          return;
        }
        Expected x;
        x.sha256 = e.at("sha256").get<std::string>();
        if (!base::IsLowerHex(x.sha256, 64)) {
          Fail(FormatDocumentId(seq), "record_mismatch", where + " has no valid sha256");
          return;
        }
        x.size = e.at("size").get<uint64_t>();
        x.media_type = e.at("media_type").get<std::string>();
        x.received_event = index;
        auto t = base::ParseRfc3339(e.at("receipt").at("received_at").get<std::string>());
        if (t.ok()) x.first_received = base::Date::InJapan(*t);
        x.receipts.push_back(HashOf(e, "receipt", d.receipt));
        x.versions.push_back(HashOf(e, "version", d.version));
        if (e.at("timestamp").is_object()) x.tsr = e["timestamp"].at("tsr").get<std::string>();
        expected_[seq] = std::move(x);
        return;
      }
      auto it = expected_.find(seq);
      if (it == expected_.end()) {
        Fail(FormatDocumentId(seq), "record_mismatch", where + " (" + type +
                                                           ") precedes the document's receipt");
        return;
      }
      if (type == "document.received_again") {
        if (e.at("sha256").get<std::string>() != it->second.sha256) {
          Fail(FormatDocumentId(seq), "record_mismatch",
               where + " records a receipt of other bytes under this document");
        }
        it->second.receipts.push_back(HashOf(e, "receipt", d.receipt));
      } else if (type == "document.corrected") {
        it->second.versions.push_back(HashOf(e, "version", d.version));
      } else if (type == "document.timestamped") {
        it->second.tsr = e.at("timestamp").at("tsr").get<std::string>();
      } else {
        Fail("log", "record_mismatch", where + " has unknown type \"" + type + "\"");
      }
    } catch (const json::exception& ex) {
      Fail("log", "record_mismatch", where + " (" + type + ") is malformed: " + ex.what());
    }
  }

  // Every catalog record must be one the log explains, and vice versa.
  Status CompareCatalog() {
    std::set<uint64_t> found;
    uint64_t from = 1;
    for (;;) {
      std::vector<Document> chunk;
      RETURN_IF_ERROR(rep_.env->Read([&](const storage::ReadTxn& txn) -> Status {
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
      ParallelFor((chunk.size() + kSlice - 1) / kSlice, [&](size_t slice) {
        const Status s = rep_.env->Read([&](const storage::ReadTxn& txn) -> Status {
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
             "the log received it (event " + std::to_string(x.received_event) +
                 ") but the catalog has no record");
      }
    }
    // No more than the log explains: each index holds exactly one row per
    // document (or per stamped document).
    uint64_t with_token = 0;
    for (const auto& [seq, x] : expected_) with_token += !x.tsr.empty();
    return rep_.env->Read([&](const storage::ReadTxn& txn) -> Status {
      ASSIGN_OR_RETURN(const uint64_t shas, rep_.catalog->Sha256IndexCount(txn));
      if (shas != expected_.size()) {
        Fail("catalog", "unexplained_record",
             "by_sha256 holds " + std::to_string(shas) + " entries for " +
                 std::to_string(expected_.size()) + " documents");
      }
      ASSIGN_OR_RETURN(const uint64_t tokens, rep_.tokens->TokenCount(txn));
      if (tokens != with_token) {
        Fail("catalog", "unexplained_record",
             "tokens holds " + std::to_string(tokens) + " records for " +
                 std::to_string(with_token) + " stamped documents");
      }
      return Status::OK();
    });
  }

  Status CompareDocument(const storage::ReadTxn& txn, const Document& d) {
    const std::string id = FormatDocumentId(d.seq);
    auto it = expected_.find(d.seq);
    if (it == expected_.end()) {
      Fail(id, "unexplained_record", "the catalog has this document but no event received it");
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
    ASSIGN_OR_RETURN(const auto receipts, rep_.catalog->GetReceipts(txn, d.seq));
    ASSIGN_OR_RETURN(const auto versions, rep_.catalog->GetVersions(txn, d.seq));
    if (receipts.size() != x.receipts.size()) {
      diff += " receipts";
    } else {
      for (size_t i = 0; i < receipts.size(); ++i) {
        if (HashJson(ToJson(receipts[i])) != x.receipts[i]) diff += " receipt#" + std::to_string(i + 1);
      }
    }
    if (versions.size() != x.versions.size()) {
      diff += " versions";
    } else {
      for (size_t i = 0; i < versions.size(); ++i) {
        if (HashJson(ToJson(versions[i])) != x.versions[i]) diff += " version#" + std::to_string(i + 1);
      }
    }
    auto by_sha = rep_.catalog->FindBySha256(txn, x.sha256);
    if (!by_sha.ok() || !*by_sha || **by_sha != d.seq) diff += " by_sha256";
    auto token = rep_.tokens->GetToken(txn, d.seq);
    if (token.ok() ? token->tsr_sha256 != x.tsr : !x.tsr.empty()) diff += " timestamp";
    if (!diff.empty()) {
      Fail(id, "record_mismatch", "the catalog differs from what the log recorded in:" + diff);
    }
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
    ParallelFor(todo.size(), [&](size_t i) {
      const auto [seq, x] = todo[i];
      const std::string id = FormatDocumentId(seq);
      bool good = CheckObject(id, *x, &bytes);
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
      Fail(id, file.status().IsNotFound() ? "missing" : "unreadable", file.status().message());
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
      Fail(id, "unreadable", read_status.message());
      return false;
    }
    if (size != x.size || hex != x.sha256) {
      Fail(id, "changed",
           "stored bytes hash to " + hex + " (" + std::to_string(size) +
               " bytes), the log recorded " + x.sha256 + " (" + std::to_string(x.size) + " bytes)");
      return false;
    }
    return true;
  }

  bool CheckToken(uint64_t seq, const std::string& id, const Expected& x,
                  const signing::TimestampVerifier& tsa, std::atomic<uint64_t>* tokens) {
    if (x.tsr.empty()) {
      Fail(id, "timestamp_pending", "no time-stamp yet (the TSA could not be reached)");
      return false;
    }
    TokenRecord t;
    std::string der;
    Status s = rep_.env->Read([&](const storage::ReadTxn& txn) -> Status {
      ASSIGN_OR_RETURN(t, rep_.tokens->GetToken(txn, seq));
      ASSIGN_OR_RETURN(der, rep_.tokens->GetResponse(txn, t.tsr_sha256));
      return Status::OK();
    });
    if (s.ok() && signing::Sha256(der).Hex() != t.tsr_sha256) {
      s = Status::Corruption("the stored response does not hash to its recorded sha256");
    }
    if (s.ok()) s = CheckTokenBytes(t, der, x, tsa);
    tokens->fetch_add(1);
    if (!s.ok()) {
      Fail(id, "timestamp_invalid", s.message());
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
  std::map<uint64_t, Digest> roots_;  // checkpoint size → signed root
  std::map<uint64_t, Expected> expected_;
  std::optional<signing::TimestampVerifier> tsa_;  // set by Run
  std::mutex mu_;  // guards report_->failed and verified_batches_ (parallel phases)
  std::map<std::string, Status> verified_batches_;  // tsr + root → verdict
};

}  // namespace

Result<VerifyReport> Archive::Verify(const VerifyOptions& options,
                                     const std::function<void(uint64_t, uint64_t)>& progress) const {
  VerifyReport report;
  Verifier v(*rep_, options, &report);
  RETURN_IF_ERROR(v.Run(progress));
  return report;
}

}  // namespace archive
