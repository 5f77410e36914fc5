#include "job/stamp.h"

#include <glib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/files.h"
#include "job/report.h"

namespace galley {

namespace fs = std::filesystem;

namespace {

void add(GChecksum* sum, std::string_view s) {
    std::string n = std::to_string(s.size()) + ":";  // lengths keep fields apart
    g_checksum_update(sum, reinterpret_cast<const guchar*>(n.data()), static_cast<gssize>(n.size()));
    g_checksum_update(sum, reinterpret_cast<const guchar*>(s.data()), static_cast<gssize>(s.size()));
}

// A font by its name, size and first 64 KiB: the OpenType table directory
// there holds a checksum of every table, so any change of the font shows,
// without reading 100 MB of CJK collections per run.
std::string font_fingerprint(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string head(65536, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
    std::error_code ec;
    return fs::path(path).filename().string() + " " + std::to_string(fs::file_size(path, ec)) + " " + head;
}

}  // namespace

std::string fonts_digest(const std::vector<std::string>& files) {
    GChecksum* sum = g_checksum_new(G_CHECKSUM_SHA256);
    for (const std::string& f : files) add(sum, font_fingerprint(f));
    std::string hex = g_checksum_get_string(sum);
    g_checksum_free(sum);
    return hex;
}

// Contents only, not paths: the same sources under another folder, or the
// same style by name or by path, make the same PDF.
std::string stamp_hash(const std::vector<std::string>& files, const std::string& text, const RenderOptions& o,
                       const std::string& fonts) {
    GChecksum* sum = g_checksum_new(G_CHECKSUM_SHA256);
    add(sum, std::string("galley ") + GALLEY_VERSION);
    add(sum, std::to_string(o.source_date_epoch));
    add(sum, o.pdfa ? "pdfa" : "");
    add(sum, !o.pdf_backend ? "" : *o.pdf_backend == PdfBackend::Direct ? "direct" : "cairo");
    add(sum, fonts);
    add(sum, text);
    // A regular file only: a FIFO named as a picture must not block the hash.
    for (const std::string& f : files) add(sum, read_source(f, std::size_t{1} << 30, nullptr).value_or("(unreadable)"));
    std::string hex = g_checksum_get_string(sum);
    g_checksum_free(sum);
    return hex;
}

std::string stamp_path(const std::string& output) {
    fs::path p(output);
    return (p.parent_path() / ("." + p.filename().string() + ".galley")).string();
}

std::optional<Stamp> read_stamp(const std::string& output) {
    std::error_code ec;
    if (!fs::is_regular_file(output, ec)) return std::nullopt;
    std::optional<std::string> text = read_file(stamp_path(output));
    if (!text) return std::nullopt;
    try {
        nlohmann::ordered_json j = nlohmann::ordered_json::parse(*text);
        Stamp s;
        s.hash = j.at("hash").get<std::string>();
        s.pages = j.at("pages").get<int>();
        for (const auto& d : j.at("diagnostics")) s.diags.push_back(diagnostic_from_json(d));
        return s;
    } catch (const nlohmann::ordered_json::exception&) {
        return std::nullopt;  // not ours, or cut short: render again
    }
}

void write_stamp(const std::string& output, const Stamp& stamp) {
    nlohmann::ordered_json j;
    j["hash"] = stamp.hash;
    j["pages"] = stamp.pages;
    j["diagnostics"] = nlohmann::ordered_json::array();
    for (const Diagnostic& d : stamp.diags) j["diagnostics"].push_back(diagnostic_json(d));
    write_output(stamp_path(output), j.dump() + "\n");
}

}  // namespace galley
