// Errors the engine reports to its callers. Every message names the file (or the
// setting) it is about and says what is wrong with it, so a user can act on it.
#pragma once

#include <stdexcept>
#include <string>

namespace ll {

class EngineError : public std::runtime_error {
public:
    EngineError(const std::string& where, const std::string& problem)
        : std::runtime_error(where.empty() ? problem : where + ": " + problem),
          where_(where),
          problem_(problem) {}

    const std::string& where() const { return where_; }
    const std::string& problem() const { return problem_; }

private:
    std::string where_;
    std::string problem_;
};

}  // namespace ll
