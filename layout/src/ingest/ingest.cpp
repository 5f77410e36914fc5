// Text pages into articles, line by line: each line of the page is
// classified by the first rule that takes it (breadcrumb, headline,
// dateline, summary marker, credits, furniture, subheading, paragraph),
// and every decision is kept for --explain.
#include "galley/ingest.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <optional>
#include <regex>
#include <set>
#include <tuple>

#include "common/files.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "ingest/page.h"

namespace galley {

namespace {

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

bool ends_with_any(const std::string& s, std::initializer_list<const char*> ends) {
    for (const std::string e : ends)
        if (s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0) return true;
    return false;
}

bool is_cjk_mark(char32_t c) { return (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF65) || c == U'“' || c == U'”'; }

// ASCII punctuation beside Han text becomes the full-width mark Chinese
// text uses (，（）：；！); Latin text keeps its own.
std::string chinese_punctuation(const std::string& s) {
    const std::u32string u = utf8_decode_all(s);
    auto chinese = [](char32_t c) { return is_han(c) || is_cjk_mark(c); };
    std::u32string out;
    for (size_t i = 0; i < u.size(); ++i) {
        const char32_t c = u[i];
        static const std::array<std::pair<char32_t, char32_t>, 6> marks{
            {{',', U'，'}, {'(', U'（'}, {')', U'）'}, {':', U'：'}, {';', U'；'}, {'!', U'！'}}};
        auto m = std::find_if(marks.begin(), marks.end(), [&](auto& p) { return p.first == c; });
        size_t a = i, b = i + 1;
        while (a > 0 && is_blank(u[a - 1])) --a;
        while (b < u.size() && is_blank(u[b])) ++b;
        const bool near = (a > 0 && chinese(u[a - 1])) || (b < u.size() && chinese(u[b]));
        out += m != marks.end() && near ? m->second : c;
    }
    return utf8_encode(out);
}

bool ends_sentence(const std::string& s) {
    const std::u32string u = utf8_decode_all(s);
    if (u.empty()) return false;
    char32_t c = u.back();
    if ((c == U'”' || c == U'’' || c == U'）' || c == ')') && u.size() > 1) c = u[u.size() - 2];
    return std::u32string_view(U"。！？!?.；…").find(c) != std::u32string_view::npos;
}

// "首页 > 新闻 > 政企快线 > 开发区报道 > 高新区 > 正文": the channels
// between the home page and the article.
std::optional<std::vector<std::string>> breadcrumb(std::string line) {
    // "当前位置：", "您所在的位置：", "现在位置：" and the like.
    for (const char* lead : {"位置：", "位置:"})
        if (const size_t at = line.find(lead); at != std::string::npos && utf8_count(line.substr(0, at)) <= 6)
            line = trim(line.substr(at + std::string(lead).size()));
    if (utf8_count(line) > 60) return std::nullopt;
    static const std::regex sep(R"(\s*(?:>>|>|›|»|＞|→|\s-\s)\s*)");
    std::vector<std::string> parts;
    for (std::sregex_token_iterator it(line.begin(), line.end(), sep, -1), end; it != end; ++it)
        if (!trim(*it).empty()) parts.push_back(trim(*it));
    if (parts.size() < 2) return std::nullopt;
    static const std::array<std::string, 5> home{"首页", "Home", "主页", "网站首页", "HOME"};
    const std::string& root = parts.front();
    const bool site = root.size() >= 3 && root.compare(root.size() - 3, 3, "网") == 0 && utf8_count(root) <= 6;
    if (std::find(home.begin(), home.end(), root) == home.end() && !site) return std::nullopt;
    parts.erase(parts.begin());
    if (!parts.empty() && (parts.back() == "正文" || parts.back() == "Article")) parts.pop_back();
    return parts;
}

struct Meta {
    std::string date, source;
};

// A line holding the story's date (and its source): "高新区 华商网
// 2019-01-18 13:01:08", "2019年01月18日 13:01 来源：新华社".
std::optional<Meta> meta_line(std::string line) {
    for (size_t at; (at = line.find("\u3000")) != std::string::npos;) line.replace(at, 3, " ");
    static const std::regex iso(R"((\d{4})-(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?)");
    static const std::regex han(R"((\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?)");
    // English: "January 18, 2019", "Jan. 18, 2019", "18 January 2019".
    static const std::regex words(
        R"(\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),\s+(\d{4})\b)");
    static const std::regex words_dmy(
        R"(\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{4})\b)");
    if (utf8_count(line) > 80) return std::nullopt;  // a sentence that mentions a date
    auto two = [](const std::string& v) { return v.size() == 1 ? "0" + v : v; };
    auto month = [&](const std::string& name) {
        static const std::array<std::string, 12> names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        const auto it = std::find(names.begin(), names.end(), name.substr(0, 3));
        return two(std::to_string(it - names.begin() + 1));
    };
    std::smatch m;
    Meta meta;
    if (std::regex_search(line, m, iso) || std::regex_search(line, m, han)) {
        meta.date = m[1].str() + "-" + two(m[2]) + "-" + two(m[3]);
        if (m[4].matched) meta.date += " " + two(m[4]) + ":" + m[5].str() + (m[6].matched ? ":" + m[6].str() : "");
    } else if (std::regex_search(line, m, words)) {
        meta.date = m[3].str() + "-" + month(m[1]) + "-" + two(m[2]);
    } else if (std::regex_search(line, m, words_dmy)) {
        meta.date = m[3].str() + "-" + month(m[2]) + "-" + two(m[1]);
    } else {
        return std::nullopt;
    }
    static const std::regex from(R"((?:来源|稿源|Source)\s*(?::|：)\s*(\S+))");
    std::smatch f;
    if (std::regex_search(line, f, from)) {
        meta.source = f[1];
        for (const char* stop : {"作者", "编辑", "记者", "责任编辑"})
            if (const size_t at = meta.source.find(stop); at != std::string::npos && at > 0) meta.source.resize(at);
        return meta;
    }
    // Else the token naming an outlet (…网, …报, …社, …台).
    static const std::regex outlet(R"((\S+(?:网|报|社|台|新闻)))");
    const std::string before = line.substr(0, static_cast<size_t>(m.position(0)));
    for (std::sregex_iterator it(before.begin(), before.end(), outlet), end; it != end; ++it) meta.source = (*it)[1];
    return meta;
}

// Where a story was filed, when its headline or lead begins with a city.
std::string place_of(const std::string& text) {
    static const std::array<std::string, 40> cities{
        "北京", "上海", "天津", "重庆", "西安", "广州", "深圳", "杭州", "南京", "武汉", "成都", "长沙",
        "郑州", "济南", "青岛", "沈阳", "大连", "长春", "哈尔滨", "石家庄", "太原", "呼和浩特", "兰州", "西宁",
        "银川", "乌鲁木齐", "拉萨", "昆明", "贵阳", "南宁", "海口", "福州", "厦门", "南昌", "合肥", "苏州",
        "宁波", "无锡", "香港", "澳门"};
    for (const std::string& c : cities)
        if (starts_with(text, c)) return c;
    return "";
}

// "编辑:张梦洁", "责任编辑：…", "[责任编辑:…]": role and name.
// "（责编：汤诗瑶、丁涛）": a credit for each name.
std::vector<std::pair<std::string, std::string>> credit(const std::string& line) {
    // Alternations, not bracket classes: std::regex reads bytes, and a
    // class would take a multi-byte mark's bytes one by one.
    static const std::regex re(
        R"(^(?:\[|【|\(|（)?\s*(责任编辑|编辑|责编|校对|审核|摄影|制图|编译)\s*(?::|：)\s*(.+?)\s*(?:\]|】|\)|）)?$)");
    std::smatch m;
    if (utf8_count(line) > 40 || !std::regex_match(line, m, re)) return {};
    std::vector<std::pair<std::string, std::string>> out;
    std::string name;
    for (char32_t c : utf8_decode_all(m[2].str() + " ")) {
        if (is_blank(c) || c == U'、' || c == U'，' || c == ',' || c == U'；') {
            if (!name.empty()) out.push_back({m[1].str(), name});
            name.clear();
        } else {
            utf8_append(name, c);
        }
    }
    return out;
}

// Reporters' names after the last paragraph's final mark: "…献礼。 崔霖鹏 李玮".
std::vector<std::string> trailing_names(std::string& para) {
    std::u32string u = utf8_decode_all(para);
    // std::regex has no Unicode classes: match on the decoded tail by hand.
    size_t end = u.size();
    std::vector<std::string> names;
    while (end > 0) {
        size_t b = end;
        while (b > 0 && is_han(u[b - 1])) --b;
        const size_t len = end - b;
        if (len < 2 || len > 4 || b == 0 || !is_blank(u[b - 1])) break;
        names.insert(names.begin(), utf8_encode(u.substr(b, len)));
        end = b;
        while (end > 0 && is_blank(u[end - 1])) --end;
    }
    if (names.empty() || names.size() > 4 || end == 0 || !ends_sentence(utf8_encode(u.substr(0, end)))) return {};
    para = utf8_encode(u.substr(0, end));
    return names;
}

// "By Jane Doe and John Roe": the names.
std::vector<std::string> by_line(const std::string& line) {
    static const std::regex by(R"(^(?:By|BY)\s+(.+)$)");
    std::smatch m;
    if (utf8_count(line) > 80 || !std::regex_match(line, m, by)) return {};
    std::vector<std::string> names;
    static const std::regex sep(R"(\s*(?:,|\band\b|&)\s*)");
    const std::string all = m[1];
    for (std::sregex_token_iterator it(all.begin(), all.end(), sep, -1), end; it != end; ++it)
        if (!trim(*it).empty()) names.push_back(trim(*it));
    return names;
}

// "图为…", "图注：…", "（图片来源：…）": a picture's caption.
bool caption_line(const std::string& line) {
    return (starts_with(line, "图为") || starts_with(line, "图注：") || starts_with(line, "图注:") ||
            starts_with(line, "图片来源")) && utf8_count(line) <= 120;
}

std::string strip_caption_lead(const std::string& line) {
    for (const char* lead : {"图注：", "图注:"})
        if (starts_with(line, lead)) return trim(line.substr(std::string(lead).size()));
    return line;
}

// Caption text inside ![…]: brackets would end it.
std::string yaml_free(std::string s) {
    for (char& c : s)
        if (c == '[' || c == ']') c = ' ';
    return s;
}

// "…服务。（记者 王伟 李明）": the reporters named at a paragraph's end.
std::vector<std::string> reporters_in(std::string& para) {
    static const std::string open = "（记者", close = "）";
    const size_t at = para.rfind(open);
    if (at == std::string::npos || para.size() < close.size() ||
        para.compare(para.size() - close.size(), close.size(), close) != 0)
        return {};
    const std::string inside = para.substr(at + open.size(), para.size() - close.size() - at - open.size());
    std::vector<std::string> names;
    std::string name;
    for (char32_t c : utf8_decode_all(inside + " ")) {
        if (is_blank(c) || c == U'、' || c == U'，') {
            if (!name.empty()) names.push_back(name);
            name.clear();
        } else if (is_han(c)) {
            utf8_append(name, c);
        } else {
            return {};
        }
    }
    if (names.empty() || names.size() > 6) return {};
    para = trim(para.substr(0, at));
    return names;
}

// Lines that are the page's, not the story's.
bool furniture(const std::string& line) {
    static const std::array<std::string, 24> marks{
        "Top",      "相关热词搜索", "表达看法",   "分享到",     "责任编辑",   "我要评论", "相关阅读",   "相关新闻",
        "热点推荐", "网友评论",     "打印本页",   "关闭窗口",   "返回顶部",   "版权所有", "Copyright",  "本地 新闻",
        "点击排行", "推荐阅读",     "扫一扫",     "用手机看",   "字号",       "收藏",     "举报",       "评论"};
    // English ones only on short lines: a paragraph may begin "Related to …".
    static const std::array<std::string, 12> english{"Share", "Advertisement", "Related", "Read more",
                                                     "Sign up", "Subscribe", "Comments", "Follow us",
                                                     "More from", "Most read", "All rights reserved", "Back to top"};
    for (const std::string& m : marks)
        if (starts_with(line, m)) return true;
    if (utf8_count(line) <= 40)
        for (const std::string& m : english)
            if (starts_with(line, m)) return true;
    return line.find("©") != std::string::npos;
}

struct Found {
    std::string title, kicker, section, place, source, date, summary, lang = "zh-Hans", url;
    std::vector<std::string> tags;
    std::vector<std::string> byline;
    std::vector<std::pair<std::string, std::string>> credits, related;  // role/name; rel/title
    std::vector<std::string> body;                                      // Markdown blocks
};

std::string yaml(const std::string& s) {
    if (s.find_first_of(":#[]{},&*!|>'\"%@`") == std::string::npos && !s.empty() && s.front() != ' ' &&
        s.front() != '-' && s.front() != '?')
        return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
}

std::string front_matter(const Found& f, const std::string& file) {
    std::string out = "---\ntitle: " + yaml(f.title) + "\n";
    if (!f.kicker.empty()) out += "kicker: " + yaml(f.kicker) + "\n";
    if (!f.section.empty()) out += "section: " + yaml(f.section) + "\n";
    if (!f.place.empty() || !f.source.empty() || !f.date.empty()) {
        out += "dateline:\n";
        if (!f.place.empty()) out += "  place: " + yaml(f.place) + "\n";
        if (!f.source.empty()) out += "  source: " + yaml(f.source) + "\n";
        if (!f.date.empty()) out += "  date: " + f.date + "\n";
    }
    if (!f.summary.empty()) out += "summary: |\n  " + f.summary + "\n";
    if (!f.byline.empty()) {
        std::vector<std::string> names;
        for (const std::string& n : f.byline) names.push_back(yaml(n));
        out += "byline: [" + join(names, ", ") + "]\n";
    }
    if (!f.credits.empty()) {
        out += "credits:\n";
        for (auto& [role, name] : f.credits) out += "  - {role: " + yaml(role) + ", name: " + yaml(name) + "}\n";
    }
    if (!f.related.empty()) {
        out += "related:\n";
        for (auto& [rel, title] : f.related) out += "  - {title: " + yaml(title) + ", rel: " + rel + "}\n";
    }
    if (!f.tags.empty()) {
        std::vector<std::string> tags;
        for (const std::string& t : f.tags) tags.push_back(yaml(t));
        out += "tags: [" + join(tags, ", ") + "]\n";
    }
    out += "lang: " + f.lang + "\nprovenance:\n  file: " + yaml(file) + "\n";
    if (!f.url.empty()) out += "  url: " + yaml(f.url) + "\n";
    out += "---\n";
    for (const std::string& b : f.body) out += "\n" + b + "\n";
    return out;
}

// A short line between paragraphs, with no sentence mark at its end: a subheading.
bool subheading(const std::string& line) {
    const size_t n = utf8_count(line);
    return n >= 4 && n <= 30 && !ends_sentence(line) && line.find(',') == std::string::npos &&
           line.find("，") == std::string::npos && line.find("。") == std::string::npos;
}

class Reader {
public:
    Reader(const std::string& file, Diagnostics& diags, const PageMeta& meta)
        : file_(file), diags_(diags), meta_(meta) {}

