// Text pages into articles, line by line: each line of the page is
// classified by the first rule that takes it (breadcrumb, headline,
// dateline, summary marker, credits, furniture, subheading, paragraph),
// and every decision is kept for --explain.
#include "galley/ingest.h"

#include <algorithm>
#include <cctype>
#include <cstring>
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

// "上一篇", "【下一篇】", "上一条": the mark's length and the link's rel.
std::optional<std::pair<size_t, std::string>> related_mark(const std::string& line) {
    for (const char* open : {"", "【", "["})
        for (auto [mark, rel] : {std::pair{"上一篇", "previous"}, std::pair{"下一篇", "next"}, std::pair{"上一条", "previous"},
                                 std::pair{"下一条", "next"}}) {
            std::string m = std::string(open) + mark;
            if (!starts_with(line, m)) continue;
            for (const char* close : {"】", "]"})
                if (*open && line.compare(m.size(), std::string(close).size(), close) == 0) m += close;
            return std::pair{m.size(), std::string(rel)};
        }
    return std::nullopt;
}

// "汤诗瑶、丁涛", "崔霖鹏 李玮": the names of a list, parted by spaces or marks.
std::vector<std::string> names_in(const std::string& list) {
    std::vector<std::string> names;
    std::string name;
    for (char32_t c : utf8_decode_all(list + " ")) {
        if (is_blank(c) || c == U'、' || c == U'，' || c == ',' || c == U'；') {
            if (!name.empty()) names.push_back(name);
            name.clear();
        } else {
            utf8_append(name, c);
        }
    }
    return names;
}

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
    // The page itself: "正文", "资讯正文", "详情", "Article".
    if (!parts.empty() && (ends_with_any(parts.back(), {"正文", "详情"}) || parts.back() == "Article")) parts.pop_back();
    return parts;
}

struct Meta {
    std::string date, source;
    std::vector<std::string> authors;  // "作者：李在山"
};

// The time after an English date: "07:38am ET", "4:03 PM", "-- Updated 0203 GMT".
std::string english_time(const std::string& after) {
    static const std::regex clock(R"(^[^0-9]{0,20}?(\d{1,2}):(\d{2})\s*([ap]m|[AP]M)?)");
    static const std::regex gmt(R"(^[^0-9]{0,20}?(\d{2})(\d{2})\s+GMT)");
    std::smatch m;
    int hour = 0;
    if (std::regex_search(after, m, clock)) {
        hour = std::stoi(m[1].str()) % 12 + (m[3].matched && (m[3].str()[0] | 0x20) == 'p' ? 12 : 0);
        if (!m[3].matched) hour = std::stoi(m[1].str());
    } else if (std::regex_search(after, m, gmt)) {
        hour = std::stoi(m[1].str());
    } else {
        return "";
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, " %02d:", hour % 24);
    return buf + m[2].str();
}

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
        meta.date = m[3].str() + "-" + month(m[1]) + "-" + two(m[2]) + english_time(m.suffix());
    } else if (std::regex_search(line, m, words_dmy)) {
        meta.date = m[3].str() + "-" + month(m[2]) + "-" + two(m[1]) + english_time(m.suffix());
    } else {
        return std::nullopt;
    }
    static const std::regex author(R"((?:作者|记者)\s*(?::|：)\s*(.+)$)");
    std::smatch a;
    if (std::regex_search(line, a, author)) {
        meta.authors = names_in(a[1].str());
        if (meta.authors.size() > 6) meta.authors.resize(6);
        line = a.prefix().str();
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

// "编辑:张梦洁", "责任编辑：…", "[责任编辑:…]", "发布日期：… 责任编辑：…":
// role and name. "（责编：汤诗瑶、丁涛）": a credit for each name.
std::vector<std::pair<std::string, std::string>> credit(const std::string& line) {
    static const std::regex re(R"((责任编辑|编辑|责编|校对|审核|摄影|制图|编译)\s*(?::|：|/|／)\s*)");
    std::smatch m;
    if (utf8_count(line) > 50 || !std::regex_search(line, m, re) || utf8_count(m.prefix().str()) > 20) return {};
    std::string rest = m.suffix().str();
    // Alternatives, not a bracket class: std::regex reads bytes.
    for (const char* close : {"]", "】", ")", "）"})
        if (const size_t at = rest.find(close); at != std::string::npos) rest.resize(at);
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& name : names_in(rest)) out.push_back({m[1].str(), name});
    return out;
}

