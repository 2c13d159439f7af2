// ExportBag (compliance/export.h).
#include "compliance/export.h"

#include <algorithm>
#include <functional>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <map>
#include <thread>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <botan/hex.h>
#include <openssl/evp.h>
#include <nlohmann/json.hpp>

#include "base/hex.h"
#include "base/json.h"
#include "compliance/document_events.h"
#include "compliance/fingerprints.h"
#include "compliance/internal/bag_io.h"
#include "compliance/internal/bag_parts.h"
#include "compliance/internal/renewal_files.h"
#include "signing/merkle.h"
#include "signing/sha256.h"
#include "signing/tsa_cert_info.h"

namespace compliance {

using base::Result;
using base::Status;
using internal::BagSink;
using nlohmann::json;

namespace {

std::string Dump(const json& j) { return j.dump(2, ' ', false) + "\n"; }

// SHA-512 by OpenSSL's assembler (about 1.6 times Botan 2's speed here;
// Botan's SHA-512 was 14 % of an export's profile).
class Sha512 {
 public:
  Sha512() : ctx_(::EVP_MD_CTX_new()) { Clear(); }
  ~Sha512() { ::EVP_MD_CTX_free(ctx_); }
  Sha512(const Sha512&) = delete;
  Sha512& operator=(const Sha512&) = delete;
  void Clear() { ::EVP_DigestInit_ex(ctx_, ::EVP_sha512(), nullptr); }
  void Update(std::string_view data) { ::EVP_DigestUpdate(ctx_, data.data(), data.size()); }
  std::string FinalHex() {
    uint8_t digest[64];
    unsigned int n = 0;
    ::EVP_DigestFinal_ex(ctx_, digest, &n);
    return Botan::hex_encode(digest, n, false);
  }

 private:
  EVP_MD_CTX* ctx_;
};

// A file of the bag prepared in memory, with its digests, by either core;
// then written by whichever thread owns the sink.
struct PreparedFile {
  std::string path, bytes, sha256, sha512;  ///< digests in hex
  bool stored = false;  ///< compressed already: a ZIP stores it as it is
  /// For a ZIP: packed by the worker (then bytes is emptied).
  std::optional<internal::PackedFile> packed;
};

// The PEM certificates that signed the exported tokens, gathered by the
// workers for tsa-certificates.pem (one per TSA certificate, not per token).
class SignerSet {
 public:
  void Add(const std::string& pem) {
    std::lock_guard<std::mutex> l(mu_);
    pems_.insert(pem);
  }
  std::set<std::string> Take() {
    std::lock_guard<std::mutex> l(mu_);
    return std::move(pems_);
  }

 private:
  std::mutex mu_;
  std::set<std::string> pems_;
};

// Hashes every file as it goes into the sink and keeps the manifests.
class BagWriter {
 public:
  BagWriter(BagSink* sink, bool store_all) : sink_(sink), store_all_(store_all) {}

  // A file hashed already (by a worker).
  Status PutPrepared(const PreparedFile& f) {
    if (f.packed) {
      RETURN_IF_ERROR(sink_->PutPacked(f.path, *f.packed));
      Record(Entry{f.path, f.sha256, f.sha512}, f.packed->size);
      return Status::OK();
    }
    sink_->SetStored(store_all_ || f.stored);
    RETURN_IF_ERROR(sink_->Begin(f.path, f.bytes.size()));
    RETURN_IF_ERROR(sink_->Write(f.bytes));
    RETURN_IF_ERROR(sink_->End());
    Record(Entry{f.path, f.sha256, f.sha512}, f.bytes.size());
    return Status::OK();
  }

  Status Put(const std::string& path, std::string_view data) {
    RETURN_IF_ERROR(Begin(path, data.size()));
    RETURN_IF_ERROR(Write(data));
    return End();
  }
  // A file made of pieces (the metadata files, the manifests): hashed
  // piece by piece and handed to the sink without joining them.
  Status PutPieces(const std::string& path, const std::vector<std::string_view>& pieces) {
    sha256_ = signing::Sha256Hasher();
    sha512_.Clear();
    uint64_t bytes = 0;
    for (const std::string_view p : pieces) {
      sha256_.Update(p);
      sha512_.Update(p);
      bytes += p.size();
    }
    sink_->SetStored(store_all_);
    RETURN_IF_ERROR(sink_->PutPieces(path, pieces));
    Record(Entry{path, sha256_.Finish().Hex(), sha512_.FinalHex()}, bytes);
    return Status::OK();
  }
  Status Begin(const std::string& path, uint64_t size) {
    path_ = path;
    sha256_ = signing::Sha256Hasher();
    sha512_.Clear();
    bytes_ = 0;
    sink_->SetStored(store_all_);
    return sink_->Begin(path, size);
  }
  Status Write(std::string_view data) {
    sha256_.Update(data);
    sha512_.Update(data);
    bytes_ += data.size();
    return sink_->Write(data);
  }
  // Returns the file's SHA-256 (hex).
  Result<std::string> EndWithDigest() {
    RETURN_IF_ERROR(sink_->End());
    Entry e{path_, sha256_.Finish().Hex(), sha512_.FinalHex()};
    Record(e, bytes_);
    return e.sha256;
  }
  Status End() { return EndWithDigest().status(); }

