#include "app/commands.h"

#include <deque>
#include <future>
#include <map>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "app/config.h"
#include "app/error_text.h"
#include "app/ingest_department.h"
#include "app/open_archive.h"
#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "archive/correction.h"
#include "archive/search.h"
#include "base/date.h"
#include "ledger/data_dir.h"
#include "retention/renewal.h"
#include "workflow/duplicates.h"
#include "workflow/input_deadline.h"

namespace app {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// A short Japanese phrase for people (base/status_text.h), before the
// precise detail (app/error_text.h).
void PrintError(const Context& ctx, const Status& s) { app::PrintError(ctx.err, s); }

void PrintJson(const Context& ctx, const json& j) {
  const std::string line = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::fprintf(ctx.out, "%s\n", line.c_str());
}

ledger::DataDirLayout Layout(const Context& ctx) { return ledger::DataDirLayout{ctx.data_dir}; }

}  // namespace

int CmdInit(const Context& ctx) {
  const bool existed = ctx.fs->Stat(Layout(ctx).format()).ok();
  const Status s = ledger::InitDataDir(ctx.fs, Layout(ctx), DefaultConfigText());
  if (!s.ok()) {
    PrintError(ctx, s);
    return kExitUsage;
  }
  // Opening once creates the catalog tables.
  auto a = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  std::fprintf(
      ctx.err, "kura: %s %s\n",
      existed ? "データディレクトリは初期化済みです:" : "データディレクトリを作成しました:",
      ForDisplay(ctx.data_dir).c_str());
  return kExitOk;
}

int CmdIngest(const Context& ctx, const IngestArgs& args) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    PrintError(ctx, opened.status());
    return kExitUsage;
  }
  // Before any file is read: a department nobody has, or none, would put
  // every document in no inbox.
  auto department =
      ResolveIngestDepartment(ctx, *opened, args.department, "kura ingest --department CODE FILE…");
  if (!department.ok()) {
    PrintError(ctx, department.status());
    return kExitUsage;
  }
  archive::Archive& arc = *opened->archive;
  const Config& config = opened->config;
  const uint64_t max_bytes = config.max_file_mb << 20;
  const uint64_t batch_bytes_limit = config.batch_mb << 20;
  int failures = 0;
  std::vector<archive::IncomingFile> batch;
  uint64_t batch_bytes = 0;
  // Two batches in flight: one is hashed, parsed and time-stamped while the
  // other waits for its fsyncs (Archive::Ingest serialises only its
  // writes). Results are printed in the order the files were given.
  std::deque<std::future<std::vector<base::Result<archive::IngestOutcome>>>> in_flight;
  const auto print_oldest = [&] {
    for (const auto& r : in_flight.front().get()) {
      if (r.ok()) {
        PrintJson(ctx, archive::ToJson(*r));
      } else {
        ++failures;
        PrintError(ctx, r.status());
      }
    }
    std::fflush(ctx.out);
    in_flight.pop_front();
  };
  const auto flush = [&] {
    if (batch.empty()) return;
    if (in_flight.size() == 2) print_oldest();
    in_flight.push_back(std::async(std::launch::async, [&arc, b = std::move(batch)]() mutable {
      return arc.Ingest(std::move(b));
    }));
    batch.clear();
    batch_bytes = 0;
  };

  for (const std::string& path : args.files) {
    auto bytes = ctx.fs->ReadFile(path, max_bytes);
    if (!bytes.ok()) {
      ++failures;
      PrintError(ctx, bytes.status().code() == Status::Code::kResourceExhausted
                          ? Status::ResourceExhausted(ForDisplay(path, 255) + ": ファイルが上限（" +
                                                      std::to_string(config.max_file_mb) +
                                                      " MiB、[ingest] max_file_mb）を超えています")
                          : bytes.status());
      continue;
    }
    batch_bytes += bytes->size();
    batch.push_back(archive::IncomingFile{path, *department, args.source, "cli:" + ctx.user,
                                          std::move(*bytes)});
    if (batch.size() >= config.batch_files || batch_bytes >= batch_bytes_limit) flush();
  }
  flush();
  while (!in_flight.empty()) print_oldest();
  if (failures > 0) {
    std::fprintf(ctx.err, "kura: %d 件のファイルを取り込めませんでした\n", failures);
    return kExitFailed;
  }
  return kExitOk;
}