// "来源于：东区办事处", "来源：新华社": the source named on a line of its own.
std::string source_line(const std::string& line) {
    static const std::regex re(R"(^(?:来源于|来源|稿源|Source)\s*(?::|：)\s*(\S+)$)");
    std::smatch m;
    return utf8_count(line) <= 30 && std::regex_match(line, m, re) ? m[1].str() : "";
}

// Where the story stops: a recommendations box, a disclaimer, a comment prompt.
bool story_end(const std::string& line) {
    static const std::array<std::string, 22> marks{
        "为你推荐", "相关阅读", "相关新闻", "相关文章", "推荐阅读", "热点推荐", "猜你喜欢", "延伸阅读",
        "声明：", "免责声明", "正文已结束", "【纠错】", "Editor's Recommendations", "Related Stories",
        "Related Articles", "More from", "Most Popular", "Recommended", "You might also like", "Read more",
        "Follow us", "Author Bio"};
    for (const std::string& m : marks)
        if (starts_with(line, m)) return true;
    static const std::regex follow(R"(^Follow .{1,60} on (?:Twitter|Facebook)|^Originally published on )");
    return utf8_count(line) < 300 && std::regex_search(line, follow);
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

// <meta name=keywords> as tags: split at commas, semicolons or bars (at
// spaces when there is nothing else), each once, the headline left out
// when a page puts it first.
std::vector<std::string> keywords(std::string all, const std::string& title) {
    if (!title.empty() && starts_with(all, title)) all = all.substr(title.size());
    const std::u32string u = utf8_decode_all(all);
    auto separator = [](char32_t c) {
        return c == ',' || c == U'，' || c == ';' || c == U'；' || c == '|' || c == U'、' || c == U'｜';
    };
    const bool spaced = std::none_of(u.begin(), u.end(), separator);
    std::vector<std::string> tags;
    std::string tag;
    for (char32_t c : u + U",") {
        if (separator(c) || (spaced && is_blank(c))) {
            if (!trim(tag).empty() && std::find(tags.begin(), tags.end(), trim(tag)) == tags.end()) tags.push_back(trim(tag));
            tag.clear();
        } else {
            utf8_append(tag, c);
        }
    }
    return tags;
}

// og:site_name as a source: "LiveScience.com" -> "Live Science".
std::string site_name(std::string name) {
    for (const char* tld : {".com", ".org", ".net", ".cn", ".co.uk"})
        if (name.size() > std::strlen(tld) && name.compare(name.size() - std::strlen(tld), std::string::npos, tld) == 0)
            name.resize(name.size() - std::strlen(tld));
    std::string out;
    for (size_t k = 0; k < name.size(); ++k) {
        const bool camel = k > 0 && std::islower(static_cast<unsigned char>(name[k - 1])) &&
                           std::isupper(static_cast<unsigned char>(name[k]));
        out += std::string(camel ? " " : "") + name[k];
    }
    return trim(out);
}

// What a lead's own dateline says: "新华社巴黎12月9日电（记者唐霁）",
// "KABUL, Afghanistan (AP) --", "(CNN) --".
struct Lead {
    std::string source, place;
    std::vector<std::string> byline;
};

std::optional<Lead> lead_dateline(const std::string& para) {
    static const std::regex han(R"(^(.{6,36}?)\d{1,2}月\d{1,2}日电)");
    static const std::regex wire(
        R"(^(?:([A-Z][A-Z.'\- ]{1,40}?)(?:,\s*[A-Z][A-Za-z.' ]{1,40}?)?\s*)?\((AP|Reuters|AFP|UPI|CNN|Bloomberg|dpa|Xinhua)\)\s*(?:--|—|–|-))");
    std::smatch m;
    Lead lead;
    if (std::regex_search(para, m, wire)) {
        lead.source = m[2];
        std::string place = m[1];
        for (size_t k = 1; k < place.size(); ++k)  // KABUL -> Kabul, NEW YORK -> New York
            if (place[k - 1] != ' ' && place[k - 1] != '-') place[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(place[k])));
        lead.place = place;
        return lead;
    }
    if (!std::regex_search(para, m, han)) return std::nullopt;
    const std::string head = m[1];
    for (const char* agency : {"新华社", "中新社", "中新网", "人民网", "央视网", "中国日报网", "中国新闻社", "央广网"})
        if (starts_with(head, agency)) lead.source = agency, lead.place = head.substr(std::string(agency).size());
    if (lead.source.empty()) return std::nullopt;
    std::string rest = m.suffix().str();
    for (const char* open : {"（记者", "(记者"})
        if (starts_with(rest, open)) {
            const size_t close = rest.find("）");
            std::string names = rest.substr(std::string(open).size(), close == std::string::npos ? 0 : close - std::string(open).size());
            lead.byline = names_in(names);
        }
    return lead;
}

