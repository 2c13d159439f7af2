// `kura log proof | consistency | checkpoints`: the event log's proofs, for
// anyone to check with an RFC 9162 verifier (app/evidence_commands.h).
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "app/error_text.h"
#include "app/evidence_commands.h"
#include "app/open_archive.h"
#include "compliance/document_events.h"

namespace app {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

void Print(const Context& ctx, const json& j, int indent) {
  std::fprintf(ctx.out, "%s\n",
               j.dump(indent, ' ', false, json::error_handler_t::replace).c_str());
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    if (i + 1 < in.size()) v |= uint8_t(in[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

// The events to prove: the document's (all, or the one asked for), or the
// one event alone.
Result<std::vector<uint64_t>> EventsToProve(const archive::Archive& archive,
                                            const LogProofArgs& args) {
  if (args.id.empty()) return std::vector<uint64_t>{*args.event};
  RETURN_IF_ERROR(archive.Get(args.id).status());
  ASSIGN_OR_RETURN(auto events, compliance::CollectDocumentEvents(archive.ledger(), {args.id}));
  std::vector<uint64_t> out;
  for (const compliance::EventRef& e : events[args.id]) {
    if (!args.event || *args.event == e.index) out.push_back(e.index);
  }
  if (args.event && out.empty()) {
    return Status::NotFound("イベント " + std::to_string(*args.event) + " は文書 " + args.id +
                            " のイベントではありません");
  }
  return out;
}

Result<json> ProveAll(const archive::Archive& archive, const std::vector<uint64_t>& indices,
                      uint64_t* not_covered) {
  json events = json::array();
  json out;
  RETURN_IF_ERROR(archive.ledger().ProveEvents(
      indices,
      [&](const ledger::EventProof& p) -> Status {
        json path = json::array();
        for (const auto& h : p.proof) path.push_back(h.Hex());
        const json e = json::parse(p.event, nullptr, false);
        events.push_back(json{{"index", p.index},
                              {"type", e.is_object() ? e.value("type", "") : ""},
                              {"event", p.event},
                              {"leaf_hash", p.leaf_hash.Hex()},
                              {"inclusion_proof", path}});
        out["tree_size"] = p.tree_size;
        out["checkpoint"] = p.checkpoint;
        return Status::OK();
      },
      not_covered));
  out["events"] = std::move(events);
  return out;
}

// Adds what the receipt-only output had (event_index, event, leaf_hash,
// inclusion_proof of the document.received event), and the time-stamp.
void AddDocumentParts(const archive::Archive& archive, const std::string& id, json* out) {
  (*out)["id"] = id;
  for (const json& e : (*out)["events"]) {
    if (e["type"] != "document.received") continue;
    (*out)["event_index"] = e["index"];
    (*out)["event"] = e["event"];
    (*out)["leaf_hash"] = e["leaf_hash"];
    (*out)["inclusion_proof"] = e["inclusion_proof"];
  }
  auto token = archive.TimestampRecord(id);
  if (!token.ok()) return;
  json t = *token;
  auto view = archive.Get(id);
  if (view.ok()) t["document_sha256"] = view->document.sha256;
  if (t.value("kind", "") == "batch") t["leaf_rule"] = compliance::kBatchLeafRule;
  (*out)["timestamp"] = std::move(t);
}

}  // namespace

int CmdLogProof(const Context& ctx, const LogProofArgs& args) {
  if (args.id.empty() && !args.event) {
    PrintError(ctx.err, Status::InvalidArgument("文書ID か --event を指定してください"));
    return kExitUsage;
  }
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx.err, a.status());
    return kExitUsage;
  }
  auto indices = EventsToProve(*a->archive, args);
  if (!indices.ok()) {
    PrintError(ctx.err, indices.status());
    return kExitFailed;
  }
  uint64_t not_covered = 0;
  auto proved = ProveAll(*a->archive, *indices, &not_covered);
  if (!proved.ok() || not_covered > 0) {
    // Received moments ago: no checkpoint covers it yet. Publish one now
    // (as a writer, beside a running server if there is one) and prove.
    a->archive.reset();
    a = OpenArchiveFor(ctx, /*read_only=*/false);
    Status s = a.ok() ? a->archive->ledger().PublishCheckpoint() : a.status();
    if (s.ok()) proved = ProveAll(*a->archive, *indices, &not_covered);
    if (!s.ok() || !proved.ok()) {
      PrintError(ctx.err, s.ok() ? proved.status() : s);
      return kExitFailed;
    }
  }
  json out = std::move(*proved);
  out["leaf_rule"] = compliance::kEventLeafRule;
  out["verifier_key"] = a->archive->ledger().VerifierKey();
  if (!args.id.empty()) AddDocumentParts(*a->archive, args.id, &out);
  Print(ctx, out, 2);
  return kExitOk;
}

int CmdLogConsistency(const Context& ctx, uint64_t old_size, uint64_t new_size) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx.err, a.status());
    return kExitUsage;
  }
  auto p = a->archive->ledger().ProveConsistency(old_size, new_size);
  if (!p.ok()) {
    PrintError(ctx.err, p.status());
    return p.status().IsInvalidArgument() ? kExitUsage : kExitFailed;
  }
  json path = json::array();
  for (const auto& h : p->proof) path.push_back(h.Hex());
  Print(ctx,
        json{{"old_size", p->size1},
             {"new_size", p->size2},
             {"old_root", p->root1.Hex()},
             {"new_root", p->root2.Hex()},
             {"consistency_proof", path},
             {"verifier_key", a->archive->ledger().VerifierKey()}},
        2);
  return kExitOk;
}

int CmdLogCheckpoints(const Context& ctx, const std::string& out_dir) {
  auto a = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!a.ok()) {
    PrintError(ctx.err, a.status());
    return kExitUsage;
  }
  std::error_code ec;
  if (!out_dir.empty()) std::filesystem::create_directories(out_dir, ec);
  const Status s = a->archive->ledger().ForEachCheckpoint([&](const ledger::CheckpointRecord& c) {
    json j{{"size", c.size},
           {"root", c.root.Hex()},
           {"created_at", base::FormatRfc3339(c.created_at)},
           {"note", c.note},
           {"tsr", c.tsr_der.empty() ? json(nullptr) : json(Base64(c.tsr_der))}};
    Print(ctx, j, -1);
    if (out_dir.empty()) return Status::OK();
    const std::string base = out_dir + "/" + std::to_string(c.size);
    std::ofstream(base + ".note", std::ios::binary) << c.note;
    if (!c.tsr_der.empty()) std::ofstream(base + ".tsr", std::ios::binary) << c.tsr_der;
    return Status::OK();
  });
  if (!s.ok()) {
    PrintError(ctx.err, s);
    return kExitFailed;
  }
  std::fprintf(ctx.err, "kura: 検証鍵 (verifier key): %s\n",
               a->archive->ledger().VerifierKey().c_str());
  return kExitOk;
}

}  // namespace app
