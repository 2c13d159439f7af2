// VerifyBag (compliance/verify_export.h).
#include "compliance/verify_export.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include <botan/hash.h>
#include <botan/hex.h>
#include <nlohmann/json.hpp>

#include "compliance/internal/bag_io.h"
#include "signing/checkpoint.h"
#include "signing/merkle.h"
#include "signing/note.h"
#include "signing/sha256.h"
#include "signing/tsa_verify.h"

namespace compliance {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

namespace {

struct FileInfo {
  std::string sha256, sha512;
  uint64_t size = 0;
  std::optional<std::string> bytes;  ///< everything but the originals
};
using Files = std::map<std::string, FileInfo>;

class Checker {
 public:
  Checker(const Files& files, BagCheck* out) : files_(files), out_(out) {}

  void Problem(const std::string& file, const std::string& message) {
    out_->problems.push_back(BagProblem{file, message});
  }
  const std::string* Bytes(const std::string& path) {
    const auto it = files_.find(path);
    if (it == files_.end() || !it->second.bytes) return nullptr;
    return &*it->second.bytes;
  }
  std::optional<json> Json(const std::string& path) {
    const std::string* b = Bytes(path);
    if (b == nullptr) {
      Problem(path, "ファイルがありません");
      return std::nullopt;
    }
    json j = json::parse(*b, nullptr, false);
    if (j.is_discarded()) {
      Problem(path, "JSON として読めません");
      return std::nullopt;
    }
    return j;
  }

  void Structure();
  void Manifest(const std::string& manifest, bool sha512);
  void TagManifest();
  void Oxum();
  void Checkpoints(std::string_view trusted_vkey);
  void Proofs();
  void Consistency();
  void Timestamps();

 private:
  std::optional<signing::Checkpoint> Note(const std::string& name);
  const Files& files_;
  BagCheck* out_;
  std::optional<signing::NoteVerifier> verifier_;
  std::map<std::string, std::optional<signing::Checkpoint>> notes_;
  std::optional<signing::TimestampVerifier> tsa_;
};

// "hex  path" lines; a malformed line is the manifest's problem.
std::vector<std::pair<std::string, std::string>> ParseManifest(const std::string& text,
                                                               size_t hex_len, bool* bad) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < hex_len + 3 || line.compare(hex_len, 2, "  ") != 0 ||
        line.find_first_not_of("0123456789abcdef") < hex_len) {
      *bad = true;
      continue;
    }
    out.emplace_back(line.substr(0, hex_len), line.substr(hex_len + 2));
  }
  return out;
}

void Checker::Structure() {
  const std::string* b = Bytes("bagit.txt");
  if (b == nullptr || b->find("BagIt-Version: 1.0\n") != 0 ||
      b->find("Tag-File-Character-Encoding: UTF-8\n") == std::string::npos) {
    Problem("bagit.txt", b == nullptr ? "ファイルがありません（BagIt の形式ではありません）"
                                      : "BagIt 1.0 の宣言が正しくありません");
  }
  for (const char* required : {"manifest-sha256.txt", "tagmanifest-sha256.txt", "bag-info.txt"}) {
    if (Bytes(required) == nullptr) Problem(required, "ファイルがありません");
  }
}

void Checker::Manifest(const std::string& manifest, bool sha512) {
  const std::string* text = Bytes(manifest);
  if (text == nullptr) return;
  bool bad = false;
  std::set<std::string> listed;
  for (const auto& [hex, path] : ParseManifest(*text, sha512 ? 128 : 64, &bad)) {
    listed.insert(path);
    const auto it = files_.find(path);
    if (it == files_.end()) {
      Problem(path, "ファイルがありません（" + manifest + " に載っています）");
    } else if ((sha512 ? it->second.sha512 : it->second.sha256) != hex) {
      Problem(path, std::string(sha512 ? "SHA-512" : "SHA-256") + " が " + manifest +
                        " と一致しません（このファイルが変更されています）");
    }
  }
  if (bad) Problem(manifest, "読めない行があります（このファイルが変更されています）");
  for (const auto& [path, _] : files_) {
    if (path.rfind("data/", 0) == 0 && !listed.contains(path)) {
      Problem(path, manifest + " に載っていないファイルです（後から加えられています）");
    }
  }
}

void Checker::TagManifest() {
  const std::string manifest = "tagmanifest-sha256.txt";
  const std::string* text = Bytes(manifest);
  if (text == nullptr) return;
  bool bad = false;
  std::set<std::string> listed;
  for (const auto& [hex, path] : ParseManifest(*text, 64, &bad)) {
    listed.insert(path);
    const auto it = files_.find(path);
    if (it == files_.end()) {
      Problem(path, "ファイルがありません（" + manifest + " に載っています）");
    } else if (it->second.sha256 != hex) {
      Problem(path, "SHA-256 が " + manifest + " と一致しません（" + path + " か " + manifest +
                        " が変更されています）");
    }
  }
  if (bad) Problem(manifest, "読めない行があります（このファイルが変更されています）");
  for (const auto& [path, _] : files_) {
    if (path.rfind("data/", 0) != 0 && path != manifest && !listed.contains(path)) {
      Problem(path, manifest + " に載っていないタグファイルです（" + manifest +
                        " が変更されたか、後から加えられています）");
    }
  }
}

