#include "job/stamp.h"

#include <glib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/files.h"
#include "job/report.h"

namespace galley {

namespace fs = std::filesystem;

std::string stamp_hash(const std::vector<std::string>& files, const std::string& text, const RenderOptions& o,
                       const std::vector<std::string>& fonts) {
    GChecksum* sum = g_checksum_new(G_CHECKSUM_SHA256);
    auto add = [sum](const std::string& s) {
        std::string n = std::to_string(s.size()) + ":";  // lengths keep fields apart
        g_checksum_update(sum, reinterpret_cast<const guchar*>(n.data()), static_cast<gssize>(n.size()));
        g_checksum_update(sum, reinterpret_cast<const guchar*>(s.data()), static_cast<gssize>(s.size()));
    };
    add(std::string("galley ") + GALLEY_VERSION);
    add(o.style);
    add(o.style_given ? "style given" : "style of the issue");
    add(std::to_string(o.source_date_epoch));
    add(o.pdfa ? "pdfa" : "");
    for (const std::string& f : fonts) add(f);
    add(text);
    for (const std::string& f : files) {
        add(f);
        add(read_file(f).value_or("(unreadable)"));
    }
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
