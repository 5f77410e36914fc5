// Archive-grade PDF post-processing with qpdf's C++ API (see archive.h).
#include "archive/archive.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cmath>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "common/dates.h"
#include "common/files.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "galley/diagnostics.h"

#ifndef GALLEY_VERSION
#define GALLEY_VERSION "0"
#endif

namespace galley {
namespace {

[[noreturn]] void fail(const std::string& file, const std::string& message) {
    throw Failure(Diagnostic{Severity::Error, SourcePos{file, 0, 0}, message});
}

// ---------------------------------------------------------------- text

// UTF-8 -> code points; malformed bytes become U+FFFD. Controls other than
// tab and line feed are dropped (CR and CRLF become LF) so that the same
// text is valid in Info and in XML, and survives an XML parser unchanged.
std::u32string clean(const std::string& s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        Utf8Char ch = utf8_decode(s, i);
        i += ch.len;
        char32_t cp = ch.cp;
        if (cp == '\r') {
            if (i < s.size() && s[i] == '\n') continue;  // CRLF: the LF follows
            cp = '\n';
        }
        if (cp < 0x20 && cp != '\t' && cp != '\n') continue;
        if (cp == 0xFFFE || cp == 0xFFFF) cp = 0xFFFD;
        out += cp;
    }
    return out;
}

std::string sanitize(const std::string& s) { return utf8_encode(clean(s)); }

// A PDF text string: ASCII as is, anything else UTF-16BE with a BOM.
QPDFObjectHandle text_string(const std::string& s) {
    std::u32string cps = clean(s);
    bool ascii = true;
    for (char32_t cp : cps) if (cp >= 0x80) { ascii = false; break; }
    if (ascii) return QPDFObjectHandle::newString(utf8_encode(cps));
    return QPDFObjectHandle::newString("\xFE\xFF" + utf16be_encode(cps));
}

// ---------------------------------------------------------------- XMP

struct Final {  // the values written to Info, in UTF-8
    std::string title, author, subject, keywords, creator, producer, lang, source;
    std::optional<IsoDate> created, modified;
    std::vector<std::string> tags;
};

std::string iso_or_empty(const std::optional<IsoDate>& d) { return d ? format_iso8601(*d) : ""; }

std::string xmp_packet(const Final& f) {
    std::ostringstream x;
    x << "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
      << "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
      << " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
      << "  <rdf:Description rdf:about=\"\"\n"
      << "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
      << "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
      << "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
      << "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
      << "   <dc:format>application/pdf</dc:format>\n";
    auto alt = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        x << "   <" << name << "><rdf:Alt><rdf:li xml:lang=\"x-default\">" << xml_escape(v)
          << "</rdf:li></rdf:Alt></" << name << ">\n";
    };
    auto list = [&](const char* name, const char* kind, const std::vector<std::string>& vs) {
        if (vs.empty()) return;
        x << "   <" << name << "><rdf:" << kind << ">";
        for (const auto& v : vs) x << "<rdf:li>" << xml_escape(v) << "</rdf:li>";
        x << "</rdf:" << kind << "></" << name << ">\n";
    };
    auto simple = [&](const char* name, const std::string& v) {
        if (v.empty()) return;
        x << "   <" << name << ">" << xml_escape(v) << "</" << name << ">\n";
    };
    alt("dc:title", f.title);
    // PDF/A: Info /Author is equivalent to dc:creator holding exactly one
    // entry with the same text (veraPDF and PDFBox Preflight check that).
    if (!f.author.empty()) list("dc:creator", "Seq", {f.author});
    alt("dc:description", f.subject);
    list("dc:subject", "Bag", f.tags);
    simple("dc:source", f.source);
    if (!f.lang.empty()) list("dc:language", "Bag", {f.lang});
    const std::string create_iso = iso_or_empty(f.created), modify_iso = iso_or_empty(f.modified);
    simple("xmp:CreateDate", create_iso);
    simple("xmp:ModifyDate", modify_iso);
    simple("xmp:MetadataDate", modify_iso.empty() ? create_iso : modify_iso);
    simple("xmp:CreatorTool", f.creator);
    simple("pdf:Producer", f.producer);
    simple("pdf:Keywords", f.keywords);
    x << "   <pdfaid:part>2</pdfaid:part>\n"
      << "   <pdfaid:conformance>B</pdfaid:conformance>\n"
      << "  </rdf:Description>\n"
      << " </rdf:RDF>\n"
      << "</x:xmpmeta>\n";
    // The customary padding, so that the packet can be edited in place.
    for (int i = 0; i < 20; ++i) x << std::string(99, ' ') << "\n";
    x << "<?xpacket end=\"w\"?>";
    return x.str();
}

