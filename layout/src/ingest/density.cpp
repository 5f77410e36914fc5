// The story's block by text density, as Readability and GNE find it: the
// story is where the text is long, in clauses, and not links.
#include <algorithm>
#include <string_view>

#include "ingest/page.h"

namespace galley {

double story_weight(const PageLine& line) {
    if (line.text.empty() || line.tag == 'i' || line.tag == 'c') return 0;
    if (line.tag == 'f') return -3;
    const std::u32string u = utf8_decode_all(line.text);
    const double n = static_cast<double>(u.size());
    const double links = std::min(1.0, line.link_chars / n);
    if (links > 0.5) return -1.5;
    int clauses = 0, stops = 0;
    for (size_t k = 0; k < u.size(); ++k) {
        const char32_t c = u[k];
        const bool in_number = k + 1 < u.size() && u[k + 1] >= '0' && u[k + 1] <= '9';  // 2.3%, 1,000
        clauses += c == U'，' || c == U'、' || (c == ',' && !in_number) || c == U'；' || c == ';';
        stops += c == U'。' || c == U'！' || c == U'？' || (c == '.' && !in_number) || c == '!' || c == '?';
    }
    const bool han = std::count_if(u.begin(), u.end(), is_han) * 2 >= static_cast<long>(u.size());
    // A sentence, or a longer line in clauses.
    char32_t end = u.back();
    if ((end == U'”' || end == U'’' || end == '"' || end == U'）' || end == ')') && u.size() > 1) end = u[u.size() - 2];
    const bool sentence = std::u32string_view(U"。！？.!?…").find(end) != std::u32string_view::npos && n >= 4;
    const bool paragraph = sentence || (clauses + stops > 0 && n >= (han ? 16 : 80));
    if (!paragraph) return -0.5;
    return (1 + clauses + std::min(n / (han ? 50 : 100), 3.0)) * (1 - links);
}

std::pair<size_t, size_t> story_block(const std::vector<PageLine>& lines) {
    // Paragraphs with at most a few other lines between them (a subheading,
    // a picture, a link) are one block; the block with the most weight wins.
    constexpr int gap = 6;
    double best = 0, run = 0;
    size_t first = 0, last = 0, start = 0, end = 0;
    int others = gap + 1;
    for (size_t k = 0; k < lines.size(); ++k) {
        if (lines[k].text.empty()) continue;
        const double w = story_weight(lines[k]);
        if (w <= 0) {
            ++others;
            continue;
        }
        if (others > gap) run = 0, start = k;
        others = 0;
        run += w, end = k + 1;
        if (run > best) best = run, first = start, last = end;
    }
    return {first, last};
}

std::optional<std::pair<size_t, size_t>> dom_block(const std::vector<PageLine>& lines,
                                                   const std::vector<std::pair<size_t, size_t>>& blocks) {
    std::vector<double> score(blocks.size(), 0.0);
    static const std::array<double, 4> share{1.0, 1.0, 0.5, 1.0 / 3};
    for (const PageLine& l : lines) {
        const double w = story_weight(l);
        if (w <= 0) continue;
        for (size_t k = 0; k < l.up.size(); ++k)
            if (l.up[k] >= 0) score[static_cast<size_t>(l.up[k])] += w * share[k];
    }
    // Characters and link characters before each line: a block's share of
    // links in constant time, however deep the blocks nest.
    std::vector<double> chars(lines.size() + 1, 0.0), links(lines.size() + 1, 0.0);
    for (size_t k = 0; k < lines.size(); ++k) {
        chars[k + 1] = chars[k] + (lines[k].tag != 'i' ? static_cast<double>(utf8_count(lines[k].text)) : 0.0);
        links[k + 1] = links[k] + lines[k].link_chars;
    }
    std::optional<std::pair<size_t, size_t>> best;
    double top = 0;
    for (size_t b = 0; b < blocks.size(); ++b) {
        if (score[b] <= 0) continue;
        const double c = chars[blocks[b].second] - chars[blocks[b].first];
        const double l = links[blocks[b].second] - links[blocks[b].first];
        const double s = score[b] * (1 - (c > 0 ? l / c : 0));
        if (s > top) top = s, best = blocks[b];
    }
    return best;
}

}  // namespace galley
