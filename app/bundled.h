// What LongLens ships with: its own default model and a sample document, so that a fresh
// install can answer a question with nothing downloaded. Qt-only (no widgets): the CLI and
// the GUI both fall back on these when the user has chosen nothing.
#pragma once

#include <QString>

namespace ll::bundled {

// The folder holding model/ and sample/: $LONGLENS_RESOURCES if set, else
// <bindir>/../share/longlens (an installed copy), else the source tree's resources/
// (a build that was not installed). Empty when none of them holds the model.
QString resources_dir();

QString model_dir();        // resources_dir()/model, or empty
QString sample_document();  // resources_dir()/sample/keepers-notebook.md, or empty

// How a model is named to the user: "LongLens default model" for the bundled one, else the
// file or folder name.
QString model_name(const QString& path);

// The question the README and the empty question box suggest for the sample document.
QString example_question();

}  // namespace ll::bundled