int CmdShow(const Context& ctx, const std::string& id) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  auto view = a->archive->Get(id);
  if (!view.ok()) {
    PrintError(ctx, view.status());
    return kExitFailed;
  }
  nlohmann::json j = archive::ToJson(*view);
  // OCR proposals (kura ocr), when the document has them.
  if (auto store = archive::OcrStore::Open(a->archive.get()); store.ok()) {
    if (auto ocr = (*store)->Get(id); ocr.ok()) j["ocr"] = *ocr;
  }
  // スキャナ保存 (issue 15): a scan's input deadline, and the same invoice
  // received by another channel — by the rules the API applies.
  const auto deadline = workflow::InputDeadlineOf(*view, a->config.input_deadline,
                                                  base::Date::InJapan(ctx.clock->Now()));
  j["input_deadline"] = deadline ? workflow::ToJson(*deadline) : nlohmann::json(nullptr);
  std::vector<workflow::DuplicateMatch> duplicates;
  const base::Status read =
      a->archive->ledger().Read([&](const storage::ReadTxn& txn) -> base::Status {
        ASSIGN_OR_RETURN(duplicates, workflow::FindCrossChannelDuplicates(*a->archive, txn, *view));
        return base::Status::OK();
      });
  if (!read.ok()) {
    PrintError(ctx, read);
    return kExitFailed;
  }
  j["duplicates"] = workflow::ToJson(duplicates);
  std::fprintf(ctx.out, "%s\n", j.dump(2, ' ', false).c_str());
  return kExitOk;
}

int CmdSearch(const Context& ctx, const SearchArgs& args) {
  auto query = archive::SearchQueryFromParams(args.params);
  if (!query.ok()) {
    PrintError(ctx, query.status());
    return kExitUsage;
  }
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  archive::SearchQuery q = *query;
  if (args.output == "csv" && args.all) q.limit = 1000;
  if (args.output == "csv") std::fputs(archive::SearchCsvHeader().c_str(), ctx.out);
  uint64_t total = 0, written = 0;
  // A progress count rewritten in place (\r) only on a terminal: in a log
  // file it would be a control character on every page.
  const bool tty = ctx.err != nullptr && ::isatty(::fileno(ctx.err));
  for (bool first = true;; first = false) {
    auto r = a->archive->Search(q);
    if (!r.ok()) {
      PrintError(ctx, r.status());
      return kExitFailed;
    }
    if (args.explain) std::fprintf(ctx.err, "kura: 検索計画: %s\n", r->plan.c_str());
    if (first) total = r->count;
    if (args.output == "json") {
      PrintJson(ctx, archive::ToJson(*r));
      return kExitOk;
    }
    std::fputs(archive::SearchCsvRows(r->items).c_str(), ctx.out);
    written += r->items.size();
    if (!args.all || !r->next) break;
    if (args.all && tty && total > 5000) {
      std::fprintf(ctx.err, "\rkura: %llu / %llu 件", static_cast<unsigned long long>(written),
                   static_cast<unsigned long long>(total));
    }
    q.after = *r->next;
    q.count = false;  // counted on the first page
  }
  if (args.all && tty && total > 5000) std::fprintf(ctx.err, "\n");
  std::fprintf(ctx.err, "kura: %llu 件を書き出しました（該当 %llu 件）\n",
               static_cast<unsigned long long>(written), static_cast<unsigned long long>(total));
  return kExitOk;
}

namespace {
// Writes bytes where --out says: standard output for "" or "-"; an existing
// device, pipe or other special file as it is (written through, never
// replaced: `--out /dev/null` must leave /dev/null a device); a regular file,
// new or existing, durably through a temp file renamed over it.
int WriteOutput(const Context& ctx, const std::string& out_path, const std::string& bytes,
                bool binary) {
  if (out_path.empty() || out_path == "-") {
    if (binary && ctx.out == stdout && ::isatty(::fileno(ctx.out))) {
      PrintError(ctx,
                 Status::InvalidArgument(
                     "バイナリーデータは端末に表示しません。--out でファイル名を指定してください"));
      return kExitUsage;
    }
    std::fwrite(bytes.data(), 1, bytes.size(), ctx.out);
    return std::fflush(ctx.out) == 0 ? kExitOk : kExitFailed;
  }
  Status s;
  auto info = ctx.fs->Stat(out_path);
  if (info.ok() && info->is_directory) {
    s = Status::InvalidArgument(ForDisplay(out_path, 255) +
                                " はフォルダーです。--out にはファイル名を指定してください");
  } else if (info.ok() && !info->is_regular) {
    auto file = ctx.fs->NewWritableFile(out_path);
    s = file.ok() ? (*file)->Append(bytes) : file.status();
    if (s.ok()) s = (*file)->Close();
  } else {
    s = base::WriteFileDurably(ctx.fs, out_path, bytes);
  }
  if (!s.ok()) {
    PrintError(ctx, s);
    return kExitFailed;
  }
  return kExitOk;
}
}  // namespace

