// `kura user add|list|set|enable|disable|passwd|reset-password|unlock`,
// `kura department add`, `kura vendor add`: the organisation and its
// accounts from the command line, acting as the OS user ("system:<user>" in
// the event log; `user passwd` acts as the user). They open the data
// directory for writing beside a running `kura serve`, which sees each
// change at once (it re-reads the user on every request).
#include <cstdio>

#include <nlohmann/json.hpp>
#include <termios.h>
#include <unistd.h>

#include "app/commands.h"
#include "app/error_text.h"
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

// One line typed on a terminal without echo, after prompt.
std::string AskHidden(const Context& ctx, int fd, const char* prompt) {
  termios old_mode{};
  const bool can_hide = ::tcgetattr(fd, &old_mode) == 0;
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
}

// Reads a password from a terminal without echo (asked twice, prompt
// naming it), or the next line of piped input.
base::Result<std::string> ReadPassword(const Context& ctx, const std::string& what = "パスワード") {
  const int fd = ::fileno(ctx.in);
  if (!::isatty(fd)) {
    auto line = ReadLine(ctx.in);
    if (!line || line->empty()) {
      return base::Status::InvalidArgument(what + "を標準入力の次の 1 行に渡してください");
    }
    return *line;
  }
  const std::string first = AskHidden(ctx, fd, (what + ": ").c_str());
  const std::string second = AskHidden(ctx, fd, (what + "（確認）: ").c_str());
  if (first != second) return base::Status::InvalidArgument(what + "が一致しません");
  if (first.empty()) return base::Status::InvalidArgument(what + "が空です");
  return first;
}

// The current password: asked once on a terminal, else the next line.
base::Result<std::string> ReadCurrentPassword(const Context& ctx) {
  const int fd = ::fileno(ctx.in);
  std::string line;
  if (::isatty(fd)) {
    line = AskHidden(ctx, fd, "現在のパスワード: ");
  } else {
    line = ReadLine(ctx.in).value_or("");
  }
  if (line.empty()) return base::Status::InvalidArgument("現在のパスワードが空です");
  return line;
}

// The roles named on the command line; InvalidArgument for an unknown one.
base::Result<std::vector<workflow::Role>> ParseRoles(const std::vector<std::string>& names) {
  std::vector<workflow::Role> roles;
  for (const std::string& r : names) {
    ASSIGN_OR_RETURN(const workflow::Role role, workflow::ParseRole(r));
    roles.push_back(role);
  }
  return roles;
}

int Usage(const Context& ctx, const base::Status& s) {
  PrintError(ctx.err, s);
  return 2;
}

}  // namespace

int CmdUserAdd(const Context& ctx, const UserAddArgs& args) {
  workflow::User user;
  user.must_change_password = args.must_change_password;
  user.login = args.login;
  user.name = args.name;
  user.department = args.department;
  user.title = args.title;
  auto roles = ParseRoles(args.roles);
  if (!roles.ok()) return Usage(ctx, roles.status());
  user.roles = *roles;
  if (const base::Status valid = workflow::Validate(user); !valid.ok()) return Usage(ctx, valid);
  // The password first, so a mistyped one costs no lock on the data dir.
  auto password = ReadPassword(ctx);
  if (!password.ok()) return Usage(ctx, password.status());
  if (const base::Status rules = workflow::CheckNewPassword(*password, user.login); !rules.ok()) {
    return Usage(ctx, rules);
  }
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    RETURN_IF_ERROR(wf->AddUser(user, *password, workflow::Workflow::SystemUser(ctx.user)));
    PrintJsonLine(ctx, workflow::ToJson(user));
    std::fprintf(ctx.err, "kura: ユーザー %s を登録しました\n", user.login.c_str());
    return base::Status::OK();
  });
}

int CmdUserList(const Context& ctx) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    ASSIGN_OR_RETURN(const auto users, wf->ListUsers());
    for (const workflow::User& u : users) PrintJsonLine(ctx, workflow::ToJson(u));
    return base::Status::OK();
  });
}

