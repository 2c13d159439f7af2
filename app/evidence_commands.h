// The commands for outside auditors: log proofs (`kura log proof`, `kura
// log consistency`, `kura log checkpoints`) and the evidence export (`kura
// export`, `kura verify-export`). Conventions as app/commands.h.
#ifndef APP_EVIDENCE_COMMANDS_H_
#define APP_EVIDENCE_COMMANDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/commands.h"

namespace app {

struct LogProofArgs {
  std::string id;                ///< document id; empty: --event alone
  std::optional<uint64_t> event;  ///< one event index
};
/// Inclusion proofs of the document's events (receipt, corrections,
/// payment-order steps) or of one event, in the latest checkpoint
/// (publishing one first if it does not cover them yet), with the leaf
/// rules and the document's batch time-stamp path.
int CmdLogProof(const Context& ctx, const LogProofArgs& args);
/// RFC 9162 consistency proof between two tree sizes, with both roots.
int CmdLogConsistency(const Context& ctx, uint64_t old_size, uint64_t new_size);
/// Every stored checkpoint, one JSON line each, with its token (base64);
/// out_dir, if given, also receives <size>.note and <size>.tsr.
int CmdLogCheckpoints(const Context& ctx, const std::string& out_dir);

struct ExportArgs {
  std::vector<std::pair<std::string, std::string>> params;  ///< search filters
  std::string out;
  std::string organization;
};
int CmdExport(const Context& ctx, const ExportArgs& args);
int CmdVerifyExport(const Context& ctx, const std::string& path, const std::string& vkey);

}  // namespace app

#endif  // APP_EVIDENCE_COMMANDS_H_
