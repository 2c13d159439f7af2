// Workflow: legacy creditor numbers — the import of the old finance
// system's export, the proposed clusters, and the merges of numbers into
// their survivor (workflow.h "Legacy creditor numbers"). Each change is one
// Ledger::Write with its event; the slow work (parsing the CSV, clustering)
// happens outside every transaction.
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "archive/search.h"
#include "base/json.h"
#include "ledger/event_types.h"
#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

constexpr size_t kChunkRows = 1000;
// A merge's or undo's reason: about 1,000 characters of Japanese.
constexpr size_t kMaxReasonBytes = 3000;

Status CheckReason(const std::string& reason) {
  if (reason.size() > kMaxReasonBytes) {
    return Status::InvalidArgument("理由が長すぎます（1,000 字程度まで）");
  }
  return Status::OK();
}

std::string Numbered(const char* prefix, uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%0*llu", prefix, width, static_cast<unsigned long long>(n));
  return buf;
}

// The latest row of every legacy number, by number.
Status LoadLegacy(const storage::ReadTxn& txn, const internal::Tables& t,
                  std::map<std::string, LegacyCreditor>* out) {
  return internal::ForEach(txn, t.legacy_rows, [&](std::string_view key, std::string_view bytes) {
    ASSIGN_OR_RETURN(const json chunk, internal::ParseRecord(t.legacy_rows, key, bytes));
    if (!chunk.is_array()) return Status::Corruption("旧債権者番号の記録が壊れています");
    for (const json& row : chunk) {
      ASSIGN_OR_RETURN(LegacyCreditor c, LegacyCreditorFromJson(row));
      std::string number = c.number;
      (*out)[std::move(number)] = std::move(c);
    }
    return Status::OK();
  });
}

bool IsActive(const json& merge) { return !merge.contains("undone_at"); }

// Active merges: number → survivor.
Status LoadMerges(const storage::ReadTxn& txn, const internal::Tables& t,
                  std::map<std::string, json>* out) {
  return internal::ForEach(txn, t.legacy_merges, [&](std::string_view key, std::string_view bytes) {
    ASSIGN_OR_RETURN(json m, internal::ParseRecord(t.legacy_merges, key, bytes));
    if (IsActive(m)) out->emplace(std::string(key), std::move(m));
    return Status::OK();
  });
}

// The active merge of number, or null.
Result<json> ActiveMerge(const storage::ReadTxn& txn, const internal::Tables& t,
                         std::string_view number) {
  auto m = internal::GetRecord(txn, t.legacy_merges, number, "");
  if (!m.ok()) {
    if (m.status().IsNotFound()) return json(nullptr);
    return m.status();
  }
  if (!IsActive(*m)) return json(nullptr);
  return std::move(*m);
}

// True if every wanted number was imported; found gets those that were.
// A chunk is parsed only if its bytes hold one of the numbers as a JSON
// string, so that the check inside a merge's transaction stays short.
Result<bool> AllImported(const storage::ReadTxn& txn, const internal::Tables& t,
                         const std::set<std::string>& wanted, std::set<std::string>* found) {
  RETURN_IF_ERROR(internal::ForEach(txn, t.legacy_rows, [&](std::string_view key,
                                                            std::string_view bytes) {
    bool candidate = false;
    for (const std::string& n : wanted) {
      candidate = candidate || (!found->count(n) && bytes.find("\"" + n + "\"") != bytes.npos);
    }
    if (!candidate) return Status::OK();
    ASSIGN_OR_RETURN(const json chunk, internal::ParseRecord(t.legacy_rows, key, bytes));
    for (const json& row : chunk) {
      ASSIGN_OR_RETURN(const LegacyCreditor c, LegacyCreditorFromJson(row));
      if (wanted.count(c.number)) found->insert(c.number);
    }
    return Status::OK();
  }));
  return found->size() == wanted.size();
}

}  // namespace

Result<std::string> Workflow::Rep::ResolveVendorId(const storage::ReadTxn& txn,
                                                   std::string_view id) const {
  if (txn.Get(tables.vendors, id).ok()) return std::string(id);
  ASSIGN_OR_RETURN(const json merge, ActiveMerge(txn, tables, id));
  if (merge.is_null()) return std::string(id);
  return merge.at("survivor").get<std::string>();
}

