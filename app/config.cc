#include "app/config.h"

#include <map>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <toml++/toml.h>

#include "base/text.h"

namespace app {

using base::Result;
using base::Status;

std::string DefaultConfigText() {
  return R"(# kura configuration (蔵 設定ファイル)
# Written by `kura init`. Every setting below shows its default.

[server]
# Address and port of the web server (kura serve). 127.0.0.1 keeps it on
# this machine; use 0.0.0.0 to serve the office network.
listen = "127.0.0.1:8080"
# A web session ends after this many minutes without a request.
session_idle_minutes = 480
# HTTPS: the server's certificate (PEM; intermediate certificates after it)
# and its private key (PEM, not encrypted with a password). Set both to
# serve HTTPS only on `listen` (session cookies get Secure, responses HSTS);
# leave both empty for plain HTTP. Relative paths are relative to the data
# directory. E.g. tls_cert = "tls/server.pem", tls_key = "tls/server.key"
tls_cert = ""
tls_key = ""
# Reverse proxies (their IP addresses) in front of kura, e.g. ["10.0.0.5"].
# For a connection from one of them the client address (login throttling,
# the log) is taken from X-Forwarded-For; from anyone else that header is
# ignored.
trusted_proxies = []

[ingest]
# Received files larger than this are refused with a clear error.
max_file_mb = 100
# Group commit: up to this many files, or this many MiB, share one round of
# fsync and one catalog commit.
batch_files = 256
batch_mb = 64
# The department (its code, e.g. "somu") that `kura ingest` and `kura watch`
# receive files for when --department is not given. It must be registered
# (`kura department add`). Empty: --department is required.
default_department = ""

[timestamp]
# Every received document gets an RFC 3161 time-stamp before it is
# acknowledged. Empty url: kura's built-in TSA (its certificate is in keys/).
# Production: an accredited TSA (総務大臣認定), e.g.
#   url = "https://tsa.example.jp/tsa"
#   trusted_ca = "tsa-ca.pem"      # PEM that verifies its tokens
url = ""
trusted_ca = ""
# true: one token per ingest batch over the Merkle root of its documents
# (each keeps its inclusion path) — for TSAs that charge per token.
batch = false
timeout_seconds = 10

[checkpoints]
# Every change is an event in a Merkle-tree log; a signed, time-stamped
# checkpoint of the log is published as soon as this many events are not
# yet covered by one, or the oldest of them has waited this many seconds,
# and when kura stops. (One time-stamp per checkpoint, not per change.)
every_events = 256
every_seconds = 10

# The private keys of the built-in TSA (its root CA and its signing key) and
# of the log (checkpoints) in a PKCS#11 token (an HSM; SoftHSM2 for trials)
# instead of files in keys/. Set this BEFORE the first `kura init` of the
# data directory: the keys are generated inside the token, and keys/ keeps
# only ca.crt, tsa.crt, log.vkey and pkcs11.txt. The PIN is never written
# here: pin_env names an environment variable, pin_file a file holding it.
# [keys]
# pkcs11_module = "/usr/lib/softhsm/libsofthsm2.so"
# token_label = "kura"
# pin_env = "KURA_PKCS11_PIN"
# ca_key_label = "kura-ca"
# tsa_key_label = "kura-tsa"
# log_key_label = "kura-log"

[routes]
# 専決規程: who approves a payment order (支出命令), by amount in yen. Each
# tier covers amounts up to and including max_amount (ascending); `above`
# is the route for larger amounts. A route lists approver titles (the
# `--title` of `kura user add`), one approval step each, in order.
tiers = [
  { max_amount = 500000, titles = ["課長"] },
  { max_amount = 5000000, titles = ["課長", "部長"] },
]
above = ["課長", "部長", "副市長"]
# Holders of these titles approve orders of every department; other
# approvers only their own department's.
any_department_titles = ["副市長"]
# 代決: per step title, the titles whose holders may act at that step in
# place of its absent holder (the history records it as 代決, with the title
# stood in for). A substitute is of the order's department unless their own
# title is in any_department_titles; the four-eyes rules still hold (nobody
# approves two steps of one round). Not transitive. `substitutes = {}`
# turns 代決 off.
substitutes = { "課長" = ["部長"], "部長" = ["副市長"] }
# Another rule for one expense type (goods, services, works) replaces the
# one above for orders of that type (keys it leaves out are taken from the
# one above), e.g. public works:
# [routes.works]
# tiers = [{ max_amount = 1300000, titles = ["課長"] }]
# above = ["課長", "部長"]

[retention]
# 保存期間 (the city's 文書管理規程 decides): a document is kept for its
# class's years after the end of the fiscal year (April–March) of its
# transaction date (取引年月日; the receipt date when unknown), e.g. an
# invoice of FY2026 kept 10 years until 2037-03-31. `kura retention extend`
# may keep one longer; nothing makes it shorter. Years here may be raised
# and classes added later (recorded in the log when kura next writes), never
# lowered: a kura.toml that gives a class, or a document type's class, fewer
# years than were once recorded is refused by every `kura retention` command.
# The class of a document type not listed below:
default_class = "payment_evidence"

[retention.classes]
# class = years
payment_evidence = 10   # 支出証拠書類
other = 5               # その他

[retention.document_types]
# document type (invoice, credit_note, unknown) = class
invoice = "payment_evidence"
credit_note = "payment_evidence"

[renewal]
# Time-stamp renewal (kura retention renew, RFC 4998 in spirit): one new
# token over the Merkle tree of the tokens still to cover, due once a TSA
# certificate that signed them ends within margin_days (the built-in TSA
# rolls its certificate first), or margin_days before SHA-256's end of
# life if one is set here ("YYYY-MM-DD").
margin_days = 365
# kura serve checks at start and then every check_hours whether the roll or
# the renewal is due, and makes it (0: only `kura retention renew` does).
check_hours = 24
# sha256_end_of_life = "2040-01-01"

[scan]
# スキャナ保存: paper received and scanned (JPEG, PNG, TIFF or an image-only
# PDF). Each scan is checked at receipt — a warning, never a refusal — for
# resolution (min_dpi) and colour: 24-bit RGB, or 8-bit grey for the
# document classes of [retention.classes] listed as 一般書類 here.
min_dpi = 200
grey_classes = ["other"]
# JPEG, PNG and TIFF files larger than this are refused (MiB).
max_image_mb = 50
# OCR proposals (Tesseract) for new scans, read in the background of kura
# serve and kura watch; a page that takes longer than this fails (recorded,
# not retried). 0 turns the background reading off (kura ocr ID still reads).
ocr_page_seconds = 120
# The input deadline of a scan's keys (取引年月日, 金額, 取引先): "prompt" =
# おおむね7営業日 after receipt; "cycle" = 業務処理サイクル方式, cycle_months
# and then input_business_days. The inbox lists the scans due within
# due_soon_business_days (入力期限間近) and past due (入力期限超過).
input_rule = "prompt"
input_business_days = 7
cycle_months = 2
due_soon_business_days = 2
# Business days skip weekends, Japan's national holidays (built in for
# 2026–2030), 年末年始 (12/29–1/3, year_end_closure) and these days.
year_end_closure = true
holidays = []

# The city as its bank knows it, for payment runs (kura payments run): the
# 委託者コード the bank assigned (up to 10 digits), the name in kana, and the
# account paid from (bank:branch:type:number; bank and branch names in kana
# are optional). Without it no 全銀 transfer file is written.
# [payments]
# remitter_code = "1234567890"
# remitter_name = "クラマエシ"
# account = "0005:001:1:1234567"
# bank_name = "ミツビシユーエフジエイ"
# branch_name = "マルノウチ"
)";
}

