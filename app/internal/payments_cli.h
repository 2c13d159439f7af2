// `kura payments confirm|cancel|list`: the life of a recorded payment run
// on the command line (workflow/payments.h), beside `kura payments run`.
// Changes act as the accounting-office user named by --as; list reads as
// that user too (会計室 or 監査). Each result is JSON on stdout (list: one
// line per run, newest first).
//
// Thread safety: call from main() only.
#ifndef APP_INTERNAL_PAYMENTS_CLI_H_
#define APP_INTERNAL_PAYMENTS_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace app::internal {

/// Adds confirm, cancel and list under the `payments` subcommand; the
/// chosen one sets *rc. ctx and rc must outlive the parse.
void AddPaymentRunCommands(CLI::App* payments, const Context& ctx, int* rc);

}  // namespace app::internal

#endif  // APP_INTERNAL_PAYMENTS_CLI_H_
