// The pure half of time-stamp renewal: the records' JSON, the renewal tree
// and the verification of a document's chain at a date.
#include <algorithm>
#include <utility>

#include "base/date.h"
#include "base/hex.h"
#include "base/json.h"
#include "retention/internal/renewal_tree.h"
#include "retention/renewal.h"
#include "signing/merkle.h"
#include "signing/tsa_cert_info.h"

namespace retention {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

namespace internal {

Digest TokenLeafHash(std::string_view token_der) {
  return signing::HashLeaf(signing::Sha256(token_der).AsStringView());
}

RenewalTree::RenewalTree(std::vector<Digest> leaf_hashes) {
  levels_.push_back(std::move(leaf_hashes));
  while (levels_.back().size() > 1) {
    const std::vector<Digest>& below = levels_.back();
    std::vector<Digest> up;
    up.reserve(below.size() / 2);
    for (size_t i = 0; i + 1 < below.size(); i += 2) {
      up.push_back(signing::HashChildren(below[i], below[i + 1]));
    }
    levels_.push_back(std::move(up));
  }
}

Digest RenewalTree::Root() const { return signing::RootFromLeafHashes(levels_.front()); }

Result<std::vector<Digest>> RenewalTree::Path(uint64_t index) const {
  return signing::InclusionProof(index, size(), [this](int level, uint64_t i) -> Result<Digest> {
    if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
        i >= levels_[static_cast<size_t>(level)].size()) {
      return Status::InvalidArgument("更新の木にない節点です");
    }
    return levels_[static_cast<size_t>(level)][i];
  });
}

}  // namespace internal

namespace {

std::string DayOf(base::Time t) { return base::Date::InJapan(t).ToString(); }

json PathJson(const std::vector<Digest>& path) {
  json out = json::array();
  for (const Digest& d : path) out.push_back(d.Hex());
  return out;
}

}  // namespace

json ToJson(const RenewalRecord& r) {
  json leaves = json::array();
  for (const RenewalLeaf& l : r.leaves) leaves.push_back(json::array({l.covers, l.token_sha256.Hex()}));
  return json{{"id", r.id},
              {"at", base::FormatRfc3339(r.at)},
              {"reason", r.reason},
              {"actor", r.actor},
              {"hash", "sha256"},
              {"tree_size", r.leaves.size()},
              {"root", r.root.Hex()},
              {"leaves", leaves},
              {"token", base::HexEncode(r.token_der)},
              {"gen_time", base::FormatRfc3339(r.gen_time)},
              {"serial", r.serial_hex},
              {"tsa", r.tsa}};
}

Result<RenewalRecord> RenewalFromJson(const json& j) {
  RenewalRecord r;
  std::string root, token;
  json leaves;
  RETURN_IF_ERROR(base::JsonField(j, "id", &r.id));
  RETURN_IF_ERROR(base::JsonTimeField(j, "at", &r.at));
  RETURN_IF_ERROR(base::JsonField(j, "reason", &r.reason));
  RETURN_IF_ERROR(base::JsonField(j, "actor", &r.actor));
  RETURN_IF_ERROR(base::JsonField(j, "root", &root));
  RETURN_IF_ERROR(base::JsonField(j, "leaves", &leaves));
  RETURN_IF_ERROR(base::JsonField(j, "token", &token));
  RETURN_IF_ERROR(base::JsonTimeField(j, "gen_time", &r.gen_time));
  RETURN_IF_ERROR(base::JsonField(j, "serial", &r.serial_hex));
  RETURN_IF_ERROR(base::JsonField(j, "tsa", &r.tsa));
  const Status bad = Status::Corruption("タイムスタンプ更新の記録 " + r.id + " が壊れています");
  auto root_digest = Digest::FromHex(root);
  auto der = base::HexDecode(token);
  if (!root_digest.ok() || !der.ok() || !leaves.is_array() || leaves.empty()) return bad;
  r.root = *root_digest;
  r.token_der = std::move(*der);
  for (const json& l : leaves) {
    if (!l.is_array() || l.size() != 2 || !l[0].is_string() || !l[1].is_string()) return bad;
    auto d = Digest::FromHex(l[1].get<std::string>());
    if (!d.ok()) return bad;
    r.leaves.push_back(RenewalLeaf{l[0].get<std::string>(), *d});
  }
  return r;
}

