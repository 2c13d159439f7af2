#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "corpus/corpus.h"
#include "tests/fakes/test_util.h"

namespace corpus {
namespace {

struct XmlDeleter {
  void operator()(xmlDoc* d) const { ::xmlFreeDoc(d); }
  void operator()(xmlXPathContext* c) const { ::xmlXPathFreeContext(c); }
  void operator()(xmlXPathObject* o) const { ::xmlXPathFreeObject(o); }
};
template <class T>
using XmlPtr = std::unique_ptr<T, XmlDeleter>;

// A parsed document with the UBL namespaces bound for XPath: inv (the
// Invoice root namespace), cac, cbc.
class Parsed {
 public:
  explicit Parsed(const std::string& xml)
      : doc_(::xmlReadMemory(
            xml.data(), static_cast<int>(xml.size()), "invoice.xml", nullptr,
            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)) {
    if (!doc_) return;
    ctx_.reset(::xmlXPathNewContext(doc_.get()));
    const auto ns = [&](const char* prefix, const char* uri) {
      ::xmlXPathRegisterNs(ctx_.get(), BAD_CAST prefix, BAD_CAST uri);
    };
    ns("inv", "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2");
    ns("cac",
       "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-"
       "2");
    ns("cbc",
       "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2");
  }
  bool ok() const { return doc_ != nullptr; }

  // string(expr)
  std::string String(const std::string& expr) const {
    XmlPtr<xmlXPathObject> o(::xmlXPathEvalExpression(
        BAD_CAST("string(" + expr + ")").c_str(), ctx_.get()));
    if (!o || o->type != XPATH_STRING) return "<xpath error: " + expr + ">";
    return reinterpret_cast<const char*>(o->stringval);
  }
  // number(expr), for count() and sum()
  double Number(const std::string& expr) const {
    XmlPtr<xmlXPathObject> o(::xmlXPathEvalExpression(
        BAD_CAST("number(" + expr + ")").c_str(), ctx_.get()));
    return o && o->type == XPATH_NUMBER ? o->floatval : -1;
  }

 private:
  XmlPtr<xmlDoc> doc_;
  XmlPtr<xmlXPathContext> ctx_;
};

// The first generated invoice that has lines at both 10% and 8%.
Invoice MixedRateInvoice() {
  Generator g(Options{});
  while (true) {
    Invoice inv = g.Next();
    if (inv.tax_subtotals.size() == 2) return inv;
  }
}

TEST(PintWriterTest, FollowsTheJpPintPaths) {
  const Invoice inv = MixedRateInvoice();
  const Parsed x(RenderJpPint(inv));
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x.String("/inv:Invoice/cbc:CustomizationID"),
            "urn:peppol:pint:billing-1@jp-1");
  EXPECT_EQ(x.String("/inv:Invoice/cbc:ProfileID"), "urn:peppol:bis:billing");
  EXPECT_EQ(x.String("/inv:Invoice/cbc:ID"), inv.id);
  EXPECT_EQ(x.String("/inv:Invoice/cbc:IssueDate"), inv.issue_date.ToString());
  EXPECT_EQ(x.String("/inv:Invoice/cbc:DueDate"), inv.due_date.ToString());
  EXPECT_EQ(x.String("/inv:Invoice/cbc:InvoiceTypeCode"), "380");
  EXPECT_EQ(x.String("/inv:Invoice/cbc:DocumentCurrencyCode"), "JPY");

  const std::string supplier =
      "/inv:Invoice/cac:AccountingSupplierParty/cac:Party";
  EXPECT_EQ(x.String(supplier + "/cac:PartyLegalEntity/cbc:RegistrationName"),
            inv.vendor.name_on_invoice);
  EXPECT_EQ(
      x.String(supplier +
               "/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"),
      inv.vendor.registration_number);
  EXPECT_EQ(x.String(supplier + "/cac:PostalAddress/cbc:CountrySubentity"),
            inv.vendor.prefecture);
  EXPECT_EQ(x.String("/inv:Invoice/cac:AccountingCustomerParty/cac:Party/"
                     "cac:PartyLegalEntity/"
                     "cbc:RegistrationName"),
            "蔵前市");
  EXPECT_EQ(
      x.String(
          "/inv:Invoice/cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID"),
      inv.vendor.bank_account);

