// Opening the archive the way every command does: check the data directory,
// read kura.toml, and build what the configuration asks for (the HTTP
// transport to an external TSA lives as long as the archive).
#ifndef APP_OPEN_ARCHIVE_H_
#define APP_OPEN_ARCHIVE_H_

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/config.h"
#include "archive/archive.h"
#include "signing/tsa_client.h"
#include "workflow/workflow.h"

namespace app {

struct OpenedArchive {
  Config config;
  std::unique_ptr<signing::TsaTransport> transport;  // before archive: outlives it
  std::unique_ptr<archive::Archive> archive;
};

base::Result<OpenedArchive> OpenArchiveFor(const Context& ctx, bool read_only);

/// The workflow over an opened archive, with the routes of its kura.toml.
/// The OpenedArchive must outlive it.
base::Result<std::unique_ptr<workflow::Workflow>> OpenWorkflowFor(const Context& ctx,
                                                                  const OpenedArchive& opened);

/// Runs body with the workflow of the data directory, opened for writing;
/// prints what fails (Japanese, error_text.h). Exit code: 0, 1 for a
/// failure, 2 for a usage error (InvalidArgument, or no data directory).
int WithWorkflow(const Context& ctx, const std::function<base::Status(workflow::Workflow*)>& body);

/// j as one line on ctx.out (invalid UTF-8 replaced).
void PrintJsonLine(const Context& ctx, const nlohmann::json& j);

}  // namespace app

#endif  // APP_OPEN_ARCHIVE_H_