// ---------------------------------------------------------------- PDF pieces

std::string read_whole(const std::string& path, const char* what) {
    std::optional<std::string> bytes = read_file(path);
    if (!bytes) fail(path, std::string("cannot read ") + what);
    return std::move(*bytes);
}

QPDFObjectHandle number(double v) {
    double r = std::round(v);
    if (std::fabs(v - r) < 1e-6) return QPDFObjectHandle::newInteger(static_cast<long long>(r));
    return QPDFObjectHandle::newReal(v, 4, true);
}

QPDFObjectHandle box(double llx, double lly, double urx, double ury) {
    return QPDFObjectHandle::newArray({number(llx), number(lly), number(urx), number(ury)});
}

std::string info_utf8(QPDFObjectHandle info, const char* key) {
    if (!info.isDictionary()) return "";
    auto v = info.getKey(key);
    return v.isString() ? v.getUTF8Value() : "";
}

bool embedded(QPDFObjectHandle font) {
    auto fd = font.getKey("/FontDescriptor");
    if (!fd.isDictionary()) return false;
    return fd.hasKey("/FontFile") || fd.hasKey("/FontFile2") || fd.hasKey("/FontFile3");
}

std::string font_name(QPDFObjectHandle font) {
    auto n = font.getKey("/BaseFont");
    return n.isName() ? n.getName().substr(1) : font.unparse();
}

void check_fonts(QPDF& pdf, const std::string& file) {
    for (auto& obj : pdf.getAllObjects()) {
        if (!obj.isDictionary() || !obj.isDictionaryOfType("/Font")) continue;
        auto sub = obj.getKey("/Subtype");
        std::string st = sub.isName() ? sub.getName() : "";
        if (st == "/Type3") continue;
        if (st == "/Type0") {
            auto desc = obj.getKey("/DescendantFonts");
            if (desc.isArray())
                for (auto& d : desc.aitems())
                    if (d.isDictionary() && !embedded(d))
                        fail(file, "font " + font_name(d) + " is not embedded; PDF/A needs every font embedded");
            continue;
        }
        if (!embedded(obj))
            fail(file, "font " + font_name(obj) + " is not embedded; PDF/A needs every font embedded");
    }
}

// The Cairo PDF painter draws what the page model marks as artifacts
// (running heads, folios, rules, jump lines) inside kArtifactCarrier
// structure elements, cairo 1.16 knowing no artifacts. Here their marked content becomes /Artifact BMC … EMC and the
// elements leave the structure tree.
class ArtifactFilter : public QPDFObjectHandle::TokenFilter {
public:
    void handleToken(QPDFTokenizer::Token const& t) override {
        if (pending_.empty()) {
            if (t.getType() == QPDFTokenizer::tt_name && t.getValue() == std::string("/") + kArtifactCarrier)
                pending_.push_back(t);
            else
                writeToken(t);
            return;
        }
        pending_.push_back(t);
        if (t.getType() == QPDFTokenizer::tt_word) {
            if (t.getValue() == "BDC") {
                write("/Artifact BMC");
                pending_.clear();
            } else {
                flush();
            }
        }
    }
    void handleEOF() override { flush(); }

private:
    void flush() {
        for (auto& p : pending_) writeToken(p);
        pending_.clear();
    }
    std::vector<QPDFTokenizer::Token> pending_;
};

bool is_private(QPDFObjectHandle e) {
    return e.isDictionary() && e.getKey("/S").isName() && e.getKey("/S").getName() == std::string("/") + kArtifactCarrier;
}