Result<std::string> Workflow::ImportLegacyCreditors(const LegacyParse& parse,
                                                    std::string_view file_name,
                                                    std::string_view sha256_hex,
                                                    const User& actor) {
  if (parse.rows.empty()) return Status::InvalidArgument("取り込める行がありません");
  // The chunks are built before the transaction.
  std::vector<json> chunks;
  for (size_t i = 0; i < parse.rows.size(); i += kChunkRows) {
    json chunk = json::array();
    for (size_t j = i; j < parse.rows.size() && j < i + kChunkRows; ++j) {
      chunk.push_back(ToJson(parse.rows[j]));
    }
    chunks.push_back(std::move(chunk));
  }
  json skipped = json::array();
  for (const LegacyRowError& e : parse.errors) {
    skipped.push_back({{"line", e.line}, {"number", e.number}, {"message", e.message}});
  }
  std::string id;
  RETURN_IF_ERROR(
      rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
        ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
        RETURN_IF_ERROR(MayManageVendors(me));
        uint64_t imports = 0;
        RETURN_IF_ERROR(internal::ForEach(txn, rep_->tables.legacy_imports,
                                          [&](std::string_view, std::string_view) {
                                            ++imports;
                                            return Status::OK();
                                          }));
        id = Numbered("L", imports + 1, 6);
        for (size_t k = 0; k < chunks.size(); ++k) {
          RETURN_IF_ERROR(internal::PutRecord(txn, rep_->tables.legacy_rows,
                                              id + "/" + Numbered("", k + 1, 6), chunks[k]));
        }
        const json record = {{"id", id},
                             {"file", std::string(file_name)},
                             {"sha256", std::string(sha256_hex)},
                             {"encoding", parse.encoding},
                             {"rows", parse.rows.size()},
                             {"chunks", chunks.size()},
                             {"skipped", skipped},
                             {"imported_by", me.login},
                             {"imported_at", base::FormatRfc3339(rep_->clock->Now())}};
        RETURN_IF_ERROR(internal::PutRecord(txn, rep_->tables.legacy_imports, id, record));
        json e = rep_->Event(ledger::event::kLegacyCreditorsImported, me);
        e["import"] = record;
        return append(e).status();
      }));
  return id;
}

Result<std::vector<LegacyCreditor>> Workflow::ListLegacyCreditors(const User& viewer) const {
  RETURN_IF_ERROR(MayReviewCreditors(viewer));
  std::map<std::string, LegacyCreditor> all;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    all.clear();
    return LoadLegacy(txn, rep_->tables, &all);
  }));
  std::vector<LegacyCreditor> out;
  out.reserve(all.size());
  for (auto& [number, c] : all) out.push_back(std::move(c));
  return out;
}

Result<std::vector<VendorCluster>> Workflow::FindDuplicateCreditors(const User& viewer) const {
  RETURN_IF_ERROR(MayReviewCreditors(viewer));
  ClusterInput input;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    input = ClusterInput{};
    std::map<std::string, LegacyCreditor> all;
    RETURN_IF_ERROR(LoadLegacy(txn, rep_->tables, &all));
    for (auto& [number, c] : all) input.legacy.push_back(std::move(c));
    std::map<std::string, json> merges;
    RETURN_IF_ERROR(LoadMerges(txn, rep_->tables, &merges));
    for (const auto& [number, m] : merges) input.merged[number] = m.at("survivor");
    return internal::ForEach(txn, rep_->tables.vendors, [&](std::string_view, std::string_view v) {
      ASSIGN_OR_RETURN(json j, base::ParseJson(v));
      ASSIGN_OR_RETURN(Vendor vendor, VendorFromJson(j));
      input.master.push_back(std::move(vendor));
      return Status::OK();
    });
  }));
  return FindVendorClusters(input);
}

