#include "app/config.h"

#include <toml++/toml.h>

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

[ingest]
# Received files larger than this are refused with a clear error.
max_file_mb = 100
# Group commit: up to this many files, or this many MiB, share one round of
# fsync and one catalog commit.
batch_files = 256
batch_mb = 64

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
)";
}

namespace {
template <class T>
Status ReadInt(const toml::table& t, const char* section, const char* key, T min, T max,
               T* out) {
  const auto node = t[section][key];
  if (!node) return Status::OK();
  const auto v = node.value<int64_t>();
  if (!v || *v < static_cast<int64_t>(min) || *v > static_cast<int64_t>(max)) {
    return Status::InvalidArgument(std::string("[") + section + "] " + key +
                                   " must be a whole number from " + std::to_string(min) +
                                   " to " + std::to_string(max));
  }
  *out = static_cast<T>(*v);
  return Status::OK();
}
}  // namespace

Result<Config> ParseConfig(std::string_view text, std::string_view source_name) {
  Config config;
  toml::table t;
  try {
    t = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return Status::InvalidArgument(std::string(source_name) + ":" + std::to_string(where.line) +
                                   ":" + std::to_string(where.column) + ": " +
                                   std::string(e.description()));
  }
  if (const auto node = t["server"]["listen"]) {
    const auto v = node.value<std::string>();
    if (!v || v->find(':') == std::string::npos) {
      return Status::InvalidArgument("[server] listen must be \"HOST:PORT\"");
    }
    config.listen = *v;
  }
  RETURN_IF_ERROR(ReadInt<uint64_t>(t, "ingest", "max_file_mb", 1, 4096, &config.max_file_mb));
  RETURN_IF_ERROR(ReadInt<uint32_t>(t, "ingest", "batch_files", 1, 10000, &config.batch_files));
  RETURN_IF_ERROR(ReadInt<uint64_t>(t, "ingest", "batch_mb", 1, 4096, &config.batch_mb));
  for (auto [key, out] : {std::pair{"url", &config.tsa_url}, {"trusted_ca", &config.tsa_trusted_ca}}) {
    if (const auto node = t["timestamp"][key]) {
      const auto v = node.value<std::string>();
      if (!v) return Status::InvalidArgument(std::string("[timestamp] ") + key + " must be a string");
      *out = *v;
    }
  }
  if (!config.tsa_url.empty() && config.tsa_url.rfind("http://", 0) != 0 &&
      config.tsa_url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("[timestamp] url must start with http:// or https://");
  }
  if (!config.tsa_url.empty() && config.tsa_trusted_ca.empty()) {
    return Status::InvalidArgument(
        "[timestamp] trusted_ca is required with url: the PEM that verifies the TSA's tokens");
  }
  if (const auto node = t["timestamp"]["batch"]) {
    const auto v = node.value<bool>();
    if (!v) return Status::InvalidArgument("[timestamp] batch must be true or false");
    config.tsa_batch = *v;
  }
  RETURN_IF_ERROR(ReadInt<uint32_t>(t, "timestamp", "timeout_seconds", 1, 600,
                                    &config.tsa_timeout_seconds));
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
