// Config: kura.toml, the data directory's configuration, read with toml++.
// Unknown keys are ignored (a newer kura may add some); a wrong type or an
// out-of-range value is an error naming the key.
//
// Thread safety: values.
#ifndef APP_CONFIG_H_
#define APP_CONFIG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/scan.h"
#include "base/business_days.h"
#include "base/file_system.h"
#include "base/result.h"
#include "retention/renewal.h"
#include "retention/schedule.h"
#include "workflow/input_deadline.h"
#include "workflow/route.h"
#include "workflow/zengin.h"

namespace app {

/// [keys]: the built-in TSA's and the log's private keys in a PKCS#11
/// token instead of files in keys/ (ledger/token_keys.h). Off when
/// pkcs11_module is empty. The PIN is never in kura.toml: pin_env names an
/// environment variable, pin_file a file (relative: to the data dir).
struct KeysConfig {
  std::string pkcs11_module;
  std::string token_label;
  std::string pin_env;
  std::string pin_file;
  std::string ca_key_label = "kura-ca";
  std::string tsa_key_label = "kura-tsa";
  std::string log_key_label = "kura-log";
};

struct Config {
  std::string listen = "127.0.0.1:8080";  ///< [server] listen
  uint64_t max_file_mb = 100;             ///< [ingest] max_file_mb
  uint32_t batch_files = 256;             ///< [ingest] batch_files (group commit size)
  uint64_t batch_mb = 64;                 ///< [ingest] batch_mb
  /// [ingest] default_department: the department `kura ingest` and `kura
  /// watch` receive files for when --department is not given; it must be
  /// registered (app/ingest_department.h). Empty: --department is required.
  std::string ingest_default_department;
  /// [timestamp] url: an external RFC 3161 TSA; empty = the built-in TSA.
  std::string tsa_url;
  /// [timestamp] trusted_ca: PEM file of the certificates that verify the
  /// external TSA's tokens (relative paths are relative to the data dir).
  std::string tsa_trusted_ca;
  /// [timestamp] batch: one token per ingest batch over a Merkle root.
  bool tsa_batch = false;
  /// [timestamp] timeout_seconds for the external TSA.
  uint32_t tsa_timeout_seconds = 10;
  /// [checkpoints] every_events / every_seconds: the log's root is signed
  /// and time-stamped as soon as this many events are uncovered, or the
  /// oldest has waited this long (and when kura stops).
  uint32_t checkpoint_every_events = 256;
  uint32_t checkpoint_every_seconds = 10;
  /// [server] session_idle_minutes: a web session ends after this long
  /// without a request.
  uint32_t session_idle_minutes = 480;
  /// [server] tls_cert / tls_key: PEM files of the server's certificate
  /// (intermediates after it) and its unencrypted private key, relative
  /// paths relative to the data dir; both set: HTTPS only on `listen`,
  /// both empty: plain HTTP.
  std::string tls_cert;
  std::string tls_key;
  /// [server] trusted_proxies: addresses of reverse proxies whose
  /// X-Forwarded-For names the client (IPv4 or IPv6 addresses).
  std::vector<std::string> trusted_proxies;
  /// [routes]: the approval routes (専決規程) by amount and expense type;
  /// the defaults of workflow::RouteConfig when absent.
  workflow::RouteConfig routes;
  /// [payments]: the city as its bank knows it (委託者コード, name in kana,
  /// the account paid from), for `kura payments run`; none when absent.
  std::optional<workflow::zengin::Remitter> remitter;
  /// [retention]: years kept per document class and which class each
  /// document type is; retention::Schedule's defaults when absent.
  retention::Schedule retention;
  /// [renewal]: when `kura retention renew` renews the time-stamps
  /// (margin_days before a TSA certificate ends, sha256_end_of_life).
  retention::RenewalPolicy renewal;
  /// [renewal] check_hours: how often `kura serve` checks whether a roll
  /// or a renewal is due and makes it (app/renewal_timer.h); 0: never.
  int64_t renewal_check_hours = 24;
  /// [scan]: スキャナ保存 — the checks of a scan's images, the image size
  /// cap, and the input deadline with the city's holidays.
  archive::ScanPolicy scan;
  /// [scan] ocr_page_seconds: the background OCR's time cap per page; 0:
  /// no background OCR (archive/ocr_worker.h).
  int ocr_page_seconds = 120;
  workflow::InputDeadlineRule input_deadline{
      .city_holidays = base::BusinessCalendar::YearEndClosures(2025, 2035)};
  /// [keys]: keys in a PKCS#11 token; none when absent.
  KeysConfig keys;
};

/// The kura.toml that `kura init` writes: every setting with its default.
std::string DefaultConfigText();

/// Parses kura.toml text; InvalidArgument says in Japanese what to write
/// instead and names the file (source_name) and the key or line at fault:
/// "kura-data/kura.toml: [ingest] max_file_mb は 1 から 4096 までの整数で…".
base::Result<Config> ParseConfig(std::string_view text, std::string_view source_name);

/// Reads path; a missing file gives the defaults.
base::Result<Config> LoadConfig(base::FileSystem* fs, const std::string& path);

}  // namespace app

#endif  // APP_CONFIG_H_
