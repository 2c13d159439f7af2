#include "app/internal/retention_cli.h"

#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <termios.h>
#include <unistd.h>

#include "app/error_text.h"
#include "app/internal/cli_japanese.h"
#include "app/open_archive.h"
#include "retention/retention.h"
#include "workflow/workflow.h"

namespace app::internal {
namespace {

using base::Status;
using nlohmann::json;

constexpr int kOk = 0, kFailed = 1, kUsage = 2;

// Everything the command line fills in; shared by the callbacks, so it
// lives as long as the CLI::App.
struct Args {
  std::string id, as, reason, until, kind;
  std::vector<std::string> documents, query;
  bool all = false;
  size_t limit = 0;
};

void PrintJson(const Context& ctx, const json& j) {
  std::fprintf(ctx.out, "%s\n",
               j.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
}

// The password of --as: one line from stdin, asked without echo on a
// terminal.
base::Result<std::string> ReadPassword(const Context& ctx, const std::string& login) {
  const int fd = ::fileno(ctx.in);
  termios old_mode{};
  const bool tty = ::isatty(fd) && ::tcgetattr(fd, &old_mode) == 0;
  if (tty) {
    std::fprintf(ctx.err, "%s のパスワード: ", login.c_str());
    std::fflush(ctx.err);
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  int c;
  while ((c = std::fgetc(ctx.in)) != EOF && c != '\n') line += static_cast<char>(c);
  if (tty) {
    ::tcsetattr(fd, TCSAFLUSH, &old_mode);
    std::fprintf(ctx.err, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return Status::InvalidArgument(login + " のパスワードを標準入力の次の 1 行に渡してください");
  }
  return line;
}

// Who reads on the command line: the OS user, with an auditor's rights
// (reading the data directory is what the OS already allows them).
workflow::User Reader(const Context& ctx) {
  return workflow::User{"cli:" + ctx.user, ctx.user, "", {workflow::Role::kAuditor}, "", true};
}

using ReadBody = std::function<Status(retention::Retention*, const workflow::User&)>;

int WithReader(const Context& ctx, const ReadBody& body) {
  auto opened = OpenArchiveFor(ctx, /*read_only=*/true);
  if (!opened.ok()) {
    PrintError(ctx.err, opened.status());
    return kUsage;
  }
  auto r = retention::Retention::Open(opened->archive.get(), ctx.clock, opened->config.retention);
  if (!r.ok()) {
    PrintError(ctx.err, r.status());
    return kUsage;
  }
  const Status s = body(r->get(), Reader(ctx));
  if (!s.ok()) PrintError(ctx.err, s);
  return s.ok() ? kOk : kFailed;
}

// Opens for writing and authenticates --as with the password from stdin.
int WithOfficer(const Context& ctx, const std::string& login, const ReadBody& body) {
  auto password = ReadPassword(ctx, login);
  if (!password.ok()) {
    PrintError(ctx.err, password.status());
    return kUsage;
  }
  auto opened = OpenArchiveFor(ctx, /*read_only=*/false);
  if (!opened.ok()) {
    PrintError(ctx.err, opened.status());
    return kUsage;
  }
  auto wf = OpenWorkflowFor(ctx, *opened);
  auto r = retention::Retention::Open(opened->archive.get(), ctx.clock, opened->config.retention);
  const Status open = !wf.ok() ? wf.status() : r.status();
  if (!open.ok()) {
    PrintError(ctx.err, open);
    return kUsage;
  }
  auto user = (*wf)->Authenticate(login, *password);
  if (!user.ok()) {
    PrintError(ctx.err, user.status());
    return kFailed;
  }
  const Status s = body(r->get(), *user);
  if (!s.ok()) PrintError(ctx.err, s);
  return s.ok() ? kOk : kFailed;
}

base::Result<base::Date> ParseUntil(const std::string& text) {
  auto d = base::Date::Parse(text);
  if (!d.ok()) {
    return Status::InvalidArgument("--until は YYYY-MM-DD の形式の日付で指定してください: \"" +
                                   ForDisplay(text, 40) + "\"");
  }
  return d;
}

base::Result<std::vector<std::pair<std::string, std::string>>> ParseQuery(
    const std::vector<std::string>& items) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& item : items) {
    const size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument(
          "--query は 条件=値 の形で指定してください（例: --query counterparty=山田商事）: \"" +
          ForDisplay(item, 100) + "\"");
    }
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

void AddReadCommands(CLI::App* r, const Context& ctx, int* rc, std::shared_ptr<Args> a) {
  r->add_subcommand("schedule", "保存期間の設定（kura.toml の [retention]）を分類ごとに表示する")
      ->callback([&ctx, rc] {
        *rc = WithReader(ctx, [&](retention::Retention* ret, const workflow::User&) {
          const retention::Schedule& s = ret->schedule();
          for (const auto& [cls, years] : s.years) {
            json types = json::array();
            for (const auto& [type, c] : s.document_types) {
              if (c == cls) types.push_back(type);
            }
            auto label = s.labels.find(cls);
            PrintJson(ctx, json{{"class", cls},
                                {"label", label != s.labels.end() ? label->second : cls},
                                {"years", years},
                                {"document_types", types},
                                {"default", cls == s.default_class}});
          }
          return Status::OK();
        });
      });
  auto* show = r->add_subcommand(
      "show", "文書の保存期限・分類・法的保存・廃棄の状況を表示する（JSON）");
  show->add_option("ID", a->id, "文書ID（例: D00000001）")->required();
  show->callback([&ctx, rc, a] {
    *rc = WithReader(ctx, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const retention::DocumentRetention d, ret->Show(a->id, u));
      PrintJson(ctx, retention::ToJson(d));
      return Status::OK();
    });
  });
  auto* due = r->add_subcommand(
      "due", "保存期限を過ぎ、法的保存もない（廃棄できる）文書を表示する（1 件ごとに JSON 1 行）");
  due->add_option("--limit", a->limit, "表示する件数の上限（既定: すべて）");
  due->callback([&ctx, rc, a] {
    *rc = WithReader(ctx, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const auto list, ret->Due(u, a->limit));
      for (const auto& d : list) PrintJson(ctx, retention::ToJson(d));
      std::fprintf(ctx.err, "kura: 廃棄できる文書は %zu 件です\n", list.size());
      return Status::OK();
    });
  });
}

