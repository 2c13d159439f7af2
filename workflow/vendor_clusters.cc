#include "workflow/vendor_clusters.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <unordered_map>

#include "base/text.h"
#include "base/utf8.h"
#include "workflow/matching.h"

namespace workflow {

using nlohmann::json;

namespace {

std::u32string CodePoints(std::string_view s) {
  std::u32string out;
  base::ForEachCodePoint(s, [&](char32_t cp) {
    out.push_back(cp);
    return true;
  });
  return out;
}

std::string Utf8(std::u32string_view cps) {
  std::string out;
  for (char32_t cp : cps) base::AppendCodePoint(cp, &out);
  return out;
}

bool IsHyphen(char32_t cp) {
  return cp == U'-' || cp == U'ー' || cp == U'‐' || cp == U'−' || cp == U'―' || cp == U'‑' ||
         cp == U'–' || cp == U'—';
}

bool IsKatakana(char32_t cp) { return cp >= 0x30A1 && cp <= 0x30FA; }

}  // namespace

std::string NormalizeKana(std::string_view kana) {
  std::u32string s = CodePoints(base::NormalizeText(kana));
  for (char32_t& cp : s) {
    if (cp >= 0x3041 && cp <= 0x3096) cp += 0x60;  // hiragana → katakana
    switch (cp) {
      case U'ァ': case U'ィ': case U'ゥ': case U'ェ': case U'ォ': case U'ッ':
      case U'ャ': case U'ュ': case U'ョ': case U'ヮ':
        cp += 1;  // the small kana is one below its full-size letter
        break;
      case U'ヵ': cp = U'カ'; break;
      case U'ヶ': cp = U'ケ'; break;
      default: break;
    }
  }
  // The bank's abbreviations of legal forms: カ) (カ (カ) for 株式会社, ユ for
  // 有限会社, ド for 合同会社, and the spelled-out forms.
  // (Spelled with large kana: the small ones are large by now.)
  for (std::u32string_view form : {U"カブシキガイシヤ", U"カブシキカイシヤ", U"ユウゲンガイシヤ",
                                   U"ユウゲンカイシヤ", U"ゴウドウガイシヤ", U"ゴウドウカイシヤ"}) {
    for (size_t p = s.find(form); p != std::u32string::npos; p = s.find(form)) s.erase(p, form.size());
  }
  for (char32_t letter : {U'カ', U'ユ', U'ド', U'シ', U'ザ', U'イ', U'フ'}) {
    for (std::u32string form : {std::u32string{U'(', letter, U')'}, std::u32string{letter, U')'},
                                std::u32string{U'(', letter}}) {
      for (size_t p = s.find(form); p != std::u32string::npos; p = s.find(form)) {
        s.erase(p, form.size());
      }
    }
  }
  std::u32string out;
  for (char32_t cp : s) {
    if (cp == U' ' || cp == U'\u3000' || IsHyphen(cp) || cp == U'・' || cp == U'.' ||
        cp == U'(' || cp == U')') {
      continue;
    }
    if (!IsKatakana(cp)) return "";
    out.push_back(cp);
  }
  return Utf8(out);
}

namespace {

// A row of the clustering: a legacy number or a master entry.
struct Node {
  ClusterMember member;
  std::vector<std::pair<std::string, std::string>> ids;  // (key "C"+13 digits, kind)
  std::string bank, name_key, kana_key, address_key;
};

Node FromLegacy(const LegacyCreditor& c) {
  Node n;
  n.member = {c.number, false, c.name, c.address, c.use_count, c.last_used, c.department, ""};
  if (!c.corporate_number.empty()) n.ids.emplace_back(c.corporate_number, "corporate_number");
  if (!c.registration_number.empty()) {
    n.ids.emplace_back(c.registration_number.substr(1), "registration_number");
  }
  if (!c.bank_code.empty()) n.bank = c.bank_code + ":" + c.branch_code + ":" + c.account_number;
  n.name_key = base::NormalizeName(c.name);
  n.kana_key = NormalizeKana(c.name_kana.empty() ? c.name : c.name_kana);
  n.address_key = NormalizeAddress(c.address);
  return n;
}

Node FromMaster(const Vendor& v) {
  Node n;
  n.member = {v.id, true, v.name, v.address, 0, "", "", ""};
  if (v.registration_number.size() == 14) {
    n.ids.emplace_back(v.registration_number.substr(1), "registration_number");
  }
  // "bank:branch:type:number" → bank:branch:number
  const size_t a = v.bank_account.find(':'), b = v.bank_account.find(':', a + 1),
               c = v.bank_account.find(':', b + 1);
  if (c != std::string::npos) {
    n.bank = v.bank_account.substr(0, b) + ":" + v.bank_account.substr(c + 1);
  }
  n.name_key = base::NormalizeName(v.name);
  n.kana_key = NormalizeKana(v.account_holder);
  n.address_key = NormalizeAddress(v.address);
  return n;
}

// Union-find whose groups remember their registration / 法人 numbers and
// refuse to join two groups that each have some but share none.
class Groups {
 public:
  explicit Groups(const std::vector<Node>& nodes) : parent_(nodes.size()), ids_(nodes.size()) {
    std::iota(parent_.begin(), parent_.end(), 0);
    for (size_t i = 0; i < nodes.size(); ++i) {
      for (const auto& [id, kind] : nodes[i].ids) ids_[i].push_back(id);
    }
  }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  // True if the groups of nodes hold registration / 法人 numbers of more
  // than one vendor.
  bool Ambiguous(const std::vector<size_t>& nodes) {
    size_t first = nodes.size();
    for (size_t k = 0; k < nodes.size(); ++k) {
      const size_t r = Find(nodes[k]);
      if (ids_[r].empty()) continue;
      if (first == nodes.size()) {
        first = r;
      } else if (r != first && Conflict(ids_[first], ids_[r])) {
        return true;
      }
    }
    return false;
  }
  // True if a and b were apart and are now one group.
  bool Join(size_t a, size_t b, bool force) {
    size_t ra = Find(a), rb = Find(b);
    if (ra == rb) return false;
    if (!force && Conflict(ids_[ra], ids_[rb])) return false;
    if (ids_[ra].size() < ids_[rb].size()) std::swap(ra, rb);
    parent_[rb] = ra;
    for (auto& id : ids_[rb]) {
      if (std::find(ids_[ra].begin(), ids_[ra].end(), id) == ids_[ra].end()) ids_[ra].push_back(id);
    }
    ids_[rb].clear();
    return true;
  }

