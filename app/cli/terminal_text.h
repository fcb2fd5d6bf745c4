// What longlens-cli prints for people passes through here (issue 21 §6): a document, an
// answer or a title may hold control characters, and an escape sequence printed raw would
// drive the terminal (move the cursor, rewrite the screen, set its title, …). So every
// control character but newline and tab — C0 (ESC and carriage return included), DEL and the
// C1 range U+0080–U+009F — is shown as a visible escape: \x1B, \x7F, \u009B. Always, not only
// on a terminal, so that what is shown is what a pipe or a file receives; --json output
// (JSON escapes C0 itself) and files written with --output keep the text exact.
#pragma once

#include <QByteArray>
#include <QString>

#include <string>
#include <string_view>

namespace ll::cli {

// UTF-8 in, UTF-8 out, escaped as above; whole characters in, so a stream of decoded pieces
// can be escaped piece by piece.
std::string terminal_text(std::string_view utf8);
QByteArray terminal_text(const QString& text);

}  // namespace ll::cli

// For printf's %s, like qPrintable: the escaped text, alive to the end of the statement.
#define LL_TEXT(s) (::ll::cli::terminal_text(s).data())
