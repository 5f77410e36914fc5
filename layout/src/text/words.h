// words: where a headline may break. ICU's dictionary-based word break
// iterator finds the words of Chinese text (UAX #29 elsewhere); the units
// an editor keeps whole are those words glued where the dictionary splits
// too finely (统计|局, 申|办, 一|季度, 2019|年).
#pragma once
#include <string>
#include <vector>

namespace galley {

// One flag per byte of `text` (and one past its end): true where a word
// unit starts, so a line may break before that byte in a headline.
std::vector<char> word_starts(const std::string& text, const std::string& lang);

}  // namespace galley