int CmdGet(const Context& ctx, const std::string& id, const std::string& out_path) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  auto bytes = a->archive->ReadOriginal(id);
  if (!bytes.ok()) {
    PrintError(ctx, bytes.status());
    return kExitFailed;
  }
  return WriteOutput(ctx, out_path, *bytes, /*binary=*/true);
}

int CmdCorrect(const Context& ctx, const CorrectArgs& args) {
  json changes = json::object();
  for (const std::string& a : args.assignments) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      PrintError(ctx, Status::InvalidArgument(
                          "--set は 項目=値 の形で指定してください（例: --set total=11000）: \"" +
                          ForDisplay(a, 100) + "\""));
      return kExitUsage;
    }
    const std::string value = a.substr(eq + 1);
    changes[a.substr(0, eq)] = value.empty() ? json(nullptr) : json(value);
  }
  auto patch = archive::NormalizeCorrection(changes);
  if (!patch.ok()) {
    PrintError(ctx, patch.status());
    return kExitUsage;
  }
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    PrintError(ctx, opened.status());
    return kExitUsage;
  }
  auto wf = OpenWorkflowFor(ctx, *opened);
  if (!wf.ok()) {
    PrintError(ctx, wf.status());
    return kExitUsage;
  }
  // The same rules as the API: a draft order follows the correction, an
  // order under way refuses it (recorded as "cli:<OS user>").
  auto v = (*wf)->CorrectDocument({args.id, std::move(*patch), args.reason, args.expected_version},
                                  workflow::Workflow::SystemUser(ctx.user));
  if (!v.ok()) {
    PrintError(ctx, v.status());
    return kExitFailed;
  }
  PrintJson(ctx, archive::ToJson(*v));
  return kExitOk;
}

namespace {

// `kura verify --at DATE`: every stamped document's renewal chain verified
// as if today were DATE (00:00 in Japan); failures join the report.
Status VerifyRenewalChainsAt(const Context& ctx, const OpenedArchive& a, base::Date date,
                             archive::VerifyReport* report, uint64_t* chains) {
  ASSIGN_OR_RETURN(const std::unique_ptr<retention::Renewal> renewal,
                   retention::Renewal::Open(a.archive.get(), ctx.clock, a.config.renewal));
  const base::Time at = base::Time(std::chrono::sys_days(std::chrono::days(date.DaysSinceEpoch()))) -
                        std::chrono::hours(9);
  ASSIGN_OR_RETURN(std::vector<ledger::VerifyFailure> failed, renewal->VerifyAt(at, chains));
  for (auto& f : failed) report->failed.push_back(std::move(f));
  return Status::OK();
}

}  // namespace

