#include "app/config.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace app {
namespace {

TEST(ConfigTest, DefaultTextParsesToDefaults) {
  auto c = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(c);
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->max_file_mb, 100u);
  EXPECT_EQ(c->batch_files, 256u);
  EXPECT_EQ(c->ingest_default_department, "");
}

TEST(ConfigTest, IngestDefaultDepartment) {
  auto c = ParseConfig("[ingest]\ndefault_department = \"somu\"\n", "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->ingest_default_department, "somu");
  auto bad = ParseConfig("[ingest]\ndefault_department = 3\n", "kura.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("default_department"), std::string::npos);
}

TEST(ConfigTest, ValuesAreRead) {
  auto c = ParseConfig("[server]\nlisten = \"0.0.0.0:9000\"\n[ingest]\nmax_file_mb = 5\n", "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->max_file_mb, 5u);
}

TEST(ConfigTest, TimestampSection) {
  auto c = ParseConfig(
      "[timestamp]\nurl = \"https://tsa.example.jp/tsa\"\ntrusted_ca = \"ca.pem\"\n"
      "batch = true\ntimeout_seconds = 30\n",
      "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->tsa_url, "https://tsa.example.jp/tsa");
  EXPECT_EQ(c->tsa_trusted_ca, "ca.pem");
  EXPECT_TRUE(c->tsa_batch);
  EXPECT_EQ(c->tsa_timeout_seconds, 30u);
  EXPECT_FALSE(ParseConfig("[timestamp]\nurl = \"ftp://x\"\ntrusted_ca = \"a\"\n", "t").ok());
  auto no_ca = ParseConfig("[timestamp]\nurl = \"https://x\"\n", "t");
  ASSERT_FALSE(no_ca.ok());
  EXPECT_NE(no_ca.status().message().find("trusted_ca"), std::string::npos);
}

TEST(ConfigTest, CheckpointsSection) {
  auto defaults = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(defaults);
  EXPECT_EQ(defaults->checkpoint_every_events, 256u);
  EXPECT_EQ(defaults->checkpoint_every_seconds, 10u);
  auto c = ParseConfig("[checkpoints]\nevery_events = 16\nevery_seconds = 60\n", "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->checkpoint_every_events, 16u);
  EXPECT_EQ(c->checkpoint_every_seconds, 60u);
  EXPECT_FALSE(ParseConfig("[checkpoints]\nevery_events = 0\n", "t").ok());
}

TEST(ConfigTest, DefaultRoutesAreTheWorkflowDefaults) {
  auto c = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(c);
  EXPECT_EQ(c->session_idle_minutes, 480u);
  const workflow::RouteConfig defaults;
  ASSERT_EQ(c->routes.rule.tiers.size(), defaults.rule.tiers.size());
  for (size_t i = 0; i < defaults.rule.tiers.size(); ++i) {
    EXPECT_EQ(c->routes.rule.tiers[i].max_amount.ToString(),
              defaults.rule.tiers[i].max_amount.ToString());
    EXPECT_EQ(c->routes.rule.tiers[i].titles, defaults.rule.tiers[i].titles);
  }
  EXPECT_EQ(c->routes.rule.above, defaults.rule.above);
  EXPECT_EQ(c->routes.any_department_titles, defaults.any_department_titles);
  EXPECT_EQ(c->routes.substitutes, defaults.substitutes);
  EXPECT_TRUE(c->routes.by_expense_type.empty());
  // Absent: the same defaults.
  auto empty = ParseConfig("", "t");
  ASSERT_OK(empty);
  EXPECT_EQ(empty->routes.rule.above, defaults.rule.above);
}

TEST(ConfigTest, RoutesAreReadPerExpenseType) {
  auto c = ParseConfig(R"([routes]
tiers = [{ max_amount = 300000, titles = ["課長"] }, { max_amount = "3000000", titles = ["課長", "部長"] }]
above = ["課長", "部長", "市長"]
any_department_titles = ["市長"]
[routes.works]
tiers = [{ max_amount = 1300000, titles = ["課長"] }]
)",
                       "t");
  ASSERT_OK(c);
  EXPECT_EQ(workflow::ChooseRoute(c->routes, base::Decimal::FromInt(300000), "goods"),
            std::vector<std::string>{"課長"});
  EXPECT_EQ(workflow::ChooseRoute(c->routes, base::Decimal::FromInt(300001), "goods"),
            (std::vector<std::string>{"課長", "部長"}));
  EXPECT_EQ(workflow::ChooseRoute(c->routes, base::Decimal::FromInt(3000001), "goods"),
            (std::vector<std::string>{"課長", "部長", "市長"}));
  EXPECT_EQ(workflow::ChooseRoute(c->routes, base::Decimal::FromInt(1300000), "works"),
            std::vector<std::string>{"課長"});
  EXPECT_EQ(workflow::ChooseRoute(c->routes, base::Decimal::FromInt(1300001), "works"),
            (std::vector<std::string>{"課長", "部長", "市長"}));
  EXPECT_EQ(c->routes.any_department_titles, std::vector<std::string>{"市長"});

  auto descending = ParseConfig(
      "[routes]\ntiers = [{ max_amount = 5, titles = [\"a\"] }, { max_amount = 1, titles = "
      "[\"b\"] }]\n",
      "t");
  ASSERT_FALSE(descending.ok());
  EXPECT_NE(descending.status().message().find("[routes]"), std::string::npos);
  EXPECT_FALSE(ParseConfig("[routes]\nabove = []\n", "t").ok());
  EXPECT_FALSE(ParseConfig("[routes]\ntiers = [{ titles = [\"a\"] }]\n", "t").ok());
  EXPECT_FALSE(ParseConfig("routes = 3\n", "t").ok());
}

// Issue 12, item 6: HTTPS and reverse proxies.
TEST(ConfigTest, TlsAndTrustedProxies) {
  auto defaults = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(defaults);
  EXPECT_EQ(defaults->tls_cert, "");
  EXPECT_EQ(defaults->tls_key, "");
  EXPECT_TRUE(defaults->trusted_proxies.empty());
  auto c = ParseConfig(
      "[server]\ntls_cert = \"tls/server.pem\"\ntls_key = \"/etc/kura/server.key\"\n"
      "trusted_proxies = [\"10.0.0.5\", \"2001:db8::5\"]\n",
      "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->tls_cert, "tls/server.pem");
  EXPECT_EQ(c->tls_key, "/etc/kura/server.key");
  EXPECT_EQ(c->trusted_proxies, (std::vector<std::string>{"10.0.0.5", "2001:db8::5"}));
}

TEST(ConfigTest, TlsNeedsBothFilesAndProxiesMustBeAddresses) {
  for (const char* half :
       {"[server]\ntls_cert = \"server.pem\"\n", "[server]\ntls_key = \"server.key\"\n",
        "[server]\ntls_cert = \"server.pem\"\ntls_key = \"\"\n"}) {
    auto bad = ParseConfig(half, "kura.toml");
    ASSERT_FALSE(bad.ok()) << half;
    EXPECT_NE(bad.status().message().find("tls_cert と tls_key は両方指定してください"),
              std::string::npos)
        << bad.status().message();
  }
  auto not_string = ParseConfig("[server]\ntls_cert = 1\ntls_key = \"k\"\n", "kura.toml");
  ASSERT_FALSE(not_string.ok());
  EXPECT_NE(not_string.status().message().find("[server] tls_cert"), std::string::npos);
  auto host_name = ParseConfig("[server]\ntrusted_proxies = [\"proxy.example.jp\"]\n", "t");
  ASSERT_FALSE(host_name.ok());
  EXPECT_NE(host_name.status().message().find("\"proxy.example.jp\" は IP アドレスではありません"),
            std::string::npos)
      << host_name.status().message();
  EXPECT_FALSE(ParseConfig("[server]\ntrusted_proxies = \"10.0.0.5\"\n", "t").ok());
  EXPECT_FALSE(ParseConfig("[server]\ntrusted_proxies = [5]\n", "t").ok());
  EXPECT_FALSE(ParseConfig("[server]\ntrusted_proxies = [\"10.0.0.0/24\"]\n", "t").ok());
}

TEST(ConfigTest, SubstitutesForDaiketsuAreReadAndNotAnExpenseType) {
  auto c = ParseConfig(R"([routes]
substitutes = { "課長" = ["部長", "次長"], "部長" = ["副市長"] }
)",
                       "t");
  ASSERT_OK(c);
  EXPECT_TRUE(c->routes.by_expense_type.empty());
  EXPECT_TRUE(c->routes.MayStandIn("課長", "次長"));
  EXPECT_TRUE(c->routes.MayStandIn("課長", "部長"));
  EXPECT_FALSE(c->routes.MayStandIn("課長", "副市長"));
  // As a section too; an empty table turns 代決 off.
  auto section = ParseConfig("[routes.substitutes]\n\"課長\" = [\"次長\"]\n", "t");
  ASSERT_OK(section);
  EXPECT_EQ(section->routes.substitutes.size(), 1u);
  EXPECT_TRUE(section->routes.by_expense_type.empty());
  auto off = ParseConfig("[routes]\nsubstitutes = {}\n", "t");
  ASSERT_OK(off);
  EXPECT_FALSE(off->routes.MayStandIn("課長", "部長"));
  // Malformed: not a table, not a list of titles, a title for itself.
  EXPECT_FALSE(ParseConfig("[routes]\nsubstitutes = [\"部長\"]\n", "t").ok());
  EXPECT_FALSE(ParseConfig("[routes]\nsubstitutes = { \"課長\" = \"部長\" }\n", "t").ok());
  auto self = ParseConfig("[routes]\nsubstitutes = { \"課長\" = [\"課長\"] }\n", "t");
  ASSERT_FALSE(self.ok());
  EXPECT_NE(self.status().message().find("[routes]"), std::string::npos);
}

TEST(ConfigTest, RetentionScheduleIsReadOverItsDefaults) {
  auto defaults = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(defaults);
  EXPECT_EQ(defaults->retention.years, retention::Schedule{}.years);
  EXPECT_EQ(defaults->retention.document_types, retention::Schedule{}.document_types);
  EXPECT_EQ(defaults->retention.default_class, "payment_evidence");
  auto c = ParseConfig(
      "[retention]\ndefault_class = \"other\"\n[retention.classes]\nother = 7\ncontracts = 30\n"
      "[retention.document_types]\ncredit_note = \"contracts\"\n",
      "kura.toml");
  ASSERT_OK(c);
  EXPECT_EQ(c->retention.years.at("other"), 7);
  EXPECT_EQ(c->retention.years.at("contracts"), 30);
  EXPECT_EQ(c->retention.years.at("payment_evidence"), 10);
  EXPECT_EQ(c->retention.document_types.at("credit_note"), "contracts");
  EXPECT_EQ(c->retention.default_class, "other");
  for (const char* bad : {"[retention.classes]\nother = 0\n", "[retention.classes]\nother = \"5\"\n",
                          "[retention.document_types]\ninvoice = \"nowhere\"\n",
                          "[retention]\ndefault_class = 3\n", "retention = 5\n"}) {
    auto r = ParseConfig(bad, "kura.toml");
    EXPECT_EQ(r.status().code(), base::Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("retention"), std::string::npos) << r.status().message();
  }
}

TEST(ConfigTest, ErrorsNameTheKeyOrLine) {
  auto bad_type = ParseConfig("[ingest]\nmax_file_mb = \"lots\"\n", "kura.toml");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.status().message().find("max_file_mb"), std::string::npos);
  auto out_of_range = ParseConfig("[ingest]\nmax_file_mb = 0\n", "kura.toml");
  EXPECT_FALSE(out_of_range.ok());
  auto syntax = ParseConfig("[server\nlisten = 1\n", "kura.toml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_NE(syntax.status().message().find("kura.toml:1"), std::string::npos)
      << syntax.status().message();
}

}  // namespace
}  // namespace app

namespace app {
namespace {

TEST(ConfigTest, PaymentsSectionNamesTheCityAsItsBankKnowsIt) {
  EXPECT_FALSE(ParseConfig(DefaultConfigText(), "kura.toml")->remitter.has_value());
  auto c = ParseConfig(
      "[payments]\nremitter_code = \"1234567890\"\nremitter_name = \"クラマエシ\"\n"
      "account = \"0005:001:1:1234567\"\nbank_name = \"ミツビシユーエフジエイ\"\n",
      "kura.toml");
  ASSERT_OK(c);
  ASSERT_TRUE(c->remitter.has_value());
  EXPECT_EQ(c->remitter->code, "1234567890");
  EXPECT_EQ(c->remitter->account.bank_code, "0005");
  EXPECT_EQ(c->remitter->account.branch_code, "001");
  EXPECT_EQ(c->remitter->account.type, '1');
  EXPECT_EQ(c->remitter->account.number, "1234567");
  EXPECT_EQ(c->remitter->account.bank_name, "ミツビシユーエフジエイ");
  for (const char* bad : {
           "[payments]\nremitter_code = \"1234567890\"\nremitter_name = \"クラマエシ\"\n",
           "[payments]\nremitter_code = \"12345678901\"\nremitter_name = \"クラマエシ\"\n"
           "account = \"0005:001:1:1234567\"\n",
           "[payments]\nremitter_code = \"1234567890\"\nremitter_name = \"蔵前市\"\n"
           "account = \"0005:001:1:1234567\"\n",
           "[payments]\nremitter_code = \"1234567890\"\nremitter_name = \"クラマエシ\"\n"
           "account = \"0005-001-1-1234567\"\n",
       }) {
    auto r = ParseConfig(bad, "kura.toml");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("[payments]"), std::string::npos) << r.status().message();
  }
}

// [scan] (issue 15): the スキャナ保存 checks and the input deadline.
TEST(ConfigTest, ScanSettingsAndTheirDefaults) {
  auto d = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(d);
  EXPECT_EQ(d->scan.min_dpi, 200);
  EXPECT_EQ(d->scan.grey_classes, std::vector<std::string>{"other"});
  EXPECT_EQ(d->scan.max_image_bytes, uint64_t{50} << 20);
  EXPECT_FALSE(d->input_deadline.business_cycle);
  EXPECT_EQ(d->input_deadline.business_days, 7);
  const base::BusinessCalendar cal(d->input_deadline.city_holidays);
  EXPECT_FALSE(cal.IsBusinessDay(base::Date(2026, 12, 29)));  // 年末年始
  auto c = ParseConfig(
      "[scan]\nmin_dpi = 300\ngrey_classes = [\"other\", \"quotes\"]\ninput_rule = \"cycle\"\n"
      "year_end_closure = false\nholidays = [\"2026-08-14\"]\n",
      "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->scan.min_dpi, 300);
  EXPECT_EQ(c->scan.grey_classes.size(), 2u);
  EXPECT_TRUE(c->input_deadline.business_cycle);
  EXPECT_EQ(c->input_deadline.city_holidays, std::vector<base::Date>{base::Date(2026, 8, 14)});
  auto bad = ParseConfig("[scan]\ninput_rule = \"weekly\"\n", "kura.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("業務処理サイクル"), std::string::npos);
  EXPECT_FALSE(ParseConfig("[scan]\nholidays = [\"8/14\"]\n", "t").ok());
}

TEST(ConfigTest, KeysSectionNamesATokenAndWhereThePinIs) {
  auto none = ParseConfig(DefaultConfigText(), "kura.toml");
  ASSERT_OK(none);
  EXPECT_EQ(none->keys.pkcs11_module, "");  // files in keys/
  auto c = ParseConfig(
      "[keys]\npkcs11_module = \"/usr/lib/softhsm/libsofthsm2.so\"\ntoken_label = \"kura\"\n"
      "pin_file = \"pin.txt\"\nlog_key_label = \"log-2026\"\n",
      "t");
  ASSERT_OK(c);
  EXPECT_EQ(c->keys.token_label, "kura");
  EXPECT_EQ(c->keys.pin_file, "pin.txt");
  EXPECT_EQ(c->keys.tsa_key_label, "kura-tsa");
  EXPECT_EQ(c->keys.log_key_label, "log-2026");
  const std::string base =
      "[keys]\npkcs11_module = \"/m.so\"\ntoken_label = \"kura\"\n";
  for (const std::string& bad : {
           base,                                                      // no PIN source
           base + "pin_env = \"P\"\npin_file = \"f\"\n",            // both
           base + "pin = \"1234\"\npin_env = \"P\"\n",              // the PIN itself
           base + "pin_env = \"P\"\ntsa_key_label = \"kura-log\"\n",  // two keys, one label
           std::string("[keys]\ntoken_label = \"kura\"\npin_env = \"P\"\n"),  // no module
       }) {
    auto r = ParseConfig(bad, "kura.toml");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("[keys]"), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace app
