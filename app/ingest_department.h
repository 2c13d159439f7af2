// The department that `kura ingest` and `kura watch` receive files for:
// --department, else kura.toml's [ingest] default_department. It must be a
// department registered in the organisation (`kura department add`): a
// document received for no department, or for a code nobody has, lands in
// no inbox and is never drafted. The check runs before anything is archived.
//
// Thread safety: pure functions, and one that reads the opened archive.
#ifndef APP_INGEST_DEPARTMENT_H_
#define APP_INGEST_DEPARTMENT_H_

#include <string>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "app/open_archive.h"
#include "base/result.h"
#include "workflow/organization.h"

namespace app {

/// requested if not empty, else configured_default, if that is one of
/// registered. Otherwise InvalidArgument with a Japanese message for people
/// that says what was wrong, lists the registered departments (code and
/// name) and how to pass one (--department, or [ingest] default_department),
/// or, when none is registered, how to register one. usage is the command
/// line the message shows, with CODE where a department code goes ("kura
/// ingest --department CODE FILE…").
base::Result<std::string> ChooseIngestDepartment(
    std::string_view requested, std::string_view configured_default,
    const std::vector<workflow::Department>& registered, std::string_view usage);

/// ChooseIngestDepartment against the departments of the opened data
/// directory and its kura.toml.
base::Result<std::string> ResolveIngestDepartment(const Context& ctx, const OpenedArchive& opened,
                                                  std::string_view requested,
                                                  std::string_view usage);

}  // namespace app

#endif  // APP_INGEST_DEPARTMENT_H_
