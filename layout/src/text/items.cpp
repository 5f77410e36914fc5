// Composition rules of cjk-rules.md §1–4 expressed as Knuth–Plass items.
// Full-width punctuation is split into an ink box (0.5 em) and blanks that
// become glue: a blank next to a break vanishes, which gives the half-width
// line-end and line-start marks; blanks of adjacent marks are merged.
#include <hyphen.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/items.h"

namespace galley {
namespace {

using C = CharClass;

bool is_mark(C c) { return c == C::Opener || c == C::Closer || c == C::Pause || c == C::Stop; }
bool is_hanlike(C c) {
    return c == C::Han || c == C::IdeoSpace || is_mark(c) || c == C::MiddleDot || c == C::Dash ||
           c == C::Ellipsis;
}
bool is_alnum(C c) { return c == C::Latin || c == C::Digit; }

// A single — (not ——, not the 2-em ⸺): a connector, 1 em, never at a line start.
bool lone_dash(const Cluster& c) { return c.cls == C::Dash && c.chars == 1 && c.ch != U'⸺'; }

// May not start a line (§1 S_start).
bool no_start(const Cluster& c, const Cluster* prev, BreakLevel level) {
    switch (c.cls) {
        case C::Pause: case C::Stop: case C::Closer: case C::MiddleDot: return true;
        case C::Connector: return c.ch != U'/' && c.ch != U'／';
        case C::Dash: return lone_dash(c) || level == BreakLevel::Strict;
        // UAX #14 LB22 keeps …… off the line start at every level (§1 table);
        // saying so here holds it in an emergency too.
        case C::Ellipsis: return true;
        default: break;
    }
    switch (c.ch) {
        case U')': case U']': case U'}': case U'‼': case U'⁇': case U'⁈': case U'⁉':
        case U'!': case U'?': case U',': case U'.': case U';': case U':':
            return true;
        case U'%': case U'‰': case U'℃': case U'°':
            return prev && prev->cls == C::Digit;
        default: return false;
    }
}

// May not end a line (§1 S_end).
bool no_end(const Cluster& c, const Cluster* next, BreakLevel level) {
    // A middle dot joins the parts of a name (约翰·史密斯): keep them together.
    if (c.cls == C::Opener || c.cls == C::MiddleDot) return true;
    switch (c.ch) {
        case U'(': case U'[': case U'{': return true;
        case U'/': case U'／': return level != BreakLevel::Basic;
        case U'¥': case U'￥': case U'$': return next && next->cls == C::Digit;
        default: return false;
    }
}

struct Blanks {
    double left = 0, right = 0;
};

// What the item pass needs to know of every cluster besides its box.
struct Analysis {
    std::vector<Blanks> blank;
    std::vector<char> in_url;
    std::vector<char> hyphen_after;  // a hyphen may follow cluster i
    int orphan_guard = 0;            // no break after this cluster or later
};

double em_at(const ShapedParagraph& para, int i) { return para.runs[para.clusters[i].run].size; }

// A full-width mark keeps its ink half as the box; the other half is a blank.
std::vector<Blanks> cluster_boxes(const ShapedParagraph& para, const ItemParams& params,
                                  std::vector<ClusterBox>& boxes) {
    const auto& cl = para.clusters;
    const int n = static_cast<int>(cl.size());
    std::vector<Blanks> blank(n);
    for (int i = 0; i < n; ++i) {
        const Cluster& c = cl[i];
        const double em = em_at(para, i);
        ClusterBox& box = boxes[i];
        box.kept = true;
        box.width = c.advance;
        if (is_mark(c.cls)) {
            const double ink = 0.5 * em, rest = std::max(0.0, c.advance - ink);
            box.width = ink;
            bool wide = params.punctuation == PunctStyle::Quanjiao ||
                        (params.punctuation == PunctStyle::Kaiming && c.cls == C::Stop && c.ch != U'．');
            if (c.cls == C::Opener) {
                box.dx = -rest;
                if (wide) blank[i].left = rest;
            } else if (wide) {
                blank[i].right = rest;
            }
        } else if (c.cls == C::MiddleDot) {
            box.width = 0.5 * em;
            box.dx = -(c.advance - box.width) / 2;
        }
    }
    return blank;
}

void compress_blanks(const ShapedParagraph& para, const ItemParams& params, std::vector<Blanks>& blank) {
    const auto& cl = para.clusters;
    const int n = static_cast<int>(cl.size());
    // Kaiming and banjiao: a mark next to another mark is 0.5 em, so a pair
    // takes 1 em (§2) even when one of them is a full-width stop.
    if (params.punctuation != PunctStyle::Quanjiao)
        for (int i = 0; i < n; ++i)
            if (is_mark(cl[i].cls) && ((i > 0 && is_mark(cl[i - 1].cls)) || (i + 1 < n && is_mark(cl[i + 1].cls))))
                blank[i] = {};
    // ？！ runs: a pair takes 1 em, three marks 2 em (GB §5.1.2).
    for (int i = 0; i < n;) {
        int j = i;
        while (j < n && (cl[j].ch == U'？' || cl[j].ch == U'！')) ++j;
        if (j - i >= 2) {
            for (int k = i; k < j; ++k) blank[k].right = 0;
            if (j - i >= 3) blank[j - 1].right = 0.5 * em_at(para, j - 1);
        }
        i = std::max(j, i + 1);
    }
}

// Spaces next to Chinese text are replaced by the Han–Latin gap or
// dropped (§3); elsewhere they are word spaces.
void drop_spaces(const ShapedParagraph& para, const ItemParams& params, std::vector<ClusterBox>& boxes) {
    if (params.verbatim) return;
    const auto& cl = para.clusters;
    const int n = static_cast<int>(cl.size());
    auto visible = [&](int i, int step) {
        for (i += step; i >= 0 && i < n; i += step)
            if (cl[i].cls != C::Space) return i;
        return -1;
    };
    for (int i = 0; i < n; ++i) {
        if (cl[i].cls != C::Space) continue;
        int p = visible(i, -1), q = visible(i, +1);
        // Between two Chinese characters a source space is meant (it parts
        // the phrases of a headline) and stays; in running text a mark's own
        // blank already parts it from its neighbour.
        bool left = p >= 0 && is_hanlike(cl[p].cls), right = q >= 0 && is_hanlike(cl[q].cls);
        // Dashes and ellipses (——, ……) part their text as the other marks do.
        auto mark = [&](int k) { return k >= 0 && (is_mark(cl[k].cls) || cl[k].cls == C::Dash || cl[k].cls == C::Ellipsis); };
        bool by_mark = mark(p) || mark(q);
        bool repeated = i > 0 && cl[i - 1].cls == C::Space;
        if (left != right || (by_mark && !params.ragged) || repeated || p < 0 || q < 0) boxes[i].kept = false;
    }
}

// URLs, e-mail addresses and code spans (§7): 1 inside one, 2 in a URL's
// host (from :// or www. to the first /), which a break there should keep
// whole; they break only after / ? & = # - _ or before a dot, which UAX #14
// does not know.
std::vector<char> url_clusters(const ShapedParagraph& para) {
    const auto& cl = para.clusters;
    const int n = static_cast<int>(cl.size());
    std::vector<char> in_url(n, 0);
    // The next space, '@' and '.' from a position, each found again only
    // once passed: a paragraph without spaces is read once, not once a
    // character.
    struct Next {
        const char* chars;
        size_t pos = 0;
        bool found = false;
    } space{" \t\n"}, at_sign{"@"}, dot{"."};
    auto next = [&](Next& x, size_t from) {
        if (!x.found || x.pos < from) x.pos = std::min(para.text.find_first_of(x.chars, from), para.text.size());
        x.found = true;
        return x.pos;
    };
    auto url_char = [&](int i) {
        return is_alnum(cl[i].cls) || cl[i].cls == C::Other || cl[i].ch == U'/' || cl[i].ch == U'~' || cl[i].ch == U'-' ||
               cl[i].ch == U'@';
    };
    for (int i = 0; i < n; ++i) {
        if (para.runs[cl[i].run].code && cl[i].cls != C::Space) {
            in_url[i] = 1;
            continue;
        }
        if (i > 0 && is_alnum(cl[i - 1].cls)) continue;
        std::string_view rest(para.text.data() + cl[i].start, para.text.size() - cl[i].start);
        const size_t word_end = next(space, cl[i].start);
        const bool mail = is_alnum(cl[i].cls) && next(at_sign, cl[i].start) < word_end && next(dot, cl[i].start) < word_end;
        if (!rest.starts_with("http://") && !rest.starts_with("https://") && !rest.starts_with("www.") && !mail) continue;
        const size_t scheme = rest.find("://");
        const size_t host_end = rest.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
        for (; i < n && url_char(i); ++i) {
            const size_t at = cl[i].start - (rest.data() - para.text.data());
            const bool host = !mail && at >= (scheme == std::string_view::npos ? 0 : scheme + 3) && at < host_end;
            in_url[i] = host ? 2 : 1;
        }
    }
    return in_url;
}

// Orphan control: the last line keeps at least two characters that are
// not punctuation, so no break after the second-to-last of them.
int orphan_guard(const std::vector<Cluster>& cl) {
    const int n = static_cast<int>(cl.size());
    int seen = 0;
    for (int i = n - 1; i >= 0; --i)
        if (cl[i].cls == C::Han || cl[i].cls == C::Latin || cl[i].cls == C::Digit)
            if (++seen == 2) return i;
    return n;
}

// A headline's last line holds at least three characters (a number counts
// as one) or two words: no break after the cluster where, counting from the
// end, the third character or the second word begins. A word is what lies
// between spaces or after a hyphen (Bend's; Two- and Year), as a reader
// counts it.
int tail_guard(const std::vector<Cluster>& cl) {
    const int n = static_cast<int>(cl.size());
    auto in_word = [&](int i) {
        return !is_hanlike(cl[i].cls) && cl[i].cls != C::Space && cl[i].ch != U'-' && cl[i].ch != U'\u2010';
    };
    int units = 0, words = 0;
    for (int i = n - 1; i >= 0; --i) {
        if (cl[i].cls == C::Han) units += cl[i].chars;
        if (in_word(i)) {
            bool alnum = false, letters = false;
            for (;; --i) {
                alnum = alnum || is_alnum(cl[i].cls);
                letters = letters || cl[i].cls == C::Latin;
                if (i == 0 || !in_word(i - 1)) break;
            }
            units += alnum;
            words += letters;
        }
        if (units >= 3 || words >= 2) return i;
    }
    return -1;  // too short to part: no break at all
}

// Hyphenation points of the Latin word made of clusters [from, to).
void hyphenate_word(const ShapedParagraph& para, const ItemParams& params, int from, int to,
                    std::vector<char>& hyphen_after) {
    const auto& cl = para.clusters;
    std::string word;
    std::vector<int> cluster_of;  // the cluster each letter belongs to (ligatures hold several)
    bool plain = true;
    for (int j = from; j < to; ++j)
        for (uint32_t b = cl[j].start; b < cl[j].end; ++b) {
            unsigned char ch = para.text[b];
            if (ch > 0x7F) plain = false;
            word += static_cast<char>(std::tolower(ch));
            cluster_of.push_back(j);
        }
    const ItemParams::HyphenMins& m = params.hyphen_mins;
    if (!plain || word.size() < static_cast<size_t>(m.word)) return;
    std::vector<char> hy(word.size() + 5, 0);
    char** rep = nullptr;
    int* pos = nullptr;
    int* cut = nullptr;
    if (hnj_hyphen_hyphenate2(params.hyphens, word.c_str(), word.size(), hy.data(), nullptr, &rep, &pos, &cut) == 0) {
        // Never inside a ligature.
        for (size_t k = m.left - 1; k + m.right < word.size(); ++k)
            if ((hy[k] & 1) && cluster_of[k] != cluster_of[k + 1]) hyphen_after[cluster_of[k]] = 1;
    }
    if (rep) {
        for (size_t k = 0; k < word.size(); ++k) free(rep[k]);
        free(rep);
        free(pos);
        free(cut);
    }
}

std::vector<char> hyphen_points(const ShapedParagraph& para, const ItemParams& params) {
    const auto& cl = para.clusters;
    const int n = static_cast<int>(cl.size());
    std::vector<char> hyphen_after(n, 0);
    if (!params.hyphens) return hyphen_after;
    int last = n;  // the paragraph's last word, when only marks and spaces follow it
    for (int i = 0; i < n;) {
        if (is_alnum(cl[i].cls) || is_hanlike(cl[i].cls)) last = n;
        if (cl[i].cls != C::Latin) { ++i; continue; }
        int j = i;
        while (j < n && cl[j].cls == C::Latin) ++j;
        hyphenate_word(para, params, i, j, hyphen_after);
        last = i;
        i = j;
    }
    // Nor the last word: a paragraph does not end on half a word.
    for (int k = last; k < n && cl[k].cls == C::Latin; ++k) hyphen_after[k] = 0;
    return hyphen_after;
}

// Whether and at what cost a line may end between two set clusters.
struct Join {
    bool can_break = false;
    bool forbid = false;  // kinsoku or orphan control: not even a hyphen
    double penalty = 0;
    bool flagged = false;
};

// `space` is a kept word space between `prev` and `i`, or -1.
Join join_between(const ShapedParagraph& para, const ItemParams& params, const Analysis& an, int prev, int i,
                  int space) {
    const auto& cl = para.clusters;
    const int n = static_cast<int>(cl.size());
    const Cluster& p = cl[prev];
    const Cluster& c = cl[i];
    Join j;
    bool allowed = c.uax_break_before;
    const bool url = an.in_url[prev] && an.in_url[i];
    if (url) {
        // After / ? & = # - _, and before a dot (Chicago's rule: a dot
        // ending a line reads as a full stop).
        static constexpr std::u32string_view after = U"/?&=#-_";
        allowed = (after.find(p.ch) != std::u32string_view::npos && p.ch != c.ch) || (c.ch == U'.' && p.ch != U'.');
        if (allowed && an.in_url[prev] == 2 && an.in_url[i] == 2) j.penalty = 100;  // keep the host whole if a later break fits
    }
    // After Chinese text, - before a digit is a minus sign that starts
    // a number (UAX #14 takes it for a hyphen, LB21).
    if (c.ch == U'-' && is_hanlike(p.cls) && i + 1 < n && cl[i + 1].cls == C::Digit) allowed = true;
    // Kinsoku and the 2-em marks hold even in an emergency (§4:
    // never hang punctuation, never split —— or ……).
    bool kinsoku = (no_start(c, &p, params.level) && !(url && c.ch == U'.')) || no_end(p, &c, params.level) ||
                   (p.cls == C::Dash && c.cls == C::Dash) || (p.cls == C::Ellipsis && c.cls == C::Ellipsis);
    j.forbid = kinsoku || prev >= an.orphan_guard;
    if (!j.forbid) {
        // Unicode before 15.1 (Pango 1.50) keeps “ ” glued to Han (LB19).
        if (c.cls == C::Opener || p.cls == C::Closer) allowed = true;
        if (p.cls == C::Closer && c.cls == C::Opener) j.penalty = 50;
    }
    if (params.word_starts && !(*params.word_starts)[c.start]) allowed = false;  // inside a word
    j.can_break = allowed && !j.forbid;
    // A break after a hyphen the author wrote costs like one we add
    // (TeX's \exhyphenpenalty); in titles and headings it is a last
    // resort, as extractors also join "Two-\nYear" into "TwoYear".
    if (j.can_break && (p.ch == U'-' || p.ch == U'\u2010') && space < 0 && !url) {
        j.penalty = params.ragged ? 1000 : params.hyphen_penalty;
        j.flagged = true;
    }
    if (!j.can_break && params.emergency && !kinsoku) {
        j.can_break = true;
        j.penalty = 5000;
    }
    if (space >= 0 && !j.forbid) j.can_break = true, j.penalty = std::min(j.penalty, 0.0);
    return j;
}

struct Glue {
    Item item{Item::Glue};
    bool capped = false;
    bool present = false;  // false: nothing to set between the clusters
};

// Latin word space: 1/3 em as in TeX (never less than the font's own),
// 0.25 em to 0.5 em when justified (§4). The blanks are added one by one
// so the sum rounds as it always has.
void word_space(Glue& g, const Cluster& space, double right, double left, double em) {
    double w = std::max(space.advance, em / 3);
    g.item.width = w + right + left;
    g.item.stretch = std::max(0.0, 0.5 * em - w);
    g.item.shrink = std::max(0.0, w - 0.25 * em);
    g.capped = true;
}

void han_glue(Glue& g, const Cluster& p, const Cluster& c, double between, double em, const ItemParams& params) {
    if (is_mark(p.cls) && is_mark(c.cls))
        between = params.punctuation == PunctStyle::Quanjiao ? std::max(0.0, between - 0.5 * em) : 0;
    g.item.width = between;
    bool rigid = p.cls == C::Connector || c.cls == C::Connector || lone_dash(p) || lone_dash(c) ||
                 (is_mark(p.cls) && is_mark(c.cls)) || (p.cls == c.cls && (p.cls == C::Dash || p.cls == C::Ellipsis));
    bool han_latin = (is_alnum(p.cls) && (c.cls == C::Han || c.cls == C::IdeoSpace)) ||
                     ((p.cls == C::Han || p.cls == C::IdeoSpace) && is_alnum(c.cls));
    if (han_latin && params.han_latin_gap_em > 0) {
        g.capped = true;
        double gap = params.han_latin_gap_em * em;
        g.item.width += gap;
        g.item.stretch = std::max(0.0, em / 3 - gap);
        g.item.shrink = std::max(0.0, gap - 0.125 * em);
    } else if (!rigid && (is_hanlike(p.cls) || is_hanlike(c.cls))) {
        g.item.stretch = params.han_stretch_em * em;
    }
}

Glue glue_between(const ShapedParagraph& para, const ItemParams& params, const Analysis& an, int prev, int i,
                  int space) {
    const auto& cl = para.clusters;
    const double em = std::max(em_at(para, prev), em_at(para, i));
    Glue g;
    g.item.ref = space;
    if (space >= 0)
        word_space(g, cl[space], an.blank[prev].right, an.blank[i].left, em);
    else if (params.letter_spacing_em > 0 && cl[prev].cls == C::Latin && cl[i].cls == C::Latin && !an.in_url[prev] &&
             !an.in_url[i])
        // As InDesign's letter spacing and pdfTeX's expansion do: a little
        // give inside words, so word spaces need not stretch as far.
        g.item.stretch = g.item.shrink = params.letter_spacing_em * em;
    else
        han_glue(g, cl[prev], cl[i], an.blank[prev].right + an.blank[i].left, em, params);
    if (params.ragged) g.item.stretch = g.item.shrink = 0;
    g.present = g.item.width != 0 || g.item.stretch != 0 || g.item.shrink != 0 || space >= 0;
    return g;
}

void push_glue(ParagraphItems& out, const Glue& g) {
    out.items.push_back(g.item);
    out.capped.resize(out.items.size(), 0);
    out.capped.back() = g.capped;
}

// The items between two set clusters: a break (penalty and/or glue), a
// hyphenation point, or glue that must not break.
void push_join(ParagraphItems& out, const ShapedParagraph& para, const ItemParams& params, const Join& j,
               const Glue& g, bool hyphen, int prev) {
    auto& items = out.items;
    if (j.can_break && !hyphen) {
        if (j.penalty != 0 || !g.present) {
            Item pen{Item::Penalty};
            pen.penalty = j.penalty;
            pen.flagged = j.flagged;
            items.push_back(pen);
        }
        if (g.present) push_glue(out, g);
        return;
    }
    if (hyphen && !j.forbid) {
        Item pen{Item::Penalty};
        pen.width = para.runs[para.clusters[prev].run].hyphen_advance;
        pen.penalty = params.hyphen_penalty;
        pen.flagged = true;
        pen.ref = prev;
        items.push_back(pen);
    }
    if (g.present) {
        if (items.empty() || items.back().kind == Item::Box) items.push_back({Item::Penalty, 0, 0, 0, kInfPenalty});
        push_glue(out, g);
    }
}

void push_items(ParagraphItems& out, const ShapedParagraph& para, const ItemParams& params, const Analysis& an) {
    const auto& cl = para.clusters;
    const int n = static_cast<int>(cl.size());
    auto& items = out.items;
    if (params.indent > 0) items.push_back({Item::Box, params.indent});
    int prev = -1;   // previous set cluster
    int space = -1;  // a kept space since `prev`
    for (int i = 0; i < n; ++i) {
        const Cluster& c = cl[i];
        if (!out.boxes[i].kept) continue;
        if (c.cls == C::Space && !params.verbatim) {
            if (prev >= 0) space = i;
            continue;
        }
        if (c.cls == C::HardBreak) {
            items.push_back({Item::Glue, 0, 1e6, 0});
            items.push_back({Item::Penalty, 0, 0, 0, -kInfPenalty});
            prev = -1;
            space = -1;
            out.boxes[i].kept = false;
            continue;
        }
        if (prev >= 0)
            push_join(out, para, params, join_between(para, params, an, prev, i, space),
                      glue_between(para, params, an, prev, i, space), an.hyphen_after[prev] != 0, prev);
        Item box{Item::Box, out.boxes[i].width};
        box.ref = i;
        // Font expansion (pdfTeX's): letters, figures and their marks, not a URL's.
        if (params.expansion > 0 && !params.ragged && !an.in_url[i] &&
            (c.cls == C::Latin || c.cls == C::Digit || c.cls == C::Other))
            box.stretch = 0.5 * params.expansion * box.width, box.shrink = params.expansion * box.width;
        items.push_back(box);
        prev = i;
        space = -1;
    }
    // The last line is set solid and start-aligned (parfillskip).
    items.push_back({Item::Penalty, 0, 0, 0, kInfPenalty});
    items.push_back({Item::Glue, 0, 1e6, 0});
    items.push_back({Item::Penalty, 0, 0, 0, -kInfPenalty});
    out.capped.resize(items.size(), 0);
}

}  // namespace

ParagraphItems make_items(const ShapedParagraph& para, const ItemParams& params) {
    ParagraphItems out;
    out.boxes.resize(para.clusters.size());
    Analysis an;
    an.blank = cluster_boxes(para, params, out.boxes);
    compress_blanks(para, params, an.blank);
    drop_spaces(para, params, out.boxes);
    an.in_url = url_clusters(para);
    an.orphan_guard = params.short_tail ? static_cast<int>(para.clusters.size()) : orphan_guard(para.clusters);
    if (params.full_tail) an.orphan_guard = std::min(an.orphan_guard, tail_guard(para.clusters));
    an.hyphen_after = hyphen_points(para, params);
    for (size_t k = 0; k < an.in_url.size(); ++k)  // a URL or code breaks with no hyphen added
        if (an.in_url[k]) an.hyphen_after[k] = 0;
    push_items(out, para, params, an);
    return out;
}

namespace {

// Adjustment ratios of capped glue and of the other glue in items [first, to).
// Word spaces stop at 0.5 em and Han–Latin gaps at 1/3 em (§4 expand
// steps 1–2, their stretch at ratio 1); past that the other glue takes
// the rest, unless there is none.
// Past e = 0.5 em (ratio 2 of Han glue) every glue takes its share again.
// Font expansion (box stretch) is in the other glue's share, its full
// amount at ratio 2; past that it stays and the glue takes the rest.
struct Ratios {
    double capped, free, boxes;
};
Ratios split_ratio(const ParagraphItems& pitems, int first, int to, double r) {
    const auto& items = pitems.items;
    Ratios out{r, r, r};
    if (r <= 1) return out;
    double boxes = 0, capped = 0, free = 0;
    for (int k = first; k < to; ++k)
        if (items[k].kind == Item::Box) boxes += items[k].stretch;
        else if (items[k].kind == Item::Glue && items[k].stretch < 1e5)
            (pitems.capped[k] ? capped : free) += items[k].stretch;
    const double need = r * (boxes + capped + free);
    if (free + boxes <= 0) return out;
    out.capped = 1;
    out.free = out.boxes = (need - capped) / (free + boxes);
    if (out.free > 2) {
        out.boxes = 2;
        double excess = capped + free > 0 ? (need - 2 * boxes - capped - 2 * free) / (capped + free) : 0;
        out.capped = 1 + excess;
        out.free = 2 + excess;
    }
    return out;
}

}  // namespace

SetLine set_line(const ShapedParagraph& para, const ParagraphItems& pitems, int from, int to, double ratio,
                 bool justify) {
    SetLine line;
    const auto& items = pitems.items;
    double r = justify ? ratio : std::min(ratio, 0.0);
    // Skip what a break discards at the line start.
    int i = from + 1;
    while (i < to && items[i].kind != Item::Box) ++i;
    const bool hyphenated = items[to].kind == Item::Penalty && items[to].flagged;
    const Ratios ratios = split_ratio(pitems, i, to, r);
    double x = 0;
    GlyphRun* run = nullptr;
    uint32_t run_index = UINT32_MAX;
    std::vector<uint32_t> run_of;  // each line run's ShapedRun
    // `scale`: the cluster's glyphs drawn that much wider (font expansion);
    // 0 for a word space, which joins the run it is in.
    auto place = [&](int ci, double at, double advance, double scale) {
        const Cluster& c = para.clusters[ci];
        const ShapedRun& sr = para.runs[c.run];
        if (!run || run_index != c.run || (scale > 0 && std::abs(scale - run->scale_x) > 1e-9)) {
            line.runs.push_back(GlyphRun{sr.font, sr.size, sr.color, at, -sr.rise, {}, {}, sr.link});
            run = &line.runs.back();
            run->scale_x = scale > 0 ? scale : 1;
            run_index = c.run;
            run_of.push_back(c.run);
        }
        const double s = scale > 0 ? scale : 1;
        const uint32_t text_offset = run->text.size();
        run->text.append(para.text, c.start, c.end - c.start);
        double gx = at - run->x;
        for (uint32_t g = 0; g < c.glyph_count; ++g) {
            const ShapedGlyph& sg = para.glyphs[c.first_glyph + g];
            double adv = g + 1 == c.glyph_count ? advance - s * (c.advance - sg.advance) : s * sg.advance;
            run->glyphs.push_back({sg.id, gx, adv, s * sg.x_offset, sg.y_offset, text_offset});
            gx += s * sg.advance;
        }
    };
    for (; i < to; ++i) {
        const Item& it = items[i];
        if (it.kind == Item::Box) {
            const double rb = r >= 0 ? ratios.boxes : std::max(r, -1.0);
            const double w = it.width + (rb >= 0 ? rb * it.stretch : rb * it.shrink);
            if (it.ref >= 0) {
                const ClusterBox& b = pitems.boxes[it.ref];
                const double s = it.width > 0 ? w / it.width : 1;
                place(it.ref, x + s * b.dx, s * (b.width - b.dx), s);
            }
            x += w;
        } else if (it.kind == Item::Glue) {
            const double rr = pitems.capped[i] ? ratios.capped : ratios.free;
            double w = it.width + (r >= 0 ? rr * it.stretch : r * it.shrink);
            if (it.stretch >= 1e5) w = it.width;  // the paragraph's final fill
            // A word space wider than 3/4 em reads as a gap between columns:
            // a line that would need more stays short of the measure.
            if (it.ref >= 0 && para.clusters[it.ref].cls == CharClass::Space)
                w = std::min(w, std::max(it.width, 0.75 * para.runs[para.clusters[it.ref].run].size));
            if (it.ref >= 0) place(it.ref, x, w, 0);  // a word space keeps its glyph
            x += w;
        }
    }
    if (hyphenated && items[to].ref >= 0) {
        const Cluster& c = para.clusters[items[to].ref];
        const ShapedRun& sr = para.runs[c.run];
        if (run && run_index == c.run) {
            uint32_t off = run->text.size();
            run->text += "-";  // what the reader sees; extractors rejoin "-\n"
            run->glyphs.push_back({sr.hyphen_glyph, x - run->x, sr.hyphen_advance, 0, 0, off});
        }
        x += sr.hyphen_advance;
    }
    // Glyph advances follow the placed positions, so a painter that adds
    // advances lands each glyph where it was set.
    for (auto& gr : line.runs)
        for (size_t g = 0; g + 1 < gr.glyphs.size(); ++g) gr.glyphs[g].advance = gr.glyphs[g + 1].x - gr.glyphs[g].x;
    // A struck run: a line at the height of a Han character's middle (a
    // Latin x-height's, near enough), as thick as an underline.
    for (size_t k = 0; k < line.runs.size(); ++k) {
        const GlyphRun& gr = line.runs[k];
        if (!para.runs[run_of[k]].strike || gr.glyphs.empty()) continue;
        const double end = gr.x + gr.glyphs.back().x + gr.glyphs.back().advance, y = gr.y - 0.3 * gr.size;
        line.rules.push_back(Rule{gr.x, y, end, y, 0.06 * gr.size, gr.color});
    }
    line.width = x;
    return line;
}

}  // namespace galley
