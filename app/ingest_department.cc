#include "app/ingest_department.h"

#include "app/error_text.h"
#include "workflow/workflow.h"

namespace app {

namespace {

// "somu（総務課）、doboku（土木課）"
std::string ListDepartments(const std::vector<workflow::Department>& registered) {
  std::string list;
  for (const workflow::Department& d : registered) {
    if (!list.empty()) list += "、";
    list += d.code + "（" + d.name + "）";
  }
  return list;
}

// usage with (the last) CODE replaced by code.
std::string Example(std::string_view usage, const std::string& code) {
  std::string out(usage);
  if (const size_t at = out.rfind("CODE"); at != std::string::npos) out.replace(at, 4, code);
  return out;
}

}  // namespace

base::Result<std::string> ChooseIngestDepartment(
    std::string_view requested, std::string_view configured_default,
    const std::vector<workflow::Department>& registered, std::string_view usage) {
  const bool from_config = requested.empty();
  const std::string code(from_config ? configured_default : requested);
  for (const workflow::Department& d : registered) {
    if (!code.empty() && d.code == code) return code;
  }
  std::string problem;
  if (code.empty()) {
    problem = "受領する課が指定されていません。";
  } else if (from_config) {
    problem = "kura.toml の [ingest] default_department の課が登録されていません: " +
              ForDisplay(code, 64) + "。";
  } else {
    problem = "登録されていない課です: " + ForDisplay(code, 64) + "。";
  }
  if (registered.empty()) {
    return base::Status::InvalidArgument(
        problem +
        "課がまだ登録されていません。先に `kura department add --code somu --name 総務課` "
        "のように課を登録し、`" +
        Example(usage, "somu") +
        "` で指定してください（kura.toml の [ingest] "
        "default_department に既定の課を設定することもできます）。何も保存していません");
  }
  return base::Status::InvalidArgument(
      problem + "登録済みの課: " + ListDepartments(registered) + "。`" +
      Example(usage, registered.front().code) +
      "` のように課のコードを指定するか、kura.toml の [ingest] default_department "
      "に既定の課を設定してください（課の登録は `kura department add`）。何も保存していません");
}

base::Result<std::string> ResolveIngestDepartment(const Context& ctx, const OpenedArchive& opened,
                                                  std::string_view requested,
                                                  std::string_view usage) {
  ASSIGN_OR_RETURN(const auto wf, OpenWorkflowFor(ctx, opened));
  ASSIGN_OR_RETURN(const auto registered, wf->ListDepartments());
  return ChooseIngestDepartment(requested, opened.config.ingest_default_department, registered,
                                usage);
}

}  // namespace app
