// Files written for the user replace the old one whole or not at all (engine/atomic_file):
// content and permissions of a fresh file, a failed write (the disk "full": a child process
// under a file-size limit) leaves the old file byte for byte and no temporary file, and the
// message names the file and the problem.
#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic_file.h"
#include "child_process.h"
#include "error.h"

namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class AtomicFileTest : public testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("longlens-atomic-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        file_ = (dir_ / "export.md").string();
    }
    void TearDown() override { fs::remove_all(dir_); }

    size_t files_in_dir() const {
        return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {}));
    }

    fs::path dir_;
    std::string file_;
};

TEST_F(AtomicFileTest, ReplacesTheContentWhole) {
    ll::write_file_atomically(file_, "first version\n");
    ll::write_file_atomically(file_, "second\n");
    EXPECT_EQ(read_all(file_), "second\n");
    EXPECT_EQ(files_in_dir(), 1u);  // no temporary file left beside it
}

TEST_F(AtomicFileTest, NothingIsWrittenUntilCommit) {
    ll::write_file_atomically(file_, "kept");
    {
        ll::AtomicFile f(file_);
        f.write("never committed");
        EXPECT_EQ(read_all(file_), "kept");
    }  // dropped without commit: as if a crash had come mid-write
    EXPECT_EQ(read_all(file_), "kept");
    EXPECT_EQ(files_in_dir(), 1u);
}

TEST_F(AtomicFileTest, AFolderThatDoesNotExistIsNamed) {
    const std::string path = (dir_ / "no-such-folder" / "x.svg").string();
    try {
        ll::write_file_atomically(path, "x");
        ADD_FAILURE() << "written into a folder that does not exist";
    } catch (const ll::EngineError& e) {
        EXPECT_EQ(e.where(), path);
        EXPECT_NE(e.problem().find("cannot create"), std::string::npos) << e.what();
    }
}

// A child process may not grow any file past 16 KiB (SIGXFSZ ignored, so write() fails with
// EFBIG as it fails with ENOSPC on a full disk) and replaces a 10 KiB file with 1 MiB.
TEST_F(AtomicFileTest, AFullDiskKeepsTheOldFileIntactAndSaysSo) {
    const std::string old(10 * 1024, 'o');
    ll::write_file_atomically(file_, old);
    const lltest::ChildOutcome child = lltest::run_in_child([&](int report) {
        std::signal(SIGXFSZ, SIG_IGN);
        const rlimit limit{16 * 1024, 16 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        try {
            ll::write_file_atomically(file_, std::string(1 << 20, 'n'));
        } catch (const ll::EngineError& e) {
            lltest::report(report, e.what());
            return 0;
        }
        return 1;  // the write claimed success
    });
    ASSERT_TRUE(child.exited);
    EXPECT_EQ(child.code, 0) << "the write claimed success";
    const std::string& message = child.message;
    EXPECT_EQ(message.rfind(file_ + ": writing failed", 0), 0u) << message;
    EXPECT_NE(message.find("file-size limit"), std::string::npos) << message;
    EXPECT_NE(message.find("unchanged"), std::string::npos) << message;
    EXPECT_EQ(read_all(file_), old);
    EXPECT_EQ(files_in_dir(), 1u);
}

}  // namespace