// "CNN's Jason Carroll and Ben Brumfield contributed to this report.",
// "Associated Press writers Rahim Faiez in Kabul … contributed to this story.":
// the contributors' names.
std::vector<std::string> contributors(const std::string& line) {
    static const std::regex re(
        R"(^(?:.{0,40}?\b(?:writers?|reporters?|correspondents?)\s+|[A-Z][A-Za-z]*'s\s+)?(.+?),?\s+contributed to this (?:report|story|article)\.?$)");
    static const std::regex where(R"( in [A-Z][\w.]*(?: [A-Z][\w.]*)*(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)*)?(?=,| and |$))");
    static const std::regex sep(R"(\s*(?:,\s*and\s+|,|\band\b)\s*)");
    std::smatch m;
    if (utf8_count(line) > 400 || !std::regex_match(line, m, re)) return {};
    const std::string all = std::regex_replace(m[1].str(), where, "");
    std::vector<std::string> names;
    for (std::sregex_token_iterator it(all.begin(), all.end(), sep, -1), end; it != end; ++it)
        if (!trim(*it).empty()) names.push_back(trim(*it));
    return names;
}

// "《棱镜》作者 周纯", "作者：李在山", "文/张三", "本报记者 王伟 李明": the column or outlet (if
// named) and the authors.
std::optional<std::pair<std::string, std::vector<std::string>>> author_line(const std::string& line) {
    static const std::regex column(R"(^《(.+?)》\s*(?:作者|记者)\s*(?::|：)?\s*(.+)$)");
    static const std::regex plain(R"(^(?:(?:作者|文|撰文)\s*(?::|：|/|／|\||｜)|(?:本报)?记者\s)\s*(.+)$)");
    std::smatch m;
    std::pair<std::string, std::vector<std::string>> out;
    std::string names;
    if (utf8_count(line) > 30) return std::nullopt;
    if (std::regex_match(line, m, column)) out.first = m[1], names = m[2];
    else if (std::regex_match(line, m, plain)) names = m[1];
    else return std::nullopt;
    out.second = names_in(names);
    if (out.second.empty() || out.second.size() > 6) return std::nullopt;
    return out;
}

// "By Jane Doe and John Roe": the names.
std::vector<std::string> by_line(const std::string& line) {
    static const std::regex by(R"(^(?:By|BY|by)\s+([^|]+?)\s*(?:\|.*)?$)");
    std::smatch m;
    if (utf8_count(line) > 80 || !std::regex_match(line, m, by)) return {};
    std::vector<std::string> names;
    static const std::regex sep(R"(\s*(?:,|\band\b|&|/)\s*)");
    static const std::regex role(R"(\b(?:Writer|Editor|Correspondent|Reporter|Staff|Contributor|Columnist)s?\b)");
    const std::string all = m[1];
    for (std::sregex_token_iterator it(all.begin(), all.end(), sep, -1), end; it != end; ++it)
        if (!trim(*it).empty() && !std::regex_search(it->str(), role)) names.push_back(trim(*it));
    return names;
}