void Checker::Oxum() {
  const std::string* info = Bytes("bag-info.txt");
  if (info == nullptr) return;
  uint64_t bytes = 0, count = 0;
  for (const auto& [path, f] : files_) {
    if (path.rfind("data/", 0) == 0) bytes += f.size, ++count;
  }
  const std::string want = "Payload-Oxum: " + std::to_string(bytes) + "." + std::to_string(count);
  if (info->find(want + "\n") == std::string::npos) {
    Problem("bag-info.txt", "Payload-Oxum が data/ のファイル（" + std::to_string(count) + " 個、" +
                                std::to_string(bytes) + " バイト）と一致しません");
  }
}

std::optional<signing::Checkpoint> Checker::Note(const std::string& name) {
  const auto it = notes_.find(name);
  if (it != notes_.end()) return it->second;
  std::optional<signing::Checkpoint> cp;
  const std::string path = "data/checkpoints/" + name;
  const std::string* note = Bytes(path);
  if (note == nullptr) {
    Problem(path, "チェックポイントがありません");
  } else if (verifier_) {
    auto v = signing::VerifyCheckpoint(*note, *verifier_);
    if (v.ok()) cp = *v;
    else Problem(path, "チェックポイントの署名を検証できません（" + v.status().message() + "）");
  }
  notes_[name] = cp;
  return cp;
}

void Checker::Checkpoints(std::string_view trusted_vkey) {
  const std::string key_path = "data/checkpoints/verifier-key.txt";
  std::string vkey(trusted_vkey);
  if (vkey.empty()) {
    const std::string* b = Bytes(key_path);
    if (b == nullptr) return Problem(key_path, "ログの検証鍵がありません");
    vkey = b->substr(0, b->find('\n'));
  }
  auto v = signing::NoteVerifier::FromVerifierKey(vkey);
  if (!v.ok()) return Problem(key_path, "ログの検証鍵が読めません（" + v.status().message() + "）");
  verifier_ = *v;
  out_->verifier_key = vkey;
  const std::string* chain = Bytes("data/timestamps/tsa-chain.pem");
  if (chain == nullptr) return Problem("data/timestamps/tsa-chain.pem", "TSA の証明書がありません");
  auto tsa = signing::TimestampVerifier::Create(*chain);
  if (!tsa.ok()) return Problem("data/timestamps/tsa-chain.pem", "証明書が読めません");
  tsa_ = std::move(*tsa);
  for (const auto& [path, f] : files_) {
    if (path.rfind("data/checkpoints/", 0) != 0 || path.size() < 5 ||
        path.substr(path.size() - 4) != ".tsr") {
      continue;
    }
    const std::string note_path = path.substr(0, path.size() - 4) + ".note";
    const std::string* note = Bytes(note_path);
    if (note == nullptr) {
      Problem(path, "対応するチェックポイントがありません");
      continue;
    }
    Note(note_path.substr(17));
    auto t = tsa_->Verify(*f.bytes, signing::Sha256(*note));
    if (!t.ok()) Problem(path, "タイムスタンプを検証できません（" + t.status().message() + "）");
    ++out_->tokens;
  }
}

void Checker::Proofs() {
  for (const auto& [path, f] : files_) {
    if (path.rfind("data/proofs/", 0) != 0) continue;
    const std::optional<json> p = Json(path);
    if (!p) continue;
    const auto cp = Note(p->value("checkpoint", ""));
    if (!cp) {
      Problem(path, "証明の基準のチェックポイントを確かめられません");
      continue;
    }
    if (cp->size != p->value("tree_size", uint64_t{0}) || cp->root.Hex() != p->value("root", "")) {
      Problem(path, "木の大きさか根がチェックポイントと一致しません");
    }
    ++out_->documents;
    for (const json& e : p->value("events", json::array())) {
      const std::string bytes = e.value("event", "");
      const Digest leaf = signing::HashLeaf(bytes);
      std::vector<Digest> proof;
      for (const json& h : e.value("inclusion_proof", json::array())) {
        auto d = Digest::FromHex(h.is_string() ? h.get<std::string>() : "");
        if (d.ok()) proof.push_back(*d);
      }
      const uint64_t index = e.value("index", uint64_t{0});
      const bool ok = leaf.Hex() == e.value("leaf_hash", "") &&
                      signing::VerifyInclusion(index, cp->size, leaf, proof, cp->root).ok();
      if (!ok) Problem(path, "イベント " + std::to_string(index) + " の包含証明が成り立ちません");
      ++out_->inclusion_proofs;
    }
  }
}