void mark_artifacts(QPDF& pdf) {
    QPDFObjectHandle tree = pdf.getRoot().getKey("/StructTreeRoot");
    if (!tree.isDictionary()) return;
    for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
        page.addContentTokenFilter(std::make_shared<ArtifactFilter>());
        for (auto& [name, xobject] : page.getFormXObjects()) xobject.addTokenFilter(std::make_shared<ArtifactFilter>());
    }
    // Out of the tree: from their parents' kids and the parent tree.
    std::function<void(QPDFObjectHandle)> prune = [&](QPDFObjectHandle e) {
        if (!e.isDictionary()) return;
        QPDFObjectHandle kids = e.getKey("/K");
        if (kids.isArray()) {
            for (int i = kids.getArrayNItems() - 1; i >= 0; --i) {
                if (is_private(kids.getArrayItem(i)))
                    kids.eraseItem(i);
                else
                    prune(kids.getArrayItem(i));
            }
        } else if (is_private(kids)) {
            e.removeKey("/K");
        } else {
            prune(kids);
        }
    };
    prune(tree);
    QPDFObjectHandle nums = tree.getKey("/ParentTree").getKey("/Nums");
    if (nums.isArray())
        for (int i = 1; i < nums.getArrayNItems(); i += 2) {
            QPDFObjectHandle v = nums.getArrayItem(i);
            if (v.isArray()) {
                for (int k = 0; k < v.getArrayNItems(); ++k)
                    if (is_private(v.getArrayItem(k))) v.setArrayItem(k, QPDFObjectHandle::newNull());
            } else if (is_private(v)) {
                nums.setArrayItem(i, QPDFObjectHandle::newNull());
            }
        }
}

// PDF/A-2 (6.2.8): an image's /Interpolate, if present, must be false;
// cairo writes true for images drawn with CAIRO_FILTER_GOOD or BEST. The key
// is only a viewer hint, so it is dropped (false is the default).
void drop_interpolate(QPDF& pdf) {
    for (auto& obj : pdf.getAllObjects()) {
        if (!obj.isStream()) continue;
        QPDFObjectHandle dict = obj.getDict();
        auto sub = dict.getKey("/Subtype");
        if (!sub.isName() || sub.getName() != "/Image") continue;
        if (dict.hasKey("/Interpolate")) dict.removeKey("/Interpolate");
    }
}

double pdf_version(const std::string& v) {
    try { return std::stod(v); } catch (...) { return 0; }
}

}  // namespace

// ---------------------------------------------------------------- passes
//
// archive_pdf() runs these in order. The order matters beyond correctness:
// qpdf numbers new objects as they are made, and the output must stay
// byte-for-byte the same for the same input.

