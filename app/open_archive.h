// Opening the archive the way every command does: check the data directory,
// read kura.toml, and build what the configuration asks for (the HTTP
// transport to an external TSA lives as long as the archive).
#ifndef APP_OPEN_ARCHIVE_H_
#define APP_OPEN_ARCHIVE_H_

#include <memory>

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

}  // namespace app

#endif  // APP_OPEN_ARCHIVE_H_