namespace {
template <class T>
Status ReadInt(const toml::table& t, const char* section, const char* key, T min, T max, T* out) {
  const auto node = t[section][key];
  if (!node) return Status::OK();
  const auto v = node.value<int64_t>();
  if (!v || *v < static_cast<int64_t>(min) || *v > static_cast<int64_t>(max)) {
    return Status::InvalidArgument(std::string("[") + section + "] " + key + " は " +
                                   std::to_string(min) + " から " + std::to_string(max) +
                                   " までの整数で指定してください");
  }
  *out = static_cast<T>(*v);
  return Status::OK();
}
Result<std::vector<std::string>> ReadTitles(const toml::node* node, const std::string& key) {
  const toml::array* array = node ? node->as_array() : nullptr;
  if (array == nullptr) {
    return Status::InvalidArgument(key +
                                   " は役職のリストで指定してください（例: [\"課長\", \"部長\"]）");
  }
  std::vector<std::string> titles;
  for (const toml::node& n : *array) {
    const auto v = n.value<std::string>();
    if (!v || v->empty()) {
      return Status::InvalidArgument(key + " の役職は空でない文字列で指定してください");
    }
    titles.push_back(*v);
  }
  return titles;
}

// One rule: tiers = [{max_amount, titles}...], above = [...].
Status ReadRule(const toml::table& t, const std::string& where, workflow::RouteRule* rule) {
  if (const toml::node* tiers_node = t.get("tiers")) {
    const toml::array* tiers = tiers_node->as_array();
    if (tiers == nullptr) {
      return Status::InvalidArgument(
          where + " tiers はリストで指定してください"
                  "（例: [{ max_amount = 500000, titles = [\"課長\"] }]）");
    }
    rule->tiers.clear();
    for (const toml::node& n : *tiers) {
      const toml::table* tier = n.as_table();
      if (tier == nullptr) {
        return Status::InvalidArgument(
            where +
            " tiers の各段は { max_amount = 金額, titles = [役職, ...] } の形で指定してください");
      }
      workflow::RouteTier out;
      const toml::node* max = tier->get("max_amount");
      if (max != nullptr && max->is_integer()) {
        out.max_amount = base::Decimal::FromInt(*max->value<int64_t>());
      } else if (max != nullptr && max->is_string()) {
        auto d = base::Decimal::Parse(*max->value<std::string>());
        if (!d.ok()) {
          return Status::InvalidArgument(
              where + " tiers の max_amount は金額（円）の数字で指定してください: \"" +
              base::DisplayName(*max->value<std::string>(), 64) + "\"");
        }
        out.max_amount = *d;
      } else {
        return Status::InvalidArgument(where +
                                       " tiers の各段に max_amount（金額の上限、円）が必要です");
      }
      ASSIGN_OR_RETURN(out.titles, ReadTitles(tier->get("titles"), where + " tiers の titles"));
      rule->tiers.push_back(std::move(out));
    }
  }
  if (const toml::node* above = t.get("above")) {
    ASSIGN_OR_RETURN(rule->above, ReadTitles(above, where + " above"));
  }
  return Status::OK();
}

bool IsIpAddress(const std::string& s) {
  in6_addr addr{};
  return inet_pton(AF_INET, s.c_str(), &addr) == 1 || inet_pton(AF_INET6, s.c_str(), &addr) == 1;
}

// [server] tls_cert, tls_key (both or neither) and trusted_proxies.
Status ReadServerTls(const toml::table& t, Config* config) {
  for (auto [key, out] :
       {std::pair{"tls_cert", &config->tls_cert}, {"tls_key", &config->tls_key}}) {
    if (const auto node = t["server"][key]) {
      const auto v = node.value<std::string>();
      if (!v) {
        return Status::InvalidArgument(std::string("[server] ") + key +
                                       " はファイルのパスを文字列で指定してください");
      }
      *out = *v;
    }
  }
  if (config->tls_cert.empty() != config->tls_key.empty()) {
    return Status::InvalidArgument(
        "[server] tls_cert と tls_key は両方指定してください（HTTPS には証明書と秘密鍵の両方が"
        "必要です。HTTP で動かすには両方を空にします）");
  }
  const toml::node* proxies = t["server"]["trusted_proxies"].node();
  if (proxies == nullptr) return Status::OK();
  const toml::array* list = proxies->as_array();
  if (list == nullptr) {
    return Status::InvalidArgument(
        "[server] trusted_proxies は IP アドレスのリストで指定してください（例: [\"10.0.0.5\"]）");
  }
  for (const toml::node& n : *list) {
    const auto v = n.value<std::string>();
    if (!v || !IsIpAddress(*v)) {
      return Status::InvalidArgument(
          "[server] trusted_proxies の " +
          (v ? "\"" + base::DisplayName(*v, 64) + "\"" : std::string("値")) +
          " は IP アドレスではありません（例: \"10.0.0.5\"）");
    }
    config->trusted_proxies.push_back(*v);
  }
  return Status::OK();
}

// substitutes = { "課長" = ["部長"], ... }: step title → titles.
Result<std::map<std::string, std::vector<std::string>>> ReadSubstitutes(const toml::node* node) {
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    return Status::InvalidArgument(
        "[routes] substitutes は役職ごとの表で指定してください（例: { \"課長\" = [\"部長\"] }）");
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [key, titles] : *table) {
    const std::string step(key.str());
    ASSIGN_OR_RETURN(out[step],
                     ReadTitles(&titles, "[routes] substitutes の " + base::DisplayName(step, 64)));
  }
  return out;
}

