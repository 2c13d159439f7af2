// `kura user add|list`, `kura department add`, `kura vendor add`: the
// organisation bootstrap from the command line, acting as the OS user
// ("system:<user>" in the event log). They open the data directory for
// writing, so they run while `kura serve` is stopped.
#include <cstdio>

#include <nlohmann/json.hpp>
#include <termios.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/open_archive.h"
#include "workflow/workflow.h"

namespace app {

namespace {

// One line from in, without its line end; nullopt at end of input.
std::optional<std::string> ReadLine(FILE* in) {
  std::string line;
  int c;
  while ((c = std::fgetc(in)) != EOF && c != '\n') line += static_cast<char>(c);
  if (c == EOF && line.empty()) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Reads a password from a terminal without echo (asked twice), or the
// first line of piped input.
base::Result<std::string> ReadPassword(const Context& ctx) {
  const int fd = ::fileno(ctx.in);
  if (!::isatty(fd)) {
    auto line = ReadLine(ctx.in);
    if (!line || line->empty()) {
      return base::Status::InvalidArgument("パスワードを標準入力の 1 行目に渡してください");
    }
    return *line;
  }
  termios old_mode{};
  const bool can_hide = ::tcgetattr(fd, &old_mode) == 0;
  auto ask = [&](const char* prompt) {
    std::fprintf(ctx.err, "%s", prompt);
    std::fflush(ctx.err);
    if (can_hide) {
      termios quiet = old_mode;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    auto line = ReadLine(ctx.in);
    if (can_hide) ::tcsetattr(fd, TCSAFLUSH, &old_mode);
    std::fprintf(ctx.err, "\n");
    return line.value_or("");
  };
  const std::string first = ask("パスワード: ");
  const std::string second = ask("パスワード（確認）: ");
  if (first != second) return base::Status::InvalidArgument("パスワードが一致しません");
  if (first.empty()) return base::Status::InvalidArgument("パスワードが空です");
  return first;
}

// Runs body with the workflow of the data directory, opened for writing.
template <class Body>
int WithWorkflow(const Context& ctx, Body body) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    std::fprintf(ctx.err, "kura: %s\n", opened.status().message().c_str());
    return 2;
  }
  auto wf = OpenWorkflowFor(ctx, *opened);
  if (!wf.ok()) {
    std::fprintf(ctx.err, "kura: %s\n", wf.status().message().c_str());
    return 2;
  }
  const base::Status s = body(wf->get());
  if (!s.ok()) {
    std::fprintf(ctx.err, "kura: %s\n", s.message().c_str());
    return s.IsInvalidArgument() ? 2 : 1;
  }
  return 0;
}

void PrintJson(const Context& ctx, const nlohmann::json& j) {
  std::fprintf(ctx.out, "%s\n",
               j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

}  // namespace

int CmdUserAdd(const Context& ctx, const UserAddArgs& args) {
  workflow::User user;
  user.login = args.login;
  user.name = args.name;
  user.department = args.department;
  user.title = args.title;
  for (const std::string& r : args.roles) {
    auto role = workflow::ParseRole(r);
    if (!role.ok()) {
      std::fprintf(ctx.err, "kura: %s\n", role.status().message().c_str());
      return 2;
    }
    user.roles.push_back(*role);
  }
  if (const base::Status valid = workflow::Validate(user); !valid.ok()) {
    std::fprintf(ctx.err, "kura: %s\n", valid.message().c_str());
    return 2;
  }
  // The password first, so a mistyped one costs no lock on the data dir.
  auto password = ReadPassword(ctx);
  if (!password.ok()) {
    std::fprintf(ctx.err, "kura: %s\n", password.status().message().c_str());
    return 2;
  }
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    RETURN_IF_ERROR(wf->AddUser(user, *password, workflow::Workflow::SystemUser(ctx.user)));
    PrintJson(ctx, workflow::ToJson(user));
    std::fprintf(ctx.err, "kura: ユーザー %s を登録しました\n", user.login.c_str());
    return base::Status::OK();
  });
}

int CmdUserList(const Context& ctx) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    ASSIGN_OR_RETURN(const auto users, wf->ListUsers());
    for (const workflow::User& u : users) PrintJson(ctx, workflow::ToJson(u));
    return base::Status::OK();
  });
}

int CmdDepartmentAdd(const Context& ctx, const std::string& code, const std::string& name) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    const workflow::Department d{code, name};
    RETURN_IF_ERROR(wf->CreateDepartment(d, workflow::Workflow::SystemUser(ctx.user)));
    PrintJson(ctx, workflow::ToJson(d));
    return base::Status::OK();
  });
}

int CmdVendorAdd(const Context& ctx, const VendorAddArgs& args) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    const workflow::Vendor v{args.id, args.name, args.registration_number, args.bank_account,
                             args.address};
    RETURN_IF_ERROR(wf->PutVendor(v, workflow::Workflow::SystemUser(ctx.user)));
    PrintJson(ctx, workflow::ToJson(v));
    return base::Status::OK();
  });
}

// --- API tokens -------------------------------------------------------------

int CmdApiTokenCreate(const Context& ctx, const std::string& name, const std::string& department) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    ASSIGN_OR_RETURN(const auto created,
                     wf->CreateApiToken(name, department, workflow::Workflow::SystemUser(ctx.user)));
    nlohmann::json j = workflow::ToJson(created.token);
    j["secret"] = created.secret;
    PrintJson(ctx, j);
    std::fprintf(ctx.err,
                 "kura: APIトークン %s を発行しました。secret は今だけ表示されます（保存されません）。"
                 "連携先に Authorization: Bearer <secret> として設定してください\n",
                 created.token.id.c_str());
    return base::Status::OK();
  });
}

int CmdApiTokenList(const Context& ctx) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    ASSIGN_OR_RETURN(const auto tokens,
                     wf->ListApiTokens(workflow::Workflow::SystemUser(ctx.user)));
    for (const workflow::ApiToken& t : tokens) PrintJson(ctx, workflow::ToJson(t));
    return base::Status::OK();
  });
}

int CmdApiTokenRevoke(const Context& ctx, const std::string& id) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    RETURN_IF_ERROR(wf->RevokeApiToken(id, workflow::Workflow::SystemUser(ctx.user)));
    std::fprintf(ctx.err, "kura: APIトークン %s を取り消しました\n", id.c_str());
    return base::Status::OK();
  });
}

}  // namespace app
