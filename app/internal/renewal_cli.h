// `kura retention renew [--force] [--dry-run]` and `kura retention chain
// ID`: time-stamp renewal on the command line (retention/renewal.h). A
// system action of the OS user who may write the data directory, like
// `kura timestamp`: no --as. Before renewing with the built-in TSA, its
// certificate is rolled when it ends within [renewal] margin_days
// (ledger/tsa_roll.h), so the renewal token is signed by the new one.
// Results are one JSON line on stdout and a Japanese summary on stderr.
//
// Thread safety: call from main() only.
#ifndef APP_INTERNAL_RENEWAL_CLI_H_
#define APP_INTERNAL_RENEWAL_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace app::internal {

/// Adds `renew` and `chain` to the `retention` command, which
/// AddRetentionCommands must have added before. ctx and rc must outlive
/// cli's parse.
void AddRenewalCommands(CLI::App* cli, const Context& ctx, int* rc);

}  // namespace app::internal

#endif  // APP_INTERNAL_RENEWAL_CLI_H_
