#include "archive/timestamper.h"

#include "signing/tsa.h"
#include "signing/tsa_verify.h"

namespace archive {

using base::Result;
using base::Status;

namespace {

class BuiltinTimestamper final : public Timestamper {
 public:
  BuiltinTimestamper(std::unique_ptr<signing::Tsa> tsa, std::string chain_pem)
      : tsa_(std::move(tsa)), chain_pem_(std::move(chain_pem)) {}

  Result<Stamp> StampDigest(const signing::Digest& digest, base::Time now) override {
    ASSIGN_OR_RETURN(std::string der, tsa_->Timestamp(digest, std::nullopt, now));
    // Our own tokens are checked like anyone else's before they are kept.
    ASSIGN_OR_RETURN(const signing::TimestampInfo info,
                     signing::VerifyTimestampResponse(der, digest, chain_pem_));
    return Stamp{std::move(der), info.gen_time, info.serial_hex};
  }
  std::string name() const override { return "builtin"; }

 private:
  std::unique_ptr<signing::Tsa> tsa_;
  std::string chain_pem_;
};

class ExternalTimestamper final : public Timestamper {
 public:
  ExternalTimestamper(signing::TsaTransport* transport, std::string url, std::string trusted_pem)
      : url_(url), client_(transport, signing::TsaClientOptions{std::move(url), std::move(trusted_pem)}) {}

  Result<Stamp> StampDigest(const signing::Digest& digest, base::Time now) override {
    ASSIGN_OR_RETURN(signing::VerifiedTimestamp t, client_.Timestamp(digest, now));
    return Stamp{std::move(t.response_der), t.info.gen_time, t.info.serial_hex};
  }
  std::string name() const override { return url_; }

 private:
  std::string url_;
  signing::TsaClient client_;
};

}  // namespace

Result<std::unique_ptr<Timestamper>> NewBuiltinTimestamper(const std::string& key_pem,
                                                           const std::string& cert_pem,
                                                           const std::string& chain_pem) {
  ASSIGN_OR_RETURN(std::unique_ptr<signing::Tsa> tsa, signing::Tsa::Create(key_pem, cert_pem));
  return std::unique_ptr<Timestamper>(new BuiltinTimestamper(std::move(tsa), chain_pem));
}

std::unique_ptr<Timestamper> NewExternalTimestamper(signing::TsaTransport* transport,
                                                    const std::string& url,
                                                    const std::string& trusted_pem) {
  return std::make_unique<ExternalTimestamper>(transport, url, trusted_pem);
}

}  // namespace archive
