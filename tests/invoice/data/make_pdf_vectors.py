#!/usr/bin/env python3
"""Regenerates the binary PDF vectors in this folder (run from here).

objstm_bomb.pdf   PDF 1.5 whose catalog and pages live in an object stream
                  encoded [/FlateDecode /FlateDecode] that expands to 1 GiB:
                  PoDoFo would inflate it whole while loading.
encrypted_user_password.pdf, encrypted_empty_password.pdf
                  a one-page PDF encrypted by qpdf (AES-256), with and
                  without a user password.
object_streams_hybrid.pdf
                  a small hybrid invoice (factur-x.xml, hand-made CII) that
                  qpdf rewrote with object and cross-reference streams: a
                  legitimate file the PDF-bomb guard must let through.
Needs python3 and qpdf.
"""
import subprocess
import zlib


def build_classic(objects, root):
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    return bytes(out)


def stream(dict_entries, data):
    return b"<< " + dict_entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def objstm_bomb():
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    body = b""
    header = b""
    for i, o in enumerate(objs, start=1):
        header += b"%d %d " % (i, len(body))
        body += o + b" "
    first = len(header)
    inner = zlib.compressobj(9)
    stage1 = bytearray(inner.compress(header + body))
    chunk = b" " * (1 << 20)
    for _ in range(1024):  # 1 GiB of padding after the objects
        stage1 += inner.compress(chunk)
    stage1 += inner.flush()
    data = zlib.compress(bytes(stage1), 9)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objstm_off = len(out)
    out += b"4 0 obj\n" + stream(
        b"/Type /ObjStm /N 3 /First %d /Filter [/FlateDecode /FlateDecode]" % first, data) + b"\nendobj\n"
    xref_off = len(out)
    rows = [(0, 0, 65535), (2, 4, 0), (2, 4, 1), (2, 4, 2), (1, objstm_off, 0), (1, xref_off, 0)]
    table = b"".join(bytes([t]) + f.to_bytes(4, "big") + g.to_bytes(2, "big") for t, f, g in rows)
    out += b"5 0 obj\n" + stream(b"/Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R", table) + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_off
    return bytes(out)


def one_page():
    return build_classic([b"<< /Type /Catalog /Pages 2 0 R >>",
                          b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                          b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"], 1)


CII = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:factur-x.eu:1p0:minimum</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
 <rsm:ExchangedDocument><ram:ID>KURA-OS-1</ram:ID><ram:TypeCode>380</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format="102">20240131</udt:DateTimeString></ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>Kura Test GmbH</ram:Name></ram:SellerTradeParty><ram:BuyerTradeParty><ram:Name>City of Test</ram:Name></ram:BuyerTradeParty></ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeDelivery/>
  <ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>100.00</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID="EUR">19.00</ram:TaxTotalAmount><ram:GrandTotalAmount>119.00</ram:GrandTotalAmount><ram:DuePayableAmount>119.00</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def hybrid():
    data = zlib.compress(CII, 9)
    return build_classic([
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 5 0 R] >> >> /AF [5 0 R] >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        stream(b"/Type /EmbeddedFile /Subtype /text#2Fxml /Filter /FlateDecode", data),
        b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /EF << /F 4 0 R >> /AFRelationship /Data >>",
    ], 1)


def main():
    open("objstm_bomb.pdf", "wb").write(objstm_bomb())
    open("/tmp/kura_one_page.pdf", "wb").write(one_page())
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--",
                    "/tmp/kura_one_page.pdf", "encrypted_user_password.pdf"], check=True)
    subprocess.run(["qpdf", "--encrypt", "", "owner", "256", "--",
                    "/tmp/kura_one_page.pdf", "encrypted_empty_password.pdf"], check=True)
    open("/tmp/kura_hybrid.pdf", "wb").write(hybrid())
    subprocess.run(["qpdf", "--object-streams=generate", "--static-id",
                    "/tmp/kura_hybrid.pdf", "object_streams_hybrid.pdf"], check=True)


if __name__ == "__main__":
    main()
