#include "archive/scan.h"

#include <algorithm>

#include "base/json.h"
#include "invoice/warning_codes.h"

namespace archive {
namespace {

using nlohmann::json;

// rgb 2, grey 1, bw 0; unknown -1.
int ColourRank(std::string_view c) {
  if (c == "rgb") return 2;
  if (c == "grey") return 1;
  if (c == "bw") return 0;
  return -1;
}

std::string ColourLabel(const ScanFacts& f) {
  if (f.colour == "rgb") return "カラー（RGB 各 " + std::to_string(f.bits_per_sample) + " ビット）";
  if (f.colour == "grey")
    return "グレースケール（" + std::to_string(f.bits_per_sample) + " ビット）";
  if (f.colour == "bw") return "白黒（2 値）";
  return "不明な色";
}

bool IsGreyClass(const ScanPolicy& policy, std::string_view cls) {
  return std::find(policy.grey_classes.begin(), policy.grey_classes.end(), cls) !=
         policy.grey_classes.end();
}

}  // namespace

json ToJson(const ScanFacts& s) {
  return json{{"pages", s.pages},
              {"min_dpi", s.min_dpi},
              {"colour", s.colour},
              {"bits_per_sample", s.bits_per_sample},
              {"document_class", s.document_class}};
}

base::Result<ScanFacts> ScanFactsFromJson(const json& j) {
  ScanFacts s;
  RETURN_IF_ERROR(base::JsonField(j, "pages", &s.pages));
  RETURN_IF_ERROR(base::JsonField(j, "min_dpi", &s.min_dpi));
  RETURN_IF_ERROR(base::JsonField(j, "colour", &s.colour));
  RETURN_IF_ERROR(base::JsonField(j, "bits_per_sample", &s.bits_per_sample));
  RETURN_IF_ERROR(base::JsonField(j, "document_class", &s.document_class));
  return s;
}

bool AwaitsKeys(const invoice::InvoiceFields& f) {
  return f.format == "scan" && (!f.issue_date || !f.total || f.counterparty.empty());
}

bool IsImageMediaType(std::string_view t) {
  return t == "image/jpeg" || t == "image/png" || t == "image/tiff";
}

ScanFacts SummarizeScan(const std::vector<ScanPage>& pages, const ScanPolicy& policy,
                        std::string_view document_class) {
  ScanFacts f;
  f.pages = static_cast<int>(pages.size());
  f.document_class = document_class.empty() ? policy.default_class : std::string(document_class);
  bool first = true;
  for (const ScanPage& p : pages) {
    if (first || p.dpi < f.min_dpi) f.min_dpi = p.dpi;
    const int rank = ColourRank(p.colour);
    const int have = ColourRank(f.colour);
    if (first || rank < have || (rank == have && p.bits_per_sample < f.bits_per_sample)) {
      f.colour = p.colour;
      f.bits_per_sample = p.bits_per_sample;
    }
    first = false;
  }
  return f;
}

std::vector<invoice::Warning> CheckScan(const ScanFacts& f, const ScanPolicy& policy) {
  namespace code = invoice::warning_code;
  std::vector<invoice::Warning> out;
  if (f.pages > 0 && f.min_dpi < policy.min_dpi) {
    out.push_back({std::string(code::kScanResolutionLow),
                   "解像度が " + std::to_string(f.min_dpi) +
                       " dpi のページがあります（スキャナ保存の要件は " +
                       std::to_string(policy.min_dpi) + " dpi 以上）"});
  }
  if (f.pages == 0) return out;
  const bool grey_ok = IsGreyClass(policy, f.document_class);
  const bool rgb = f.colour == "rgb" && f.bits_per_sample >= 8;
  const bool grey = f.colour == "grey" && f.bits_per_sample >= 8;
  if (!rgb && !(grey_ok && grey)) {
    out.push_back(
        {std::string(code::kScanColourInsufficient),
         ColourLabel(f) + "で読み取られたページがあります（" +
             (grey_ok ? std::string("一般書類の要件はグレースケール 8 ビット以上")
                      : std::string("重要書類の要件はカラー 24 ビット（RGB 各 8 ビット）")) +
             "）"});
  }
  return out;
}

}  // namespace archive