namespace {

using DepartmentUse = std::map<std::string, Workflow::VendorDepartment>;

// The departments' commitments naming the vendor id (or a number that
// merges resolves to it).
Status CountCommitments(const storage::ReadTxn& txn, const internal::Tables& t,
                        const std::map<std::string, json>& merges, const std::string& id,
                        DepartmentUse* out) {
  return internal::ForEach(txn, t.commitments, [&](std::string_view key, std::string_view bytes) {
    ASSIGN_OR_RETURN(const json c, internal::ParseRecord(t.commitments, key, bytes));
    std::string vendor = internal::StringOr(c, "vendor_id");
    if (auto m = merges.find(vendor); m != merges.end()) vendor = m->second.value("survivor", "");
    if (vendor == id) ++(*out)[internal::StringOr(c, "department")].commitments;
    return Status::OK();
  });
}

// The departments of the legacy numbers merged into id (所管課 of each).
Status AddLegacyDepartments(const storage::ReadTxn& txn, const internal::Tables& t,
                            const std::map<std::string, json>& merges, const std::string& id,
                            DepartmentUse* out) {
  std::set<std::string> wanted;
  for (const auto& [number, m] : merges) {
    if (m.value("survivor", "") == id) wanted.insert(number);
  }
  if (wanted.empty()) return Status::OK();
  std::map<std::string, LegacyCreditor> latest;  // a number imported again: the later row
  RETURN_IF_ERROR(internal::ForEach(txn, t.legacy_rows, [&](std::string_view key,
                                                            std::string_view bytes) {
    bool candidate = false;
    for (const std::string& n : wanted) {
      candidate = candidate || bytes.find("\"" + n + "\"") != bytes.npos;
    }
    if (!candidate) return Status::OK();
    ASSIGN_OR_RETURN(const json chunk, internal::ParseRecord(t.legacy_rows, key, bytes));
    for (const json& row : chunk) {
      ASSIGN_OR_RETURN(LegacyCreditor c, LegacyCreditorFromJson(row));
      if (wanted.count(c.number)) latest[c.number] = std::move(c);
    }
    return Status::OK();
  }));
  for (const auto& [number, c] : latest) {
    if (!c.department.empty()) (*out)[c.department].legacy_numbers.push_back(number);
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<Workflow::VendorDepartment>> Workflow::VendorDepartments(
    std::string_view id) const {
  std::vector<VendorDepartment> result;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    const internal::Tables& t = rep_->tables;
    ASSIGN_OR_RETURN(const Vendor vendor, rep_->LoadVendor(txn, id));
    std::map<std::string, json> merges;
    RETURN_IF_ERROR(LoadMerges(txn, t, &merges));
    DepartmentUse by_code;
    RETURN_IF_ERROR(CountCommitments(txn, t, merges, vendor.id, &by_code));
    RETURN_IF_ERROR(AddLegacyDepartments(txn, t, merges, vendor.id, &by_code));
    if (!vendor.registration_number.empty()) {
      archive::SearchQuery q;
      q.registration_numbers = {vendor.registration_number};
      q.limit = 1000;
      for (bool more = true; more;) {
        ASSIGN_OR_RETURN(const archive::SearchResult page, rep_->archive->Search(txn, q));
        for (const archive::SearchItem& item : page.items) {
          if (!item.department.empty()) ++by_code[item.department].invoices;
        }
        more = page.next.has_value() && !page.items.empty();
        if (more) q.after = *page.next;
        q.count = false;
      }
    }
    result.clear();
    for (auto& [code, d] : by_code) {
      if (code.empty()) continue;
      d.code = code;
      auto dept = internal::GetRecord(txn, t.departments, code, "");
      d.name = dept.ok() ? internal::StringOr(*dept, "name") : code;
      if (d.name.empty()) d.name = code;
      result.push_back(std::move(d));
    }
    return Status::OK();
  }));
  return result;
}

Result<std::vector<Workflow::CreditorMerge>> Workflow::ListCreditorMerges(
    const User& viewer) const {
  RETURN_IF_ERROR(MayReviewCreditors(viewer));
  std::vector<CreditorMerge> out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    out.clear();
    std::map<std::string, json> merges;
    RETURN_IF_ERROR(LoadMerges(txn, rep_->tables, &merges));
    for (const auto& [number, m] : merges) {
      out.push_back({number, m.value("survivor", ""), m.value("merged_by", ""),
                     m.value("merged_at", ""), m.value("reason", "")});
    }
    return Status::OK();
  }));
  return out;
}

namespace {

// The checks of MergeCreditors on one number, inside its transaction.
Status CheckMergeable(const storage::ReadTxn& txn, const internal::Tables& t,
                      const std::map<std::string, json>& merges, const std::string& survivor,
                      const std::string& number, bool* already) {
  if (number == survivor) {
    return Status::InvalidArgument("統合先と同じ番号は統合できません: " + number);
  }
  if (txn.Get(t.vendors, number).ok()) {
    return Status::InvalidArgument("債権者マスタの番号は統合できません（統合できるのは旧債権者番号です）: " +
                                   number);
  }
  for (const auto& [other, m] : merges) {
    if (m.at("survivor") == number) {
      return Status::FailedPrecondition("番号 " + number + " には " + other +
                                        " などが統合されています。先にそれらの統合を取り消してください");
    }
  }
  *already = false;
  if (auto it = merges.find(number); it != merges.end()) {
    const std::string to = it->second.at("survivor");
    if (to == survivor) {
      *already = true;
      return Status::OK();
    }
    return Status::Aborted("番号 " + number + " はすでに " + to +
                           " に統合されています。変えるときは先に統合を取り消してください");
  }
  return Status::OK();
}

}  // namespace

