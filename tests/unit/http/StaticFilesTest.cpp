#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>

#include "http/Server.hpp"
#include "http/StaticFiles.hpp"
#include "support/HttpClient.hpp"

namespace vg::http {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kSecret = "top secret outside the root";

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
}

// A web folder beside a secret file that no request may reach:
//   <dir>/secret.txt, <dir>/web/{booth/index.html, booth/app.js, agent/index.html, style.css,
//   .env, link-out -> <dir>}
class StaticFilesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("vg-static-" + std::to_string(std::random_device{}()) +
                                            "-" + std::to_string(counter_++));
        root_ = dir_ / "web";
        write_file(dir_ / "secret.txt", kSecret);
        write_file(root_ / "booth" / "index.html", "<!doctype html><title>Booth</title>");
        write_file(root_ / "booth" / "app.js", "export const booth = 1;");
        write_file(root_ / "agent" / "index.html", "<!doctype html><title>Agent</title>");
        write_file(root_ / "style.css", "body{}");
        write_file(root_ / "site.webmanifest", "{}");
        write_file(root_ / ".env", kSecret);
        fs::create_directory_symlink(dir_, root_ / "link-out");
    }
    void TearDown() override {
        if (server_) server_->stop(1s);
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    void start_server() {
        ServerOptions options;
        options.address = "127.0.0.1";
        options.port = 0;
        options.static_root = root_.string();
        server_ = std::make_unique<Server>(options, router_, metrics_);
        server_->start();
    }
    // Sends the target exactly as written, as an attacker would, not as a client library would.
    test::HttpResponse raw_get(const std::string& target, const test::HttpHeaders& headers = {}) {
        test::TcpClient client("127.0.0.1", server_->port());
        return client.request("GET", target, headers);
    }
    static Request get(const std::string& target) {
        Request request;
        request.method = "GET";
        EXPECT_TRUE(request.set_target(target));
        return request;
    }

    static inline std::atomic<int> counter_{0};
    fs::path dir_;
    fs::path root_;
    Router router_;
    Metrics metrics_;
    std::unique_ptr<Server> server_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesCachingAndIndex) {
    StaticFiles files(root_.string());
    auto booth = files.serve(get("/booth"));
    ASSERT_TRUE(booth);
    EXPECT_EQ(booth->status, 200);
    EXPECT_EQ(booth->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(booth->body, "<!doctype html><title>Booth</title>");
    auto agent = files.serve(get("/agent/"));
    ASSERT_TRUE(agent);
    EXPECT_EQ(agent->body, "<!doctype html><title>Agent</title>");
    auto script = files.serve(get("/booth/app.js"));
    ASSERT_TRUE(script);
    EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(files.serve(get("/style.css"))->content_type, "text/css; charset=utf-8");
    EXPECT_EQ(files.serve(get("/site.webmanifest"))->content_type, "application/manifest+json");
    EXPECT_FALSE(files.serve(get("/missing.js")));
    EXPECT_THROW(StaticFiles((dir_ / "secret.txt").string()), std::invalid_argument);
}

TEST_F(StaticFilesTest, RefusesEveryWayOutOfTheRoot) {
    StaticFiles files(root_.string());
    for (const char* target : {"/../secret.txt", "/booth/../../secret.txt", "/%2e%2e/secret.txt",
                               "/booth/..%2f..%2fsecret.txt", "/link-out/secret.txt", "/.env",
                               "/booth/%2e%2e%5c%2e%2e%5csecret.txt", "//etc/passwd"}) {
        auto answer = files.serve(get(target));
        if (answer) {
            EXPECT_TRUE(answer->status == 400 || answer->status == 404) << target;
            EXPECT_EQ(answer->body.find(kSecret), std::string::npos) << target;
        }
    }
}

TEST_F(StaticFilesTest, ServedThroughTheServerWithEtagAnd304) {
    start_server();
    auto page = raw_get("/booth");
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(page.header("Cache-Control"), "no-cache");
    EXPECT_NE(page.header("Content-Security-Policy").find("media-src 'self' blob:"),
              std::string::npos);
    EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");

    auto script = raw_get("/booth/app.js");
    ASSERT_EQ(script.status, 200);
    EXPECT_EQ(script.header("Content-Type"), "text/javascript; charset=utf-8");
    // Scripts too are revalidated at every load: after an upgrade no kiosk runs an old one.
    EXPECT_EQ(script.header("Cache-Control"), "no-cache");
    const std::string etag = script.header("ETag");
    ASSERT_FALSE(etag.empty());
    auto again = raw_get("/booth/app.js", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header("ETag"), etag);
    EXPECT_EQ(raw_get("/booth/app.js", {{"If-None-Match", "\"other\""}}).status, 200);

    test::TcpClient client("127.0.0.1", server_->port());
    auto head = client.request("HEAD", "/booth/app.js");
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Length"), std::to_string(script.body.size()));
    EXPECT_TRUE(head.body.empty());
    // The connection is still in step after a HEAD answer without a body.
    EXPECT_EQ(client.request("GET", "/style.css").body, "body{}");
}

TEST_F(StaticFilesTest, AnUpgradedScriptIsNeverServedStale) {
    start_server();
    const fs::path script = root_ / "booth" / "app.js";
    auto before = raw_get("/booth/app.js");
    ASSERT_EQ(before.status, 200);
    const std::string old_etag = before.header("ETag");
    // The new release: same size, same modification time (as a copy that keeps dates makes).
    const auto modified = fs::last_write_time(script);
    write_file(script, "export const booth = 2;");
    fs::last_write_time(script, modified);
    ASSERT_EQ(fs::file_size(script), before.body.size());

    // The kiosk revalidates with the tag it holds and gets the new script, not a 304.
    auto after = raw_get("/booth/app.js", {{"If-None-Match", old_etag}});
    EXPECT_EQ(after.status, 200);
    EXPECT_EQ(after.body, "export const booth = 2;");
    EXPECT_NE(after.header("ETag"), old_etag);
    EXPECT_EQ(raw_get("/booth/app.js", {{"If-None-Match", after.header("ETag")}}).status, 304);
}

TEST_F(StaticFilesTest, OnlyTheAppsPagesMayUseTheCamera) {
    StaticFiles files(root_.string(), {}, {"booth"});
    auto booth = files.serve(get("/booth/"));
    ASSERT_TRUE(booth);
    auto policy = std::find_if(booth->headers.begin(), booth->headers.end(),
                               [](const auto& h) { return h.first == "Permissions-Policy"; });
    ASSERT_NE(policy, booth->headers.end());
    EXPECT_NE(policy->second.find("camera=(self)"), std::string::npos);
    EXPECT_NE(policy->second.find("microphone=(self)"), std::string::npos);

    start_server();  // no camera pages: the server's default policy denies them everywhere
    auto agent = raw_get("/agent/");
    EXPECT_NE(agent.header("Permissions-Policy").find("camera=()"), std::string::npos);
}

TEST_F(StaticFilesTest, DevelopmentPagesOnlyWhenAskedFor) {
    write_file(root_ / "dev" / "call.html", "<!doctype html><title>Test call</title>");
    StaticFiles production(root_.string(), {"dev"});
    EXPECT_FALSE(production.serve(get("/dev/call.html")));
    EXPECT_FALSE(production.serve(get("/dev/")));
    EXPECT_TRUE(production.serve(get("/booth/app.js")));
    StaticFiles development(root_.string());
    auto page = development.serve(get("/dev/call.html"));
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);

    start_server();  // the server's default: no development pages
    EXPECT_EQ(raw_get("/dev/call.html").status, 404);
}

TEST_F(StaticFilesTest, TraversalOverTheWireNeverLeaksAFile) {
    start_server();
    for (const char* target :
         {"/../secret.txt", "/booth/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
          "/booth/..%2f..%2fsecret.txt", "/booth/..%5c..%5csecret.txt", "/link-out/secret.txt",
          "/.env", "/booth%00/index.html", "/..\\secret.txt", "/%252e%252e/secret.txt"}) {
        auto response = raw_get(target);
        EXPECT_TRUE(response.status == 400 || response.status == 404)
            << target << " answered " << response.status;
        EXPECT_EQ(response.body.find(kSecret), std::string::npos) << target;
        EXPECT_EQ(response.header("Content-Type"), "application/problem+json") << target;
    }
    EXPECT_EQ(test::http_request("POST", "127.0.0.1", server_->port(), "/booth").status, 404);
}

}  // namespace
}  // namespace vg::http
