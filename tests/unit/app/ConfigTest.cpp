#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "app/Config.hpp"

namespace vg::app {
namespace {

class ConfigFile {
  public:
    explicit ConfigFile(const std::string& text) {
        char name[] = "/tmp/vg-config-XXXXXX";
        int fd = mkstemp(name);
        path_ = name;
        std::ofstream(path_) << text;
        close(fd);
    }
    ~ConfigFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

std::string error_of(const std::optional<std::string>& file,
                     const std::map<std::string, std::string>& env) {
    try {
        Config::load(file, env);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

TEST(Config, DefaultsMatchTheContract) {
    auto config = Config::load(std::nullopt, {});
    EXPECT_EQ(config.http_addr.to_string(), "127.0.0.1:8080");
    EXPECT_EQ(config.rtc_addr.to_string(), "127.0.0.1:40000");
    EXPECT_EQ(config.log_level, "info");
    EXPECT_EQ(config.public_url, "http://127.0.0.1:8080");
    EXPECT_THROW(config.require_database(), ConfigError);
}

TEST(Config, FileIsReadAndEnvironmentWins) {
    ConfigFile file(
        "# comment\n"
        "database_url = postgresql://file@127.0.0.1/db\n"
        "http_addr = 127.0.0.1:9000   # trailing comment\n"
        "log_level = debug\n");
    auto config = Config::load(file.path(), {{"VISIOGUICHET_HTTP_ADDR", "[::1]:9100"},
                                             {"VISIOGUICHET_PUBLIC_ADDR", "192.0.2.10"}});
    EXPECT_EQ(config.database_url, "postgresql://file@127.0.0.1/db");
    EXPECT_EQ(config.http_addr.host, "::1");
    EXPECT_EQ(config.http_addr.port, 9100);
    EXPECT_EQ(config.http_addr.to_string(), "[::1]:9100");
    EXPECT_EQ(config.public_addr, "192.0.2.10");
    EXPECT_EQ(config.log_level, "debug");
    EXPECT_NO_THROW(config.require_database());
}

TEST(Config, ErrorsNameTheSettingAndItsOrigin) {
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_HTTP_ADDR", "localhost"}})
                  .find("environment VISIOGUICHET_HTTP_ADDR"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_HTTP_ADDR", "127.0.0.1:99999"}}).find("65535"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_LOG_LEVEL", "loud"}}).find("log_level"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_COLOUR", "blue"}}).find("unknown setting"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_BOOTSTRAP_ADMIN_KEY", "short"}}).find("short"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_PUBLIC_ADDR", "example.org"}}).find("IP"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_DB_POOL_SIZE", "0"}}).find("db_pool_size"),
              std::string::npos);
    ConfigFile bad("http_addr 127.0.0.1:1\n");
    EXPECT_NE(error_of(bad.path(), {}).find(":1: expected key = value"), std::string::npos);
    EXPECT_NE(error_of("/nonexistent/vg.conf", {}).find("cannot read"), std::string::npos);
}

TEST(Config, TestVariablesAreNotSettings) {
    EXPECT_NO_THROW(Config::load(std::nullopt, {{"VISIOGUICHET_TEST_DATABASE_URL", "x"}}));
}

TEST(Config, DatabaseUrlMustBeAPostgresUri) {
    auto config = Config::load(std::nullopt, {{"VISIOGUICHET_DATABASE_URL", "mysql://x"}});
    EXPECT_THROW(config.require_database(), ConfigError);
}

TEST(Config, TurnUrisAndSecretGoTogether) {
    auto config = Config::load(
        std::nullopt, {{"VISIOGUICHET_TURN_URIS",
                        "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349"},
                       {"VISIOGUICHET_TURN_SECRET", "a-long-shared-secret"},
                       {"VISIOGUICHET_TURN_CREDENTIAL_TTL_SECONDS", "600"}});
    EXPECT_EQ(config.turn_uris,
              (std::vector<std::string>{"turn:turn.example.org:3478?transport=udp",
                                        "turns:turn.example.org:5349"}));
    EXPECT_EQ(config.turn_secret, "a-long-shared-secret");
    EXPECT_EQ(config.turn_credential_ttl_seconds, 600);

    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_TURN_URIS", "turn:t.example.org"}})
                  .find("turn_uris and turn_secret go together"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_TURN_URIS", "stun:t.example.org"},
                                      {"VISIOGUICHET_TURN_SECRET", "a-long-shared-secret"}})
                  .find("not a turn: or turns: URI"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_TURN_URIS", "turn:t.example.org"},
                                      {"VISIOGUICHET_TURN_SECRET", "short"}})
                  .find("turn_secret: too short"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_TURN_CREDENTIAL_TTL_SECONDS", "5"}})
                  .find("turn_credential_ttl_seconds"),
              std::string::npos);
}