int CmdUserSet(const Context& ctx, const UserSetArgs& args) {
  workflow::UserChange change;
  change.name = args.name;
  change.department = args.department;
  change.title = args.title;
  if (!args.roles.empty()) {
    auto roles = ParseRoles(args.roles);
    if (!roles.ok()) return Usage(ctx, roles.status());
    change.roles = *roles;
  }
  if (!change.name && !change.department && !change.title && !change.roles) {
    return Usage(ctx, base::Status::InvalidArgument(
                          "変更する項目（--name, --department, --role, --title）を指定してください"));
  }
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    ASSIGN_OR_RETURN(const workflow::User u,
                     wf->UpdateUser(args.login, change, workflow::Workflow::SystemUser(ctx.user)));
    PrintJsonLine(ctx, workflow::ToJson(u));
    std::fprintf(ctx.err, "kura: ユーザー %s を変更しました\n", u.login.c_str());
    return base::Status::OK();
  });
}

int CmdUserSetActive(const Context& ctx, const std::string& login, bool active) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    workflow::UserChange change;
    change.active = active;
    ASSIGN_OR_RETURN(const workflow::User u,
                     wf->UpdateUser(login, change, workflow::Workflow::SystemUser(ctx.user)));
    PrintJsonLine(ctx, workflow::ToJson(u));
    std::fprintf(ctx.err, "kura: ユーザー %s を%sにしました\n", u.login.c_str(),
                 active ? "有効" : "無効");
    return base::Status::OK();
  });
}

int CmdUserPasswd(const Context& ctx, const std::string& login) {
  auto current = ReadCurrentPassword(ctx);
  if (!current.ok()) return Usage(ctx, current.status());
  auto next = ReadPassword(ctx, "新しいパスワード");
  if (!next.ok()) return Usage(ctx, next.status());
  if (const base::Status rules = workflow::CheckNewPassword(*next, login); !rules.ok()) {
    return Usage(ctx, rules);
  }
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    // Acting as the user: the workflow checks the current password.
    ASSIGN_OR_RETURN(const workflow::User me, wf->GetUser(login));
    ASSIGN_OR_RETURN(const workflow::User u, wf->ChangePassword(login, *current, *next, me));
    PrintJsonLine(ctx, workflow::ToJson(u));
    std::fprintf(ctx.err, "kura: %s のパスワードを変更しました（Web のセッションは終了します）\n",
                 u.login.c_str());
    return base::Status::OK();
  });
}

int CmdUserResetPassword(const Context& ctx, const std::string& login) {
  auto password = ReadPassword(ctx, "仮のパスワード");
  if (!password.ok()) return Usage(ctx, password.status());
  if (const base::Status rules = workflow::CheckNewPassword(*password, login); !rules.ok()) {
    return Usage(ctx, rules);
  }
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    ASSIGN_OR_RETURN(const workflow::User u,
                     wf->ResetPassword(login, *password, workflow::Workflow::SystemUser(ctx.user)));
    PrintJsonLine(ctx, workflow::ToJson(u));
    std::fprintf(ctx.err,
                 "kura: %s に仮のパスワードを設定しました。次のログインで本人が変更します"
                 "（ログインの制限も解除しました）\n",
                 u.login.c_str());
    return base::Status::OK();
  });
}

int CmdUserUnlock(const Context& ctx, const std::string& login) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    ASSIGN_OR_RETURN(const workflow::User u,
                     wf->UnlockLogin(login, workflow::Workflow::SystemUser(ctx.user)));
    PrintJsonLine(ctx, workflow::ToJson(u));
    std::fprintf(ctx.err, "kura: %s のログインの制限を解除しました\n", u.login.c_str());
    return base::Status::OK();
  });
}

int CmdDepartmentAdd(const Context& ctx, const std::string& code, const std::string& name) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    const workflow::Department d{code, name};
    RETURN_IF_ERROR(wf->CreateDepartment(d, workflow::Workflow::SystemUser(ctx.user)));
    PrintJsonLine(ctx, workflow::ToJson(d));
    return base::Status::OK();
  });
}

int CmdVendorAdd(const Context& ctx, const VendorAddArgs& args) {
  return WithWorkflow(ctx, [&](workflow::Workflow* wf) -> base::Status {
    const workflow::Vendor v{args.id, args.name, args.registration_number, args.bank_account,
                             args.address, args.account_holder, args.corporate_number,
                             args.kana_name};
    RETURN_IF_ERROR(wf->PutVendor(v, workflow::Workflow::SystemUser(ctx.user)));
    ASSIGN_OR_RETURN(const workflow::Vendor stored, wf->GetVendor(v.id));
    PrintJsonLine(ctx, workflow::ToJson(stored));  // as stored: numbers and kana made canonical
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
    PrintJsonLine(ctx, j);
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
    for (const workflow::ApiToken& t : tokens) PrintJsonLine(ctx, workflow::ToJson(t));
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