void Checker::Consistency() {
  for (const auto& [path, f] : files_) {
    if (path.rfind("data/checkpoints/consistency-", 0) != 0) continue;
    const std::optional<json> c = Json(path);
    if (!c) continue;
    const auto a = Note(c->value("old_checkpoint", ""));
    const auto b = Note(c->value("new_checkpoint", ""));
    std::vector<Digest> proof;
    for (const json& h : c->value("consistency_proof", json::array())) {
      auto d = Digest::FromHex(h.is_string() ? h.get<std::string>() : "");
      if (d.ok()) proof.push_back(*d);
    }
    if (!a || !b || !signing::VerifyConsistency(a->size, b->size, a->root, b->root, proof).ok()) {
      Problem(path, "一貫性証明が成り立ちません（ログが書き換えられたおそれがあります）");
    }
    ++out_->consistency_proofs;
  }
}

void Checker::Timestamps() {
  const std::optional<json> meta = Json("data/metadata.json");
  if (!meta || !tsa_) return;
  for (const json& row : *meta) {
    const std::string id = row.value("id", "");
    const std::string sha = row.value("sha256", "");
    const std::string original = row.value("original", json(nullptr)).is_string()
                                     ? row["original"].get<std::string>()
                                     : "";
    if (!original.empty()) {
      const auto it = files_.find(original);
      if (it == files_.end()) Problem(original, "原本がありません");
      else if (it->second.sha256 != sha) {
        Problem(original, "原本の SHA-256 が data/metadata.json（" + id + "）と一致しません");
      }
    }
    const std::string tsr_path = "data/timestamps/" + id + ".tsr";
    const std::string* tsr = Bytes(tsr_path);
    if (tsr == nullptr) continue;  // pending when exported
    const std::optional<json> rec = Json("data/timestamps/" + id + ".json");
    if (!rec) continue;
    auto digest = Digest::FromHex(sha);
    if (!digest.ok() || rec->value("document_sha256", "") != sha) {
      Problem("data/timestamps/" + id + ".json", "文書の SHA-256 が data/metadata.json と一致しません");
      continue;
    }
    Digest imprint = *digest;
    if (rec->value("kind", "") == "batch") {
      const json b = rec->value("batch", json::object());
      std::vector<Digest> path;
      for (const json& h : b.value("path", json::array())) {
        auto d = Digest::FromHex(h.is_string() ? h.get<std::string>() : "");
        if (d.ok()) path.push_back(*d);
      }
      const std::string leaf_data = digest->ToBytes();
      auto root = signing::RootFromInclusionProof(b.value("index", uint64_t{0}),
                                                  b.value("size", uint64_t{0}),
                                                  signing::HashLeaf(leaf_data), path);
      if (!root.ok()) {
        Problem("data/timestamps/" + id + ".json", "一括タイムスタンプの経路が正しくありません");
        continue;
      }
      imprint = *root;
    }
    auto t = tsa_->Verify(*tsr, imprint);
    if (!t.ok()) Problem(tsr_path, "タイムスタンプを検証できません（" + t.status().message() + "）");
    ++out_->tokens;
  }
}

}  // namespace

Result<BagCheck> VerifyBag(const std::string& path, std::string_view trusted_vkey) {
  Files files;
  auto sha512 = Botan::HashFunction::create_or_throw("SHA-512");
  RETURN_IF_ERROR(internal::ForEachBagFile(
      path, [&](const std::string& rel, uint64_t /*size*/,
                const std::function<Result<std::string_view>()>& read) -> Status {
        FileInfo f;
        signing::Sha256Hasher sha256;
        sha512->clear();
        const bool keep = rel.rfind("data/originals/", 0) != 0;
        if (keep) f.bytes.emplace();
        f.size = 0;
        for (;;) {
          ASSIGN_OR_RETURN(const std::string_view chunk, read());
          if (chunk.empty()) break;
          sha256.Update(chunk);
          sha512->update(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size());
          if (keep) f.bytes->append(chunk);
          f.size += chunk.size();
        }
        f.sha256 = sha256.Finish().Hex();
        f.sha512 = Botan::hex_encode(sha512->final(), false);
        files[rel] = std::move(f);
        return Status::OK();
      }));
  BagCheck out;
  out.files = files.size();
  Checker c(files, &out);
  c.Structure();
  c.Manifest("manifest-sha256.txt", false);
  c.Manifest("manifest-sha512.txt", true);
  c.TagManifest();
  c.Oxum();
  c.Checkpoints(trusted_vkey);
  c.Proofs();
  c.Consistency();
  c.Timestamps();
  return out;
}

}  // namespace compliance