Status ReadRoutes(const toml::table& t, workflow::RouteConfig* routes) {
  const toml::table* r = t["routes"].as_table();
  if (r == nullptr) {
    if (t.contains("routes")) {
      return Status::InvalidArgument("routes は [routes] の表（テーブル）で指定してください");
    }
    return Status::OK();
  }
  RETURN_IF_ERROR(ReadRule(*r, "[routes]", &routes->rule));
  if (const toml::node* any = r->get("any_department_titles")) {
    ASSIGN_OR_RETURN(routes->any_department_titles,
                     ReadTitles(any, "[routes] any_department_titles"));
  }
  if (const toml::node* subs = r->get("substitutes")) {
    ASSIGN_OR_RETURN(routes->substitutes, ReadSubstitutes(subs));
  }
  for (const auto& [key, node] : *r) {
    const toml::table* sub = node.as_table();
    if (sub == nullptr || key.str() == "substitutes") continue;
    const std::string type(key.str());
    workflow::RouteRule rule = routes->rule;
    RETURN_IF_ERROR(ReadRule(*sub, "[routes." + base::DisplayName(type, 64) + "]", &rule));
    routes->by_expense_type[type] = std::move(rule);
  }
  // Its message names the table ("[routes]", "[routes.works]").
  return workflow::Validate(*routes);
}