TEST(Config, ListenersAndTheirSafetyChecks) {
    auto defaults = Config::load(std::nullopt, {});
    EXPECT_EQ(defaults.admin_addr.to_string(), "127.0.0.1:9090");
    EXPECT_EQ(defaults.database_wait_seconds, 60);
    EXPECT_FALSE(defaults.dev_pages);
    EXPECT_FALSE(defaults.tls());

    auto tls = Config::load(std::nullopt, {{"VISIOGUICHET_HTTP_ADDR", "0.0.0.0:8443"},
                                           {"VISIOGUICHET_TLS_CERT_FILE", "/etc/vg/cert.pem"},
                                           {"VISIOGUICHET_TLS_KEY_FILE", "/etc/vg/key.pem"}});
    EXPECT_TRUE(tls.tls());
    EXPECT_EQ(tls.public_url, "https://0.0.0.0:8443");

    auto proxied = Config::load(std::nullopt, {{"VISIOGUICHET_HTTP_ADDR", "0.0.0.0:8080"},
                                               {"VISIOGUICHET_BEHIND_PROXY", "true"},
                                               {"VISIOGUICHET_TRUSTED_PROXIES", "10.0.0.0/8"}});
    EXPECT_TRUE(proxied.behind_proxy);
    EXPECT_EQ(proxied.trusted_proxies, "10.0.0.0/8");
    // Plain HTTP on loopback (the demo) needs neither.
    EXPECT_NO_THROW(Config::load(std::nullopt, {{"VISIOGUICHET_HTTP_ADDR", "[::1]:8080"}}));

    EXPECT_NE(
        error_of(std::nullopt, {{"VISIOGUICHET_HTTP_ADDR", "192.0.2.1:80"}}).find("tls_cert_file"),
        std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_HTTP_ADDR", "0.0.0.0:80"},
                                      {"VISIOGUICHET_BEHIND_PROXY", "true"}})
                  .find("trusted_proxies"),
              std::string::npos);
    EXPECT_NE(
        error_of(std::nullopt, {{"VISIOGUICHET_TLS_KEY_FILE", "/k.pem"}}).find("tls_cert_file"),
        std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_BEHIND_PROXY", "maybe"}}).find("behind_proxy"),
              std::string::npos);
    EXPECT_NE(error_of(std::nullopt, {{"VISIOGUICHET_TRUSTED_PROXIES", "10.0.0.0/40"}})
                  .find("trusted_proxies"),
              std::string::npos);
    EXPECT_NE(
        error_of(std::nullopt, {{"VISIOGUICHET_RTC_ADDR", "0.0.0.0:40000"}}).find("public_addr"),
        std::string::npos);
    EXPECT_NO_THROW(Config::load(std::nullopt, {{"VISIOGUICHET_RTC_ADDR", "0.0.0.0:40000"},
                                                {"VISIOGUICHET_PUBLIC_ADDR", "192.0.2.10"}}));

    auto origins = Config::load(std::nullopt, {{"VISIOGUICHET_ALLOWED_ORIGINS",
                                                "https://node2.example.org, http://[::1]:8080"}});
    EXPECT_EQ(origins.allowed_origins,
              (std::vector<std::string>{"https://node2.example.org", "http://[::1]:8080"}));
    for (const char* bad : {"node2.example.org", "https://node2.example.org/path",
                            "https://a.example; script-src *", "ftp://x.example"}) {
        EXPECT_NE(
            error_of(std::nullopt, {{"VISIOGUICHET_ALLOWED_ORIGINS", bad}}).find("allowed_origins"),
            std::string::npos)
            << bad;
    }
}

}  // namespace
}  // namespace vg::app

namespace vg::app {

TEST(Config, MessagesToCitizens) {
    auto defaults = Config::load(std::nullopt, {});
    EXPECT_EQ(defaults.reminder_offsets_minutes, (std::vector<int>{24 * 60, 2 * 60}));
    EXPECT_TRUE(defaults.smtp_url.empty());
    auto config = Config::load(std::nullopt,
                               {{"VISIOGUICHET_SMTP_URL", "smtps://rdv@smtp.example.org:465"},
                                {"VISIOGUICHET_MAIL_FROM", "Visioguichet <rdv@example.org>"},
                                {"VISIOGUICHET_SMS_WEBHOOK_URL", "https://sms.example.org/send"},
                                {"VISIOGUICHET_SMS_WEBHOOK_SECRET", "a-long-shared-secret"},
                                {"VISIOGUICHET_REMINDER_OFFSETS", "2d, 3h,30m"}});
    EXPECT_EQ(config.reminder_offsets_minutes, (std::vector<int>{2 * 24 * 60, 3 * 60, 30}));
    EXPECT_TRUE(Config::load(std::nullopt, {{"VISIOGUICHET_REMINDER_OFFSETS", ""}})
                    .reminder_offsets_minutes.empty());
    for (const auto& [env, expected] :
         std::vector<std::pair<std::map<std::string, std::string>, std::string>>{
             {{{"VISIOGUICHET_SMTP_URL", "http://smtp.example.org"}}, "smtp_url: expected"},
             {{{"VISIOGUICHET_SMTP_URL", "smtp://smtp.example.org"}}, "mail_from: smtp_url is set"},
             {{{"VISIOGUICHET_MAIL_FROM", "Visioguichet <rdv>"}}, "mail_from: expected"},
             {{{"VISIOGUICHET_SMS_WEBHOOK_URL", "https://sms.example.org"}},
              "sms_webhook_url and sms_webhook_secret go together"},
             {{{"VISIOGUICHET_SMS_WEBHOOK_SECRET", "short"}}, "sms_webhook_secret: too short"},
             {{{"VISIOGUICHET_REMINDER_OFFSETS", "24"}}, "reminder_offsets: '24' is not"},
             {{{"VISIOGUICHET_REMINDER_OFFSETS", "31d"}}, "at most 30 days"},
         }) {
        auto error = error_of(std::nullopt, env);
        EXPECT_NE(error.find(expected), std::string::npos) << error;
    }
}

}  // namespace vg::app