namespace {

// The caller's date, checked before anything is read: a bad date is the
// caller's error, not the file's.
std::optional<IsoDate> given_date(const ArchiveMetadata& meta, const std::string& in_path) {
    if (meta.date.empty()) return std::nullopt;
    auto date = parse_iso8601(meta.date, IsoForm::Extended);
    if (!date) fail(in_path, "the article's date is not an ISO 8601 date: '" + meta.date + "'");
    return date;
}

// The sRGB profile of the output intent (PDF/A), checked.
std::string read_icc_profile(const std::string& path) {
    std::string icc = read_whole(path, "the ICC profile");
    if (icc.size() < 128 || icc.compare(36, 4, "acsp") != 0) fail(path, "not an ICC profile");
    if (icc.compare(16, 4, "RGB ") != 0) fail(path, "the output intent needs an RGB ICC profile (sRGB)");
    return icc;
}

// Parses the PDF and makes its content fit: PDF/A's checks and image fix,
// page furniture as artifacts.
void load(QPDF& pdf, const std::string& input, const std::string& in_path, bool pdfa) {
    pdf.setSuppressWarnings(true);
    pdf.processMemoryFile(in_path.c_str(), input.data(), input.size());
    if (pdf.isEncrypted()) fail(in_path, "the PDF is encrypted");
    if (pdfa && pdf_version(pdf.getPDFVersion()) > 1.7)
        fail(in_path, "PDF/A-2 needs PDF 1.7 or older, the file is PDF " + pdf.getPDFVersion());
    if (pdfa) {
        check_fonts(pdf, in_path);
        drop_interpolate(pdf);
    }
    mark_artifacts(pdf);
}

// The values Info and XMP get: the caller's, else what cairo wrote (none
// without a PDF to read).
Final final_values(QPDF* pdf, const ArchiveMetadata& meta, const std::optional<IsoDate>& date) {
    QPDFObjectHandle old_info = pdf ? pdf->getTrailer().getKey("/Info") : QPDFObjectHandle::newNull();
    QPDFObjectHandle root = pdf ? pdf->getRoot() : QPDFObjectHandle::newDictionary();
    Final f;
    auto pick = [&](const std::string& given, const char* key) {
        return sanitize(given.empty() ? info_utf8(old_info, key) : given);
    };
    f.title = pick(meta.title, "/Title");
    f.author = pick(meta.author.empty() ? join_non_empty(meta.authors, ", ") : meta.author, "/Author");
    f.subject = pick(meta.subject, "/Subject");
    f.keywords = pick(meta.keywords.empty() ? join_non_empty(meta.tags, ", ") : meta.keywords, "/Keywords");
    f.creator = sanitize(meta.creator.empty() ? std::string("Galley ") + GALLEY_VERSION : meta.creator);
    f.producer = f.creator;
    for (const auto& t : meta.tags)
        if (!t.empty()) f.tags.push_back(sanitize(t));
    f.source = sanitize(meta.source);
    f.lang = sanitize(meta.lang);
    if (f.lang.empty() && root.getKey("/Lang").isString()) f.lang = sanitize(root.getKey("/Lang").getUTF8Value());
    if (date) {
        f.created = f.modified = date;
    } else {
        f.created = parse_pdf_date(info_utf8(old_info, "/CreationDate"));
        f.modified = parse_pdf_date(info_utf8(old_info, "/ModDate"));
    }
    return f;
}

// Info's text entries that have a value, in order.
std::vector<std::pair<std::string, std::string>> info_texts(const Final& f) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto [key, v] : {std::pair{"/Title", &f.title}, {"/Author", &f.author}, {"/Subject", &f.subject},
                          {"/Keywords", &f.keywords}, {"/Creator", &f.creator}, {"/Producer", &f.producer}})
        if (!v->empty()) out.emplace_back(key, *v);
    return out;
}

// Info: a fresh dictionary, so nothing stale (or unmirrored) stays.
void write_info(QPDF& pdf, const Final& f) {
    QPDFObjectHandle info = QPDFObjectHandle::newDictionary();
    for (const auto& [key, v] : info_texts(f)) info.replaceKey(key, text_string(v));
    if (f.created) info.replaceKey("/CreationDate", QPDFObjectHandle::newString(format_pdf_date(*f.created)));
    if (f.modified) info.replaceKey("/ModDate", QPDFObjectHandle::newString(format_pdf_date(*f.modified)));
    pdf.getTrailer().replaceKey("/Info", pdf.makeIndirectObject(info));
}

// The catalog: /Lang, and what cairo 1.16 gets wrong: an empty /PageLabels
// number tree and a negative /Count on the outline root (it is not an item
// that can be closed).
void fix_catalog(QPDF& pdf, const std::string& lang) {
    QPDFObjectHandle root = pdf.getRoot();
    if (!lang.empty()) root.replaceKey("/Lang", text_string(lang));
    if (root.getKey("/PageLabels").isDictionary()) {
        QPDFObjectHandle nums = root.getKey("/PageLabels").getKey("/Nums");
        if (!nums.isArray() || nums.getArrayNItems() == 0)
            root.replaceKey("/PageLabels", QPDFObjectHandle::parse("<< /Nums [ 0 << /S /D >> ] >>"));
    }
    QPDFObjectHandle outlines = root.getKey("/Outlines");
    if (outlines.isDictionary() && outlines.getKey("/Count").isInteger() &&
        outlines.getKey("/Count").getIntValue() < 0)
        outlines.replaceKey("/Count", QPDFObjectHandle::newInteger(-outlines.getKey("/Count").getIntValue()));
}