json ToJson(const EvidenceChain& c) {
  json links = json::array();
  for (const ChainLink& l : c.links) {
    json j{{"renewal", l.renewal_id.empty() ? json(nullptr) : json(l.renewal_id)},
           {"token_sha256", signing::Sha256(l.token_der).Hex()},
           {"covered", l.covered.Hex()}};
    if (!l.renewal_id.empty()) {
      j["index"] = l.index;
      j["tree_size"] = l.tree_size;
      j["path"] = PathJson(l.path);
    }
    links.push_back(std::move(j));
  }
  return json{{"document", c.document},
              {"leaf_rule",
               "renewal leaf = SHA-256(0x00 || SHA-256(previous token DER)), node = SHA-256(0x01 "
               "|| left || right) (RFC 9162); the renewal token's imprint is the root"},
              {"links", links}};
}

namespace {

std::string LinkName(const ChainLink& l) {
  return l.renewal_id.empty() ? std::string("文書のタイムスタンプ")
                              : "更新タイムスタンプ " + l.renewal_id + " ";
}

// The last link failed at `at`: expired (FailedPrecondition) or invalid.
Status LastLinkFailure(const EvidenceChain& chain, size_t n, base::Time at, const Status& why) {
  const ChainLink& l = chain.links[n - 1];
  auto validity = signing::TokenSignerValidity(l.token_der);
  if (validity.ok() && validity->not_after < at) {
    return Status::FailedPrecondition(
        chain.document + ": " + LinkName(l) + "のタイムスタンプ局の証明書は " +
        DayOf(validity->not_after) + " に期限が切れており、" + DayOf(at) + " の時点では" +
        (n == 1 ? "更新（再タイムスタンプ）がありません（kura retention renew）"
                : "その後の更新がありません（kura retention renew）"));
  }
  return Status::Corruption(chain.document + ": " + LinkName(l) + "を " + DayOf(at) +
                            " の時点で検証できません: " + why.message());
}

}  // namespace

Status VerifyChainAt(const EvidenceChain& chain, base::Time at,
                     const signing::TimestampVerifier& verifier) {
  const std::string& doc = chain.document;
  if (chain.links.empty()) return Status::Corruption(doc + ": タイムスタンプがありません");
  // The genTimes, read before the links are verified (each is verified
  // with its link below); links made after `at` are left out.
  std::vector<base::Time> times;
  for (const ChainLink& l : chain.links) {
    auto info = signing::InspectTimestampResponse(l.token_der);
    if (!info.ok()) {
      return Status::Corruption(doc + ": " + LinkName(l) + "を読めません: " +
                                info.status().message());
    }
    if (!times.empty() && info->gen_time > at) break;
    if (!times.empty() && info->gen_time < times.back()) {
      return Status::Corruption(doc + ": " + LinkName(l) + "の時刻が前のトークンより前です");
    }
    times.push_back(info->gen_time);
  }
  const size_t n = times.size();
  for (size_t i = 0; i < n; ++i) {
    const ChainLink& l = chain.links[i];
    if (i > 0) {
      const Digest leaf = internal::TokenLeafHash(chain.links[i - 1].token_der);
      auto root = signing::RootFromInclusionProof(l.index, l.tree_size, leaf, l.path);
      if (!root.ok() || *root != l.covered) {
        return Status::Corruption(doc + ": " + LinkName(l) +
                                  "の木に前のトークンが含まれていません（包含証明が合いません）");
      }
    }
    const bool last = i + 1 == n;
    signing::TimestampVerifyOptions options;
    options.validation_time = last ? std::max(at, times[i]) : times[i + 1];
    auto v = verifier.Verify(l.token_der, l.covered, options);
    if (!v.ok()) {
      if (last) return LastLinkFailure(chain, n, *options.validation_time, v.status());
      return Status::Corruption(doc + ": " + LinkName(l) + "を次の更新の時刻 " +
                                base::FormatRfc3339(times[i + 1]) + " で検証できません: " +
                                v.status().message());
    }
  }
  return Status::OK();
}

}  // namespace retention
