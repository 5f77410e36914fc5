// How much of a folder of saved pages galley ingest recovers, field by
// field, against the article an editor took from each (NAME.expected.yaml).
// Shared by the accuracy benchmark and its test.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace galley {

struct IngestScore {
    std::vector<std::string> fields;                    // in the table's order
    std::map<std::string, std::pair<int, int>> counts;  // field -> exact, asked
    std::vector<std::string> misses;                    // "PAGE field: got '…', want '…'"
    int not_asked = 0;                                  // fields a text page cannot carry
    size_t pages = 0;                                   // pages scored

    int exact() const;
    int asked() const;
    std::string table() const;  // the per-field table, fixed precision
};

// Every NAME.html and NAME.txt in `dir` with a NAME.expected.yaml.
IngestScore score_ingest(const std::string& dir);

}  // namespace galley