Status Workflow::MergeCreditors(std::string_view survivor_in,
                                const std::vector<std::string>& numbers_in, const User& actor,
                                std::string_view reason_in) {
  const std::string survivor = internal::Clean(survivor_in);
  const std::string reason = internal::Clean(reason_in);
  RETURN_IF_ERROR(CheckReason(reason));
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("統合の理由（同じ取引先と判断した根拠）を入力してください");
  }
  std::set<std::string> numbers;
  for (const std::string& n : numbers_in) numbers.insert(internal::Clean(n));
  if (survivor.empty() || numbers.empty()) {
    return Status::InvalidArgument("統合先と、統合する番号を一つ以上指定してください");
  }
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayManageVendors(me));
    std::map<std::string, json> merges;
    RETURN_IF_ERROR(LoadMerges(txn, rep_->tables, &merges));
    if (auto it = merges.find(survivor); it != merges.end()) {
      return Status::FailedPrecondition("統合先の " + survivor + " は " +
                                        it->second.at("survivor").get<std::string>() +
                                        " に統合されています。統合先にはそちらを指定してください");
    }
    std::set<std::string> wanted = numbers, found;
    const bool survivor_in_master = txn.Get(rep_->tables.vendors, survivor).ok();
    if (!survivor_in_master) wanted.insert(survivor);
    ASSIGN_OR_RETURN(const bool all_known, AllImported(txn, rep_->tables, wanted, &found));
    if (!all_known) {
      for (const std::string& n : wanted) {
        if (!found.count(n)) return Status::NotFound("取り込まれていない債権者番号です: " + n);
      }
    }
    const std::string now = base::FormatRfc3339(rep_->clock->Now());
    json merged = json::array();
    for (const std::string& n : numbers) {
      bool already = false;
      RETURN_IF_ERROR(CheckMergeable(txn, rep_->tables, merges, survivor, n, &already));
      if (already) continue;
      json record = {{"number", n}, {"survivor", survivor}, {"merged_by", me.login},
                     {"merged_at", now}};
      if (!reason.empty()) record["reason"] = reason;
      RETURN_IF_ERROR(internal::PutRecord(txn, rep_->tables.legacy_merges, n, record));
      merged.push_back(n);
    }
    if (merged.empty()) return Status::OK();  // no change, no write
    json e = rep_->Event(ledger::event::kVendorMerged, me);
    e["survivor"] = survivor;
    e["numbers"] = merged;
    if (!reason.empty()) e["reason"] = reason;
    return append(e).status();
  });
}

Status Workflow::UnmergeCreditors(const std::vector<std::string>& numbers_in, const User& actor,
                                  std::string_view reason_in) {
  const std::string reason = internal::Clean(reason_in);
  RETURN_IF_ERROR(CheckReason(reason));
  std::set<std::string> numbers;
  for (const std::string& n : numbers_in) numbers.insert(internal::Clean(n));
  if (numbers.empty()) return Status::InvalidArgument("統合を取り消す番号を指定してください");
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayManageVendors(me));
    const std::string now = base::FormatRfc3339(rep_->clock->Now());
    json undone = json::array();
    for (const std::string& n : numbers) {
      ASSIGN_OR_RETURN(json m, ActiveMerge(txn, rep_->tables, n));
      if (m.is_null()) return Status::NotFound("統合されていない番号です: " + n);
      undone.push_back({{"number", n}, {"survivor", m.at("survivor")}});
      m["undone_by"] = me.login;
      m["undone_at"] = now;
      if (!reason.empty()) m["undo_reason"] = reason;
      RETURN_IF_ERROR(internal::PutRecord(txn, rep_->tables.legacy_merges, n, m));
    }
    json e = rep_->Event(ledger::event::kVendorUnmerged, me);
    e["merges"] = undone;
    if (!reason.empty()) e["reason"] = reason;
    return append(e).status();
  });
}

Result<std::string> Workflow::ResolveCreditor(std::string_view number) const {
  std::string out;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    ASSIGN_OR_RETURN(out, rep_->ResolveVendorId(txn, internal::Clean(number)));
    return Status::OK();
  }));
  return out;
}

}  // namespace workflow