// "CNN", "Associated Press" after the names of a "By …" line: the outlet.
bool outlet_name(const std::string& name) {
    static const std::regex outlet(R"(^(?:[A-Z]{2,6}|Associated Press|Reuters|Bloomberg|The [A-Z][A-Za-z ]+)$)");
    return std::regex_match(name, outlet);
}

// "图为…", "图注：…", "（图片来源：…）": a picture's caption.
bool caption_line(const std::string& line) {
    const bool parenthesised = starts_with(line, "（") && utf8_count(line) <= 30 &&
                               line.find("）") == line.size() - std::string("）").size();
    return parenthesised || ((starts_with(line, "图为") || starts_with(line, "图注：") || starts_with(line, "图注:") ||
                              starts_with(line, "图片来源")) && utf8_count(line) <= 120);
}

// "Credit: WhiteHaven/Shutterstock.com", "AP Photo/…": who made a picture.
bool picture_credit(const std::string& line) {
    static const std::regex credit(R"(^(?:(?:Photo|Image|Picture)?\s*Credits?|Photo|Image|Photograph)\s*:|^(?:AP|Reuters|AFP) Photo\b|^Getty Images\b)");
    return utf8_count(line) <= 100 && std::regex_search(line, credit);
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
    std::string title, kicker, section, place, source, date, summary, editor_note, lang = "zh-Hans", url;
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
    auto block = [](const std::string& text) {  // a YAML literal block, each line indented
        std::string out = "|\n";
        for (size_t a = 0; a <= text.size();) {
            const size_t b = std::min(text.find('\n', a), text.size());
            out += (b > a ? "  " : "") + text.substr(a, b - a) + "\n";
            a = b + 1;
        }
        return out;
    };
    if (!f.summary.empty()) out += "summary: " + block(f.summary);
    if (!f.editor_note.empty()) out += "editor_note: " + block(f.editor_note);
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

// An English one: a few words, no sentence's closing mark (a question or
// a trailing ellipsis may end it), not a quotation.
bool english_subheading(const std::string& line) {
    const size_t n = utf8_count(line);
    const bool open = (!ends_sentence(line) || ends_with_any(line, {"?", "..."})) && !ends_with_any(line, {"\"", "”"});
    return n >= 4 && n <= 60 && open && std::count(line.begin(), line.end(), ' ') < 10 && line[0] != '"' &&
           !starts_with(line, "“");
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
        // Short lines in the lead's own element ("收盘播报<br><br>【…】…") are the story's.
        const size_t top = meta_.block ? meta_.block->first : first_;
        while (first_ > top && first_ < last_ && lines_[first_ - 1].up[0] >= 0 && lines_[first_ - 1].up[0] == lines_[lead_].up[0] &&
               lines_[first_ - 1].tag == 'p')
            --first_;
        size_t i = head();
        for (; i < std::max(last_, i); ++i)
            if (!lines_[i].text.empty() && !consumed_.count(i) && !body_line(i)) break;
        for (; i < lines_.size(); ++i)
            if (consumed_.count(i)) continue;
            else if (lines_[i].tag == 'f') note(i, "furniture (navigation, header or footer)");
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
            if (consumed_.count(i) || related(i)) continue;
            if (i + 4 > title_at && f_.byline.empty() && !by_line(line).empty()) {  // a byline over the headline
                byline(i, by_line(line));
                continue;
            }
            note(i, lines_[i].tag == 'f' ? "furniture (navigation, header or footer)" : "furniture (page head)");
        }
        if (i >= lines_.size()) return i;
        f_.title = lines_[i].text;
        note(i, why_title_);
        if (i >= first_) {  // a headline inside the story's block: the story starts after it
            first_ = i + 1;
            while (first_ < last_ && story_weight(lines_[first_]) <= 0) ++first_;
            lead_ = first_;
        }
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
            if (head_line(k)) after = k + 1;
        }
        for (size_t j = title + 1; j < after; ++j)
            if (!lines_[j].text.empty() && explained_.count(j) == 0)
                note(j, "furniture (between the headline and the dateline)");
        return after;
    }

    // A byline, a source or a dateline near the headline; false if the
    // line is none of them.
    bool head_line(size_t k) {
        const std::string& line = lines_[k].text;
        bool said = false;
        if (auto names = by_line(line); !names.empty() && f_.byline.empty()) said = byline(k, names);
        if (auto from = source_line(line); !from.empty() && f_.source.empty()) {
            f_.source = from;
            note(k, "source ('来源：' line)");
            return true;
        }
        if (auto meta = meta_line(line); meta && f_.date.empty()) {
            f_.date = meta->date;
            if (!meta->source.empty()) f_.source = meta->source;
            note(k, "dateline: date " + f_.date + ", source '" + f_.source + "'");
            if (f_.byline.empty() && !meta->authors.empty()) byline(k, meta->authors);
            said = true;
        }
        return said;
    }

    // The names of a byline; an outlet after them ("…, CNN") is the source.
    bool byline(size_t k, std::vector<std::string> names) {
        while (names.size() > 1 && outlet_name(names.back())) {
            if (f_.source.empty()) f_.source = names.back();
            names.pop_back();
        }
        f_.byline = names;
        note(k, "byline: " + join(names, ", "));
        return true;
    }

    bool title_like(size_t k) const {
        const PageLine& l = lines_[k];
        const size_t n = utf8_count(l.text);
        return l.tag != 'f' && l.tag != 'i' && n >= 4 && n <= 120 && l.link_chars * 2 < static_cast<int>(n) &&
               !furniture(l.text) && !breadcrumb(l.text) && !meta_line(l.text) && by_line(l.text).empty() && !author_line(l.text) &&
               (!ends_sentence(l.text) || ends_with_any(l.text, {"?", "!", "？", "！"}));
    }

    // Where the headline is, above the story's block: the line the page's
    // <title> holds (an h1 first, else the nearest to the story); else the
    // line over the dateline or "By …" line nearest the story; else the
    // first h1; else the nearest headline-like line.
    size_t headline() {
        const size_t end = lead_;  // a headline stands above the story
        auto rank = [&](size_t k) {
            const int tag = lines_[k].tag == 'h' ? 2 : lines_[k].tag == 's' ? 1 : 0;
            const size_t gap = k < first_ ? first_ - k : k < last_ ? 0 : k - last_ + 1000;
            return std::pair{tag, -static_cast<long>(gap)};
        };
        for (size_t k = 0; k < lines_.size() && !meta_.ld_headline.empty(); ++k)
            if (lines_[k].text == meta_.ld_headline) return why_title_ = "title (the JSON-LD article's headline)", k;
        size_t best = lines_.size();
        for (size_t k = 0; k < lines_.size() && !meta_.title.empty(); ++k) {
            const std::string& t = lines_[k].text;
            const bool held = starts_with(meta_.title, t) ||
                              (utf8_count(t) * 3 >= utf8_count(meta_.title) * 2 && meta_.title.find(t) != std::string::npos);
            if (held && title_like(k) && (best == lines_.size() || rank(k) > rank(best))) best = k;
        }
        if (best < lines_.size()) return why_title_ = "title (the line the page's <title> holds)", best;

        size_t anchor = end;
        for (size_t k = end; k-- > 0 && k + 200 > end;)
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

    // Lines about the story rather than of it: a byline, an author line, a
    // summary or its marker, key points, highlights, an editor's note.
    bool lead_in(size_t i) {
        const std::string& line = lines_[i].text;
        if (auto names = by_line(line); !names.empty() && f_.byline.empty()) return points_ = Points::none, byline(i, names);
        if (auto a = author_line(line)) {
            points_ = Points::none;
            if (!a->first.empty() && f_.source.empty()) f_.source = a->first;
            return f_.byline.empty() ? byline(i, a->second) : (note(i, "author line"), true);
        }
        if (points_ == Points::key || points_ == Points::highlights) {
            const bool item = lines_[i].tag == 'l' || (!meta_.html && points_left_ > 0 && utf8_count(line) >= 8);
            if (item && points_left_-- > 0) {
                if (points_ == Points::key) f_.summary += (f_.summary.empty() ? "" : "\n\n") + text_of(line);  // a line each
                note(i, points_ == Points::key ? "summary (a key point)" : "highlight (not the story's text: dropped)");
                return true;
            }
            points_ = Points::none;
        }
        if (points_ == Points::next) {
            f_.summary = text_of(line);
            points_ = Points::none;
            return note(i, "summary (the paragraph after the summary marker)"), true;
        }
        if (line == "[摘要]" || line == "【摘要】") return points_ = Points::next, note(i, "summary marker"), true;
        for (const char* mark : {"划重点：", "划重点", "核心提示：", "内容提要：", "要点："})
            if (line == mark && f_.summary.empty())
                return points_ = Points::key, points_left_ = 8, note(i, "key points: the summary follows"), true;
        if ((line == "STORY HIGHLIGHTS" || line == "Story highlights" || line == "HIGHLIGHTS") && f_.body.empty())
            return points_ = Points::highlights, points_left_ = 4, note(i, "highlights follow"), true;
        for (const char* mark : {"摘要：", "摘要:"})
            if (starts_with(line, mark) && f_.summary.empty()) {
                f_.summary = chinese_punctuation(trim(line.substr(std::string(mark).size())));
                return note(i, "summary (after its lead-in)"), true;
            }
        if (lines_[i].tag == 'n' || starts_with(line, "编者按：") || starts_with(line, "编者按:")) {
            if (f_.editor_note.empty()) f_.editor_note = text_of(line);
            return note(i, "editor's note"), true;
        }
        return false;
    }

    // A line between a picture and its credit is the picture's caption.
    bool credited_caption(size_t i) const {
        auto step = [&](size_t k, int dir) {
            do k = static_cast<size_t>(static_cast<long>(k) + dir);
            while (k < lines_.size() && lines_[k].text.empty());
            return k;
        };
        const size_t before = step(i, -1), after = step(i, 1);
        return before < lines_.size() && after < lines_.size() && lines_[before].tag == 'i' && picture_credit(lines_[after].text);
    }

    // A short line right under a picture, with no closing mark: its caption.
    bool under_picture(size_t i) const {
        return meta_.html && i > 0 && lines_[i - 1].tag == 'i' && lines_[i].tag == 'p' && utf8_count(lines_[i].text) <= 40 &&
               !ends_sentence(lines_[i].text);
    }

    // One line of the story; false at the first line after it.
    bool body_line(size_t i) {
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
        if (picture_credit(line)) {
            note(i, "picture credit (dropped)");
            return true;
        }
        if (tag == 'c' || caption_line(line) || credited_caption(i) || under_picture(i)) {
            if (!f_.body.empty() && starts_with(f_.body.back(), "![](")) {
                std::string& pic = f_.body.back();
                pic.insert(2, yaml_free(text_of(strip_caption_lead(line))));
                note(i, "caption of the picture above");
            } else {
                note(i, "caption with no picture kept (dropped)");
            }
            return true;
        }
        if (lead_in(i)) return true;
        // The story ends at its credits or at 上一篇/下一篇; furniture inside
        // it (a share bar under the dateline) is passed over.
        if (!credit(line).empty() || related_mark(line) || story_end(line) || !contributors(line).empty()) {
            if (!f_.body.empty()) return false;
            if (!related(i)) note(i, "furniture (before the story)");
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
        const std::u32string u = utf8_decode_all(line);
        if (std::none_of(u.begin(), u.end(), [](char32_t c) { return is_han(c) || (c < 0x80 && std::isalpha(static_cast<int>(c))); })) {
            note(i, "furniture (no words: a counter, a pager or a rule)");
            return true;
        }
        const std::string text = text_of(line);
        const bool label = starts_with(line, "——") || ends_with_any(line, {"：", ":"});  // 点评：, ——（宋）陆游
        if (tag == 'l' || tag == 'q') {
            f_.body.push_back((tag == 'l' ? "- " : "> ") + text);
            note(i, tag == 'l' ? "list item" : "quote");
        } else if (!label && (tag == 's' || (tag == 'p' && (!f_.body.empty() || i >= first_) &&
                                     (chinese() ? subheading(line) : !meta_.html && english_subheading(line) && !f_.body.empty())))) {
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
        if (related(i)) return;
        bool said = false;
        if (auto meta = meta_line(line); meta && f_.date.empty()) {
            f_.date = meta->date;
            if (f_.source.empty()) f_.source = meta->source;
            note(i, "dateline under the story: date " + f_.date);
            said = true;
        }
        for (const std::string& n : contributors(line)) f_.credits.push_back({"contributor", n}), said = true;
        for (auto& [role, name] : credit(line)) {
            f_.credits.push_back({role, name});
            note(i, "credits: " + role + " " + name);
            said = true;
        }
        if (said) return;
        note(i, "furniture (after the story)");
    }

    // "上一篇：…", "【下一篇】…", or the mark alone with the title on the
    // next line: a related link ("没有了": none).
    bool related(size_t i) {
        const auto mark = related_mark(lines_[i].text);
        if (!mark) return false;
        std::string title = trim(lines_[i].text.substr(mark->first));
        for (const char* colon : {"：", ":"})
            if (starts_with(title, colon)) title = trim(title.substr(std::string(colon).size()));
        // "【上一篇】… 【下一篇】…" on one line: each link in turn.
        for (const char* other : {"【下一篇】", "下一篇：", "下一篇:", "【上一篇】"})
            if (const size_t at = title.find(other); at != std::string::npos && at > 0) {
                PageLine rest = lines_[i];
                rest.text = title.substr(at);
                title = trim(title.substr(0, at));
                if (!title.empty()) f_.related.push_back({mark->second, text_of(title)});
                note(i, "related (" + mark->second + "): " + title);
                lines_[i] = rest;
                return related(i);
            }
        size_t next = i + 1;
        while (next < lines_.size() && lines_[next].text.empty()) ++next;
        // The title on the next line only after a label ("上一篇 :"); a bare
        // 下一篇 is a toolbar's button.
        const bool label = lines_[i].text.size() > mark->first;
        if (title.empty() && label && next < lines_.size() && !related_mark(lines_[next].text) &&
            utf8_count(lines_[next].text) <= 60) {
            title = lines_[next].text;
            note(next, "related: the title of the link above");
            consumed_.insert(next);
        }
        if (!title.empty() && title != "没有了" && title != "无" && title != "没有了！")
            f_.related.push_back({mark->second, text_of(title)});
        note(i, "related (" + mark->second + "): " + title);
        return true;
    }

    // <meta name=description> as the summary, when it is one: not the
    // headline again, not the keywords, not the story's opening words.
    std::string description() const {
        static const std::regex markup("<[^>]*>");
        std::string d = trim(std::regex_replace(meta_.description, markup, ""));
        auto squeeze = [](const std::string& t) {
            std::u32string out;
            for (char32_t c : utf8_decode_all(t))
                if (!is_blank(c)) out += c;
            return out;
        };
        std::u32string want = squeeze(d);
        while (!want.empty() && (want.back() == U'…' || want.back() == '.')) want.pop_back();
        if (utf8_count(d) < 20 || d == meta_.keywords || starts_with(d, f_.title)) return "";
        std::u32string opening;
        for (const std::string& b : f_.body) {
            if (opening.size() > want.size() + 512) break;
            opening += squeeze(starts_with(b, "## ") ? b.substr(3) : b);
        }
        // An excerpt of the story (perhaps after a promotion's words) is not a summary.
        const size_t n = chinese() ? 12 : 32;
        for (size_t at : {size_t{0}, want.size() / 3, want.size() * 2 / 3})
            if (at + n <= want.size() && opening.find(want.substr(at, n)) != std::u32string::npos) return "";
        return text_of(d);
    }

    static bool plain(const std::string& b) {
        return !starts_with(b, "## ") && !starts_with(b, "![") && !starts_with(b, "- ") && !starts_with(b, "> ");
    }

    // The lead's own dateline gives the source, place and reporters; a
    // paragraph before such a lead (a call for readers' pictures) is an
    // editor's note.
    void lead_paragraph() {
        for (size_t k = 0, seen = 0; k < f_.body.size() && seen < 3; ++k) {
            if (!plain(f_.body[k])) continue;
            ++seen;
            auto lead = lead_dateline(f_.body[k]);
            if (!lead) continue;
            f_.source = lead->source;
            if (!lead->place.empty()) f_.place = lead->place;
            if (f_.byline.empty()) f_.byline = lead->byline;
            for (size_t j = k; j-- > 0;)
                if (plain(f_.body[j])) {
                    if (f_.editor_note.empty()) f_.editor_note = f_.body[j];
                    explain_.push_back(file_ + ": before the lead's dateline, an editor's note: " + f_.body[j]);
                    f_.body.erase(f_.body.begin() + static_cast<long>(j));
                }
            return;
        }
    }

    void finish() {
        // The reporters' names after the last paragraph's closing mark.
        for (auto it = f_.body.rbegin(); it != f_.body.rend() && f_.byline.empty(); ++it) {
            if (starts_with(*it, "## ") || starts_with(*it, "![")) continue;
            f_.byline = reporters_in(*it);
            if (f_.byline.empty()) f_.byline = trailing_names(*it);
            break;
        }
        lead_paragraph();
        // "…整顿仍将持续。返回腾讯网首页>>": a link's words run into the last paragraph.
        static const std::regex back(R"((?:返回.{0,40}?首页|返回顶部)\s*(?:>>|»)?$)");
        for (auto it = f_.body.rbegin(); it != f_.body.rend(); ++it)
            if (plain(*it)) {
                *it = std::regex_replace(*it, back, "");
                break;
            }
        // A short line with no closing mark after the last paragraph is a
        // link or a sign-off (（完）), not the story's; a heading there heads nothing.
        while (!f_.body.empty() && (starts_with(f_.body.back(), "## ") ||
                                    (plain(f_.body.back()) && !ends_sentence(f_.body.back()) && utf8_count(f_.body.back()) <= 60))) {
            explain_.push_back(file_ + ": dropped from the story's end (a short line with no closing mark): " + f_.body.back());
            f_.body.pop_back();
        }
        if (f_.place.empty()) f_.place = place_of(f_.title);
        if (f_.date.empty()) f_.date = meta_.date;
        f_.url = meta_.canonical;
        if (f_.byline.empty()) f_.byline = meta_.authors;
        f_.tags = keywords(meta_.keywords.empty() ? meta_.news_keywords : meta_.keywords, f_.title);
        if (f_.summary.empty()) f_.summary = description();
        if (f_.source.empty()) f_.source = site_name(meta_.site_name);
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
    std::set<size_t> consumed_;    // lines another line took (a related link's title)
    enum class Points { none, next, key, highlights };
    Points points_ = Points::none;  // what the lines after a marker are: the summary, its points, highlights
    int points_left_ = 0;
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
    if (const int depth = nesting_depth(*html); depth > 50000) {
        error(diags, {file, 1, 1}, "the page's elements nest " + std::to_string(depth) + " deep (more than 50,000): not read");
        return {};
    }
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
