#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "http/TlsContext.hpp"

namespace vg::http {
namespace {

namespace fs = std::filesystem;

// Two self-signed certificates (serials 0x1a and 0x2b) made by the openssl command line.
class TlsContextTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("vg-tls-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
        for (const char* name : {"a", "b"}) {
            const std::string serial = std::string(name) == "a" ? "0x1a" : "0x2b";
            const std::string command =
                "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
                "-subj /CN=test -set_serial " +
                serial + " -keyout " + path(name, "key") + " -out " + path(name, "pem") +
                " 2>/dev/null";
            ASSERT_EQ(std::system(command.c_str()), 0) << command;
        }
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string path(const std::string& name, const std::string& ext) const {
        return (dir_ / (name + "." + ext)).string();
    }
    static std::string error_of(const std::string& cert, const std::string& key) {
        try {
            TlsContext::load(cert, key);
        } catch (const TlsContext::Error& e) {
            return e.what();
        }
        return "";
    }
    fs::path dir_;
};

TEST_F(TlsContextTest, LoadsAPairAndTellsItsSerial) {
    auto context = TlsContext::load(path("a", "pem"), path("a", "key"));
    EXPECT_EQ(context->serial(), "1A");
    EXPECT_EQ(TlsContext::load(path("b", "pem"), path("b", "key"))->serial(), "2B");
}

TEST_F(TlsContextTest, UnusableFilesAreNamed) {
    EXPECT_NE(error_of(path("none", "pem"), path("a", "key")).find(path("none", "pem")),
              std::string::npos);
    EXPECT_NE(error_of(path("a", "pem"), path("none", "key")).find(path("none", "key")),
              std::string::npos);
    // A key that is not the certificate's (a renewal copied half-way).
    EXPECT_NE(error_of(path("a", "pem"), path("b", "key")).find("does not match"),
              std::string::npos);
    // A key where the certificate should be.
    EXPECT_NE(error_of(path("a", "key"), path("a", "key")).find("certificate file"),
              std::string::npos);
}

}  // namespace
}  // namespace vg::http