void AddExtendCommand(CLI::App* r, const Context& ctx, int* rc, std::shared_ptr<Args> a) {
  auto* extend = r->add_subcommand(
      "extend", "文書の保存期限を延長する（延長だけができ、短縮はできない。文書管理担当者）");
  extend->add_option("ID", a->id, "文書ID")->required();
  extend->add_option("--until", a->until, "新しい保存期限 YYYY-MM-DD（今の期限より後）")
      ->required();
  extend->add_option("--reason", a->reason, "延長の理由")->required();
  extend->add_option("--as", a->as, "文書管理担当者のログインID（パスワードは標準入力から）")
      ->required();
  extend->callback([&ctx, rc, a] {
    auto until = ParseUntil(a->until);
    if (!until.ok()) {
      PrintError(ctx.err, until.status());
      *rc = kUsage;
      return;
    }
    *rc = WithOfficer(ctx, a->as, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const retention::DocumentRetention d, ret->Extend(a->id, *until, a->reason, u));
      PrintJson(ctx, retention::ToJson(d));
      return Status::OK();
    });
  });
}

void AddHoldCommands(CLI::App* r, const Context& ctx, int* rc, std::shared_ptr<Args> a) {
  auto* hold = r->add_subcommand("hold", "法的保存（監査・住民監査請求・情報公開請求・訴訟）");
  hold->require_subcommand(1);
  auto* add = hold->add_subcommand(
      "add", "法的保存をかける（文書IDか検索条件で。かかっている文書は廃棄できない）");
  add->add_option("--document", a->documents, "文書ID（複数指定可）");
  add->add_option("--query", a->query,
                  "検索条件 条件=値（kura search と同じ条件名: counterparty, date_from, "
                  "date_to, department, invoice_number など。複数指定はすべて満たすもの）");
  add->add_option("--kind", a->kind,
                  "理由の種類: audit（監査）| resident_audit（住民監査請求）| "
                  "disclosure（情報公開請求）| litigation（訴訟）")
      ->required();
  add->add_option("--reason", a->reason, "理由（事件名・請求番号など）")->required();
  add->add_option("--as", a->as, "文書管理担当者のログインID（パスワードは標準入力から）")
      ->required();
  add->callback([&ctx, rc, a] {
    auto query = ParseQuery(a->query);
    if (!query.ok()) {
      PrintError(ctx.err, query.status());
      *rc = kUsage;
      return;
    }
    const retention::HoldRequest request{a->kind, a->reason, a->documents, *query};
    *rc = WithOfficer(ctx, a->as, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const retention::Hold h, ret->PlaceHold(request, u));
      PrintJson(ctx, retention::ToJson(h));
      return Status::OK();
    });
  });
  auto* release = hold->add_subcommand("release", "法的保存を解除する（理由とともに記録される）");
  release->add_option("HOLD", a->id, "法的保存のID（例: H00000001）")->required();
  release->add_option("--reason", a->reason, "解除の理由")->required();
  release->add_option("--as", a->as, "文書管理担当者のログインID（パスワードは標準入力から）")
      ->required();
  release->callback([&ctx, rc, a] {
    *rc = WithOfficer(ctx, a->as, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const retention::Hold h, ret->ReleaseHold(a->id, a->reason, u));
      PrintJson(ctx, retention::ToJson(h));
      return Status::OK();
    });
  });
  auto* list = hold->add_subcommand("list", "法的保存の一覧を表示する（1 件ごとに JSON 1 行）");
  list->add_flag("--all", a->all, "解除済みのものも表示する");
  list->callback([&ctx, rc, a] {
    *rc = WithReader(ctx, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const auto holds, ret->ListHolds(a->all, u));
      for (const auto& h : holds) PrintJson(ctx, retention::ToJson(h));
      return Status::OK();
    });
  });
}

