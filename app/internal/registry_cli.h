// `kura registry ...`: the 国税庁 適格請求書発行事業者公表サイト registry
// offline (workflow/nta_registry.h) — import the bulk download (全件, or a
// 差分 with --diff), check documents and vendors against it, and list the
// invoices whose registration lapsed after their date. Every result carries
// the snapshot it used and the source attribution of the 公共データ利用規約.
//
// Thread safety: call from main() only.
#ifndef APP_INTERNAL_REGISTRY_CLI_H_
#define APP_INTERNAL_REGISTRY_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace app::internal {

/// Adds `registry` and its subcommands to cli; the chosen one sets *rc.
void AddRegistryCommands(CLI::App* cli, const Context& ctx, int* rc);

}  // namespace app::internal

#endif  // APP_INTERNAL_REGISTRY_CLI_H_
