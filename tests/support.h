// Shared by the tests: one FontContext per test process, as in a batch run.
#pragma once
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <poppler-document.h>
#include <poppler-page.h>

#include "galley/engine.h"

namespace galley::test {

inline std::string source_dir() { return GALLEY_SOURCE_DIR; }
inline std::string sample(const std::string& name) { return source_dir() + "/samples/articles/" + name; }

inline FontContext& fonts() {
    static FontContextPtr ctx = make_font_context({});
    return *ctx;
}

inline Style bulletin_style() {
    Diagnostics d;
    Style s = load_style(source_dir() + "/styles/bulletin.yaml", d);
    REQUIRE(!has_errors(d));
    return s;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::string temp_dir() {
    // Removed when the test process ends: ctest runs every case in a
    // process of its own, and the folders would pile up run after run.
    struct Scratch {
        std::filesystem::path dir;
        ~Scratch() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    };
    static const Scratch scratch{std::filesystem::temp_directory_path() /
                                 ("galley-tests-" + std::to_string(::getpid()))};
    std::filesystem::create_directories(scratch.dir);
    return scratch.dir.string();
}

// An empty folder of that name in the scratch folder (emptied if there).
inline std::string fresh_dir(const std::string& name) {
    std::string dir = temp_dir() + "/" + name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// Drops every whitespace character (ASCII and U+3000) and hyphen-minus, so
// text compared across line breaks does not depend on where lines broke or
// which words were hyphenated.
inline std::string squeeze(const std::string& s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '-') continue;
        if (s.compare(i, 3, "\xE3\x80\x80") == 0) { i += 2; continue; }
        if (s.compare(i, 2, "\xC2\xAD") == 0) { i += 1; continue; }  // soft hyphen
        out += s[i];
    }
    return out;
}

// The text of each page of a PDF, in content order, read with poppler-cpp.
inline void erase_all(std::string& s, const std::string& what) {
    if (what.empty()) return;
    for (size_t at; (at = s.find(what)) != std::string::npos;) s.erase(at, what.size());
}

// The sections an issue's articles name: a page's running head ends with
// those of its stories.
inline std::vector<std::string> issue_sections(const Issue& issue) {
    std::vector<std::string> out;
    for (const IssueArticle& a : issue.articles)
        if (!a.doc.section.empty()) out.push_back(squeeze(a.doc.section));
    return out;
}

// Takes each running head out of squeezed page text: `head` (newsletter,
// issue, date), then any of `sections` right after it. Returns how many.
inline int erase_running_heads(std::string& text, const std::string& head, const std::vector<std::string>& sections) {
    int n = 0;
    for (size_t at; !head.empty() && (at = text.find(head)) != std::string::npos; ++n) {
        size_t end = at + head.size();
        for (bool more = true; more;) {
            more = false;
            for (const std::string& s : sections)
                if (!s.empty() && text.compare(end, s.size(), s) == 0) end += s.size(), more = true;
        }
        text.erase(at, end - at);
    }
    return n;
}

inline std::vector<std::string> pdf_pages(const std::string& path) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path));
    REQUIRE(doc);
    std::vector<std::string> out;
    for (int i = 0; i < doc->pages(); ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        auto bytes = page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
        out.emplace_back(bytes.begin(), bytes.end());
    }
    return out;
}

inline std::string spans_text(const std::vector<Span>& spans) {
    std::string s;
    for (auto& sp : spans) s += sp.text;
    return s;
}

// How often `needle` occurs in `hay`, without overlaps.
inline size_t count_of(const std::string& hay, const std::string& needle) {
    size_t n = 0;
    for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
    return n;
}

// Compares a frame dump with tests/golden/NAME line by line, so a failure
// names the first line that differs. GALLEY_UPDATE_GOLDEN=1 rewrites the
// file instead (review the diff before committing it).
inline void check_golden(const std::string& dump, const std::string& name) {
    std::string path = source_dir() + "/tests/golden/" + name;
    if (std::getenv("GALLEY_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << dump;
    std::string golden = read_file(path);
    REQUIRE(!golden.empty());
    CHECK(dump.size() == golden.size());
    std::istringstream a(dump), b(golden);
    std::string la, lb;
    int n = 0;
    while (std::getline(b, lb)) {
        ++n;
        REQUIRE(std::getline(a, la));
        INFO(name << " line " << n);
        REQUIRE(la == lb);
    }
    CHECK(!std::getline(a, la));  // nothing more in the dump than in the golden file
}

}  // namespace galley::test
