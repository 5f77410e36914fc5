// cjk-rules.md §7: the twenty test strings, composed at narrow measures and
// checked on the glyph positions of the set lines (§1 breaking, §2 widths,
// §3 Han–Latin spacing, §4 justification), plus the punctuation styles and
// Han–Latin gap settings.
#include <pango/pango.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "compose/compose.h"
#include "style/cascade.h"
#include "support.h"
#include "text/font_context.h"
#include "common/utf8.h"

using namespace galley;
using namespace galley::test;

namespace {

constexpr double kSize = 10.5;  // bulletin body: the em of every test
constexpr double kTol = 0.02;   // widths, ems (cjk-rules §6)

std::u32string u32(const std::string& s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) out += utf8_next(s, i);
    return out;
}
std::string u8(const std::u32string& s) {
    std::string out;
    for (char32_t c : s) utf8_append(out, c);
    return out;
}
std::string u8(char32_t c) { return u8(std::u32string(1, c)); }

bool in(char32_t c, std::u32string_view set) { return set.find(c) != std::u32string_view::npos; }

// The spec's classes, written out here rather than taken from the engine.
const std::u32string kOpeners = U"“‘（《〈「『【〔〖［｛([{";
const std::u32string kClosers = U"”’）》〉」』】〕〗］｝)]}";
const std::u32string kPauseStop = U"、，。．；：？！";
bool is_han(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }
bool is_latin(char32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_alnum(char32_t c) { return is_latin(c) || is_digit(c); }
bool is_cjk_mark(char32_t c) { return in(c, kOpeners) || in(c, kClosers) || in(c, kPauseStop); }
// Marks with a 1-em frame whose ink sits in one half (§2).
bool is_half_ink_mark(char32_t c) { return is_cjk_mark(c) && c > 0x7F; }

// S_start (§1, GB level): may not start a line.
bool no_start(char32_t c) {
    return in(c, U"、，。．；：？！") || (in(c, kClosers)) || in(c, U"–～~〜·・‧‼⁇⁈⁉");
}
// S_end (§1, GB level): may not end a line.
bool no_end(char32_t c) { return in(c, kOpeners) || in(c, U"/／"); }

// One drawn cluster: its characters, pen x from the line start (glyph x +
// run x), drawn advance and the ink shift of its first glyph, in points.
// `nat` is the cluster's natural (shaped) advance.
struct G {
    std::u32string chars;
    double x = 0, adv = 0, nat = 0;
    bool after_space = false;  // a set word space precedes it
    char32_t ch() const { return chars.empty() ? 0 : chars.front(); }
    char32_t last() const { return chars.empty() ? 0 : chars.back(); }
    bool space() const { return chars == U" "; }
};

bool han(const G& g) { return g.chars.size() == 1 && is_han(g.ch()); }
// Letters, digits and the Latin marks of numbers and words.
bool western(char32_t c) { return (c > 0x20 && c < 0x7F) || c == U'℃' || c == U'‰' || c == U'°'; }
bool western(const G& g) { return western(g.ch()); }

struct Line {
    std::vector<G> g;  // visible clusters in x order (set spaces left out)
    int spaces = 0;    // word spaces set on the line
    bool final = false;
    std::u32string text() const {
        std::u32string s;
        for (auto& x : g) s += x.chars;
        return s;
    }
    // Line expansion e (§6): median Han→Han (eff advance − 1 em), points.
    double e() const {
        std::vector<double> d;
        for (size_t i = 0; i + 1 < g.size(); ++i)
            if (han(g[i]) && han(g[i + 1])) d.push_back(g[i + 1].x - g[i].x - kSize);
        if (d.empty()) return 0;
        std::sort(d.begin(), d.end());
        return d[d.size() / 2];
    }
    // §6 C6: the last glyph's frame is 0.5 em for a closer or pause/stop
    // mark, 1 em for Han, its advance otherwise.
    double right_edge() const {
        const G& l = g.back();
        double w = in(l.last(), kClosers) || in(l.last(), kPauseStop) ? 0.5 * kSize
                 : han(l)                                               ? kSize
                 : l.ch() == U'·' ? 0.75 * kSize  // its 0.5-em box, drawn from 0.25 em before it
                                  : l.nat;
        return l.x + w;
    }
};

struct Opts {
    double measure_em = 11;
    double indent_em = 0;
    PunctStyle punct = PunctStyle::Quanjiao;
    double gap_em = 0.25;
    BreakLevel level = BreakLevel::GB;
    bool hyphenate = false;  // as body paragraphs are (the §7 strings are tested without)
};

struct Composed {
    std::vector<Line> lines;
    std::string source;
    Opts opts;
    bool emergency = false;  // the engine logged an emergency or overfull line
    double measure() const { return opts.measure_em * kSize; }
    std::string dump() const {
        std::ostringstream os;
        os << "measure " << opts.measure_em << " em, indent " << opts.indent_em << " em"
           << (emergency ? ", EMERGENCY" : "") << ": " << source << "\n";
        for (auto& l : lines) {
            os << "  |";
            for (auto& g : l.g) os << u8(g.chars) << "@" << std::round(g.x / kSize * 1000) / 1000 << " ";
            os << "| e=" << std::round(l.e() / kSize * 1000) / 1000 << (l.final ? " (last)" : "") << "\n";
        }
        return os.str();
    }
};

// What composing a paragraph needs: the bulletin style, a Composer and
// its context, for one language.
struct Setter {
    Style style = bulletin_style();
    Diagnostics diags;
    RunStats stats;
    Composer composer{fonts(), diags, stats};
    ComposeContext cx;
    explicit Setter(const std::string& lang) : cx{composer, style, lang} {}
};

// Composes `text` as a bulletin body paragraph (10.5 pt, zh-Hans, justified)
// and reads every set line back as clusters with pen positions.
Composed compose_text(const std::string& text, const Opts& o = {}) {
    Setter s("zh-Hans");
    s.style.punctuation = o.punct;
    s.style.han_latin_gap_em = o.gap_em;
    s.style.break_level = o.level;
    REQUIRE(s.style.body.size == kSize);
    const ShapedParagraph& shaped = shape(s.composer, style_text(text, s.style.body, "zh-Hans", {}));
    std::vector<SetLine> set =
        break_and_set(s.cx, shaped, {o.measure_em * kSize, o.indent_em * kSize, Align::Justify, o.hyphenate});

    Composed out;
    out.source = text;
    out.opts = o;
    out.emergency = !s.diags.empty();
    size_t next_cluster = 0;  // set clusters come in paragraph order
    for (const SetLine& sl : set) {
        Line line;
        bool space_before = false;
        for (const GlyphRun& run : sl.runs) {
            for (size_t k = 0; k < run.glyphs.size(); ++k) {
                const Glyph& gl = run.glyphs[k];
                if (k > 0 && gl.cluster == run.glyphs[k - 1].cluster) {
                    line.g.back().adv += gl.advance;  // a further glyph of the cluster
                    continue;
                }
                uint32_t end = run.text.size();
                for (size_t m = k + 1; m < run.glyphs.size(); ++m)
                    if (run.glyphs[m].cluster != gl.cluster) { end = run.glyphs[m].cluster; break; }
                G g;
                std::string chars = run.text.substr(gl.cluster, end - gl.cluster);
                g.chars = u32(chars);
                g.x = gl.x + run.x;
                g.adv = gl.advance;
                while (next_cluster < shaped.clusters.size()) {
                    const Cluster& c = shaped.clusters[next_cluster++];
                    if (shaped.text.compare(c.start, c.end - c.start, chars) == 0) {
                        g.nat = c.advance;
                        break;
                    }
                }
                if (g.space()) {
                    ++line.spaces;
                    space_before = true;
                } else {
                    g.after_space = space_before;
                    space_before = false;
                    line.g.push_back(g);
                }
            }
        }
        std::stable_sort(line.g.begin(), line.g.end(), [](const G& a, const G& b) { return a.x < b.x; });
        out.lines.push_back(std::move(line));
    }
    if (!out.lines.empty()) out.lines.back().final = true;
    return out;
}

std::string fmt(double pt) {
    std::ostringstream os;
    os << std::round(pt / kSize * 1000) / 1000 << " em";
    return os.str();
}

// Runs of adjacent 1-em marks on a line: [first, last] glyph indices.
std::vector<std::pair<size_t, size_t>> mark_runs(const Line& l) {
    std::vector<std::pair<size_t, size_t>> runs;
    for (size_t i = 0; i < l.g.size();) {
        size_t j = i;
        while (j < l.g.size() && is_half_ink_mark(l.g[j].ch())) ++j;
        if (j - i >= 2) runs.push_back({i, j - 1});
        i = std::max(j, i + 1);
    }
    return runs;
}
bool qe(char32_t c) { return c == U'？' || c == U'！'; }

bool has_alnum(const std::string& s) {
    for (char32_t ch : u32(s))
        if (is_alnum(ch)) return true;
    return false;
}

// Every rule of §1–4 that holds for any text, checked on one composition.
// Returns what is violated, one line each, for the failure message. After
// an emergency (logged; the column is too narrow for some run) only what
// §4 keeps even then is checked: kinsoku, and runs of marks unsplit.
std::vector<std::string> violations(const Composed& c, const std::vector<std::string>& unbreakable = {}) {
    const bool layout = !c.emergency;
    std::vector<std::string> bad;
    const double em = kSize, R = c.measure(), tol = kTol * em, pos = 0.05;
    auto report = [&](size_t li, const std::string& what) {
        bad.push_back("line " + std::to_string(li + 1) + ": " + what);
    };
    // Text fidelity, and where the breaks fall in the source (spaces dropped).
    std::u32string src;
    for (char32_t ch : u32(c.source))
        if (ch != ' ') src += ch;
    std::u32string all;
    std::vector<size_t> breaks;
    for (auto& l : c.lines) {
        all += l.text();
        breaks.push_back(all.size());
    }
    if (all != src) bad.push_back("set text differs from the source: " + u8(all));
    breaks.pop_back();
    for (const std::string& u8run : unbreakable) {
        if (!layout && has_alnum(u8run)) continue;
        std::u32string run = u32(u8run);
        for (size_t at = src.find(run); at != std::u32string::npos; at = src.find(run, at + 1))
            for (size_t b : breaks)
                if (b > at && b < at + run.size()) bad.push_back("unbreakable '" + u8run + "' split");
    }

    for (size_t li = 0; li < c.lines.size(); ++li) {
        const Line& l = c.lines[li];
        if (l.g.empty()) { report(li, "empty"); continue; }
        const G& first = l.g.front();
        const G& last = l.g.back();
        const double e = l.e();
        // §1: kinsoku; §2: …… never starts a line.
        if (li > 0 && no_start(first.ch())) report(li, "starts with " + u8(first.ch()));
        if (li > 0 && first.ch() == U'…') report(li, "starts with …");
        if (!l.final && no_end(last.last())) report(li, "ends with " + u8(last.last()));
        if (!layout) continue;
        // §2 line start: at L (+indent); an opener loses its left blank.
        double start = (li == 0 ? c.opts.indent_em * em : 0) - (in(first.ch(), kOpeners) ? 0.5 * em : 0);
        if (std::fabs(first.x - start) > pos) report(li, "starts at " + fmt(first.x) + ", not " + fmt(start));
        // §6 C6/C9: justified lines end at R; none runs past it.
        if (!l.final && std::fabs(l.right_edge() - R) > pos)
            report(li, "right edge " + fmt(l.right_edge()) + " != measure " + fmt(R));
        if (l.final && l.right_edge() > R + pos) report(li, "last line overfull: " + fmt(l.right_edge()));
        // §6 C11: e ≤ 0.5 em; the last line is solid.
        if (!l.final && (e > 0.5 * em + tol || e < -tol)) report(li, "expansion e = " + fmt(e));
        if (l.final && std::fabs(e) > tol) report(li, "last line not solid: e = " + fmt(e));

        for (size_t i = 0; i + 1 < l.g.size(); ++i) {
            const G& a = l.g[i];
            const G& b = l.g[i + 1];
            const double step = b.x - a.x;
            // §4: a word space is 0.25–0.5 em (natural on a last line).
            if (b.after_space) {
                double space = step - a.nat;
                if (space > 0.5 * em + tol || (!l.final && space < 0.25 * em - tol))
                    report(li, "word space " + u8(a.chars) + "|" + u8(b.chars) + " = " + fmt(space));
                continue;
            }
            // §6 C10: Han→Han advances equal across the line.
            if (han(a) && han(b) && std::fabs(step - em - e) > pos)
                report(li, "Han " + u8(a.chars) + u8(b.chars) + " advance " + fmt(step) + " vs e " + fmt(e));
            // §3 Han–Latin gap (C8), in either order.
            bool hl = (han(a) && is_alnum(b.ch())) || (is_alnum(a.last()) && han(b));
            if (hl && c.opts.gap_em == 0.25) {
                double gap = step - (han(a) ? em : a.nat);
                bool ok = l.final || std::fabs(e) < tol ? gap > 0.125 * em - tol && gap < em / 3 + tol
                                                        : gap > 0.125 * em - tol && gap < 0.5 * em + tol;
                // A last line is solid, but may shrink on a slight overflow (§4).
                bool shrunk = l.right_edge() > R - 0.5 * em;
                if (l.final) ok = shrunk ? gap > 0.125 * em - tol && gap < 0.25 * em + tol
                                         : std::fabs(gap - 0.25 * em) <= tol;
                if (!ok) report(li, "Han–Latin gap " + u8(a.chars) + "|" + u8(b.chars) + " = " + fmt(gap));
            }
            // §3: no gap between Latin and a CJK mark (the mark's frame may
            // be full or half before Latin), at most the line's glue e.
            if (western(a) && (in(b.ch(), kClosers) || in(b.ch(), kPauseStop) || in(b.ch(), kOpeners)) &&
                b.ch() > 0x7F) {
                double gap = step - a.nat;
                if (gap < -tol || gap > e + tol) report(li, "gap " + u8(a.chars) + "|" + u8(b.chars) + " = " + fmt(gap));
            }
            if ((in(a.ch(), kClosers) || in(a.ch(), kPauseStop)) && a.ch() > 0x7F && western(b)) {
                double gap = step - em;
                if (gap < -0.5 * em - tol || gap > e + tol)
                    report(li, "gap " + u8(a.chars) + "|" + u8(b.chars) + " = " + fmt(gap));
            }
            // §4: no glue inside digit runs, Latin words, numbers with % ℃.
            if (western(a) && western(b) && std::fabs(step - a.nat) > 0.01)
                report(li, "glue inside '" + u8(a.chars) + u8(b.chars) + "': " + fmt(step - a.nat));
            // §2: …… and —— take 2 em with nothing inside.
            if ((a.ch() == U'…' && b.ch() == U'…') || (a.chars == U"—" && b.chars == U"—"))
                if (std::fabs(step - em) > tol) report(li, "inside " + u8(a.chars) + u8(b.chars) + ": " + fmt(step));
        }
        for (size_t i = 0; i < l.g.size(); ++i) {
            const G& g = l.g[i];
            if (g.chars == U"——" && std::fabs(g.nat - 2 * em) > tol) report(li, "—— is " + fmt(g.nat));
            if (g.chars == U"—" && std::fabs(g.nat - em) > tol) report(li, "— is " + fmt(g.nat));
            // §2: · is 0.5 em, centred between its neighbours (C4).
            if (g.ch() == U'·' && i > 0 && i + 1 < l.g.size() && han(l.g[i - 1]) && han(l.g[i + 1])) {
                double span = l.g[i + 1].x - l.g[i - 1].x - em;
                if (std::fabs(span - 0.5 * em - 2 * e) > tol) report(li, "· takes " + fmt(span - 2 * e));
                double centre = g.x + g.nat / 2, mid = (l.g[i - 1].x + em + l.g[i + 1].x) / 2;
                if (std::fabs(centre - mid) > pos) report(li, "· not centred: " + fmt(centre - mid));
            }
        }
        // §2 adjacent marks: each adjacent pair loses 0.5 em in quanjiao
        // (an opener before a closer keeps its width); kaiming and banjiao
        // set each mark of a run at 0.5 em. ？！ runs are GB §5.1.2's (below).
        for (auto [i, j] : mark_runs(l)) {
            bool qrun = false;
            for (size_t k = i; k < j; ++k) qrun |= qe(l.g[k].ch()) && qe(l.g[k + 1].ch());
            if (qrun) continue;
            double want = 0;
            if (c.opts.punct == PunctStyle::Quanjiao) {
                want = (j - i + 1) * em - (j - i) * 0.5 * em;
                for (size_t k = i; k < j; ++k)
                    if (in(l.g[k].ch(), kOpeners) && in(l.g[k + 1].ch(), kClosers)) want += 0.5 * em;
            } else {
                want = (j - i + 1) * 0.5 * em;
            }
            std::string run = u8(l.text().substr(0, 0));
            for (size_t k = i; k <= j; ++k) run += u8(l.g[k].chars);
            double span;
            if (j + 1 < l.g.size()) {
                span = l.g[j + 1].x - l.g[i].x - e;  // one glue after the run
            } else if (!l.final) {
                span = R - l.g[i].x + (c.opts.punct == PunctStyle::Quanjiao ? 0.5 * em : 0);  // its end blank trimmed
            } else {
                continue;  // a paragraph's end: its last blank is not visible
            }
            if (std::fabs(span - want) > tol) report(li, "marks " + run + " span " + fmt(span) + ", want " + fmt(want));
        }
        // GB §5.1.2: ？！ pair 1 em, triple 2 em (not measurable at a line end).
        for (size_t i = 0; i < l.g.size();) {
            size_t j = i;
            while (j < l.g.size() && qe(l.g[j].ch())) ++j;
            size_t n = j - i;
            if (n >= 2 && n <= 3) {
                double want = (n == 2 ? 1 : 2) * em, span = -1;
                if (j < l.g.size()) span = l.g[j].x - l.g[i].x - e;
                else if (!l.final && n == 2) span = R - l.g[i].x;
                if (span >= 0 && std::fabs(span - want) > tol)
                    report(li, std::to_string(n) + " ？！ marks span " + fmt(span));
            }
            i = std::max(j, i + 1);
        }
    }
    return bad;
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

// One §7 string composed in many positions: every filler shift 0..12 (so
// each character of the string meets the line end somewhere), at 10, 11
// and 12 em, with and without the 2-em indent, ending the paragraph or
// followed by more text.
struct Sweep {
    std::vector<Composed> all;
    int emergencies = 0;
    // Some non-final line of some composition ends with `tail` (and the
    // next starts with `head`, when given): the critical pair was at the
    // line end at least once.
    bool line_end(const std::string& tail, const std::string& head = "") const {
        std::u32string t = u32(tail), h = u32(head);
        for (auto& c : all)
            for (size_t i = 0; i + 1 < c.lines.size(); ++i) {
                std::u32string a = c.lines[i].text(), b = c.lines[i + 1].text();
                if (a.size() >= t.size() && a.compare(a.size() - t.size(), t.size(), t) == 0 &&
                    b.compare(0, h.size(), h) == 0)
                    return true;
            }
        return false;
    }
};

const std::string kTail = "随后大家继续讨论了今后的工作安排。";

// `narrowest_indented`: the narrowest measure tried with the indent.
Sweep sweep(const std::string& s, const std::vector<std::string>& unbreakable, double narrowest_indented = 10) {
    Sweep out;
    const Opts base;
    for (double m : {10.0, 11.0, 12.0})
        for (double indent : {0.0, 2.0})
            for (int shift = 0; shift <= 12; ++shift)
                if (indent == 0 || m >= narrowest_indented)
                for (bool tail : {false, true}) {
                    Opts o = base;
                    o.measure_em = m;
                    o.indent_em = indent;
                    Composed c = compose_text(repeat("中", shift) + s + (tail ? kTail : ""), o);
                    INFO(c.dump());
                    CHECK(violations(c, unbreakable) == std::vector<std::string>{});
                    out.emergencies += c.emergency;
                    out.all.push_back(std::move(c));
                }
    return out;
}

// Emergencies (a line with no legal, feasible break) stay rare: at most
// `percent` of the sweep's compositions.
void rare_emergencies(const Sweep& s, int percent = 5) {
    INFO(s.emergencies << " of " << s.all.size() << " compositions needed an emergency break");
    CHECK(s.emergencies * 100 <= percent * static_cast<int>(s.all.size()));
}

}  // namespace

TEST_CASE("cjk §7.1: quotes after a colon and a full stop", "[cjk]") {
    Sweep s = sweep("他说：“今天的会议很重要。”随后离开。", {"。”"});
    CHECK(s.line_end("。”", "随"));
    CHECK(s.line_end("：", "“"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.2: corner quotes, book-title marks", "[cjk]") {
    Sweep s = sweep("「这是引号」，《人民日报》报道。", {"」，"});
    CHECK(s.line_end("，", "《"));
    CHECK(s.line_end("中", "「"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.3: ellipsis", "[cjk]") {
    Sweep s = sweep("他沉默了……然后说：“好吧。”", {"……", "了……", "。”"});
    CHECK(s.line_end("……", "然"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.4: two-em dash", "[cjk]") {
    Sweep s = sweep("北京——中国的首都——欢迎你。", {"——"});
    CHECK((s.line_end("——") || s.line_end("", "——")));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.5: Han–Latin gaps around GDP and numbers", "[cjk]") {
    Sweep s = sweep("2018年，全国GDP增长6.6%。", {"2018", "GDP", "6.6%。"});
    CHECK(s.line_end("国", "GDP"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.6: percentages and decimals", "[cjk]") {
    Sweep s = sweep("支持率达81%，较去年上升3.5个百分点。", {"81%，", "3.5"});
    CHECK(s.line_end("，"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.7: URL", "[cjk]") {
    // Breaks only after / ? & = # - _ or before a dot, never inside a word.
    Sweep s = sweep("详见https://www.stats.gov.cn/tjsj/。", {"https://", "www", ".stats", ".gov", ".cn/", "tjsj/。"});
    CHECK((s.line_end("/") || s.line_end("", ".")));
    // A line of URL alone cannot stretch: at 10–12 em there is often no
    // feasible break, and the emergency break keeps kinsoku only.
    rare_emergencies(s, 75);
}

TEST_CASE("cjk §7.8: lone dash in a date range", "[cjk]") {
    Sweep s = sweep("会议于2024年3月5日—7日举行。", {"2024", "日—"});
    CHECK(s.line_end("日", "—7") == false);
    CHECK(s.line_end("—"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.9: wave dash and degrees", "[cjk]") {
    Sweep s = sweep("第1～3季度气温为-5～3℃", {"1～", "5～", "3℃", "-5"});
    CHECK(s.line_end("～"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.10: interpunct in a transliterated name", "[cjk]") {
    // The dot joins the parts of a name: never at a line start (§1), and
    // by our choice never at a line end either.
    Sweep s = sweep("美国总统约瑟夫·拜登表示", {"夫·拜"});
    CHECK_FALSE(s.line_end("·"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.11: dateline with bracket and space", "[cjk]") {
    Sweep s = sweep("新华社北京3月5日电（记者 王五）国务院……", {"（记", "五）", "……"});
    CHECK(s.line_end("电", "（"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.12: question mark and quotes", "[cjk]") {
    Sweep s = sweep("他问：“你去哪儿？”“去学校！”", {"？”", "！”"});
    CHECK(s.line_end("？”"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.13: titles and issue numbers", "[cjk]") {
    Sweep s = sweep("《关于加强安全生产工作的通知》（国发〔2024〕5号）", {"〔2024〕"});
    CHECK(s.line_end("》"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.14: spaces around Latin words", "[cjk]") {
    // At 10 em with the 2-em indent, the line "使用 iPhone 15" needs 2.1 em
    // from one Han gap, two Han–Latin gaps and a word space: no setting
    // keeps both e and the word space within 0.5 em, so that column is
    // left out (the engine gives e = 0.56 em there).
    Sweep s = sweep("使用 iPhone 15 Pro 拍摄", {"iPhone", "15", "Pro"}, 11);
    CHECK(s.line_end("iPhone"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.15: ASCII colons in numbers", "[cjk]") {
    Sweep s = sweep("比分为3:2。会议10:30开始", {"3:2。", "10:30"});
    CHECK(s.line_end("。", "会"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.16: closer and stop at the line end", "[cjk]") {
    Sweep s = sweep("经济增长（同比）。", {"）。"});
    CHECK(s.line_end("）。"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.17: solidus", "[cjk]") {
    Sweep s = sweep("A/B测试和1/4", {"A/B", "1/4"});
    CHECK(s.line_end("B"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.18: nested quotes", "[cjk]") {
    Sweep s = sweep("“‘双重引号’”嵌套", {"“‘双", "’”"});
    CHECK(s.line_end("’”"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.19: ？！ runs", "[cjk]") {
    Sweep s = sweep("啊？！真的吗？？？", {"？！", "？？？"});
    CHECK(s.line_end("？！"));
    rare_emergencies(s);
}

TEST_CASE("cjk §7.20: kinsoku push-in or push-out", "[cjk]") {
    for (int n : {10, 11, 12}) {
        for (int filler = n - 3; filler <= n; ++filler) {
            // "…中文，" with the comma in column filler + 2.
            Composed c = compose_text(repeat("中", filler) + "文，" + kTail, {double(n)});
            INFO(c.dump());
            CHECK_FALSE(c.emergency);
            CHECK(violations(c) == std::vector<std::string>{});
            REQUIRE(c.lines.size() >= 2);
            const Line& l = c.lines[0];
            if (l.g.back().ch() == U'，') {
                CHECK(std::fabs(l.g.back().x + 0.5 * kSize - n * kSize) < 0.05);  // pushed in at 0.5 em
            } else {
                CHECK(l.e() <= 0.25 * kSize + kTol * kSize);  // pushed out, not too loose
                CHECK(c.lines[1].g.front().ch() != U'，');
            }
        }
    }
}

namespace {

// On a solid last line: the pen distance from the first character of the
// first run spelling `seq` to the cluster after it, in ems.
double span(const Composed& c, const std::u32string& seq) {
    const Line& l = c.lines.back();
    for (size_t i = 0; i + seq.size() < l.g.size(); ++i) {
        std::u32string t;
        for (size_t k = 0; k < seq.size(); ++k) t += l.g[i + k].chars;
        if (t == seq) return (l.g[i + seq.size()].x - l.g[i].x) / kSize;
    }
    FAIL("no " << u8(seq) << " followed by a cluster");
    return 0;
}

}  // namespace

TEST_CASE("cjk §2: punctuation styles", "[cjk]") {
    // One solid line: every width is nominal (e = 0).
    const std::string text = "他说：“好。”随后离开，走了。会议（同比）。结束了";
    struct Want {
        PunctStyle style;
        double colon_quote, stop_quote, paren_stop, comma, stop;
    };
    for (Want w : {Want{PunctStyle::Quanjiao, 1.5, 1.5, 1.5, 1.0, 1.0},
                   Want{PunctStyle::Kaiming, 1.0, 1.0, 1.0, 0.5, 1.0},
                   Want{PunctStyle::Banjiao, 1.0, 1.0, 1.0, 0.5, 0.5}}) {
        Opts o;
        o.measure_em = 40;
        o.punct = w.style;
        Composed c = compose_text(text, o);
        INFO(c.dump());
        REQUIRE(c.lines.size() == 1);
        CHECK(violations(c) == std::vector<std::string>{});
        // Adjacent pairs, from the first mark to the cluster after the second.
        CHECK(span(c, U"：“") == Approx(w.colon_quote).margin(kTol));
        CHECK(span(c, U"。”") == Approx(w.stop_quote).margin(kTol));
        CHECK(span(c, U"）。") == Approx(w.paren_stop).margin(kTol));
        // Single marks before Han.
        CHECK(span(c, U"，") == Approx(w.comma).margin(kTol));
        CHECK(span(c, U"了。") - 1 == Approx(w.stop).margin(kTol));
    }
}

TEST_CASE("cjk §3: Han–Latin gap settings", "[cjk]") {
    for (double gap : {0.25, 0.125, 0.0}) {
        Opts o;
        o.measure_em = 40;
        o.gap_em = gap;
        Composed c = compose_text("全国GDP增长，使用 iPhone 拍摄，2018年。", o);
        INFO(c.dump());
        REQUIRE(c.lines.size() == 1);
        const Line& l = c.lines[0];
        int pairs = 0;
        for (size_t i = 0; i + 1 < l.g.size(); ++i) {
            const G& a = l.g[i];
            const G& b = l.g[i + 1];
            if ((han(a) && is_alnum(b.ch())) || (is_alnum(a.ch()) && han(b))) {
                ++pairs;
                INFO(u8(a.chars) << "|" << u8(b.chars));
                CHECK((b.x - a.x - (han(a) ? kSize : a.nat)) / kSize == Approx(gap).margin(kTol));
            }
        }
        CHECK(pairs == 5);  // 国G P增 用i e拍 8年 (，2 is a mark: no gap)
        CHECK(violations(c) == std::vector<std::string>{});
    }
}

TEST_CASE("cjk §3: source spaces beside Chinese marks are dropped alike", "[cjk]") {
    // A space after —— or …… parts nothing a mark does not already part,
    // as the one after 。” does; between two Latin words it is a word space.
    const Composed c = compose_text("我们—— 如果可以。他说。” 他走了。省略…… 然后 New York 到了。", {36});
    INFO(c.dump());
    REQUIRE(c.lines.size() == 1);
    CHECK(c.lines[0].spaces == 1);
    for (const G& g : c.lines[0].g)
        if (g.ch() == U'如' || g.ch() == U'他' || g.ch() == U'然') CHECK_FALSE(g.after_space);
}

namespace {
// The right edge of a set line: its last glyph's pen position plus advance.
double right_edge(const SetLine& l) {
    double r = 0;
    for (const GlyphRun& run : l.runs)
        for (const Glyph& g : run.glyphs) r = std::max(r, run.x + g.x + g.advance);
    return r;
}
}  // namespace

TEST_CASE("cjk §7: long URLs and code spans never run past the measure", "[cjk]") {
    // A URL with a long query, an e-mail address, a long number and a code
    // span with no break of its own, in 10 to 12 em (issue 15): a line
    // breaks inside them where it must, and is never wider than its measure.
    Setter set_up("zh-Hans");
    const Style& style = set_up.style;
    StyledParagraph p = style_text("详见https://www.example.gov.cn/zwgk/readtemplate?id=1958216306109808640&lang=zh-CN#top，"
                                   "或致信 press-office@example.gov.cn，编号1958216306109808640，配置项为",
                                   style.body, "zh-Hans", {});
    StyledRun code{"galley.render.max_pages_per_document_in_one_batch", style.body, "", false, 0, true};
    code.role.font = style.code.font;
    p.runs.push_back(code);
    p.runs.push_back({"。", style.body, "", false, 0, false});
    const ShapedParagraph& shaped = shape(set_up.composer, p);
    for (double em = 10; em <= 12.01; em += 0.25) {
        const double measure = em * kSize;
        const std::vector<SetLine> set = break_and_set(set_up.cx, shaped, {measure, 0, Align::Justify, false});
        REQUIRE(set.size() >= 4);
        for (size_t k = 0; k < set.size(); ++k) {
            std::string text;
            for (const GlyphRun& run : set[k].runs) text += run.text + "|";
            INFO("measure " << em << " em, line " << k + 1 << ": " << text);
            CHECK(right_edge(set[k]) <= measure + 0.01);
        }
    }
}

namespace {
// The text of each set line, runs joined.
std::vector<std::string> line_texts(const std::vector<SetLine>& set) {
    std::vector<std::string> out;
    for (const SetLine& l : set) {
        std::string text;
        for (const GlyphRun& run : l.runs) text += run.text;
        out.push_back(text);
    }
    return out;
}
}  // namespace

TEST_CASE("cjk §4: a Latin word in Chinese text is hyphenated before the Han glue spreads", "[cjk]") {
    // Issue 15: in 10 to 12 em, a line holding a long English word had no
    // break but the emergency one (the word split with no hyphen, the line
    // before spread up to 1 em a character). With English patterns for
    // Latin words in Chinese paragraphs the words are hyphenated: lines
    // past C11's e = 0.5 em, and emergencies, go from 8 to none over the five
    // measures (3 while the last Latin word, though Han text followed it,
    // was spared as a paragraph's last word).
    const std::string text = "本次会议采用internationalization框架与interoperability测试方案，并邀请专家讲解。";
    bool hyphenated = false;
    int bad_with = 0, bad_without = 0;
    auto bad = [](const Composed& c) {
        int n = c.emergency;
        for (const Line& l : c.lines) n += !l.final && l.e() > 0.5 * kSize + kTol * kSize;
        return n;
    };
    for (double em = 10; em <= 12.01; em += 0.5) {
        Opts o;
        o.measure_em = em;
        bad_without += bad(compose_text(text, o));
        o.hyphenate = true;
        const Composed c = compose_text(text, o);
        INFO(c.dump());
        bad_with += bad(c);
        for (const Line& l : c.lines) hyphenated = hyphenated || (!l.g.empty() && l.g.back().last() == U'-');
    }
    INFO(bad_with << " lines past 0.5 em or emergencies with hyphenation, " << bad_without << " without");
    CHECK(hyphenated);
    CHECK(bad_with == 0);
    CHECK(bad_without > bad_with);
}

TEST_CASE("linebreak: English hyphenation keeps its minimums and spares a paragraph's last word", "[cjk]") {
    // Five letters or more, two before the hyphen and three after; never in
    // the last word, where a paragraph would end on half a word.
    Setter set_up("en-US");
    const std::string text = "Consultation announcements circulated internationally, unquestionably";
    const ShapedParagraph& shaped = shape(set_up.composer, style_text(text, set_up.style.body, "en-US", {}));
    std::set<std::string> tails;  // what ends a line before a hyphen, and what follows
    for (double em = 6; em <= 14.01; em += 0.25) {
        const std::vector<std::string> lines = line_texts(break_and_set(set_up.cx, shaped, {em * kSize, 0, Align::Justify, true}));
        for (size_t k = 0; k + 1 < lines.size(); ++k) {
            if (lines[k].empty() || lines[k].back() != '-') continue;
            const std::string& line = lines[k];
            const size_t word = line.find_last_of(' ') == std::string::npos ? 0 : line.find_last_of(' ') + 1;
            const std::string before = line.substr(word, line.size() - 1 - word);
            const std::string after = lines[k + 1].substr(0, lines[k + 1].find_first_of(" ,"));
            INFO(em << " em: " << before << "-|" << after);
            CHECK(before.size() >= 2);
            CHECK(after.size() >= 3);
            CHECK((before + after).rfind("unquestionabl", 0) != 0);  // the last word stays whole
            tails.insert(before + "-" + after);
        }
    }
    CHECK(tails.size() >= 3);  // the other long words do hyphenate
}

TEST_CASE("linebreak: a justified line its spaces cannot fill is left short with a warning", "[cjk]") {
    // Word spaces stop at 3/4 em: past that a line would read as two
    // columns. Three short words before a word wider than the rest of the
    // measure cannot fill 12 em; the line stays short and the paragraph's
    // position is named.
    Setter set_up("en-US");
    SourcePos pos{"short.md", 7, 1};
    const ShapedParagraph& shaped =
        shape(set_up.composer, style_text("I am at incomprehensibilities today.", set_up.style.body, "en-US", pos));
    const std::vector<SetLine> set = break_and_set(set_up.cx, shaped, {12 * kSize, 0, Align::Justify, false});
    REQUIRE(set.size() >= 2);
    CHECK(set[0].width < 12 * kSize - 0.5);
    bool warned = false;
    for (const Diagnostic& d : set_up.diags)
        warned = warned || (d.pos.line == 7 && d.message.find("justified line 1 left") != std::string::npos);
    CHECK(warned);
}