  // Takes over the entries another writer (another worker's) recorded.
  void Absorb(BagWriter& other) {
    payload_.insert(payload_.end(), other.payload_.begin(), other.payload_.end());
    tags_.insert(tags_.end(), other.tags_.begin(), other.tags_.end());
    payload_bytes_ += other.payload_bytes_;
    other.payload_.clear();
    other.tags_.clear();
    other.payload_bytes_ = 0;
  }

  // The manifests (sorted by path), bag-info.txt and the tag manifest; then
  // Finish.
  Status Close(const std::string& bag_info_head) {
    const auto by_path = [](const Entry& a, const Entry& b) { return a.path < b.path; };
    std::sort(payload_.begin(), payload_.end(), by_path);
    std::vector<std::string_view> m256, m512;
    m256.reserve(payload_.size() * 4);
    m512.reserve(payload_.size() * 4);
    for (const Entry& e : payload_) {
      m256.insert(m256.end(), {e.sha256, "  ", e.path, "\n"});
      m512.insert(m512.end(), {e.sha512, "  ", e.path, "\n"});
    }
    const std::string info = bag_info_head + "Payload-Oxum: " + std::to_string(payload_bytes_) + "." +
                             std::to_string(payload_.size()) + "\n";
    RETURN_IF_ERROR(Put("bag-info.txt", info));
    RETURN_IF_ERROR(PutPieces("manifest-sha256.txt", m256));
    RETURN_IF_ERROR(PutPieces("manifest-sha512.txt", m512));
    std::string tags;
    for (const Entry& e : tags_) tags += e.sha256 + "  " + e.path + "\n";
    RETURN_IF_ERROR(sink_->Put("tagmanifest-sha256.txt", tags));
    return sink_->Finish();
  }
  uint64_t payload_files() const { return payload_.size(); }
  // Whether files are packed for the sink (a ZIP) before they reach it,
  // and whether everything is stored.
  bool packs() const { return sink_->TakesPacked(); }
  bool store_all() const { return store_all_; }
  uint64_t payload_bytes() const { return payload_bytes_; }

 private:
  struct Entry {
    std::string path, sha256, sha512;
  };
  void Record(const Entry& e, uint64_t bytes) {
    if (e.path.rfind("data/", 0) == 0) {
      payload_bytes_ += bytes;
      payload_.push_back(e);
    } else {
      tags_.push_back(e);
    }
  }
  BagSink* sink_;
  bool store_all_;
  signing::Sha256Hasher sha256_;
  Sha512 sha512_;
  std::string path_;
  uint64_t bytes_ = 0, payload_bytes_ = 0;
  std::vector<Entry> payload_, tags_;
};

// A file name as received, safe as one path component in a manifest line
// and a ZIP: no separators, control characters, '%' (BagIt escapes) or
// leading dot.
std::string SafeName(const std::string& name) {
  std::string out;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f || c == '/' || c == '\\' || c == '%' ? '_' : c);
  }
  if (out.empty() || out == "." || out == "..") out = "original";
  if (out[0] == '.') out[0] = '_';
  return out;
}

struct DocRecord {
  archive::SearchItem item;
  archive::DocumentView view;
  std::string original;  ///< path in the bag; empty if the bytes are absent
  json token;            ///< the token record; null if none
  std::vector<EventRef> events;
  std::vector<std::string> proofs;  ///< each event's proof, as a JSON object
  /// Its versions' stored records (canonical JSON), copied into its history
  /// as they are; view.versions stays empty (Archive::GetStored).
  std::vector<std::string> version_records;
  // What stays once the worker has released the rest (Release).
  size_t event_count = 0;
  std::string token_time;  ///< the token's gen_time; empty if none
  /// Its rows of metadata.csv and metadata.json (as in the array, indented
  /// one level, without the separating comma), built by the worker.
  std::string csv_row, json_row;
};

Result<std::vector<DocRecord>> FindDocuments(const archive::Archive& archive,
                                             archive::SearchQuery q) {
  q.limit = 1000;
  q.offset = 0;
  q.after.clear();
  std::vector<DocRecord> docs;
  std::set<std::string> seen;
  for (;;) {
    ASSIGN_OR_RETURN(archive::SearchResult r, archive.Search(q));
    if (q.count) docs.reserve(static_cast<size_t>(r.count));  // the first page counts them all
    for (archive::SearchItem& item : r.items) {
      if (!item.current || !seen.insert(item.id).second) continue;
      DocRecord d;
      d.item = std::move(item);
      docs.push_back(std::move(d));
    }
    if (!r.next) break;
    q.after = *r.next;
    q.count = false;
  }
  return docs;
}

std::string Sha512Hex(std::string_view data) {
  uint8_t digest[64];
  unsigned int n = 0;
  ::EVP_Digest(data.data(), data.size(), digest, &n, ::EVP_sha512(), nullptr);
  return Botan::hex_encode(digest, n, false);
}

void AddFile(std::vector<PreparedFile>& out, std::string path, std::string bytes,
             bool stored = false) {
  PreparedFile f{std::move(path), std::move(bytes), "", "", stored};
  f.sha256 = signing::Sha256(f.bytes).Hex();
  f.sha512 = Sha512Hex(f.bytes);
  out.push_back(std::move(f));
}

// Media types whose bytes are compressed already (deflating them again
// costs a core and saves nothing).
bool CompressedAlready(const std::string& media_type) {
  return media_type == "application/pdf" || media_type.rfind("image/", 0) == 0 ||
         media_type == "application/zip";
}