 private:
  static bool Conflict(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    if (a.empty() || b.empty()) return false;
    for (const auto& x : a) {
      if (std::find(b.begin(), b.end(), x) != b.end()) return false;
    }
    return true;
  }
  std::vector<size_t> parent_;
  std::vector<std::vector<std::string>> ids_;
};

std::string IdReason(std::string_view kind_a, std::string_view kind_b, const std::string& id) {
  if (kind_a == "registration_number" && kind_b == "registration_number") {
    return "登録番号が同じ（T" + id + "）";
  }
  if (kind_a == "corporate_number" && kind_b == "corporate_number") {
    return "法人番号が同じ（" + id + "）";
  }
  return "登録番号と法人番号が一致（T" + id + " / " + id + "）";
}

// Links every node to the first node with the same key, kind by kind.
std::vector<ClusterLink> Link(const std::vector<Node>& nodes, const ClusterInput& input,
                              Groups* groups) {
  std::vector<ClusterLink> links;
  auto add = [&](size_t a, size_t b, std::string kind, std::string reason, bool force) {
    if (groups->Join(a, b, force)) {
      links.push_back({nodes[a].member.number, nodes[b].member.number, std::move(kind),
                       std::move(reason)});
    }
  };
  std::unordered_map<std::string, size_t> by_number;
  for (size_t i = 0; i < nodes.size(); ++i) by_number.emplace(nodes[i].member.number, i);
  for (const auto& [number, survivor] : input.merged) {
    auto a = by_number.find(survivor), b = by_number.find(number);
    if (a != by_number.end() && b != by_number.end()) {
      add(a->second, b->second, "merged", "統合済み（" + number + " → " + survivor + "）", true);
    }
  }
  std::unordered_map<std::string, std::pair<size_t, std::string>> first_id;
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const auto& [id, kind] : nodes[i].ids) {
      auto [it, fresh] = first_id.emplace(id, std::make_pair(i, kind));
      if (!fresh && it->second.first != i) {
        const std::string k = kind == it->second.second ? kind : "registration_number";
        add(it->second.first, i, k, IdReason(it->second.second, kind, id), false);
      }
    }
  }
  struct Pass {
    const char* kind;
    std::string (*key)(const Node&);
    std::string (*reason)(const Node&);
  };
  const Pass passes[] = {
      {"bank_account", [](const Node& n) { return n.bank; },
       [](const Node& n) { return "口座が同じ（" + n.bank + "）"; }},
      {"name_address",
       [](const Node& n) {
         return n.name_key.empty() || n.address_key.empty() ? "" : n.name_key + "|" + n.address_key;
       },
       [](const Node& n) { return "名称と住所が同じ（" + n.name_key + "、" + n.address_key + "）"; }},
      {"kana_address",
       [](const Node& n) {
         return n.kana_key.empty() || n.address_key.empty() ? "" : n.kana_key + "|" + n.address_key;
       },
       [](const Node& n) {
         return "カナ名と住所が同じ（" + n.kana_key + "、" + n.address_key + "）";
       }},
  };
  for (const Pass& pass : passes) {
    std::unordered_map<std::string, size_t> bucket_of;  // in the order first seen
    std::vector<std::vector<size_t>> buckets;
    for (size_t i = 0; i < nodes.size(); ++i) {
      std::string key = pass.key(nodes[i]);
      if (key.empty()) continue;
      auto [it, fresh] = bucket_of.emplace(std::move(key), buckets.size());
      if (fresh) buckets.emplace_back();
      buckets[it->second].push_back(i);
    }
    for (const std::vector<size_t>& bucket : buckets) {
      // A key shared by vendors known to differ (two 法人番号: a factoring
      // account, a parent and subsidiary at one address) says nothing about
      // the numbers without one: the whole key is left out.
      if (bucket.size() < 2 || groups->Ambiguous(bucket)) continue;
      for (size_t k = 1; k < bucket.size(); ++k) {
        add(bucket[0], bucket[k], pass.kind, pass.reason(nodes[bucket[k]]), false);
      }
    }
  }
  return links;
}

