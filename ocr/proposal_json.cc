// The JSON of a Proposal: values, confidences and regions as three objects,
// so that `kura ocr` prints {"proposal", "confidence"} as issue 15 spells
// them and the stored record adds "regions".
#include <cmath>

#include "ocr/propose.h"

namespace ocr {
namespace {

using nlohmann::json;

struct FieldRef {
  const char* name;
  std::optional<ProposedValue> Proposal::*field;
};
constexpr FieldRef kFields[] = {
    {"issue_date", &Proposal::issue_date},
    {"total", &Proposal::total},
    {"counterparty", &Proposal::counterparty},
    {"registration_number", &Proposal::registration_number},
    {"invoice_number", &Proposal::invoice_number},
};

double Rounded(double c) { return std::round(c * 100.0) / 100.0; }

json BoxJson(const Box& b) {
  return json{{"page", b.page}, {"x", b.x}, {"y", b.y}, {"w", b.width}, {"h", b.height}};
}

Box BoxFromJson(const json& j) {
  Box b;
  if (!j.is_object()) return b;
  b.page = j.value("page", 0);
  b.x = j.value("x", 0);
  b.y = j.value("y", 0);
  b.width = j.value("w", 0);
  b.height = j.value("h", 0);
  return b;
}

}  // namespace

json ProposalValuesJson(const Proposal& p) {
  json out = json::object();
  for (const FieldRef& f : kFields) {
    const auto& v = p.*f.field;
    out[f.name] = v ? json(v->value) : json(nullptr);
  }
  json taxes = json::array();
  for (const ProposedTax& t : p.tax_subtotals) {
    taxes.push_back(
        {{"rate", t.rate}, {"reduced", t.reduced}, {"taxable", t.taxable}, {"tax", t.tax}});
  }
  out["tax_subtotals"] = taxes;
  return out;
}

json ProposalConfidenceJson(const Proposal& p) {
  json out = json::object();
  for (const FieldRef& f : kFields) {
    const auto& v = p.*f.field;
    if (v) out[f.name] = Rounded(v->confidence);
  }
  if (!p.tax_subtotals.empty()) {
    double least = 1.0;
    for (const ProposedTax& t : p.tax_subtotals) least = std::min(least, t.confidence);
    out["tax_subtotals"] = Rounded(least);
  }
  return out;
}

json ProposalRegionsJson(const Proposal& p) {
  json out = json::object();
  for (const FieldRef& f : kFields) {
    const auto& v = p.*f.field;
    if (v) out[f.name] = BoxJson(v->box);
  }
  json taxes = json::array();
  for (const ProposedTax& t : p.tax_subtotals) taxes.push_back(BoxJson(t.box));
  if (!taxes.empty()) out["tax_subtotals"] = taxes;
  return out;
}

Proposal ProposalFromJson(const json& values, const json& confidence, const json& regions) {
  Proposal p;
  if (!values.is_object()) return p;
  const json& conf = confidence.is_object() ? confidence : json::object();
  const json& reg = regions.is_object() ? regions : json::object();
  for (const FieldRef& f : kFields) {
    auto it = values.find(f.name);
    if (it == values.end() || !it->is_string()) continue;
    ProposedValue v;
    v.value = it->get<std::string>();
    if (auto c = conf.find(f.name); c != conf.end() && c->is_number()) v.confidence = c->get<double>();
    if (auto r = reg.find(f.name); r != reg.end()) v.box = BoxFromJson(*r);
    p.*f.field = v;
  }
  auto taxes = values.find("tax_subtotals");
  if (taxes != values.end() && taxes->is_array()) {
    const json boxes = reg.value("tax_subtotals", json::array());
    const double c = conf.value("tax_subtotals", 0.0);
    for (size_t i = 0; i < taxes->size(); ++i) {
      const json& t = (*taxes)[i];
      if (!t.is_object()) continue;
      ProposedTax tax;
      tax.rate = t.value("rate", 10);
      tax.reduced = t.value("reduced", false);
      tax.taxable = t.value("taxable", "");
      tax.tax = t.value("tax", "");
      tax.confidence = c;
      if (boxes.is_array() && i < boxes.size()) tax.box = BoxFromJson(boxes[i]);
      p.tax_subtotals.push_back(tax);
    }
  }
  return p;
}

}  // namespace ocr