  const std::string tax = "/inv:Invoice/cac:TaxTotal";
  EXPECT_EQ(x.String(tax + "/cbc:TaxAmount"), inv.tax_amount.ToString());
  EXPECT_EQ(x.Number("count(" + tax + "/cac:TaxSubtotal)"), 2);
  for (const TaxSubtotal& t : inv.tax_subtotals) {
    const std::string sub = tax +
                            "/cac:TaxSubtotal[cac:TaxCategory/cbc:Percent='" +
                            std::to_string(t.rate) + "']";
    EXPECT_EQ(x.String(sub + "/cbc:TaxableAmount"), t.taxable.ToString());
    EXPECT_EQ(x.String(sub + "/cbc:TaxAmount"), t.tax.ToString());
    EXPECT_EQ(x.String(sub + "/cac:TaxCategory/cbc:ID"),
              t.rate == 8 ? "AA" : "S");
    EXPECT_EQ(x.String(sub + "/cac:TaxCategory/cac:TaxScheme/cbc:ID"), "VAT");
  }
  const std::string total = "/inv:Invoice/cac:LegalMonetaryTotal";
  EXPECT_EQ(x.String(total + "/cbc:LineExtensionAmount"),
            inv.line_extension_amount.ToString());
  EXPECT_EQ(x.String(total + "/cbc:TaxExclusiveAmount"),
            inv.tax_exclusive_amount.ToString());
  EXPECT_EQ(x.String(total + "/cbc:TaxInclusiveAmount"),
            inv.tax_inclusive_amount.ToString());
  EXPECT_EQ(x.String(total + "/cbc:PayableAmount"),
            inv.payable_amount.ToString());

  EXPECT_EQ(x.Number("count(/inv:Invoice/cac:InvoiceLine)"),
            static_cast<double>(inv.lines.size()));
  EXPECT_EQ(
      x.Number("sum(/inv:Invoice/cac:InvoiceLine/cbc:LineExtensionAmount)"),
      static_cast<double>(inv.line_extension_amount.mantissa()));
  EXPECT_EQ(x.String("/inv:Invoice/cac:InvoiceLine[1]/cac:Item/cbc:Name"),
            inv.lines[0].description);
  // Every amount carries currencyID="JPY".
  EXPECT_EQ(x.Number("count(//*[contains(local-name(), "
                     "'Amount')][not(@currencyID='JPY')])"),
            0);
  EXPECT_GT(x.Number("count(//*[@currencyID='JPY'])"), 10);
}

TEST(PintWriterTest, EveryGeneratedInvoiceIsWellFormed) {
  Options o;
  o.target_xml_bytes = 3000;
  Generator g(o);
  for (int i = 0; i < 300; ++i) {
    const Invoice inv = g.Next();
    const Parsed x(RenderJpPint(inv));
    ASSERT_TRUE(x.ok()) << inv.id;
    EXPECT_EQ(x.String("/inv:Invoice/cac:AccountingSupplierParty/cac:Party/"
                       "cac:PartyLegalEntity/"
                       "cbc:RegistrationName"),
              inv.vendor.name_on_invoice);
  }
}

TEST(PintWriterTest, EscapesMarkupAndDropsWhatXmlForbids) {
  Invoice inv = Generator(Options{}).Next();
  inv.vendor.name_on_invoice = "A&B <株> \"Q\" 'x'";
  inv.lines[0].description = std::string("紙\x01袋 \xff end]]>");
  inv.id = "X&Y";
  ASSERT_OK(ComputeTotals(&inv));
  const std::string xml = RenderJpPint(inv);
  const Parsed x(xml);
  ASSERT_TRUE(x.ok()) << xml.substr(0, 2000);
  EXPECT_EQ(x.String("/inv:Invoice/cbc:ID"), "X&Y");
  EXPECT_EQ(x.String("//cac:AccountingSupplierParty//cbc:RegistrationName"),
            "A&B <株> \"Q\" 'x'");
  EXPECT_EQ(x.String("/inv:Invoice/cac:InvoiceLine[1]/cac:Item/cbc:Name"),
            "紙袋 \xEF\xBF\xBD end]]>");
}

TEST(PintWriterTest, IsDeterministic) {
  const Invoice inv = MixedRateInvoice();
  EXPECT_EQ(RenderJpPint(inv), RenderJpPint(inv));
}

}  // namespace
}  // namespace corpus