// Reads the original once (what the catalog says it holds plus one byte,
// so that bytes beyond the recorded size still reach the hash; never a
// fixed 1 MiB, which zero-filled a megabyte per 20 KB invoice), hashes
// what will be copied and checks it against the catalog.
Status PrepareOriginal(const archive::Archive& archive, DocRecord& d,
                       std::vector<PreparedFile>& out, uint64_t* bytes) {
  const archive::Document& doc = d.view.document;
  auto in = archive.OpenOriginal(doc.sha256);
  if (!in.ok() && in.status().IsNotFound()) return Status::OK();  // disposed of, or lost
  RETURN_IF_ERROR(in.status());
  // The first read goes straight into the buffer that goes into the bag;
  // the rest (a short read, or bytes beyond the recorded size) is appended
  // until the end of the file.
  std::string data, chunk;
  RETURN_IF_ERROR((*in)->Read(static_cast<size_t>(doc.size) + 1, &data));
  while (!data.empty()) {
    const uint64_t left = doc.size > data.size() ? doc.size - data.size() : 0;
    RETURN_IF_ERROR((*in)->Read(static_cast<size_t>(std::min<uint64_t>(left + 1, 1 << 20)), &chunk));
    if (chunk.empty()) break;
    data += chunk;
  }
  const std::string name =
      d.view.receipts.empty() ? std::string("original") : SafeName(d.view.receipts[0].file_name);
  *bytes += data.size();
  AddFile(out, "data/originals/" + d.item.id + "/" + name, std::move(data),
          CompressedAlready(doc.media_type));
  if (out.back().sha256 != doc.sha256) {
    return Status::Corruption(d.item.id +
                              ": 保存されている原本が記録された SHA-256 と一致しません"
                              "（改ざんまたは破損のおそれがあります。kura verify で確認してください）");
  }
  d.original = out.back().path;
  return Status::OK();
}

Status PrepareTimestamp(const archive::Archive& archive, DocRecord& d,
                        signing::TokenSignerCache& signers, SignerSet& signer_pems,
                        std::vector<PreparedFile>& out) {
  auto record = archive.TimestampRecord(d.item.id);
  if (!record.ok() && record.status().IsNotFound()) return Status::OK();  // pending
  RETURN_IF_ERROR(record.status());
  ASSIGN_OR_RETURN(std::string der, archive.TimestampResponse(d.item.id));
  d.token = *record;
  d.token["document_sha256"] = d.view.document.sha256;
  if (d.token.value("kind", "") == "batch") d.token["leaf_rule"] = kBatchLeafRule;
  // For tsa-certificates.pem (internal/renewal_files.h): decoded once for
  // each set of certificates the tokens carry (once per TSA certificate),
  // not once for every token.
  if (auto signer = signers.Get(der); signer.ok()) signer_pems.Add(signer->pem);
  AddFile(out, "data/timestamps/" + d.item.id + ".tsr", std::move(der), /*stored=*/true);
  AddFile(out, "data/timestamps/" + d.item.id + ".json", Dump(d.token));
  return Status::OK();
}

// A JSON string of s (valid UTF-8: only '"', '\\' and control characters
// need escaping).
void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(run, i - run));
    run = i + 1;
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.substr(run));
  out.push_back('"');
}