    Ingested read(const std::vector<PageLine>& lines) {
        lines_ = lines;
        f_.lang = meta_.lang.empty() ? language() : meta_.lang;
        std::tie(first_, last_) = meta_.block ? *meta_.block : story_block(lines_);
        // The block's first and last paragraphs bound the story in it.
        while (first_ < last_ && story_weight(lines_[first_]) <= 0) ++first_;
        while (last_ > first_ && story_weight(lines_[last_ - 1]) <= 0) --last_;
        lead_ = first_;
        size_t i = head();
        bool summary_next = false;
        for (; i < std::max(last_, i); ++i)
            if (!lines_[i].text.empty() && !body_line(i, summary_next)) break;
        for (; i < lines_.size(); ++i)
            if (lines_[i].tag == 'f') note(i, "furniture (navigation, header or footer)");
            else if (!lines_[i].text.empty()) tail_line(i, lines_[i].text);
        finish();
        return {front_matter(f_, file_), explain_};
    }

private:
    void note(size_t i, const std::string& what) {
        explained_.insert(i);
        std::u32string text = utf8_decode_all(lines_[i].text);
        if (text.size() > 24) text = text.substr(0, 23) + U"…";
        explain_.push_back(file_ + ":" + std::to_string(lines_[i].line) + ": " + what + ": " + utf8_encode(text));
    }
    bool chinese() const { return f_.lang.rfind("zh", 0) == 0; }
    std::string text_of(const std::string& s) const { return chinese() ? chinese_punctuation(s) : s; }

