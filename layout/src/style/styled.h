// The style stage's output: text with every run's look resolved.
#pragma once
#include <string>
#include <vector>

#include "galley/diagnostics.h"
#include "galley/style.h"

namespace galley {

// One run of text with one look.
struct StyledRun {
    std::string text;
    TextRole role;
    std::string link;
};

struct StyledParagraph {
    std::vector<StyledRun> runs;
    std::string lang;  // BCP 47
    SourcePos pos;
};

}  // namespace galley