// [payments]: all of remitter_code, remitter_name and account, or none.
Status ReadPayments(const toml::table& t, std::optional<workflow::zengin::Remitter>* out) {
  const toml::table* p = t["payments"].as_table();
  if (p == nullptr) {
    if (t.contains("payments")) return Status::InvalidArgument("[payments] は表で指定してください");
    return Status::OK();
  }
  std::map<std::string, std::string> v;
  for (const char* key : {"remitter_code", "remitter_name", "account", "bank_name", "branch_name"}) {
    if (const auto node = (*p)[key]) {
      const auto s = node.value<std::string>();
      if (!s) return Status::InvalidArgument(std::string("[payments] ") + key + " は文字列で指定してください");
      v[key] = *s;
    }
  }
  for (const char* key : {"remitter_code", "remitter_name", "account"}) {
    if (v[key].empty()) {
      return Status::InvalidArgument(std::string("[payments] ") + key +
                                     " がありません（委託者コード・委託者名・振込元口座はすべて必要です）");
    }
  }
  const std::string& account = v["account"];
  const size_t p1 = account.find(':'), p2 = account.find(':', p1 + 1),
               p3 = account.find(':', p2 == std::string::npos ? p2 : p2 + 1);
  if (p1 != 4 || p2 != 8 || p3 != 10 || account.size() != 18) {
    return Status::InvalidArgument(
        "[payments] account は 金融機関コード4桁:支店コード3桁:種別:口座番号7桁 です"
        "（例: \"0005:001:1:1234567\"）");
  }
  workflow::zengin::Remitter r{v["remitter_code"], v["remitter_name"],
                               {account.substr(0, 4), v["bank_name"], account.substr(5, 3),
                                v["branch_name"], account[9], account.substr(11)}};
  // The encoder's own checks, with a transfer that is surely well formed.
  auto probe = workflow::zengin::EncodeTransfers(
      r, base::Date(2000, 1, 1),
      {workflow::zengin::Transfer{r.account, "ｶﾅ", 1, "", ""}});
  if (!probe.ok()) return Status::InvalidArgument("[payments] " + probe.status().message());
  *out = std::move(r);
  return Status::OK();
}

// [renewal]: margin_days and sha256_end_of_life.
Status ReadRenewal(const toml::table& t, retention::RenewalPolicy* policy) {
  int64_t days = policy->margin.count();
  RETURN_IF_ERROR(ReadInt<int64_t>(t, "renewal", "margin_days", 0, 3650, &days));
  policy->margin = std::chrono::days(days);
  if (const auto node = t["renewal"]["sha256_end_of_life"]) {
    const auto v = node.value<std::string>();
    auto d = v ? base::Date::Parse(*v) : base::Result<base::Date>(Status::InvalidArgument(""));
    if (!d.ok()) {
      return Status::InvalidArgument(
          "[renewal] sha256_end_of_life は日付（\"YYYY-MM-DD\"）で指定してください");
    }
    policy->sha256_end_of_life = *d;
  }
  return Status::OK();
}