// What cairo 1.16 cannot give structure elements: figures their captions
// as /Alt (the tree lists them in reading order), table header cells their
// scope (a table's header row heads its columns).
void add_element_attributes(QPDF& pdf, const std::vector<std::string>& alts) {
    QPDFObjectHandle tree = pdf.getRoot().getKey("/StructTreeRoot");
    if (!tree.isDictionary()) return;
    std::size_t next = 0;
    std::function<void(QPDFObjectHandle)> walk = [&](QPDFObjectHandle e) {
        if (e.isArray()) {
            for (int k = 0; k < e.getArrayNItems(); ++k) walk(e.getArrayItem(k));
            return;
        }
        if (!e.isDictionary()) return;
        const std::string type = e.getKey("/S").isName() ? e.getKey("/S").getName() : "";
        if (type == "/Figure" && next < alts.size()) e.replaceKey("/Alt", text_string(alts[next++]));
        if (type == "/TH") e.replaceKey("/A", QPDFObjectHandle::parse("<< /O /Table /Scope /Column >>"));
        QPDFObjectHandle kids = e.getKey("/K");
        if (kids.isArray() || (kids.isDictionary() && !kids.getKey("/MCID").isInteger())) walk(kids);
    };
    walk(tree.getKey("/K"));
}

// TrimBox = MediaBox inset by the bleed, BleedBox = MediaBox.
void set_boxes(QPDFPageObjectHelper& page, double bleed, const std::string& in_path) {
    QPDFObjectHandle po = page.getObjectHandle();
    QPDFObjectHandle mb = page.getMediaBox();
    if (!mb.isRectangle()) fail(in_path, "a page has no valid MediaBox");
    auto r = mb.getArrayAsRectangle();
    double llx = std::min(r.llx, r.urx), urx = std::max(r.llx, r.urx);
    double lly = std::min(r.lly, r.ury), ury = std::max(r.lly, r.ury);
    double b = bleed;
    if (2 * b >= urx - llx || 2 * b >= ury - lly)
        fail(in_path, "the bleed (" + std::to_string(b) + " pt) leaves no trim box on the page");
    po.replaceKey("/BleedBox", box(llx, lly, urx, ury));
    po.replaceKey("/TrimBox", box(llx + b, lly + b, urx - b, ury - b));
}

// Links printable (/F 4); with PDF/A every other annotation but popups too,
// and not invisible, hidden or unviewable.
void set_annotation_flags(QPDFPageObjectHelper& page, bool pdfa) {
    QPDFObjectHandle annots = page.getObjectHandle().getKey("/Annots");
    if (!annots.isArray()) return;
    for (auto a : annots.aitems()) {
        if (!a.isDictionary()) continue;
        auto sub = a.getKey("/Subtype");
        std::string st = sub.isName() ? sub.getName() : "";
        if (st == "/Link") {
            a.replaceKey("/F", QPDFObjectHandle::newInteger(4));
        } else if (pdfa && st != "/Popup") {
            // Print set; Invisible, Hidden, NoView cleared.
            long long fl = a.getKey("/F").isInteger() ? a.getKey("/F").getIntValue() : 0;
            a.replaceKey("/F", QPDFObjectHandle::newInteger((fl | 4) & ~(1LL | 2LL | 32LL)));
        }
    }
}

// PDF/A: the XMP metadata mirroring Info, and the sRGB output intent.
void add_xmp_and_output_intent(QPDF& pdf, const Final& f, const std::string& icc) {
    QPDFObjectHandle root = pdf.getRoot();
    QPDFObjectHandle xmp = QPDFObjectHandle::newStream(&pdf, xmp_packet(f));
    xmp.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
    xmp.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
    root.replaceKey("/Metadata", xmp);

    QPDFObjectHandle profile = QPDFObjectHandle::newStream(&pdf, icc);
    profile.getDict().replaceKey("/N", QPDFObjectHandle::newInteger(3));
    profile.getDict().replaceKey("/Alternate", QPDFObjectHandle::newName("/DeviceRGB"));
    QPDFObjectHandle intent = QPDFObjectHandle::newDictionary();
    intent.replaceKey("/Type", QPDFObjectHandle::newName("/OutputIntent"));
    intent.replaceKey("/S", QPDFObjectHandle::newName("/GTS_PDFA1"));
    intent.replaceKey("/OutputConditionIdentifier", QPDFObjectHandle::newString("sRGB"));
    intent.replaceKey("/Info", QPDFObjectHandle::newString("sRGB IEC61966-2.1"));
    intent.replaceKey("/RegistryName", QPDFObjectHandle::newString("http://www.color.org"));
    intent.replaceKey("/DestOutputProfile", profile);
    root.replaceKey("/OutputIntents", QPDFObjectHandle::newArray({pdf.makeIndirectObject(intent)}));
}

