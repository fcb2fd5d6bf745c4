// Numbers from command-line options, read strictly and in one place: the whole text (no
// "12x"), finite (no NaN or Inf), inside the option's range; otherwise an AppError naming
// the option, what it accepts and what was given. A number that would wrap (a context of
// 2^32 tokens) is out of range, never truncated.
#pragma once

#include <QCommandLineParser>
#include <QString>

#include <cstdint>

namespace ll::cli {

// The option's value, or `fallback` when it is not set (its default, when it has one).
int64_t whole_number(const QCommandLineParser& parser, const QString& name, int64_t lo, int64_t hi);
double real_number(const QCommandLineParser& parser, const QString& name, double lo, double hi);

// The largest context any command accepts: 2^24 tokens (far beyond any model's window; the
// memory check refuses what does not fit long before).
constexpr int64_t kLargestContext = int64_t{1} << 24;
// The longest answer or generation: 2^20 tokens.
constexpr int64_t kLongestAnswer = int64_t{1} << 20;

}  // namespace ll::cli
