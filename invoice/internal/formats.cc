#include "invoice/internal/formats.h"

#include "invoice/internal/text_util.h"

namespace invoice::internal {

std::string ClassifyUbl(std::string_view id) {
  const bool pint = id.rfind("urn:peppol:pint:", 0) == 0;
  if ((pint && id.find("@jp") != std::string_view::npos) ||
      id.rfind("urn:fdc:peppol:jp:", 0) == 0) {
    return "jp-pint";
  }
  if (ContainsIgnoreCase(id, "xrechnung")) return "xrechnung";
  if (id.find("urn:fdc:peppol.eu:2017:poacc:billing:") != std::string_view::npos || pint) {
    return "peppol-bis";
  }
  return "ubl";
}

std::string ClassifyCii(bool zugferd1, std::string_view guideline_id) {
  if (zugferd1) return "zugferd";
  if (ContainsIgnoreCase(guideline_id, "xrechnung")) return "xrechnung";
  return "cii";
}

std::string ClassifyHybridPdf(std::string_view attachment_name, std::string_view xml_format,
                              std::string_view xmp_namespace) {
  if (EqualsIgnoreCase(attachment_name, "xrechnung.xml") || xml_format == "xrechnung") {
    return "xrechnung";
  }
  if (xml_format == "jp-pint" || xml_format == "peppol-bis" || xml_format == "ubl") {
    return std::string(xml_format);
  }
  if (EqualsIgnoreCase(attachment_name, "zugferd-invoice.xml") || xml_format == "zugferd" ||
      ContainsIgnoreCase(xmp_namespace, "urn:zugferd:") ||
      ContainsIgnoreCase(xmp_namespace, "urn:ferd:")) {
    return "zugferd";
  }
  return "factur-x";
}

bool IsInvoiceAttachmentName(std::string_view name) {
  return EqualsIgnoreCase(name, "factur-x.xml") || EqualsIgnoreCase(name, "zugferd-invoice.xml") ||
         EqualsIgnoreCase(name, "xrechnung.xml");
}

}  // namespace invoice::internal
