#include "ingest_score.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include <yaml-cpp/yaml.h>

#include "common/strings.h"
#include "galley/ingest.h"
#include "model/front_matter.h"

namespace galley {

namespace {

namespace fs = std::filesystem;

// What ingest recovered of one page, field by field, as the expected
// YAML writes it ("" when not found).
std::map<std::string, std::string> recovered(const Document& doc) {
    std::map<std::string, std::string> f;
    f["title"] = doc.title;
    f["section"] = doc.section;
    f["kicker"] = doc.kicker;
    if (doc.dateline) {
        f["source"] = doc.dateline->source;
        f["place"] = doc.dateline->place;
        if (const auto& d = doc.dateline->date) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->year, d->month, d->day);
            f["date"] = buf;
            if (d->has_time) {
                std::snprintf(buf, sizeof buf, " %02d:%02d", d->hour, d->minute);
                f["date"] += buf;
                if (d->has_seconds) f["date"] += ":" + std::string(d->second < 10 ? "0" : "") + std::to_string(d->second);
            }
        }
    }
    f["summary"] = doc.summary;
    f["byline"] = join(doc.byline, "|");
    std::vector<std::string> credits, tags, related, heads, paras;
    for (const Credit& c : doc.credits) credits.push_back(c.role + ":" + c.name);
    for (const Related& r : doc.related) related.push_back(r.rel + ":" + r.title);
    for (const Block& b : doc.body) {
        std::string text;
        for (const Span& sp : b.spans) text += sp.text;
        if (b.kind == BlockKind::Heading) heads.push_back(text);
        else if (b.kind == BlockKind::Paragraph) paras.push_back(text);
    }
    f["credits"] = join(credits, "|");
    f["tags"] = join(doc.tags, "|");
    f["related"] = join(related, "|");
    f["subheadings"] = join(heads, "|");
    f["paragraphs"] = std::to_string(paras.size());
    f["first_paragraph"] = paras.empty() ? "" : paras.front();
    f["last_paragraph"] = paras.empty() ? "" : paras.back();
    return f;
}

std::string expected_value(const YAML::Node& n) {
    if (n.IsScalar()) return n.Scalar();
    std::vector<std::string> items;
    for (const YAML::Node& item : n)
        items.push_back(item.IsMap() ? (item["role"] ? item["role"].Scalar() + ":" + item["name"].Scalar()
                                                     : item["rel"].Scalar() + ":" + item["title"].Scalar())
                                     : item.Scalar());
    return join(items, "|");
}

}  // namespace

int IngestScore::exact() const {
    int n = 0;
    for (const auto& [field, c] : counts) n += c.first;
    return n;
}

int IngestScore::asked() const {
    int n = 0;
    for (const auto& [field, c] : counts) n += c.second;
    return n;
}

std::string IngestScore::table() const {
    std::string out;
    char line[96];
    std::snprintf(line, sizeof line, "%-16s %6s %6s %7s\n", "field", "pages", "exact", "share");
    out += line;
    for (const std::string& f : fields) {
        const auto it = counts.find(f);
        if (it == counts.end() || it->second.second == 0) continue;
        const auto [e, t] = it->second;
        std::snprintf(line, sizeof line, "%-16s %6d %6d %6.1f%%\n", f.c_str(), t, e, 100.0 * e / t);
        out += line;
    }
    std::snprintf(line, sizeof line, "%-16s %6d %6d %6.1f%%\n", "all", asked(), exact(),
                  asked() ? 100.0 * exact() / asked() : 0.0);
    out += line;
    std::snprintf(line, sizeof line, "not asked of text pages (only in the HTML's <head>): %d\n", not_asked);
    return out + line;
}

IngestScore score_ingest(const std::string& dir) {
    IngestScore score;
    score.fields = {"title",    "section",     "kicker",     "date",           "source",
                    "place",    "summary",     "byline",     "credits",        "related",
                    "tags",     "subheadings", "paragraphs", "first_paragraph", "last_paragraph"};
    std::vector<fs::path> pages;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".html" || e.path().extension() == ".txt") pages.push_back(e.path());
    std::sort(pages.begin(), pages.end());
    for (const fs::path& page : pages) {
        const fs::path yaml = page.parent_path() / (page.stem().string() + ".expected.yaml");
        if (!fs::exists(yaml)) continue;
        const YAML::Node expected = YAML::LoadFile(yaml.string());
        ++score.pages;
        Diagnostics diags;
        Ingested in = ingest_page(page.string(), diags);
        std::map<std::string, std::string> got;
        if (!has_errors(diags)) got = recovered(parse_article(in.article, page.string() + ".md", diags));
        // A page's text has no <head>: what only its <meta> says is not asked of it.
        std::set<std::string> lacks;
        if (page.extension() == ".txt" && expected["text_lacks"])
            for (const YAML::Node& f : expected["text_lacks"]) lacks.insert(f.Scalar());
        for (const std::string& f : score.fields) {
            if (!expected[f] && !got[f].empty()) {  // found what the page does not have
                ++score.counts[f].second;
                score.misses.push_back(page.filename().string() + " " + f + ": got '" + got[f] + "', want nothing");
                continue;
            }
            if (!expected[f]) continue;
            if (lacks.count(f)) {
                ++score.not_asked;
                continue;
            }
            const std::string want = expected_value(expected[f]);
            auto& [exact, total] = score.counts[f];
            ++total;
            if (got[f] == want) ++exact;
            else score.misses.push_back(page.filename().string() + " " + f + ": got '" + got[f] + "', want '" + want + "'");
        }
    }
    return score;
}

}  // namespace galley