int CmdVerify(const Context& ctx, const VerifyArgs& args) {
  archive::VerifyOptions options;
  for (auto [text, field] : {std::pair{&args.from, &options.from}, {&args.to, &options.to}}) {
    if (text->empty()) continue;
    auto d = base::Date::Parse(*text);
    if (!d.ok()) {
      PrintError(ctx, d.status());
      return kExitUsage;
    }
    *field = *d;
  }
  std::optional<base::Date> at;
  if (!args.at.empty()) {
    auto d = base::Date::Parse(args.at);
    if (!d.ok()) {
      PrintError(ctx, d.status());
      return kExitUsage;
    }
    at = *d;
  }
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  const bool show_progress = !args.quiet && ::isatty(::fileno(ctx.err));
  if (show_progress) {
    options.on_stage = [&](std::string_view stage) {
      static const std::map<std::string_view, const char*> kStages = {
          {"checkpoints", "署名済みチェックポイントを検証しています…"},
          {"log", "イベントログを再生しています…"},
          {"catalog", "台帳と検索索引を照合しています…"},
          {"modules", "支出命令などの業務記録を照合しています…"},
          {"documents", "原本とタイムスタンプを検証しています…"}};
      auto it = kStages.find(stage);
      if (it != kStages.end()) std::fprintf(ctx.err, "%s\n", it->second);
    };
  }
  auto report = a->archive->Verify(options, [&](uint64_t done, uint64_t total) {
    if (show_progress) {
      std::fprintf(ctx.err, "\r検証中 %llu / %llu 件", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
    }
  });
  if (show_progress) std::fprintf(ctx.err, "\n");
  if (!report.ok()) {
    PrintError(ctx, report.status());
    return kExitFailed;
  }
  uint64_t chains = 0;
  if (at) {
    const Status s = VerifyRenewalChainsAt(ctx, *a, *at, &*report, &chains);
    if (!s.ok()) {
      PrintError(ctx, s);
      return kExitFailed;
    }
  }
  for (const auto& f : report->failed) {
    std::fprintf(ctx.err, "kura: 検証失敗 %s (%s): %s\n", ForDisplay(f.id).c_str(),
                 ForDisplay(f.reason).c_str(), ForDisplay(f.detail).c_str());
  }
  if (!args.quiet) {
    std::fprintf(ctx.err,
                 "kura: 文書 %llu 件中 %llu 件が正常 (タイムスタンプ %llu 件を検証、ログ %llu 件、"
                 "署名済みチェックポイント %llu、支出命令などの業務記録 %llu 件を照合)\n",
                 static_cast<unsigned long long>(report->documents),
                 static_cast<unsigned long long>(report->ok),
                 static_cast<unsigned long long>(report->tokens_checked),
                 static_cast<unsigned long long>(report->events),
                 static_cast<unsigned long long>(report->checkpoint_size),
                 static_cast<unsigned long long>(report->module_records));
    if (report->unpublished_events > 0) {
      std::fprintf(ctx.err,
                   "kura: 直近のイベント %llu 件は照合済みですが、まだ署名済みチェックポイントに"
                   "含まれていません (数秒以内に公開されます)\n",
                   static_cast<unsigned long long>(report->unpublished_events));
    }
  }
  json summary = archive::ToJson(*report);
  if (at) {
    summary["at"] = at->ToString();
    summary["renewal_chains_checked"] = chains;
  }
  PrintJson(ctx, summary);
  return report->failed.empty() ? kExitOk : kExitFailed;
}

int CmdToken(const Context& ctx, const std::string& id, const std::string& out_path) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  auto der = a->archive->TimestampResponse(id);
  if (!der.ok()) {
    PrintError(ctx, der.status());
    return kExitFailed;
  }
  auto record = a->archive->TimestampRecord(id);
  if (record.ok() && (*record)["kind"] == "batch") {
    std::fprintf(ctx.err,
                 "kura: このトークンはバッチのMerkleルートに対するものです。"
                 "文書の包含証明は `kura show` ではなく token 記録にあります: %s\n",
                 record->dump().c_str());
  }
  return WriteOutput(ctx, out_path, *der, /*binary=*/true);
}

int CmdTsaCert(const Context& ctx, const std::string& out_path) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  return WriteOutput(ctx, out_path, a->archive->ledger().TrustedTsaPem(), /*binary=*/false);
}

int CmdLogCheckpoint(const Context& ctx) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  auto note = a->archive->ledger().LatestCheckpoint();
  if (!note.ok()) {
    PrintError(ctx, note.status());
    return kExitFailed;
  }
  std::fputs(note->c_str(), ctx.out);
  std::fprintf(ctx.err, "kura: 検証鍵 (verifier key): %s\n",
               a->archive->ledger().VerifierKey().c_str());
  return kExitOk;
}

int CmdTimestampRetry(const Context& ctx) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!a.ok()) {
    PrintError(ctx, a.status());
    return kExitUsage;
  }
  auto granted = a->archive->RetryPendingTimestamps();
  if (!granted.ok()) {
    PrintError(ctx, granted.status());
    return kExitFailed;
  }
  auto left = a->archive->PendingTimestampCount();
  PrintJson(ctx, json{{"granted", *granted}, {"pending", left.ok() ? *left : 0}});
  return left.ok() && *left == 0 ? kExitOk : kExitFailed;
}

}  // namespace app
