// `kura ocr ID...`: runs OCR now for archived scans that have none yet
// (--again: also for those that have) and prints one JSON line per
// document in issue 15's shape; the proposals are stored (ocr.proposed)
// and shown by `kura show` and GET /api/v1/documents/{id}/ocr.
//
// Thread safety: call from main() only.
#ifndef APP_INTERNAL_OCR_CLI_H_
#define APP_INTERNAL_OCR_CLI_H_

#include <CLI/CLI.hpp>

#include "app/commands.h"

namespace app::internal {

/// Adds `ocr` to cli; it sets *rc. ctx and rc must outlive cli's parse.
void AddOcrCommands(CLI::App* cli, const Context& ctx, int* rc);

}  // namespace app::internal

#endif  // APP_INTERNAL_OCR_CLI_H_
