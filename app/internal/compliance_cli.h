// `kura keys fingerprints` and `kura compliance report`: what an auditor
// pins out of band (compliance/fingerprints.h) and the 電子帳簿保存法
// requirement report with the archive's live state (compliance/report.h).
// Both read only, as the OS user with an auditor's reading rights; text for
// people by default, --format json for programs.
//
// Thread safety: call from main() only.
#ifndef APP_INTERNAL_COMPLIANCE_CLI_H_
#define APP_INTERNAL_COMPLIANCE_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace app::internal {

/// Adds `keys` and `compliance` with their subcommands to cli; the chosen
/// one sets *rc. ctx and rc must outlive cli's parse.
void AddComplianceCommands(CLI::App* cli, const Context& ctx, int* rc);

/// Prints the values to pin (text) on ctx.out: what `kura init` shows
/// after creating or opening the data directory. Exit code.
int PrintPinnedKeys(const Context& ctx);

}  // namespace app::internal

#endif  // APP_INTERNAL_COMPLIANCE_CLI_H_