// Deterministic output: /ID from the content, no object streams, no
// encryption.
std::shared_ptr<Buffer> write_to_memory(QPDF& pdf, bool pdfa) {
    QPDFWriter w(pdf);
    w.setOutputMemory();
    w.setDeterministicID(true);
    w.setStaticID(false);
    w.setNewlineBeforeEndstream(true);
    w.setObjectStreamMode(qpdf_o_disable);
    w.setPreserveEncryption(false);
    w.setQDFMode(false);
    w.setContentNormalization(false);
    w.setLinearization(false);
    w.setCompressStreams(true);  // the ICC profile; XMP is never compressed by qpdf
    if (pdfa) w.setMinimumPDFVersion("1.7");
    w.write();
    return w.getBufferSharedPointer();
}


}  // namespace

// ---------------------------------------------------------------- API

ArchiveValues archive_values(const ArchiveMetadata& meta, const ArchiveOptions& options) {
    const Final f = final_values(nullptr, meta, given_date(meta, "the document"));
    ArchiveValues v{info_texts(f), f.lang, "", "", ""};
    if (f.created) v.pdf_date = format_pdf_date(*f.created);
    if (options.pdfa) {
        v.xmp = xmp_packet(f);
        v.icc = read_icc_profile(options.icc_profile);
    }
    return v;
}

std::string pdf_date(const std::string& iso) {
    auto d = parse_iso8601(iso, IsoForm::Extended);
    if (!d) fail("", "not an ISO 8601 date: '" + iso + "'");
    return format_pdf_date(*d);
}

std::string iso_date(const std::string& pdf) {
    auto d = parse_pdf_date(pdf);
    return d ? format_iso8601(*d) : "";
}

std::string archive_pdf_bytes(const std::string& input, const std::string& name, const ArchiveMetadata& meta,
                              const ArchiveOptions& options) {
    std::optional<IsoDate> date = given_date(meta, name);
    if (!(options.bleed >= 0) || !std::isfinite(options.bleed))
        fail(name, "the bleed must be a finite number of points, 0 or more");
    std::string icc = options.pdfa ? read_icc_profile(options.icc_profile) : std::string();
    std::shared_ptr<Buffer> output;
    try {
        QPDF pdf;
        load(pdf, input, name, options.pdfa);
        Final f = final_values(&pdf, meta, date);
        write_info(pdf, f);
        fix_catalog(pdf, f.lang);
        add_element_attributes(pdf, meta.figure_alts);
        for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
            set_boxes(page, options.bleed, name);
            set_annotation_flags(page, options.pdfa);
        }
        if (options.pdfa) add_xmp_and_output_intent(pdf, f, icc);
        output = write_to_memory(pdf, options.pdfa);
    } catch (const Failure&) {
        throw;
    } catch (const std::exception& e) {  // QPDFExc among them
        fail(name, std::string("cannot process the PDF: ") + e.what());
    }
    return std::string(reinterpret_cast<const char*>(output->getBuffer()), output->getSize());
}

void archive_pdf(const std::string& in_path, const std::string& out_path,
                 const ArchiveMetadata& meta, const ArchiveOptions& options) {
    given_date(meta, in_path);  // the caller's error before the file's
    std::string output = archive_pdf_bytes(read_whole(in_path, "the PDF"), in_path, meta, options);
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    if (!out) fail(out_path, "cannot write the PDF");
    out.write(output.data(), static_cast<std::streamsize>(output.size()));
    out.close();
    if (!out) fail(out_path, "cannot write the PDF");
}

}  // namespace galley