// [retention]: merged over retention::Schedule's defaults.
Status ReadRetention(const toml::table& t, retention::Schedule* schedule) {
  const toml::table* r = t["retention"].as_table();
  if (r == nullptr) {
    if (t.contains("retention")) {
      return Status::InvalidArgument("retention は [retention] の表（テーブル）で指定してください");
    }
    return Status::OK();
  }
  if (const toml::node* d = r->get("default_class")) {
    const auto v = d->value<std::string>();
    if (!v) return Status::InvalidArgument("[retention] default_class は分類の名前（文字列）で指定してください");
    schedule->default_class = *v;
  }
  if (const toml::node* c = r->get("classes")) {
    const toml::table* classes = c->as_table();
    if (classes == nullptr) {
      return Status::InvalidArgument("[retention.classes] は 分類 = 年数 の表で指定してください");
    }
    for (const auto& [name, years] : *classes) {
      const auto v = years.value<int64_t>();
      if (!v || *v < 1 || *v > 100) {
        return Status::InvalidArgument("[retention.classes] " + base::DisplayName(name.str(), 40) +
                                       " は 1 から 100 までの年数（整数）で指定してください");
      }
      schedule->years[std::string(name.str())] = static_cast<int>(*v);
    }
  }
  if (const toml::node* d = r->get("document_types")) {
    const toml::table* types = d->as_table();
    if (types == nullptr) {
      return Status::InvalidArgument(
          "[retention.document_types] は 書類の種類 = \"分類\" の表で指定してください");
    }
    for (const auto& [type, cls] : *types) {
      const auto v = cls.value<std::string>();
      if (!v) {
        return Status::InvalidArgument("[retention.document_types] " +
                                       base::DisplayName(type.str(), 40) +
                                       " は分類の名前（文字列）で指定してください");
      }
      schedule->document_types[std::string(type.str())] = *v;
    }
  }
  return schedule->Validate();
}

// [scan]: the スキャナ保存 checks and the input deadline.
Status ReadScan(const toml::table& t, Config* config) {
  RETURN_IF_ERROR(ReadInt<int>(t, "scan", "min_dpi", 1, 2400, &config->scan.min_dpi));
  uint64_t image_mb = config->scan.max_image_bytes >> 20;
  RETURN_IF_ERROR(ReadInt<uint64_t>(t, "scan", "max_image_mb", 1, 1024, &image_mb));
  config->scan.max_image_bytes = image_mb << 20;
  RETURN_IF_ERROR(ReadInt<int>(t, "scan", "ocr_page_seconds", 0, 3600, &config->ocr_page_seconds));
  workflow::InputDeadlineRule& rule = config->input_deadline;
  RETURN_IF_ERROR(ReadInt<int>(t, "scan", "input_business_days", 1, 60, &rule.business_days));
  RETURN_IF_ERROR(ReadInt<int>(t, "scan", "cycle_months", 1, 12, &rule.cycle_months));
  RETURN_IF_ERROR(
      ReadInt<int>(t, "scan", "due_soon_business_days", 0, 30, &rule.due_soon_business_days));
  if (const auto node = t["scan"]["input_rule"]) {
    const auto v = node.value<std::string>();
    if (!v || (*v != "prompt" && *v != "cycle")) {
      return Status::InvalidArgument(
          "[scan] input_rule は \"prompt\"（おおむね7営業日）か "
          "\"cycle\"（業務処理サイクル方式）で指定してください");
    }
    rule.business_cycle = *v == "cycle";
  }
  if (const auto node = t["scan"]["grey_classes"]) {
    const toml::array* classes = node.as_array();
    if (classes == nullptr) {
      return Status::InvalidArgument(
          "[scan] grey_classes は一般書類とする分類のリストで指定してください（例: [\"other\"]）");
    }
    config->scan.grey_classes.clear();
    for (const toml::node& n : *classes) {
      const auto v = n.value<std::string>();
      if (!v || v->empty()) {
        return Status::InvalidArgument(
            "[scan] grey_classes の分類は空でない文字列で指定してください");
      }
      config->scan.grey_classes.push_back(*v);
    }
  }
  bool year_end = true;
  if (const auto node = t["scan"]["year_end_closure"]) {
    const auto v = node.value<bool>();
    if (!v) {
      return Status::InvalidArgument("[scan] year_end_closure は true か false で指定してください");
    }
    year_end = *v;
  }
  rule.city_holidays.clear();
  if (year_end) rule.city_holidays = base::BusinessCalendar::YearEndClosures(2025, 2035);
  if (const auto node = t["scan"]["holidays"]) {
    const toml::array* days = node.as_array();
    if (days == nullptr) {
      return Status::InvalidArgument(
          "[scan] holidays は日付のリストで指定してください（例: [\"2026-08-14\"]）");
    }
    for (const toml::node& n : *days) {
      const auto v = n.value<std::string>();
      auto d = v ? base::Date::Parse(*v) : Result<base::Date>(Status::InvalidArgument(""));
      if (!d.ok()) {
        return Status::InvalidArgument(
            "[scan] holidays の日付は \"YYYY-MM-DD\" の文字列で指定してください");
      }
      rule.city_holidays.push_back(*d);
    }
  }
  config->scan.default_class = config->retention.default_class;
  return Status::OK();
}

