// Archive-grade PDF: the Info and XMP values and dates both back ends
// write; the Cairo back end's finishing pass runs in the qpdf module
// (see archive.h, qpdf_pass.cpp).
#include "archive/archive.h"

#include <dlfcn.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "archive/metadata.h"
#include "common/files.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "galley/diagnostics.h"

#ifndef GALLEY_VERSION
#define GALLEY_VERSION "0"
#endif

namespace galley {
namespace archive_detail {

void fail(const std::string& file, const std::string& message) {
    throw Failure(Diagnostic{Severity::Error, SourcePos{file, 0, 0}, message});
}

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

namespace {

std::string iso_or_empty(const std::optional<IsoDate>& d) { return d ? format_iso8601(*d) : ""; }

}  // namespace

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

std::string read_whole(const std::string& path, const char* what) {
    std::optional<std::string> bytes = read_file(path);
    if (!bytes) fail(path, std::string("cannot read ") + what);
    return std::move(*bytes);
}

std::optional<IsoDate> given_date(const ArchiveMetadata& meta, const std::string& in_path) {
    if (meta.date.empty()) return std::nullopt;
    auto date = parse_iso8601(meta.date, IsoForm::Extended);
    if (!date) fail(in_path, "the article's date is not an ISO 8601 date: '" + meta.date + "'");
    return date;
}

std::string read_icc_profile(const std::string& path) {
    std::string icc = read_whole(path, "the ICC profile");
    if (icc.size() < 128 || icc.compare(36, 4, "acsp") != 0) fail(path, "not an ICC profile");
    if (icc.compare(16, 4, "RGB ") != 0) fail(path, "the output intent needs an RGB ICC profile (sRGB)");
    return icc;
}

Final final_values(const ArchiveMetadata& meta, const std::optional<IsoDate>& date, const OldValues& old) {
    auto old_info = [&](const char* key) { return old.info ? old.info(key) : std::string(); };
    Final f;
    auto pick = [&](const std::string& given, const char* key) {
        return sanitize(given.empty() ? old_info(key) : given);
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
    if (f.lang.empty()) f.lang = sanitize(old.lang);
    if (date) {
        f.created = f.modified = date;
    } else {
        f.created = parse_pdf_date(old_info("/CreationDate"));
        f.modified = parse_pdf_date(old_info("/ModDate"));
    }
    return f;
}

std::vector<std::pair<std::string, std::string>> info_texts(const Final& f) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto [key, v] : {std::pair{"/Title", &f.title}, {"/Author", &f.author}, {"/Subject", &f.subject},
                          {"/Keywords", &f.keywords}, {"/Creator", &f.creator}, {"/Producer", &f.producer}})
        if (!v->empty()) out.emplace_back(key, *v);
    return out;
}

}  // namespace archive_detail

using namespace archive_detail;

// ---------------------------------------------------------------- API

ArchiveValues archive_values(const ArchiveMetadata& meta, const ArchiveOptions& options) {
    const Final f = final_values(meta, given_date(meta, "the document"));
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

namespace {

// The qpdf module's entry (qpdf_pass.cpp): qpdf and the libraries it
// brings (GnuTLS and eight more) are loaded only by a process that finishes
// a Cairo-written PDF, not by every start (2.5 ms of a cold render).
using ArchiveEntry = bool (*)(const std::string&, const std::string&, const ArchiveMetadata&, const ArchiveOptions&,
                              std::string&, Diagnostic&);

struct Module {
    ArchiveEntry entry = nullptr;
    std::string why;  // when there is no entry
};

Module load_module() {
    const std::filesystem::path dir(code_dir());
    std::string tried;
    for (const std::filesystem::path& file : {dir / GALLEY_BIN_TO_MODULES / "galley-archive.so",
                                              dir / GALLEY_LIB_TO_MODULES / "galley-archive.so",
                                              dir / "galley-archive.so"}) {
        std::error_code ec;
        if (!std::filesystem::exists(file, ec)) {
            tried += (tried.empty() ? "" : ", ") + file.lexically_normal().string();
            continue;
        }
        void* module = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            return {nullptr, "cannot load the archive module " + file.string() + ": " + dlerror()};
        }
        auto version = reinterpret_cast<const char* (*)()>(dlsym(module, "galley_archive_version"));
        auto entry = reinterpret_cast<ArchiveEntry>(dlsym(module, "galley_archive_pdf_bytes"));
        if (!version || !entry || std::string(version()) != GALLEY_VERSION) {
            return {nullptr, "the archive module " + file.string() + " is not this Galley's (" GALLEY_VERSION ")"};
        }
        return {entry, ""};
    }
    return {nullptr, "cannot find the archive module (galley-archive.so, for --pdf-backend cairo): looked in " + tried};
}

}  // namespace

std::string archive_pdf_bytes(const std::string& input, const std::string& name, const ArchiveMetadata& meta,
                              const ArchiveOptions& options) {
    // Loaded once a process; dlopen keeps it for the process's life.
    static const Module module = load_module();
    if (!module.entry) fail("", module.why);  // the installation's fault, not the PDF's: the caller names its input
    std::string out;
    Diagnostic error;
    if (!module.entry(input, name, meta, options, out, error)) throw Failure(error);
    return out;
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
