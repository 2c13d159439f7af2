#include "app/ocr_run.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "app/error_text.h"

namespace app {

using nlohmann::json;

std::vector<ocr::KnownVendor> KnownVendorsOf(const std::vector<workflow::Vendor>& vendors) {
  std::vector<ocr::KnownVendor> out;
  out.reserve(vendors.size());
  for (const workflow::Vendor& v : vendors) out.push_back({v.id, v.name, v.registration_number});
  return out;
}

json ScanSummary(const std::vector<ocr::ScanPage>& pages) {
  int dpi = 0;
  ocr::Colour colour = ocr::Colour::kRgb;
  auto rank = [](ocr::Colour c) { return c == ocr::Colour::kRgb ? 2 : c == ocr::Colour::kGrey ? 1 : 0; };
  for (const ocr::ScanPage& p : pages) {
    dpi = dpi == 0 ? p.dpi() : std::min(dpi, p.dpi());
    if (rank(p.colour) < rank(colour)) colour = p.colour;
  }
  // Each page's pixel size: the frame the regions are placed in, kept so
  // that the screen's GET /ocr need not decode the original again.
  json sizes = json::array();
  for (const ocr::ScanPage& p : pages) {
    sizes.push_back({{"page", sizes.size() + 1}, {"width", p.width}, {"height", p.height}});
  }
  json warnings = json::array();
  if (dpi == 0) {
    warnings.push_back("解像度が記録されていません");
  } else if (dpi < 200) {
    warnings.push_back("解像度が 200dpi 未満です（" + std::to_string(dpi) + "dpi）");
  }
  if (colour != ocr::Colour::kRgb) {
    warnings.push_back(std::string("カラー（RGB 各 256 階調）ではありません（") +
                       (colour == ocr::Colour::kGrey ? "グレースケール" : "白黒") + "）");
  }
  return json{{"dpi", dpi},
              {"colour", std::string(ocr::ColourName(colour))},
              {"pages", pages.size()},
              {"page_sizes", sizes},
              {"warnings", warnings}};
}

base::Result<json> ReadOcrRecord(ocr::Engine* engine, const std::vector<ocr::KnownVendor>& vendors,
                                 std::string_view id, std::string_view bytes) {
  if (ocr::DetectScanFormat(bytes) == ocr::ScanFormat::kUnknown) {
    return base::Status::InvalidArgument(std::string(id) + " はスキャン（PDF・JPEG・PNG・TIFF）ではありません");
  }
  auto pages = ocr::ReadScan(bytes);
  if (!pages.ok()) return pages.status().WithContext(std::string(id));
  ASSIGN_OR_RETURN(const ocr::Proposal proposal, ocr::ReadInvoice(*engine, *pages, vendors));
  json record{{"proposal", ocr::ProposalValuesJson(proposal)},
              {"confidence", ocr::ProposalConfidenceJson(proposal)},
              {"regions", ocr::ProposalRegionsJson(proposal)},
              {"scan", ScanSummary(*pages)},
              {"engine", "tesseract jpn+eng"}};
  if (!proposal.counterparty_vendor_id.empty()) {
    record["counterparty_vendor"] = proposal.counterparty_vendor_id;
  }
  return record;
}

base::Result<json> RunOcr(archive::Archive* archive, archive::OcrStore* store, ocr::Engine* engine,
                          const std::vector<ocr::KnownVendor>& vendors, std::string_view id,
                          const std::string& actor, base::Time now) {
  ASSIGN_OR_RETURN(const std::string bytes, archive->ReadOriginal(id));
  ASSIGN_OR_RETURN(json record, ReadOcrRecord(engine, vendors, id, bytes));
  RETURN_IF_ERROR(store->Put(id, std::move(record), actor, now));
  return store->Get(id);
}

archive::OcrReader MakeOcrReader(std::function<std::vector<ocr::KnownVendor>()> vendors,
                                 ocr::EngineOptions options) {
  // Shared by the reader's copies; used on the worker's thread only.
  auto engine = std::make_shared<std::unique_ptr<ocr::Engine>>();
  return [engine, vendors = std::move(vendors), options](
             std::string_view id, std::string_view bytes,
             const std::atomic<bool>* cancelled) mutable -> base::Result<json> {
    if (*engine == nullptr) {
      options.cancel = cancelled;
      ASSIGN_OR_RETURN(*engine, ocr::Engine::Open(options));
    }
    return ReadOcrRecord(engine->get(), vendors(), id, bytes);
  };
}

std::unique_ptr<BackgroundOcr> StartBackgroundOcr(archive::Archive* archive,
                                                  workflow::Workflow* workflow,
                                                  const base::Clock* clock, int page_seconds) {
  if (page_seconds <= 0) return nullptr;
  auto out = std::make_unique<BackgroundOcr>();
  auto store = archive::OcrStore::Open(archive);
  if (!store.ok()) {
    spdlog::warn("OCR を開始できません: {}", ErrorText(store.status()));
    return nullptr;
  }
  out->store = std::move(*store);
  auto vendors = [workflow] {
    auto list = workflow->ListVendors();
    return list.ok() ? KnownVendorsOf(*list) : std::vector<ocr::KnownVendor>{};
  };
  archive::OcrWorkerOptions options;
  options.on_read = [](std::string_view id, const base::Status& s) {
    if (s.ok()) {
      spdlog::info("{}: OCR の候補を記録しました", id);
    } else {
      spdlog::warn("{}: OCR できませんでした: {}", id.empty() ? "OCR" : id, ErrorText(s));
    }
  };
  ocr::EngineOptions engine;
  engine.page_time_limit_ms = page_seconds * 1000;
  out->worker = std::make_unique<archive::OcrWorker>(
      archive, out->store.get(), MakeOcrReader(std::move(vendors), engine), clock,
      std::move(options));
  out->worker->Start();
  return out;
}

json OcrLine(const json& record) {
  const json scan = record.value("scan", json::object());
  return json{{"id", record.value("id", "")},
              {"proposal", record.value("proposal", json::object())},
              {"confidence", record.value("confidence", json::object())},
              {"scan",
               {{"dpi", scan.value("dpi", 0)},
                {"colour", scan.value("colour", "")},
                {"warnings", scan.value("warnings", json::array())}}}};
}

}  // namespace app
