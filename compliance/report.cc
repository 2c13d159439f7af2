// compliance/report.h.
#include "compliance/report.h"

#include <cstdio>

#include "compliance/requirements.h"
#include "workflow/access.h"

namespace compliance {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

Result<uint64_t> Count(const archive::Archive& archive, std::optional<bool> needs_metadata) {
  archive::SearchQuery q;
  q.limit = 1;
  q.needs_metadata = needs_metadata;
  ASSIGN_OR_RETURN(const archive::SearchResult r, archive.Search(q));
  return r.count;
}

Status ReadLog(const ledger::Ledger& ledger, ArchiveState& s) {
  ASSIGN_OR_RETURN(s.events, ledger.EventCount());
  return ledger.ForEachCheckpoint([&s](const ledger::CheckpointRecord& c) {
    ++s.checkpoints;
    s.last_checkpoint = ArchiveState::Checkpoint{c.size, c.created_at, !c.tsr_der.empty()};
    return Status::OK();
  });
}

Status ReadRetention(const retention::Retention& retention, const workflow::User& reader,
                     ArchiveState& s) {
  ASSIGN_OR_RETURN(const auto holds, retention.ListHolds(/*include_released=*/false, reader));
  s.holds_active = holds.size();
  ASSIGN_OR_RETURN(const auto requests, retention.ListDisposals(/*include_done=*/true, reader));
  for (const retention::DisposalRequest& r : requests) {
    (r.state == "disposed" ? s.disposed : s.disposal_requests_open) += 1;
  }
  return Status::OK();
}

std::string Percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) /
                                               static_cast<double>(whole));
  return buf;
}

json StateJson(const ArchiveState& s) {
  json last = nullptr;
  if (s.last_checkpoint) {
    last = json{{"size", s.last_checkpoint->size},
                {"created_at", base::FormatRfc3339(s.last_checkpoint->created_at)},
                {"timestamped", s.last_checkpoint->timestamped}};
  }
  const uint64_t covered = s.last_checkpoint ? s.last_checkpoint->size : 0;
  return json{{"documents", s.documents},
              {"needs_metadata", s.needs_metadata},
              {"timestamped", s.timestamped},
              {"timestamp_pending", s.timestamp_pending},
              {"timestamped_share", Percent(s.timestamped, s.documents)},
              {"events", s.events},
              {"checkpoints", s.checkpoints},
              {"last_checkpoint", last},
              {"events_after_last_checkpoint", s.events > covered ? s.events - covered : 0},
              {"holds_active", s.holds_active},
              {"disposal_requests_open", s.disposal_requests_open},
              {"disposed", s.disposed}};
}

std::string N(uint64_t n) { return std::to_string(n); }

std::string StateText(const ArchiveState& s) {
  std::string out = "■ この文書庫の現在の状態（" + base::FormatJst(s.as_of) + " 現在）\n";
  out += "  文書数: " + N(s.documents) + " 件（うち廃棄済み " + N(s.disposed) + " 件）\n";
  out += "  タイムスタンプ取得済み: " + N(s.timestamped) + " 件（" +
         Percent(s.timestamped, s.documents) + "）、取得待ち " + N(s.timestamp_pending) + " 件\n";
  out += "  検索項目の入力待ち（スキャン・データのない PDF）: " + N(s.needs_metadata) + " 件\n";
  out += "  イベントログ: " + N(s.events) + " 件、署名済みチェックポイント " + N(s.checkpoints) +
         " 件\n";
  if (s.last_checkpoint) {
    out += "  最新のチェックポイント: 木の大きさ " + N(s.last_checkpoint->size) + "、" +
           base::FormatJst(s.last_checkpoint->created_at) +
           (s.last_checkpoint->timestamped ? "（タイムスタンプ付き）" : "（タイムスタンプ取得待ち）") +
           "\n";
  } else {
    out += "  最新のチェックポイント: まだありません\n";
  }
  out += "  法的保存: " + N(s.holds_active) + " 件が有効、廃棄の申請（承認待ち）: " +
         N(s.disposal_requests_open) + " 件\n";
  return out;
}

std::string Join(const std::vector<std::string>& items, const std::string& indent) {
  std::string out;
  for (const std::string& i : items) out += indent + i + "\n";
  return out;
}

std::string RequirementText(const Requirement& r) {
  std::string out = "【" + r.group + "】" + r.title + " — " + r.status + "\n";
  out += "  根拠: " + r.basis + "\n";
  out += "  kura の対応: " + r.how + "\n";
  if (!r.commands.empty()) out += "  確認するコマンド:\n" + Join(r.commands, "    ");
  if (!r.screens.empty()) out += "  確認する画面・API:\n" + Join(r.screens, "    ");
  if (!r.tests.empty()) out += "  証明するテスト:\n" + Join(r.tests, "    ");
  return out;
}

}  // namespace

Result<ComplianceReport> BuildReport(const archive::Archive& archive,
                                     const retention::Retention& retention,
                                     const workflow::User& reader, base::Time now) {
  RETURN_IF_ERROR(workflow::MayReadRetention(reader));
  ComplianceReport report;
  ArchiveState& s = report.state;
  s.as_of = now;
  ASSIGN_OR_RETURN(s.documents, Count(archive, std::nullopt));
  ASSIGN_OR_RETURN(s.needs_metadata, Count(archive, true));
  ASSIGN_OR_RETURN(s.timestamp_pending, archive.PendingTimestampCount());
  s.timestamped = s.documents > s.timestamp_pending ? s.documents - s.timestamp_pending : 0;
  RETURN_IF_ERROR(ReadLog(archive.ledger(), s));
  RETURN_IF_ERROR(ReadRetention(retention, reader, s));
  ASSIGN_OR_RETURN(report.keys, ReadPinnedKeys(archive.ledger()));
  return report;
}

json ToJson(const ComplianceReport& report) {
  json requirements = json::array();
  for (const Requirement& r : Requirements()) requirements.push_back(ToJson(r));
  return json{{"title", "電子帳簿保存法 要件対応報告書"},
              {"as_of", base::FormatRfc3339(report.state.as_of)},
              {"state", StateJson(report.state)},
              {"keys", ToJson(report.keys)},
              {"requirements", requirements}};
}

std::string ReportText(const ComplianceReport& report) {
  std::string out = "電子帳簿保存法 要件対応報告書（kura）\n\n" + StateText(report.state) + "\n";
  out += "■ ピン留めする値（別の経路で控えたものと照合してください）\n";
  out += "  ログの検証鍵: " + report.keys.verifier_key + "\n";
  for (const auto& r : report.keys.tsa_roots) {
    out += "  TSA ルート証明書 SHA-256: " + r.sha256 + "（" + r.subject + "）\n";
  }
  out += "\n■ 要件ごとの対応\n";
  for (const Requirement& r : Requirements()) out += "\n" + RequirementText(r);
  return out;
}

}  // namespace compliance
