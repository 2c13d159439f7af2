// `kura retention ...`: retention schedules, legal holds and two-person
// disposal on the command line (retention/retention.h). Reads (schedule,
// show, due, hold list, dispose list) act as the OS user with an
// auditor's reading rights; every change names the compliance officer who
// makes it (--as LOGIN) and reads that user's password from standard input
// (a terminal asks without echo), so that a request and its approval are
// two people's. Each result is one JSON line on stdout.
//
// Thread safety: call from main() only.
#ifndef APP_INTERNAL_RETENTION_CLI_H_
#define APP_INTERNAL_RETENTION_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace app::internal {

/// Adds `retention` and its subcommands to cli; the chosen one sets *rc.
/// ctx and rc must outlive cli's parse.
void AddRetentionCommands(CLI::App* cli, const Context& ctx, int* rc);

}  // namespace app::internal

#endif  // APP_INTERNAL_RETENTION_CLI_H_