bool MoreUsed(const ClusterMember& a, const ClusterMember& b) {
  if (a.in_master != b.in_master) return a.in_master;
  if (a.use_count != b.use_count) return a.use_count > b.use_count;
  if (a.last_used != b.last_used) return a.last_used > b.last_used;
  return a.number < b.number;
}

void ChooseSurvivor(VendorCluster* c, const ClusterInput& input) {
  std::sort(c->members.begin(), c->members.end(), MoreUsed);
  const ClusterMember& top = c->members.front();
  if (top.in_master) {
    c->survivor = top.number;
    for (const auto& m : c->members) {
      if (m.in_master && m.number < c->survivor) c->survivor = m.number;
    }
    c->survivor_reason = "債権者マスタに登録されている番号";
    return;
  }
  for (const auto& m : c->members) {
    for (const auto& [number, survivor] : input.merged) {
      if (survivor == m.number) {
        c->survivor = m.number;
        c->survivor_reason = "すでに他の番号の統合先になっている番号";
        return;
      }
    }
  }
  c->survivor = top.number;
  c->survivor_reason = "利用回数がいちばん多い番号（" + std::to_string(top.use_count) + " 回" +
                       (top.last_used.empty() ? "" : "、最終利用 " + top.last_used) + "）";
}

}  // namespace