// [keys]: a PKCS#11 token for the private keys (app/config.h KeysConfig).
Status ReadKeys(const toml::table& t, KeysConfig* keys) {
  const toml::table* k = t["keys"].as_table();
  if (k == nullptr) return Status::OK();
  if (k->contains("pin")) {
    return Status::InvalidArgument(
        "[keys] pin: PIN を kura.toml に書かないでください。pin_env（環境変数の名前）か "
        "pin_file（PIN を書いたファイル）で渡してください");
  }
  for (auto [key, out] : {std::pair{"pkcs11_module", &keys->pkcs11_module},
                          {"token_label", &keys->token_label}, {"pin_env", &keys->pin_env},
                          {"pin_file", &keys->pin_file}, {"ca_key_label", &keys->ca_key_label},
                          {"tsa_key_label", &keys->tsa_key_label},
                          {"log_key_label", &keys->log_key_label}}) {
    if (const toml::node* node = k->get(key)) {
      const auto v = node->value<std::string>();
      if (!v) return Status::InvalidArgument(std::string("[keys] ") + key + " は文字列で指定してください");
      *out = *v;
    }
  }
  if (keys->pkcs11_module.empty()) {
    return Status::InvalidArgument(
        "[keys] pkcs11_module に PKCS#11 モジュールのパスを指定してください（例: "
        "\"/usr/lib/softhsm/libsofthsm2.so\"）。鍵をファイルにするときは [keys] を書きません");
  }
  if (keys->token_label.empty()) {
    return Status::InvalidArgument("[keys] token_label にトークンのラベルを指定してください");
  }
  if (keys->pin_env.empty() == keys->pin_file.empty()) {
    return Status::InvalidArgument(
        "[keys] PIN の渡し方は pin_env（環境変数の名前）か pin_file（ファイル）のどちらか一方を"
        "指定してください");
  }
  const std::string& ca = keys->ca_key_label;
  const std::string& tsa = keys->tsa_key_label;
  const std::string& log = keys->log_key_label;
  if (ca.empty() || tsa.empty() || log.empty() || ca == tsa || ca == log || tsa == log) {
    return Status::InvalidArgument(
        "[keys] ca_key_label, tsa_key_label, log_key_label は空でない別々のラベルにしてください");
  }
  return Status::OK();
}

