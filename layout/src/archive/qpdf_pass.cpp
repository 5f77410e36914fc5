// The qpdf module: the Cairo back end's finishing pass (archive.h), a
// library of its own that archive.cpp loads when a Cairo-written PDF is to
// be finished, so that qpdf is not loaded by every start.
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <cmath>
#include <functional>
#include <optional>

#include "archive/archive.h"
#include "archive/metadata.h"
#include "common/dates.h"
#include "common/utf8.h"
#include "galley/diagnostics.h"

namespace galley {
namespace {

using namespace archive_detail;

// A PDF text string: ASCII as is, anything else UTF-16BE with a BOM.
QPDFObjectHandle text_string(const std::string& s) {
    std::u32string cps = clean(s);
    bool ascii = true;
    for (char32_t cp : cps) if (cp >= 0x80) { ascii = false; break; }
    if (ascii) return QPDFObjectHandle::newString(utf8_encode(cps));
    return QPDFObjectHandle::newString("\xFE\xFF" + utf16be_encode(cps));
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

// ---------------------------------------------------------------- passes
//
// archive_pdf_bytes() runs these in order. The order matters beyond
// correctness: qpdf numbers new objects as they are made, and the output
// must stay byte-for-byte the same for the same input.

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

// archive_pdf_bytes() of archive.h.
std::string finish(const std::string& input, const std::string& name, const ArchiveMetadata& meta,
                   const ArchiveOptions& options) {
    std::optional<IsoDate> date = given_date(meta, name);
    if (!(options.bleed >= 0) || !std::isfinite(options.bleed))
        fail(name, "the bleed must be a finite number of points, 0 or more");
    std::string icc = options.pdfa ? read_icc_profile(options.icc_profile) : std::string();
    std::shared_ptr<Buffer> output;
    try {
        QPDF pdf;
        load(pdf, input, name, options.pdfa);
        QPDFObjectHandle old_info = pdf.getTrailer().getKey("/Info");
        QPDFObjectHandle old_lang = pdf.getRoot().getKey("/Lang");
        Final f = final_values(meta, date, {[&](const char* key) { return info_utf8(old_info, key); },
                                            old_lang.isString() ? old_lang.getUTF8Value() : std::string()});
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

}  // namespace
}  // namespace galley

extern "C" {

__attribute__((visibility("default"))) const char* galley_archive_version() { return GALLEY_VERSION; }

// archive_pdf_bytes(); false with `error` set on failure (no exception
// leaves the module).
__attribute__((visibility("default"))) bool galley_archive_pdf_bytes(const std::string& input, const std::string& name,
                                                                     const galley::ArchiveMetadata& meta,
                                                                     const galley::ArchiveOptions& options,
                                                                     std::string& out, galley::Diagnostic& error) {
    try {
        out = galley::finish(input, name, meta, options);
        return true;
    } catch (const galley::Failure& f) {
        error = f.diagnostic;
    } catch (const std::exception& e) {
        error = {galley::Severity::Error, {name, 0, 0}, std::string("internal error: ") + e.what()};
    }
    return false;
}

}