std::vector<VendorCluster> FindVendorClusters(const ClusterInput& input) {
  std::vector<Node> nodes;
  nodes.reserve(input.master.size() + input.legacy.size());
  for (const Vendor& v : input.master) nodes.push_back(FromMaster(v));
  for (const LegacyCreditor& c : input.legacy) {
    nodes.push_back(FromLegacy(c));
    if (auto m = input.merged.find(c.number); m != input.merged.end()) {
      nodes.back().member.merged_into = m->second;
    }
  }
  Groups groups(nodes);
  std::vector<ClusterLink> links = Link(nodes, input, &groups);
  std::unordered_map<size_t, size_t> cluster_of_root;
  std::vector<VendorCluster> clusters;
  std::vector<size_t> root_of(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) root_of[i] = groups.Find(i);
  std::unordered_map<size_t, size_t> size_of_root;
  for (size_t r : root_of) ++size_of_root[r];
  std::unordered_map<std::string, size_t> cluster_of_number;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (size_of_root[root_of[i]] < 2) continue;
    auto [it, fresh] = cluster_of_root.emplace(root_of[i], clusters.size());
    if (fresh) clusters.emplace_back();
    clusters[it->second].members.push_back(nodes[i].member);
    cluster_of_number[nodes[i].member.number] = it->second;
  }
  for (ClusterLink& l : links) clusters[cluster_of_number[l.from]].links.push_back(std::move(l));
  std::vector<VendorCluster> open;
  for (VendorCluster& c : clusters) {
    ChooseSurvivor(&c, input);
    const bool decided = std::all_of(c.members.begin(), c.members.end(), [&](const auto& m) {
      return m.in_master || m.number == c.survivor || m.merged_into == c.survivor;
    });
    if (!decided) open.push_back(std::move(c));
  }
  std::sort(open.begin(), open.end(),
            [](const VendorCluster& a, const VendorCluster& b) { return a.survivor < b.survivor; });
  return open;
}

json ToJson(const VendorCluster& c) {
  json members = json::array(), links = json::array();
  for (const ClusterMember& m : c.members) {
    members.push_back({{"number", m.number},
                       {"source", m.in_master ? "master" : "legacy"},
                       {"name", m.name},
                       {"address", m.address},
                       {"use_count", m.use_count},
                       {"last_used", m.last_used},
                       {"department", m.department},
                       {"merged_into", m.merged_into}});
  }
  for (const ClusterLink& l : c.links) {
    links.push_back({{"from", l.from}, {"to", l.to}, {"kind", l.kind}, {"reason", l.reason}});
  }
  return {{"survivor", c.survivor},
          {"survivor_reason", c.survivor_reason},
          {"members", std::move(members)},
          {"links", std::move(links)}};
}

std::string ClustersCsv(const std::vector<VendorCluster>& clusters) {
  std::string out = "\xEF\xBB\xBF";
  out += "クラスタ,統合先候補,債権者番号,区分,債権者名,住所,利用回数,最終利用日,所管課,統合済み,理由\r\n";
  for (size_t k = 0; k < clusters.size(); ++k) {
    const VendorCluster& c = clusters[k];
    for (const ClusterMember& m : c.members) {
      std::string reasons;
      for (const ClusterLink& l : c.links) {
        if (l.from != m.number && l.to != m.number) continue;
        if (!reasons.empty()) reasons += "; ";
        reasons += (l.from == m.number ? l.to : l.from) + ": " + l.reason;
      }
      const std::string fields[] = {std::to_string(k + 1), c.survivor, m.number,
                                    m.in_master ? "債権者マスタ" : "旧債権者番号", m.name, m.address,
                                    std::to_string(m.use_count), m.last_used, m.department,
                                    m.merged_into, reasons};
      for (size_t f = 0; f < std::size(fields); ++f) {
        if (f > 0) out += ',';
        out += base::CsvField(fields[f]);
      }
      out += "\r\n";
    }
  }
  return out;
}

}  // namespace workflow