// Every setting of the parsed file t into *config; the error names the
// key ("[ingest] max_file_mb") and says what to write instead.
Status ReadSettings(const toml::table& t, Config* settings) {
  Config& config = *settings;
  if (const auto node = t["server"]["listen"]) {
    const auto v = node.value<std::string>();
    if (!v || v->find(':') == std::string::npos) {
      return Status::InvalidArgument(
          "[server] listen は \"ホスト:ポート\" の形の文字列で指定してください（例: "
          "\"127.0.0.1:8080\"）");
    }
    config.listen = *v;
  }
  RETURN_IF_ERROR(ReadInt<uint32_t>(t, "server", "session_idle_minutes", 1, 7 * 24 * 60,
                                    &config.session_idle_minutes));
  RETURN_IF_ERROR(ReadServerTls(t, &config));
  RETURN_IF_ERROR(ReadInt<uint64_t>(t, "ingest", "max_file_mb", 1, 4096, &config.max_file_mb));
  RETURN_IF_ERROR(ReadInt<uint32_t>(t, "ingest", "batch_files", 1, 10000, &config.batch_files));
  RETURN_IF_ERROR(ReadInt<uint64_t>(t, "ingest", "batch_mb", 1, 4096, &config.batch_mb));
  if (const auto node = t["ingest"]["default_department"]) {
    const auto v = node.value<std::string>();
    if (!v) {
      return Status::InvalidArgument(
          "[ingest] default_department は課のコードを文字列で指定してください（例: \"somu\"）");
    }
    config.ingest_default_department = *v;
  }
  for (auto [key, out] :
       {std::pair{"url", &config.tsa_url}, {"trusted_ca", &config.tsa_trusted_ca}}) {
    if (const auto node = t["timestamp"][key]) {
      const auto v = node.value<std::string>();
      if (!v) {
        return Status::InvalidArgument(std::string("[timestamp] ") + key +
                                       " は文字列で指定してください");
      }
      *out = *v;
    }
  }
  if (!config.tsa_url.empty() && config.tsa_url.rfind("http://", 0) != 0 &&
      config.tsa_url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument(
        "[timestamp] url は http:// または https:// で始まる TSA のアドレスにしてください"
        "（組み込みの TSA を使うときは空にします）");
  }
  if (!config.tsa_url.empty() && config.tsa_trusted_ca.empty()) {
    return Status::InvalidArgument(
        "[timestamp] url を指定したときは trusted_ca も指定してください"
        "（その TSA のタイムスタンプを検証する証明書の PEM ファイル）");
  }
  if (const auto node = t["timestamp"]["batch"]) {
    const auto v = node.value<bool>();
    if (!v) {
      return Status::InvalidArgument("[timestamp] batch は true か false で指定してください");
    }
    config.tsa_batch = *v;
  }
  RETURN_IF_ERROR(
      ReadInt<uint32_t>(t, "timestamp", "timeout_seconds", 1, 600, &config.tsa_timeout_seconds));
  RETURN_IF_ERROR(ReadInt<uint32_t>(t, "checkpoints", "every_events", 1, 1'000'000,
                                    &config.checkpoint_every_events));
  RETURN_IF_ERROR(ReadInt<uint32_t>(t, "checkpoints", "every_seconds", 1, 24 * 3600,
                                    &config.checkpoint_every_seconds));
  try {
    RETURN_IF_ERROR(ReadRoutes(t, &config.routes));
    RETURN_IF_ERROR(ReadPayments(t, &config.remitter));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("[routes] の値を読めません（") + e.what() + "）");
  }
  RETURN_IF_ERROR(ReadRenewal(t, &config.renewal));
  RETURN_IF_ERROR(ReadInt<int64_t>(t, "renewal", "check_hours", 0, 24 * 366,
                                   &config.renewal_check_hours));
  RETURN_IF_ERROR(ReadKeys(t, &config.keys));
  RETURN_IF_ERROR(ReadRetention(t, &config.retention));
  return ReadScan(t, &config);
}

}  // namespace

Result<Config> ParseConfig(std::string_view text, std::string_view source_name) {
  toml::table t;
  try {
    t = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    // toml++ describes the fault in English; the sentence around it says
    // where and what to do.
    const auto& where = e.source().begin;
    return Status::InvalidArgument(
        base::DisplayName(source_name, 200) + ":" + std::to_string(where.line) + ":" +
        std::to_string(where.column) + ": 設定ファイルの書き方（TOML）が正しくありません。" +
        "この位置を直してください（" + base::DisplayName(e.description(), 200) + "）");
  }
  Config config;
  const Status s = ReadSettings(t, &config);
  if (!s.ok()) return s.WithContext(base::DisplayName(source_name, 200));
  return config;
}

Result<Config> LoadConfig(base::FileSystem* fs, const std::string& path) {
  auto text = fs->ReadFile(path, 1 << 20);
  if (!text.ok()) {
    if (text.status().IsNotFound()) return Config{};
    return text.status();
  }
  return ParseConfig(*text, path);
}

}  // namespace app