    // zh-Hans when Han characters outnumber Latin letters, else en.
    std::string language() const {
        size_t han = 0, latin = 0;
        for (const PageLine& l : lines_)
            for (char32_t c : utf8_decode_all(l.text)) han += is_han(c), latin += (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
        return han * 2 >= latin ? "zh-Hans" : "en";
    }

    // Breadcrumb, headline and dateline, in the page's head; returns the
    // first line after them.
    size_t head() {
        const size_t title_at = headline();
        size_t i = 0;
        for (; i < lines_.size() && i < title_at; ++i) {
            const std::string& line = lines_[i].text;
            if (line.empty()) continue;
            if (auto crumbs = breadcrumb(line)) {
                // The last two channels; one alone is the section.
                if (crumbs->size() >= 2) f_.kicker = crumbs->back(), f_.section = (*crumbs)[crumbs->size() - 2];
                else if (crumbs->size() == 1) f_.section = crumbs->front();
                note(i, "breadcrumb: section '" + f_.section + "', kicker '" + f_.kicker + "' (the last two channels)");
                continue;
            }
            note(i, lines_[i].tag == 'f' ? "furniture (navigation, header or footer)" : "furniture (page head)");
        }
        if (i >= lines_.size()) return i;
        f_.title = lines_[i].text;
        note(i, why_title_);
        return dateline(i);
    }

    // The dateline and a "By …" line, within a few lines under the headline
    // and above the story (share bars and the like between are furniture);
    // returns the line after the last of them.
    size_t dateline(size_t title) {
        const size_t end = lead_ > title ? lead_ : lines_.size();
        size_t after = title + 1;
        for (size_t k = title + 1, seen = 0; k < end && seen < 12; ++k) {
            if (lines_[k].text.empty()) continue;
            ++seen;
            if (auto names = by_line(lines_[k].text); !names.empty() && f_.byline.empty()) {
                f_.byline = names;
                note(k, "byline (a 'By …' line)");
                after = k + 1;
            } else if (auto meta = meta_line(lines_[k].text); meta && f_.date.empty()) {
                f_.date = meta->date, f_.source = meta->source;
                note(k, "dateline: date " + f_.date + ", source '" + f_.source + "'");
                after = k + 1;
            }
        }
        for (size_t j = title + 1; j < after; ++j)
            if (!lines_[j].text.empty() && explained_.count(j) == 0)
                note(j, "furniture (between the headline and the dateline)");
        return after;
    }

    bool title_like(size_t k) const {
        const PageLine& l = lines_[k];
        const size_t n = utf8_count(l.text);
        return l.tag != 'f' && l.tag != 'i' && n >= 4 && n <= 120 && l.link_chars * 2 < static_cast<int>(n) &&
               !furniture(l.text) && !breadcrumb(l.text) && !meta_line(l.text) && by_line(l.text).empty() &&
               (!ends_sentence(l.text) || ends_with_any(l.text, {"?", "!", "？", "！"}));
    }

    // Where the headline is, above the story's block: the line the page's
    // <title> holds (an h1 first, else the nearest to the story); else the
    // line over the dateline or "By …" line nearest the story; else the
    // first h1; else the nearest headline-like line.
    size_t headline() {
        const size_t end = lead_ > 0 ? lead_ : lines_.size();
        size_t best = lines_.size();
        for (size_t k = 0; k < end && !meta_.title.empty(); ++k) {
            const std::string& t = lines_[k].text;
            const bool held = starts_with(meta_.title, t) ||
                              (utf8_count(t) * 2 >= utf8_count(meta_.title) && meta_.title.find(t) != std::string::npos);
            if (title_like(k) && held && (best == lines_.size() || lines_[best].tag != 'h')) best = k;
        }
        if (best < lines_.size()) return why_title_ = "title (the line the page's <title> holds)", best;
        size_t anchor = end;
        for (size_t k = end; k-- > 0 && k + 80 > end;)
            if (!lines_[k].text.empty() && (meta_line(lines_[k].text) || !by_line(lines_[k].text).empty())) anchor = k;
            else if (anchor < end && !lines_[k].text.empty()) break;
        for (size_t k = anchor, seen = 0; anchor < end && k-- > 0 && seen < 6;)
            if (!lines_[k].text.empty() && ++seen && title_like(k))
                return why_title_ = "title (the headline over the dateline)", k;
        for (size_t k = 0; k < end; ++k)
            if (lines_[k].tag == 'h' && title_like(k)) return why_title_ = "title (the page's h1)", k;
        for (size_t k = end; k-- > 0;)
            if (title_like(k) && utf8_count(lines_[k].text) >= 6)
                return why_title_ = "title (the nearest headline-like line above the story)", k;
        return lines_.size();
    }

    // One line of the story; false at the first line after it.
    bool body_line(size_t i, bool& summary_next) {
        const std::string& line = lines_[i].text;
        const char tag = lines_[i].tag;
        if (tag == 'f') {
            note(i, "furniture (navigation, header or footer)");
            return true;
        }
        if (tag == 'i') {
            picture(i);
            return true;
        }
        if (tag == 'c' || caption_line(line)) {
            if (!f_.body.empty() && starts_with(f_.body.back(), "![](")) {
                std::string& pic = f_.body.back();
                pic.insert(2, yaml_free(text_of(strip_caption_lead(line))));
                note(i, "caption of the picture above");
            } else {
                note(i, "caption with no picture kept (dropped)");
            }
            return true;
        }
        if (auto names = by_line(line); !names.empty() && f_.byline.empty()) {
            f_.byline = names;
            note(i, "byline (a 'By …' line)");
            return true;
        }
        if (line == "[摘要]" || line == "【摘要】") {
            summary_next = true;
            note(i, "summary marker");
            return true;
        }
        for (const char* mark : {"摘要：", "摘要:"})
            if (starts_with(line, mark) && f_.summary.empty()) {
                f_.summary = chinese_punctuation(trim(line.substr(std::string(mark).size())));
                note(i, "summary (after its lead-in)");
                return true;
            }
        // The story ends at its credits or at 上一篇/下一篇; furniture inside
        // it (a share bar under the dateline) is passed over.
        if (!credit(line).empty() || starts_with(line, "上一篇") || starts_with(line, "下一篇")) {
            if (!f_.body.empty()) return false;
            note(i, "furniture (before the story)");
            return true;
        }
        if (furniture(line)) {
            note(i, "furniture (inside the story)");
            return true;
        }
        if (i < first_ || i >= last_) {
            note(i, "furniture (outside the story's block of text)");
            return true;
        }
        if (lines_[i].link_chars * 2 > static_cast<int>(utf8_count(line))) {
            note(i, "furniture (a line of links inside the story)");
            return true;
        }
        const std::string text = text_of(line);
        if (summary_next) {
            f_.summary = text;
            summary_next = false;
            note(i, "summary (the paragraph after the summary marker)");
        } else if (tag == 'l' || tag == 'q') {
            f_.body.push_back((tag == 'l' ? "- " : "> ") + text);
            note(i, tag == 'l' ? "list item" : "quote");
        } else if (tag == 's' || (tag == 'p' && subheading(line) && !f_.body.empty() && chinese())) {
            f_.body.push_back("## " + text);
            note(i, "subheading (a short line with no closing mark, between paragraphs)");
        } else {
            f_.body.push_back(text);
            note(i, "paragraph");
        }
        return true;
    }

    // A picture the page shows: kept, its path relative to the page, when
    // the file is beside the page; else dropped, and said.
    void picture(size_t i) {
        const std::string& src = lines_[i].text;
        std::error_code ec;
        const bool local = src.find("://") == std::string::npos && src.rfind("data:", 0) != 0 && src.rfind("//", 0) != 0;
        if (meta_.folder.empty() || !local || !std::filesystem::is_regular_file(std::filesystem::path(meta_.folder) / src, ec)) {
            note(i, "picture " + src + " (not beside the page: dropped)");
            return;
        }
        f_.body.push_back("![](" + src + ")");
        note(i, "picture " + src);
    }

    void tail_line(size_t i, const std::string& line) {
        if (auto c = credit(line); !c.empty()) {
            for (auto& [role, name] : c) {
                f_.credits.push_back({role, name});
                note(i, "credits: " + role + " " + name);
            }
            return;
        }
        for (auto [mark, rel] : {std::pair{"上一篇", "previous"}, std::pair{"下一篇", "next"}})
            if (starts_with(line, mark)) {
                std::string title = line.substr(std::string(mark).size());
                for (const char* colon : {"：", ":"})
                    if (starts_with(title, colon)) title = title.substr(std::string(colon).size());
                title = trim(title);
                if (!title.empty()) f_.related.push_back({rel, text_of(title)});
                note(i, std::string("related (") + rel + "): " + title);
                return;
            }
        note(i, "furniture (after the story)");
    }

    void finish() {
        // The reporters' names after the last paragraph's closing mark.
        for (auto it = f_.body.rbegin(); it != f_.body.rend() && f_.byline.empty(); ++it) {
            if (starts_with(*it, "## ") || starts_with(*it, "![")) continue;
            f_.byline = reporters_in(*it);
            if (f_.byline.empty()) f_.byline = trailing_names(*it);
            break;
        }
        f_.place = place_of(f_.title);
        if (f_.date.empty()) f_.date = meta_.date;
        f_.url = meta_.canonical;
        std::string tag;
        for (char32_t c : utf8_decode_all(meta_.keywords + ",")) {
            if (c == ',' || c == U'，' || c == ';' || c == U'；') {
                if (!trim(tag).empty()) f_.tags.push_back(trim(tag));
                tag.clear();
            } else {
                utf8_append(tag, c);
            }
        }
        if (f_.title.empty()) error(diags_, {file_, 1, 1}, "no headline found: the page's text has no story");
        if (f_.body.empty()) error(diags_, {file_, 1, 1}, "no story found: the page has no paragraphs after its headline");
        if (f_.date.empty()) warning(diags_, {file_, 1, 1}, "no date found: the article has no dateline date");
        if (f_.byline.empty()) warning(diags_, {file_, 1, 1}, "no byline found");
    }

    const std::string& file_;
    Diagnostics& diags_;
    const PageMeta meta_;
    std::string why_title_;
    std::vector<PageLine> lines_;
    size_t first_ = 0, last_ = 0;  // the story's block: its densest run of text
    size_t lead_ = 0;              // the block's first paragraph
    std::set<size_t> explained_;   // lines --explain has said something of
    Found f_;
    std::vector<std::string> explain_;
};

}  // namespace

// Pages in GB 2312, GBK or GB18030 (declared, or not UTF-8 at all) are
// converted; anything else must be UTF-8.
std::optional<std::string> page_utf8(const std::string& bytes, const std::string& declared, const std::string& file,
                                     Diagnostics& diags) {
    const std::string charset = ascii_lower(declared);
    const bool gb = charset == "gbk" || charset == "gb2312" || charset == "gb18030" || charset == "x-gbk";
    if (!gb && !utf8_find_invalid(bytes)) return bytes;
    if (auto out = from_gb18030(bytes)) return out;
    error(diags, {file, 1, 1}, "the page is neither UTF-8 nor GB18030 (GBK, GB 2312)" +
                                   (charset.empty() ? std::string() : "; it declares '" + declared + "'"));
    return std::nullopt;
}

Ingested ingest_text(const std::string& bytes, const std::string& file, Diagnostics& diags) {
    std::optional<std::string> text = page_utf8(bytes, "", file, diags);
    if (!text) return {};
    std::vector<PageLine> lines;
    size_t start = text->rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
    for (int n = 1; start <= text->size(); ++n) {
        size_t end = text->find('\n', start);
        if (end == std::string::npos) end = text->size();
        lines.push_back({trim(text->substr(start, end - start)), 'p', n});
        start = end + 1;
    }
    return Reader(file, diags, {}).read(lines);
}

Ingested ingest_html(const std::string& bytes, const std::string& file, Diagnostics& diags, const std::string& folder) {
    std::optional<std::string> html = page_utf8(bytes, declared_charset(bytes), file, diags);
    if (!html) return {};
    PageMeta meta;
    meta.folder = folder.empty() ? "." : folder;
    const std::vector<PageLine> lines = html_lines(*html, meta);
    return Reader(file, diags, meta).read(lines);
}

Ingested ingest_page(const std::string& path, Diagnostics& diags) {
    std::string why;
    std::optional<std::string> text;
    if (path == "-") text = std::string(std::istreambuf_iterator<char>(std::cin), {});
    else text = read_source(path, 16u << 20, &why);
    if (!text) {
        error(diags, {path, 0, 0}, "cannot read the page: " + why);
        return {};
    }
    const std::string name = path == "-" ? "stdin.txt" : std::filesystem::path(path).filename().string();
    const std::string ext = ascii_lower(std::filesystem::path(path).extension().string());
    const std::string head = text->substr(0, 512);
    const bool html = ext == ".html" || ext == ".htm" || head.find("<!DOCTYPE") != std::string::npos ||
                      head.find("<!doctype") != std::string::npos || head.find("<html") != std::string::npos;
    if (!html) return ingest_text(*text, name, diags);
    return ingest_html(*text, name, diags, path == "-" ? "" : std::filesystem::path(path).parent_path().string());
}

void write_article(const std::string& path, const std::string& article) { write_output(path, article); }

}  // namespace galley
