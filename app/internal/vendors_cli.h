// `kura vendors ...`: the consolidation of the old finance system's creditor
// numbers on the command line (workflow/legacy_creditors.h,
// vendor_clusters.h) — import an export, list the proposed clusters,
// merge numbers into their survivor and undo a merge. A command acts as
// the user named by --as (a 会計室 or admin login, recorded in the event),
// or else as the OS user with an administrator's rights, like `kura vendor
// add`. Each result goes to stdout; row errors to stderr, in Japanese.
//
// Thread safety: call from main() only.
#ifndef APP_INTERNAL_VENDORS_CLI_H_
#define APP_INTERNAL_VENDORS_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace app::internal {

/// Adds `vendors` and its subcommands to cli; the chosen one sets *rc.
/// ctx and rc must outlive cli's parse.
void AddVendorsCommands(CLI::App* cli, const Context& ctx, int* rc);

}  // namespace app::internal

#endif  // APP_INTERNAL_VENDORS_CLI_H_
