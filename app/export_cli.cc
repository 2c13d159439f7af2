// `kura export` and `kura verify-export`: the evidence bag
// (compliance/export.h, compliance/verify_export.h).
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "app/error_text.h"
#include "app/evidence_commands.h"
#include "app/open_archive.h"
#include "compliance/export.h"
#include "compliance/verify_export.h"

namespace app {

using base::Status;
using nlohmann::json;

namespace {

std::string QueryText(const ExportArgs& args) {
  std::string out;
  for (const auto& [name, value] : args.params) {
    out += (out.empty() ? "" : " ") + name + "=" + value;
  }
  return out;
}

}  // namespace

int CmdExport(const Context& ctx, const ExportArgs& args) {
  auto query = archive::SearchQueryFromParams(args.params);
  if (!query.ok()) {
    PrintError(ctx.err, query.status());
    return kExitUsage;
  }
  // A writer: the export proves every event in a checkpoint, and publishes
  // one first if the newest events are not covered yet. Someone who may only
  // read the data directory exports against the latest checkpoint there is.
  auto a = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!a.ok()) a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx.err, a.status());
    return kExitUsage;
  }
  if (!a->archive->ledger().read_only()) {
    if (const Status s = a->archive->ledger().PublishCheckpoint(); !s.ok()) {
      PrintError(ctx.err, s);
      return kExitFailed;
    }
  }
  compliance::ExportOptions o;
  o.query = *query;
  o.query_text = QueryText(args);
  o.out = args.out;
  if (!args.organization.empty()) o.organization = args.organization;
  const bool tty = ::isatty(::fileno(ctx.err));
  o.progress = [&](std::string_view stage, uint64_t done, uint64_t total) {
    if (stage == "search") {
      std::fprintf(ctx.err, "kura: 文書を検索しています…\n");
    } else if (stage == "originals" && (tty || done == total || done % 1000 == 0)) {
      std::fprintf(ctx.err, "%skura: 原本と証跡 %llu / %llu 件%s", tty ? "\r" : "",
                   static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                   tty && done != total ? "" : "\n");
    } else if (stage == "finish") {
      std::fprintf(ctx.err, "kura: 一覧・証明・報告書を書き出しています…\n");
    }
  };
  auto s = compliance::ExportBag(*a->archive, *ctx.clock, o);
  if (!s.ok()) {
    PrintError(ctx.err, s.status());
    return kExitFailed;
  }
  std::fprintf(ctx.err, "kura: %llu 件の文書を %s に書き出しました（原本なし %llu 件）\n",
               static_cast<unsigned long long>(s->documents), args.out.c_str(),
               static_cast<unsigned long long>(s->missing_originals));
  const json j{{"out", args.out},
               {"documents", s->documents},
               {"missing_originals", s->missing_originals},
               {"payload_files", s->payload_files},
               {"payload_bytes", s->payload_bytes},
               {"tree_size", s->tree_size},
               {"unproved_events", s->unproved_events}};
  std::fprintf(ctx.out, "%s\n", j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  return kExitOk;
}

int CmdVerifyExport(const Context& ctx, const std::string& path, const std::string& vkey) {
  auto r = compliance::VerifyBag(path, vkey);
  if (!r.ok()) {
    PrintError(ctx.err, r.status());
    return kExitUsage;
  }
  json problems = json::array();
  for (const compliance::BagProblem& p : r->problems) {
    std::fprintf(ctx.err, "kura: %s: %s\n", p.file.c_str(), p.message.c_str());
    problems.push_back(json{{"file", p.file}, {"message", p.message}});
  }
  if (r->ok()) {
    std::fprintf(ctx.err,
                 "kura: 証跡パッケージは正常です（ファイル %llu 個、文書 %llu 件、包含証明 %llu 件、"
                 "一貫性証明 %llu 件、タイムスタンプ %llu 件）\n",
                 static_cast<unsigned long long>(r->files),
                 static_cast<unsigned long long>(r->documents),
                 static_cast<unsigned long long>(r->inclusion_proofs),
                 static_cast<unsigned long long>(r->consistency_proofs),
                 static_cast<unsigned long long>(r->tokens));
    if (vkey.empty()) {
      std::fprintf(ctx.err,
                   "kura: 注意: チェックポイントはパッケージ内の検証鍵で確かめました。別の経路で"
                   "入手した鍵と照合してください: %s\n",
                   r->verifier_key.c_str());
    }
  }
  const json j{{"ok", r->ok()},
               {"files", r->files},
               {"documents", r->documents},
               {"inclusion_proofs", r->inclusion_proofs},
               {"consistency_proofs", r->consistency_proofs},
               {"tokens", r->tokens},
               {"verifier_key", r->verifier_key},
               {"problems", problems}};
  std::fprintf(ctx.out, "%s\n", j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  return r->ok() ? kExitOk : kExitFailed;
}

}  // namespace app