// The document's record, its versions, then its events. The versions'
// records and the events' canonical bytes are spliced in as they are
// stored (valid JSON already), not parsed and re-serialised: "versions"
// and "events" sort after the record's other members, so the object's
// members stay in order.
std::string HistoryJson(const DocRecord& d) {
  json h = archive::ToJson(d.view);
  h.erase("current");   // the last of "versions", a second time
  h.erase("versions");  // spliced below
  h["original"] = d.original.empty() ? json(nullptr) : json(d.original);
  std::string out = h.dump(2, ' ', false);
  out.pop_back();  // the closing brace
  while (!out.empty() && out.back() == '\n') out.pop_back();
  out += ",\n  \"versions\": [";
  for (size_t i = 0; i < d.version_records.size(); ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    out += d.version_records[i];
  }
  out += d.version_records.empty() ? "]" : "\n  ]";
  out += ",\n  \"events\": [";
  for (size_t i = 0; i < d.events.size(); ++i) {
    const EventRef& e = d.events[i];
    out += i == 0 ? "\n    {\"index\": " : ",\n    {\"index\": ";
    out += std::to_string(e.index);
    out += ", \"type\": ";
    AppendJsonString(out, e.type);
    out += ", \"event\": ";
    out += e.bytes;
    out += "}";
  }
  out += d.events.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

// The renewal chains and tokens (compliance/internal/renewal_files.h).
Status WriteRenewals(BagWriter& bag, const archive::Archive& archive, const base::Clock& clock,
                     const std::vector<DocRecord>& docs, const std::set<std::string>& signers) {
  std::vector<std::string> ids;
  ids.reserve(docs.size());
  for (const DocRecord& d : docs) ids.push_back(d.item.id);
  ASSIGN_OR_RETURN(const auto files, internal::RenewalFiles(archive, clock, ids, signers));
  for (const auto& [path, data] : files) RETURN_IF_ERROR(bag.Put(path, data));
  return Status::OK();
}

// The inclusion proof of each of the document's events in the checkpoint
// of tree_size events (the export's), as JSON objects for its proof file.
// Events newer than that checkpoint are counted in *unproved.
Status ProveDocument(const ledger::Ledger& ledger, uint64_t tree_size, DocRecord& d,
                     std::atomic<uint64_t>* unproved) {
  std::vector<uint64_t> indices;
  for (const EventRef& e : d.events) indices.push_back(e.index);
  uint64_t newer = 0;
  d.proofs.clear();
  RETURN_IF_ERROR(ledger.ProveEvents(
      indices,
      [&](const ledger::EventProof& p) -> Status {
        std::string j = "{\"index\": " + std::to_string(p.index) + ", \"event\": ";
        AppendJsonString(j, p.event);
        j += ",\n      \"leaf_hash\": \"" + p.leaf_hash.Hex() + "\",\n      \"inclusion_proof\": [";
        for (size_t k = 0; k < p.proof.size(); ++k) {
          j += (k == 0 ? "\"" : ", \"") + p.proof[k].Hex() + "\"";
        }
        j += "]}";
        d.proofs.push_back(std::move(j));
        return Status::OK();
      },
      &newer, tree_size));
  *unproved += newer;
  return Status::OK();
}

std::string CheckpointName(uint64_t size) { return "data/checkpoints/" + std::to_string(size); }

// Every checkpoint signed so far, in size order: the last is the one the
// export proves its documents' events in. FailedPrecondition if none.
Result<std::vector<ledger::CheckpointRecord>> ReadCheckpoints(const ledger::Ledger& ledger) {
  std::vector<ledger::CheckpointRecord> all;
  RETURN_IF_ERROR(ledger.ForEachCheckpoint([&](const ledger::CheckpointRecord& c) {
    all.push_back(c);
    return Status::OK();
  }));
  if (all.empty()) return Status::FailedPrecondition("署名済みのチェックポイントがまだありません");
  return all;
}

// The checkpoints with their tokens, and the consistency proof from each
// to the next.
Status WriteCheckpoints(BagWriter& bag, const ledger::Ledger& ledger,
                        const std::vector<ledger::CheckpointRecord>& all) {
  for (size_t i = 0; i < all.size(); ++i) {
    const ledger::CheckpointRecord& c = all[i];
    RETURN_IF_ERROR(bag.Put(CheckpointName(c.size) + ".note", c.note));
    if (!c.tsr_der.empty()) RETURN_IF_ERROR(bag.Put(CheckpointName(c.size) + ".tsr", c.tsr_der));
    if (i == 0) continue;
    ASSIGN_OR_RETURN(const ledger::ConsistencyProofRecord p,
                     ledger.ProveConsistency(all[i - 1].size, c.size));
    json path = json::array();
    for (const auto& h : p.proof) path.push_back(h.Hex());
    const json j{{"old_size", p.size1},  {"new_size", p.size2},
                 {"old_root", p.root1.Hex()}, {"new_root", p.root2.Hex()},
                 {"old_checkpoint", std::to_string(p.size1) + ".note"},
                 {"new_checkpoint", std::to_string(p.size2) + ".note"},
                 {"consistency_proof", path}};
    RETURN_IF_ERROR(bag.Put("data/checkpoints/consistency-" + std::to_string(p.size1) + "-" +
                                std::to_string(p.size2) + ".json",
                            Dump(j)));
  }
  return bag.Put("data/checkpoints/verifier-key.txt", ledger.VerifierKey() + "\n");
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

json MetadataRow(const DocRecord& d, json fields) {
  const archive::SearchResult one{0, {d.item}, std::nullopt, ""};
  json row = archive::ToJson(one)["items"][0];
  row["sha256"] = d.view.document.sha256;
  row["size"] = d.view.document.size;
  row["media_type"] = d.view.document.media_type;
  row["original"] = d.original.empty() ? json(nullptr) : json(d.original);
  row["timestamp_time"] = d.token.is_object() ? d.token["gen_time"] : json(nullptr);
  row["fields"] = std::move(fields);
  return row;
}

// A document's rows of the metadata files (on a worker); fields are the
// current version's.
void MetadataRows(DocRecord& d, json fields) {
  std::string row = archive::SearchCsvRows({d.item});
  while (!row.empty() && (row.back() == '\n' || row.back() == '\r')) row.pop_back();
  const std::string ts = d.token.is_object() ? d.token.value("gen_time", "") : "";
  d.csv_row = row + "," + d.view.document.sha256 + "," + std::to_string(d.view.document.size) + "," +
              CsvCell(ts) + "," + CsvCell(d.original.empty() ? "（原本なし）" : d.original) + "\r\n";
  // The row as Dump of the whole array prints it: one level deeper, so two
  // more spaces after each line break (a JSON text's strings hold none).
  const std::string dumped = MetadataRow(d, std::move(fields)).dump(2, ' ', false);
  d.json_row.clear();
  d.json_row.reserve(dumped.size() + dumped.size() / 16);
  for (const char c : dumped) {
    d.json_row.push_back(c);
    if (c == '\n') d.json_row += "  ";
  }
}

// metadata.csv and metadata.json from the rows the workers built, as
// pieces: not copied into one buffer each.
Status WriteMetadata(BagWriter& bag, const std::vector<DocRecord>& docs) {
  std::string header = archive::SearchCsvHeader();
  while (!header.empty() && (header.back() == '\n' || header.back() == '\r')) header.pop_back();
  header += ",SHA-256,サイズ（バイト）,タイムスタンプ時刻,原本\r\n";
  std::vector<std::string_view> csv{header}, all{docs.empty() ? "[]\n" : "[\n"};
  csv.reserve(docs.size() + 1);
  all.reserve(2 * docs.size() + 2);
  for (size_t i = 0; i < docs.size(); ++i) {
    csv.push_back(docs[i].csv_row);
    all.push_back(i == 0 ? "  " : ",\n  ");
    all.push_back(docs[i].json_row);
  }
  if (!docs.empty()) all.push_back("\n]\n");
  RETURN_IF_ERROR(bag.PutPieces("data/metadata.csv", csv));
  return bag.PutPieces("data/metadata.json", all);
}

std::string ProofJson(const DocRecord& d, uint64_t tree_size, const std::string& root_hex) {
  size_t size = 512;  // the members around the proofs
  for (const std::string& p : d.proofs) size += p.size() + 6;
  std::string out;
  out.reserve(size);  // grown once, not doubled through each proof
  out += "{\n  \"checkpoint\": \"" + std::to_string(tree_size) + ".note\",\n  \"document\": ";
  AppendJsonString(out, d.item.id);
  out += ",\n  \"events\": [";
  for (size_t i = 0; i < d.proofs.size(); ++i) {
    out += i == 0 ? "\n    " : ",\n    ";
    out += d.proofs[i];
  }
  out += d.proofs.empty() ? "],\n  \"leaf_rule\": " : "\n  ],\n  \"leaf_rule\": ";
  AppendJsonString(out, kEventLeafRule);
  out += ",\n  \"root\": \"" + root_hex + "\",\n  \"tree_size\": " + std::to_string(tree_size) +
         "\n}\n";
  return out;
}

internal::ReportData Report(const ExportOptions& o, const std::vector<DocRecord>& docs,
                            const std::string& now, const ExportSummary& s, uint64_t checkpoints,
                            const PinnedKeys& keys) {
  internal::ReportData r;
  r.organization = o.organization;
  r.bagging_time = now;
  r.query = o.query_text.empty() ? "（条件なし: すべての文書）" : o.query_text;
  r.checkpoint = std::to_string(s.tree_size);
  r.verifier_key = keys.verifier_key;
  for (const auto& root : keys.tsa_roots) r.tsa_root_fingerprints.push_back(root.sha256);
  r.documents = docs.size();
  r.missing = s.missing_originals;
  r.checkpoints = checkpoints;
  r.original_bytes = s.original_bytes;
  for (const DocRecord& d : docs) {
    const std::string day = d.item.received_date;
    if (r.received_from.empty() || day < r.received_from) r.received_from = day;
    if (day > r.received_to) r.received_to = day;
    r.events += d.event_count;
    r.rows.push_back(internal::ReportRow{
        d.item.id, d.view.receipts.empty() ? "" : d.view.receipts[0].file_name,
        d.item.issue_date.value_or(""), d.item.counterparty, d.item.total.value_or(""),
        d.view.document.sha256, d.token_time, d.original.empty() ? "原本なし" : ""});
  }
  return r;
}

// report.pdf, rendered on a thread of its own while the workers prepare
// the documents: rendering 10,000 rows takes about a second, which at the
// end of an export was spent with the other core idle. The rows are taken
// before the workers start; what only the workers establish — each token's
// time and whether the original is there — the thread reads from the
// archive itself. Take() compares that with the report of the prepared
// documents and renders again in the rare case they differ (an original
// disposed of or a token renewed meanwhile), so the PDF always shows what
// the bag holds.
class EarlyReport {
 public:
  EarlyReport(const archive::Archive& archive, internal::ReportData planned,
              std::vector<uint64_t> sizes, std::string font_file)
      : archive_(archive), planned_(std::move(planned)), sizes_(std::move(sizes)),
        font_file_(std::move(font_file)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~EarlyReport() {  // an export that failed: no need to finish
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  EarlyReport(const EarlyReport&) = delete;
  EarlyReport& operator=(const EarlyReport&) = delete;

  // The PDF of `final` (the report of the prepared documents).
  Result<std::string> Take(const internal::ReportData& final) {
    thread_.join();
    if (pdf_ && final == planned_) return std::move(*pdf_);
    return internal::RenderReport(final, font_file_);
  }

 private:
  void Run() {
    planned_.missing = 0;
    planned_.original_bytes = 0;
    for (size_t i = 0; i < planned_.rows.size(); ++i) {
      if (stop_) return;
      internal::ReportRow& row = planned_.rows[i];
      auto record = archive_.TimestampRecord(row.id);
      if (!record.ok() && !record.status().IsNotFound()) return;  // Take renders
      row.timestamp_time = record.ok() ? record->value("gen_time", "") : "";
      auto original = archive_.OpenOriginal(row.sha256);
      if (!original.ok() && !original.status().IsNotFound()) return;
      row.state = original.ok() ? "" : "原本なし";
      if (original.ok()) {
        planned_.original_bytes += sizes_[i];
      } else {
        ++planned_.missing;
      }
    }
    pdf_.emplace(internal::RenderReport(planned_, font_file_));
  }

  const archive::Archive& archive_;
  internal::ReportData planned_;
  std::vector<uint64_t> sizes_;
  std::string font_file_;
  std::optional<Result<std::string>> pdf_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The values to pin (compliance/fingerprints.h), as bag-info.txt tags.
std::string PinnedKeyTags(const PinnedKeys& keys) {
  std::string out = "Kura-Log-Verifier-Key: " + keys.verifier_key + "\n";
  for (const auto& root : keys.tsa_roots) out += "Kura-TSA-Root-SHA256: " + root.sha256 + "\n";
  return out;
}

std::string BagInfoHead(const ExportOptions& o, const base::Time now, const ExportSummary& s,
                        const PinnedKeys& keys) {
  const std::string t = base::FormatRfc3339(now);
  return "Source-Organization: " + o.organization +
         "\nBagging-Date: " + base::FormatJst(now).substr(0, 10) +
         "\nBag-Software-Agent: kura (https://github.com/kura)\nExternal-Description: "
         "kura evidence export / 証跡出力 (" + std::to_string(s.documents) +
         " documents; log checkpoint " + std::to_string(s.tree_size) + ")\nExternal-Identifier: kura-export-" +
         t + "\nKura-Query: " + (o.query_text.empty() ? "(all)" : o.query_text) + "\n" +
         PinnedKeyTags(keys);
}

using Progress = std::function<void(std::string_view, uint64_t, uint64_t)>;

bool Cancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

Status CheckCancel(const ExportOptions& o) {
  return Cancelled(o.cancel) ? Status::Aborted("証跡出力を中止しました") : Status::OK();
}

// ResourceExhausted if the originals come to more than o.max_original_bytes.
Status CheckSize(const ExportOptions& o, const std::vector<DocRecord>& docs) {
  if (o.max_original_bytes == 0) return Status::OK();
  uint64_t total = 0;
  for (const DocRecord& d : docs) total += d.view.document.size;
  if (total <= o.max_original_bytes) return Status::OK();
  const auto mb = [](uint64_t b) { return std::to_string((b + (1 << 20) - 1) >> 20); };
  return Status::ResourceExhausted("原本の合計が " + mb(total) + " MB あり、一度に出力できる " +
                                   mb(o.max_original_bytes) +
                                   " MB を超えています。期間などの条件を絞って分けて出力してください");
}

Status WriteMetadataAndRenewals(BagWriter& bag, const archive::Archive& archive,
                                const base::Clock& clock, const std::vector<DocRecord>& docs,
                                const std::set<std::string>& signers) {
  RETURN_IF_ERROR(WriteMetadata(bag, docs));
  RETURN_IF_ERROR(bag.Put("data/timestamps/tsa-chain.pem", archive.ledger().TrustedTsaPem()));
  return WriteRenewals(bag, archive, clock, docs, signers);
}

// What the workers of one export share besides the documents.
struct DocumentsJob {
  const archive::Archive& archive;
  std::vector<DocRecord>& docs;
  const ExportSummary& summary;
  const std::string& root_hex;
  const Progress& progress;
  const std::atomic<bool>* cancel;
  signing::TokenSignerCache& signers;
  SignerSet& signer_pems;
  std::atomic<uint64_t>& unproved;  ///< events newer than the export's checkpoint
};

// Drops what only the document's own files needed (the view as the worker
// read it, its versions' records, events, proofs, token record), keeping what
// the end of the export reads: its metadata rows and the report's fields,
// with the view read before the workers started (a document's record and
// first receipt do not change). The memory an export keeps then stays
// small and is not interleaved with the workers' passing buffers, which
// can be reused: every fresh page costs a page fault (about 12 µs each on
// the virtual machines kura is measured on, more than writing the page to
// disk).
void Release(DocRecord& d, archive::DocumentView&& received) {
  d.token_time = d.token.is_object() ? d.token.value("gen_time", "") : "";
  d.token = nullptr;
  d.view = std::move(received);
  d.events = {};
  d.proofs = {};
  d.version_records = {};
}

// One document's files: its original, token, history and proof.
Status PrepareDocument(const DocumentsJob& job, DocRecord& d, std::vector<PreparedFile>& out,
                       uint64_t* bytes) {
  archive::DocumentView received = std::move(d.view);
  ASSIGN_OR_RETURN(d.view, job.archive.GetStored(d.item.id, &d.version_records));
  json fields = nullptr;  // the current version's, for the metadata rows
  if (!d.version_records.empty()) {
    ASSIGN_OR_RETURN(json current, base::ParseJson(d.version_records.back()));
    if (!current.is_object()) {
      return Status::Corruption(d.item.id + ": 現在の版の記録を読めません（kura verify で確認してください）");
    }
    if (auto f = current.find("fields"); f != current.end()) fields = std::move(*f);
  }
  RETURN_IF_ERROR(PrepareOriginal(job.archive, d, out, bytes));
  RETURN_IF_ERROR(PrepareTimestamp(job.archive, d, job.signers, job.signer_pems, out));
  RETURN_IF_ERROR(ProveDocument(job.archive.ledger(), job.summary.tree_size, d, &job.unproved));
  AddFile(out, "data/history/" + d.item.id + ".json", HistoryJson(d));
  AddFile(out, "data/proofs/" + d.item.id + ".json",
          ProofJson(d, job.summary.tree_size, job.root_hex));
  MetadataRows(d, std::move(fields));
  Release(d, std::move(received));
  return Status::OK();
}

Status PrepareOne(const DocumentsJob& job, size_t i, std::vector<PreparedFile>& out,
                  uint64_t* bytes) {
  if (Cancelled(job.cancel)) return Status::Aborted("証跡出力を中止しました");
  return PrepareDocument(job, job.docs[i], out, bytes);
}

// A folder: two workers, each preparing a document and writing its files
// through a sink of its own (the calling thread is worker 0, and the only
// one that reports progress); bag takes over their manifest entries.
Status WriteFolderDocuments(const DocumentsJob& job, const std::string& out, BagWriter& bag,
                            uint64_t* original_bytes) {
  constexpr unsigned kWorkers = 2;
  std::vector<std::unique_ptr<BagSink>> sinks;
  std::vector<std::unique_ptr<BagWriter>> writers;
  for (unsigned w = 1; w < kWorkers; ++w) {
    ASSIGN_OR_RETURN(auto extra, internal::OpenDirSink(out));
    sinks.push_back(std::move(extra));
    writers.push_back(std::make_unique<BagWriter>(sinks.back().get(), false));
  }
  const size_t n = job.docs.size();
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<Status> status(kWorkers);
  std::vector<uint64_t> bytes(kWorkers, 0);
  const auto work = [&](unsigned w) {
    BagWriter& mine = w == 0 ? bag : *writers[w - 1];
    std::vector<PreparedFile> files;
    for (size_t i = next++; i < n && !failed; i = next++) {
      files.clear();
      status[w] = PrepareOne(job, i, files, &bytes[w]);
      for (size_t k = 0; k < files.size() && status[w].ok(); ++k) status[w] = mine.PutPrepared(files[k]);
      if (!status[w].ok()) failed = true;
      if (w == 0 && i % 100 == 99) job.progress("originals", std::min(next.load(), n), n);
    }
  };
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < kWorkers; ++w) threads.emplace_back(work, w);
  work(0);
  for (std::thread& t : threads) t.join();
  for (unsigned w = 0; w < kWorkers; ++w) {
    RETURN_IF_ERROR(status[w]);
    *original_bytes += bytes[w];
  }
  for (auto& w : writers) bag.Absorb(*w);
  return Status::OK();
}

// A ZIP is one stream: documents are prepared (read, hashed, their JSON
// built, each file deflated and its CRC-32 taken) by two workers, and
// written in order by the calling thread, at most kWindow documents (and
// about kWindowBytes of originals) ahead.
class ZipPipeline {
 public:
  ZipPipeline(const DocumentsJob& job, bool pack, bool store_all)
      : job_(job), slots_(job.docs.size()), pack_(pack), store_all_(store_all) {}

  Status Run(BagWriter& bag, uint64_t* original_bytes) {
    std::thread a([this] { Work(0); });
    std::thread b([this] { Work(1); });
    Status s = WriteAll(bag);
    {
      std::lock_guard<std::mutex> l(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    a.join();
    b.join();
    *original_bytes += bytes_[0] + bytes_[1];
    return s;
  }

 private:
  static constexpr size_t kWindow = 64;
  static constexpr uint64_t kWindowBytes = uint64_t{256} << 20;
  struct Slot {
    bool ready = false;
    Status status;
    std::vector<PreparedFile> files;
  };

  bool MayClaim() const {
    if (next_ >= slots_.size()) return true;  // nothing left: let the worker leave
    if (next_ == written_) return true;       // the writer waits for this one
    return next_ < written_ + kWindow && in_flight_ < kWindowBytes;
  }
  void Work(int w) {
    for (;;) {
      size_t i;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [this] { return stop_ || MayClaim(); });
        if (stop_ || next_ >= slots_.size()) return;
        i = next_++;
        in_flight_ += job_.docs[i].view.document.size;
      }
      std::vector<PreparedFile> files;
      Status s = PrepareOne(job_, i, files, &bytes_[w]);
      for (PreparedFile& f : files) {
        if (!s.ok() || !pack_) break;
        f.packed = internal::PackForZip(std::move(f.bytes), store_all_ || f.stored);
        f.bytes = std::string();
      }
      {
        std::lock_guard<std::mutex> l(mu_);
        slots_[i].status = std::move(s);
        slots_[i].files = std::move(files);
        slots_[i].ready = true;
      }
      cv_.notify_all();
    }
  }
  Status WriteAll(BagWriter& bag) {
    const size_t n = slots_.size();
    for (size_t i = 0; i < n; ++i) {
      Slot slot;
      {
        std::unique_lock<std::mutex> l(mu_);
        cv_.wait(l, [&] { return slots_[i].ready; });
        slot = std::move(slots_[i]);
      }
      RETURN_IF_ERROR(slot.status);
      for (const PreparedFile& f : slot.files) RETURN_IF_ERROR(bag.PutPrepared(f));
      {
        std::lock_guard<std::mutex> l(mu_);
        ++written_;
        in_flight_ -= job_.docs[i].view.document.size;
      }
      cv_.notify_all();
      if (i % 100 == 99) job_.progress("originals", i + 1, n);
    }
    return Status::OK();
  }

  const DocumentsJob& job_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Slot> slots_;
  size_t next_ = 0, written_ = 0;
  uint64_t in_flight_ = 0;
  bool stop_ = false;
  uint64_t bytes_[2] = {0, 0};
  const bool pack_, store_all_;
};

Status WriteDocuments(const DocumentsJob& job, bool zip, const std::string& out, BagWriter& bag,
                      ExportSummary& s) {
  job.progress("originals", 0, job.docs.size());
  if (zip) {
    RETURN_IF_ERROR(ZipPipeline(job, bag.packs(), bag.store_all()).Run(bag, &s.original_bytes));
  } else {
    RETURN_IF_ERROR(WriteFolderDocuments(job, out, bag, &s.original_bytes));
  }
  for (const DocRecord& d : job.docs) s.missing_originals += d.original.empty();
  job.progress("originals", job.docs.size(), job.docs.size());
  return Status::OK();
}

}  // namespace

Result<ExportSummary> ExportBag(const archive::Archive& archive, const base::Clock& clock,
                                const ExportOptions& o) {
  const auto progress = [&](std::string_view stage, uint64_t done, uint64_t total) {
    if (o.progress) o.progress(stage, done, total);
  };
  progress("search", 0, 0);
  ASSIGN_OR_RETURN(std::vector<DocRecord> docs, FindDocuments(archive, o.query));
  std::set<std::string> ids;
  for (const DocRecord& d : docs) ids.insert(d.item.id);
  // The events that name the documents, found on the other core meanwhile.
  std::optional<Result<std::map<std::string, std::vector<EventRef>>>> events;
  std::thread scan([&] { events.emplace(CollectDocumentEvents(archive.ledger(), ids)); });
  // Here only each document's record and receipts (its size, for the
  // bounds), in one snapshot; its versions, whose fields are the slow part
  // to decode, are read by the worker that prepares it.
  const Status received = archive.ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    for (DocRecord& d : docs) {
      ASSIGN_OR_RETURN(d.view, archive.GetReceived(txn, d.item.id));
    }
    return Status::OK();
  });
  scan.join();
  RETURN_IF_ERROR(received);
  RETURN_IF_ERROR(CheckSize(o, docs));
  RETURN_IF_ERROR(CheckCancel(o));
  RETURN_IF_ERROR(events->status());
  for (DocRecord& d : docs) {
    d.events = std::move((**events)[d.item.id]);
    d.event_count = d.events.size();
  }
  events.reset();

  ExportSummary s;
  s.documents = docs.size();
  // The checkpoint every event is proved in (each by the worker that
  // prepares its document): the latest when the export starts.
  ASSIGN_OR_RETURN(const std::vector<ledger::CheckpointRecord> checkpoints,
                   ReadCheckpoints(archive.ledger()));
  s.tree_size = checkpoints.back().size;
  const std::string root_hex = checkpoints.back().root.Hex();
  // The values to pin, for bag-info.txt and the report: read before any
  // file is written, so that a trust anchor that cannot be read stops the
  // export at once.
  ASSIGN_OR_RETURN(const PinnedKeys keys, ReadPinnedKeys(archive.ledger()));

  const bool zip = internal::IsZipPath(o.out);
  std::unique_ptr<BagSink> sink;
  if (zip) {
    ASSIGN_OR_RETURN(sink, internal::NewZipSink(o.out));
  } else {
    ASSIGN_OR_RETURN(sink, internal::NewDirSink(o.out));
  }
  BagWriter bag(sink.get(), zip && o.zip_store_all);
  RETURN_IF_ERROR(bag.Put("bagit.txt", internal::BagitTxt()));
  RETURN_IF_ERROR(WriteCheckpoints(bag, archive.ledger(), checkpoints));
  // Both cores prepare the documents; a folder's are written by the two
  // workers themselves, a ZIP's by this thread (one stream). report.pdf is
  // rendered meanwhile.
  RETURN_IF_ERROR(CheckCancel(o));
  const base::Time now = clock.Now();
  std::vector<uint64_t> sizes;
  for (const DocRecord& d : docs) sizes.push_back(d.view.document.size);
  EarlyReport early(archive, Report(o, docs, base::FormatJst(now), s, checkpoints.size(), keys),
                    std::move(sizes), o.font_file);
  const Progress progress_fn = progress;
  signing::TokenSignerCache signers;
  SignerSet signer_pems;
  std::atomic<uint64_t> unproved{0};
  RETURN_IF_ERROR(WriteDocuments(DocumentsJob{archive, docs, s, root_hex, progress_fn, o.cancel,
                                              signers, signer_pems, unproved},
                                 zip, o.out, bag, s));
  s.unproved_events = unproved;
  // The report's check (and, rarely, its rendering) beside the metadata
  // and the renewal evidence.
  std::optional<Result<std::string>> pdf;
  std::thread report([&] {
    pdf.emplace(early.Take(Report(o, docs, base::FormatJst(now), s, checkpoints.size(), keys)));
  });
  const Status rest =
      WriteMetadataAndRenewals(bag, archive, clock, docs, signer_pems.Take());
  report.join();
  RETURN_IF_ERROR(rest);
  progress("finish", docs.size(), docs.size());
  progress("report", docs.size(), docs.size());
  RETURN_IF_ERROR(CheckCancel(o));
  RETURN_IF_ERROR(pdf->status());
  RETURN_IF_ERROR(bag.Put("data/report.pdf", **pdf));
  RETURN_IF_ERROR(bag.Put("VERIFY.txt", internal::VerifyTxt()));
  RETURN_IF_ERROR(bag.Put("verify_proofs.py", internal::VerifyProofsPy()));
  s.payload_files = bag.payload_files();
  s.payload_bytes = bag.payload_bytes();
  progress("sync", docs.size(), docs.size());
  RETURN_IF_ERROR(bag.Close(BagInfoHead(o, now, s, keys)));
  return s;
}

}  // namespace compliance