void AddDisposeCommands(CLI::App* r, const Context& ctx, int* rc, std::shared_ptr<Args> a) {
  auto* dispose = r->add_subcommand(
      "dispose", "保存期限を過ぎた文書の廃棄（申請と承認は別の文書管理担当者）");
  dispose->require_subcommand(1);
  auto* request = dispose->add_subcommand("request", "文書の廃棄を申請する");
  request->add_option("ID", a->id, "文書ID")->required();
  request->add_option("--reason", a->reason, "廃棄の理由（例: 保存期間満了）")->required();
  request->add_option("--as", a->as, "文書管理担当者のログインID（パスワードは標準入力から）")
      ->required();
  request->callback([&ctx, rc, a] {
    *rc = WithOfficer(ctx, a->as, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const retention::DisposalRequest d, ret->RequestDisposal(a->id, a->reason, u));
      PrintJson(ctx, retention::ToJson(d));
      return Status::OK();
    });
  });
  auto* approve = dispose->add_subcommand(
      "approve",
      "廃棄の申請を承認し、原本を削除する（申請者とは別の人。記録と墓標は永久に残る）");
  approve->add_option("REQUEST", a->id, "廃棄申請のID（例: R00000001）")->required();
  approve->add_option("--as", a->as, "文書管理担当者のログインID（パスワードは標準入力から）")
      ->required();
  approve->callback([&ctx, rc, a] {
    *rc = WithOfficer(ctx, a->as, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      bool removed = false;
      ASSIGN_OR_RETURN(const retention::DisposalRequest d, ret->ApproveDisposal(a->id, u, &removed));
      PrintJson(ctx, retention::ToJson(d));
      std::fprintf(ctx.err, removed ? "kura: %s を廃棄しました\n"
                                    : "kura: %s の廃棄を記録しました（原本のファイルは次に書き込み"
                                      "で開いたときに削除されます）\n",
                   d.document.c_str());
      return Status::OK();
    });
  });
  auto* list = dispose->add_subcommand("list", "廃棄の申請を表示する（1 件ごとに JSON 1 行）");
  list->add_flag("--all", a->all, "廃棄済みのものも表示する");
  list->callback([&ctx, rc, a] {
    *rc = WithReader(ctx, [&](retention::Retention* ret, const workflow::User& u) -> Status {
      ASSIGN_OR_RETURN(const auto requests, ret->ListDisposals(a->all, u));
      for (const auto& d : requests) PrintJson(ctx, retention::ToJson(d));
      return Status::OK();
    });
  });
}

}  // namespace

void AddRetentionCommands(CLI::App* cli, const Context& ctx, int* rc) {
  auto a = std::make_shared<Args>();
  auto* r = cli->add_subcommand(
      "retention", "保存期間・法的保存・廃棄（文書管理。変更は --as の文書管理担当者として）");
  r->require_subcommand(1);
  AddReadCommands(r, ctx, rc, a);
  AddExtendCommand(r, ctx, rc, a);
  AddHoldCommands(r, ctx, rc, a);
  AddDisposeCommands(r, ctx, rc, a);
}

}  // namespace app::internal
