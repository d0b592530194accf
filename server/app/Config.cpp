#include "app/Config.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include "http/TrustedProxies.hpp"

extern char** environ;

namespace vg::app {
namespace {

constexpr const char* kEnvPrefix = "VISIOGUICHET_";

std::string trim(std::string_view text) {
    auto begin = text.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos) return {};
    auto end = text.find_last_not_of(" \t\r");
    return std::string(text.substr(begin, end - begin + 1));
}

int parse_int(const std::string& key, const std::string& value, int min, int max) {
    int result = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), result);
    if (ec != std::errc() || end != value.data() + value.size() || result < min || result > max) {
        throw ConfigError(key + ": expected a whole number from " + std::to_string(min) + " to " +
                          std::to_string(max) + ", got '" + value + "'");
    }
    return result;
}

bool parse_bool(const std::string& key, const std::string& value) {
    if (value == "true" || value == "1" || value == "yes") return true;
    if (value == "false" || value == "0" || value == "no") return false;
    throw ConfigError(key + ": expected true or false, got '" + value + "'");
}

// "https://host[:port]": what a browser sends as Origin; nothing that could end a header value
// or a CSP source list.
bool is_origin(const std::string& text) {
    std::string_view rest = text;
    if (rest.rfind("https://", 0) == 0) {
        rest.remove_prefix(8);
    } else if (rest.rfind("http://", 0) == 0) {
        rest.remove_prefix(7);
    } else {
        return false;
    }
    if (rest.empty() || text.size() > 253) return false;
    return std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
    });
}

bool is_loopback(const std::string& host) {
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    return host == "::1";
}

bool is_unspecified(const std::string& host) {
    return host == "0.0.0.0" || host == "::";
}

bool is_ip(const std::string& host) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

HostPort parse_host_port(const std::string& key, const std::string& value) {
    // "127.0.0.1:8080", "[::1]:8080"
    std::string host;
    std::string port;
    if (!value.empty() && value.front() == '[') {
        auto close = value.find(']');
        if (close == std::string::npos || close + 1 >= value.size() || value[close + 1] != ':') {
            throw ConfigError(key + ": expected [IPv6]:PORT, got '" + value + "'");
        }
        host = value.substr(1, close - 1);
        port = value.substr(close + 2);
    } else {
        auto colon = value.rfind(':');
        if (colon == std::string::npos) {
            throw ConfigError(key + ": expected HOST:PORT, got '" + value + "'");
        }
        host = value.substr(0, colon);
        port = value.substr(colon + 1);
    }
    if (!is_ip(host)) {
        throw ConfigError(key + ": '" + host + "' is not an IPv4 or IPv6 address");
    }
    return HostPort{host, static_cast<std::uint16_t>(parse_int(key + " port", port, 0, 65535))};
}

using Setter = std::function<void(Config&, const std::string& key, const std::string& value)>;

const std::map<std::string, Setter>& setters() {
    auto text = [](std::string Config::*field) {
        return [field](Config& c, const std::string&, const std::string& v) { c.*field = v; };
    };
    auto number = [](int Config::*field, int min, int max) {
        return [=](Config& c, const std::string& k, const std::string& v) {
            c.*field = parse_int(k, v, min, max);
        };
    };
    auto address = [](HostPort Config::*field) {
        return [field](Config& c, const std::string& k, const std::string& v) {
            c.*field = parse_host_port(k, v);
        };
    };
    static const std::map<std::string, Setter> table = {
        {"database_url", text(&Config::database_url)},
        {"http_addr", address(&Config::http_addr)},
        {"rtc_addr", address(&Config::rtc_addr)},
        {"public_addr",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && !is_ip(v))
                 throw ConfigError(k + ": '" + v + "' is not an IP address");
             c.public_addr = v;
         }},
        {"public_url",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
                 throw ConfigError(k + ": expected an http:// or https:// URL, got '" + v + "'");
             }
             c.public_url = v;
             while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
         }},
        {"bootstrap_admin_key",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.size() < 24) {
                 throw ConfigError(k + ": too short to be a key (at least 24 characters)");
             }
             c.bootstrap_admin_key = v;
         }},
        {"log_level",
         [](Config& c, const std::string& k, const std::string& v) {
             static const std::vector<std::string> levels = {"trace", "debug", "info",
                                                             "warn",  "error", "off"};
             if (std::find(levels.begin(), levels.end(), v) == levels.end()) {
                 throw ConfigError(k + ": '" + v +
                                   "' is not one of trace, debug, info, warn, error, off");
             }
             c.log_level = v;
         }},
        {"log_format",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v != "text" && v != "json") throw ConfigError(k + ": expected text or json");
             c.log_format = v;
         }},
        {"web_root", text(&Config::web_root)},
        {"migrations_dir", text(&Config::migrations_dir)},
        {"db_pool_size", number(&Config::db_pool_size, 1, 200)},
        {"http_threads", number(&Config::http_threads, 1, 64)},
        {"max_connections", number(&Config::max_connections, 16, 1000000)},
        {"max_connections_per_address", number(&Config::max_connections_per_address, 1, 100000)},
        {"websocket_messages_per_second", number(&Config::websocket_messages_per_second, 1, 10000)},
        {"retention_citizen_days", number(&Config::retention_citizen_days, 1, 3650)},
        {"retention_notes_days", number(&Config::retention_notes_days, 1, 3650)},
        {"retention_audit_details_days", number(&Config::retention_audit_details_days, 1, 3650)},
        {"retention_addresses_days", number(&Config::retention_addresses_days, 1, 3650)},
        {"media_workers", number(&Config::media_workers, 0, 64)},
        {"shutdown_grace_seconds", number(&Config::shutdown_grace_seconds, 0, 9)},
        {"checkin_before_minutes", number(&Config::checkin_before_minutes, 0, 240)},
        {"checkin_after_minutes", number(&Config::checkin_after_minutes, 0, 240)},
        {"offer_timeout_seconds", number(&Config::offer_timeout_seconds, 5, 300)},
        {"presence_grace_seconds", number(&Config::presence_grace_seconds, 1, 600)},
        {"wrap_up_seconds", number(&Config::wrap_up_seconds, 0, 3600)},
        {"agent_session_idle_minutes", number(&Config::agent_session_idle_minutes, 1, 720)},
        {"turn_uris",
         [](Config& c, const std::string& k, const std::string& v) {
             c.turn_uris.clear();
             std::istringstream list(v);
             for (std::string uri; std::getline(list, uri, ',');) {
                 uri = trim(uri);
                 if (uri.empty()) continue;
                 bool scheme = uri.rfind("turn:", 0) == 0 || uri.rfind("turns:", 0) == 0;
                 if (!scheme || uri.size() > 256 || uri.find_first_of(" \"<>") != std::string::npos)
                     throw ConfigError(k + ": '" + uri + "' is not a turn: or turns: URI");
                 c.turn_uris.push_back(uri);
             }
             if (c.turn_uris.size() > 8) throw ConfigError(k + ": at most 8 URIs");
         }},
        {"turn_secret",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.size() < 16)
                 throw ConfigError(k +
                                   ": too short to be a shared secret (at least 16 characters)");
             c.turn_secret = v;
         }},
        {"turn_credential_ttl_seconds", number(&Config::turn_credential_ttl_seconds, 60, 86400)},
        {"node_name",
         [](Config& c, const std::string& k, const std::string& v) {
             bool plain = std::all_of(v.begin(), v.end(), [](unsigned char ch) {
                 return std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.';
             });
             if (v.size() > 64 || !plain)
                 throw ConfigError(k + ": at most 64 letters, digits, '-', '_' or '.'");
             c.node_name = v;
         }},
        {"node_lost_seconds", number(&Config::node_lost_seconds, 2, 300)},
        {"drain_seconds", number(&Config::drain_seconds, 0, 3600)},
        {"tls_cert_file", text(&Config::tls_cert_file)},
        {"tls_key_file", text(&Config::tls_key_file)},
        {"behind_proxy", [](Config& c, const std::string& k,
                            const std::string& v) { c.behind_proxy = parse_bool(k, v); }},
        {"trusted_proxies",
         [](Config& c, const std::string& k, const std::string& v) {
             try {
                 http::TrustedProxies::parse(v);
             } catch (const std::invalid_argument& e) {
                 throw ConfigError(k + ": " + e.what() +
                                   " (expected CIDR blocks such as "
                                   "10.0.0.0/8, 2001:db8::/32)");
             }
             c.trusted_proxies = v;
         }},
        {"admin_addr", address(&Config::admin_addr)},
        {"allowed_origins",
         [](Config& c, const std::string& k, const std::string& v) {
             c.allowed_origins.clear();
             std::istringstream list(v);
             for (std::string origin; std::getline(list, origin, ',');) {
                 origin = trim(origin);
                 if (origin.empty()) continue;
                 if (!is_origin(origin)) {
                     throw ConfigError(k + ": '" + origin +
                                       "' is not an origin (scheme://host[:port], no path)");
                 }
                 c.allowed_origins.push_back(origin);
             }
             if (c.allowed_origins.size() > 32) throw ConfigError(k + ": at most 32 origins");
         }},
        {"database_wait_seconds", number(&Config::database_wait_seconds, 0, 3600)},
        {"smtp_url",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.rfind("smtp://", 0) != 0 && v.rfind("smtps://", 0) != 0)
                 throw ConfigError(k + ": expected smtp://host:port or smtps://host:port");
             c.smtp_url = v;
         }},
        {"smtp_password_file", text(&Config::smtp_password_file)},
        {"smtp_ca_file", text(&Config::smtp_ca_file)},
        {"mail_from",
         [](Config& c, const std::string& k, const std::string& v) {
             bool ascii =
                 std::all_of(v.begin(), v.end(), [](char ch) { return ch >= 0x20 && ch < 0x7F; });
             if (!v.empty() && (!ascii || v.find('@') == std::string::npos))
                 throw ConfigError(k +
                                   ": expected an address such as "
                                   "'Visioguichet <rendez-vous@example.org>' (ASCII)");
             c.mail_from = v;
         }},
        {"message_templates_dir", text(&Config::message_templates_dir)},
        {"message_retry_seconds", number(&Config::message_retry_seconds, 1, 3600)},
        {"message_max_attempts", number(&Config::message_max_attempts, 1, 100)},
        {"sms_webhook_url",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0)
                 throw ConfigError(k + ": expected an http:// or https:// URL");
             c.sms_webhook_url = v;
         }},
        {"sms_webhook_secret",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.size() < 16)
                 throw ConfigError(k + ": too short to sign with (at least 16 characters)");
             c.sms_webhook_secret = v;
         }},
        {"reminder_offsets",
         [](Config& c, const std::string& k, const std::string& v) {
             c.reminder_offsets_minutes.clear();
             std::istringstream list(v);
             for (std::string item; std::getline(list, item, ',');) {
                 item = trim(item);
                 if (item.empty()) continue;
                 char unit = item.back();
                 int scale = unit == 'd' ? 24 * 60 : unit == 'h' ? 60 : unit == 'm' ? 1 : 0;
                 if (scale == 0)
                     throw ConfigError(k + ": '" + item +
                                       "' is not a duration such as 24h, 2h, 30m");
                 int n = parse_int(k, item.substr(0, item.size() - 1), 1, 60 * 24 * 30);
                 if (n * scale > 30 * 24 * 60) throw ConfigError(k + ": at most 30 days ahead");
                 c.reminder_offsets_minutes.push_back(n * scale);
             }
             if (c.reminder_offsets_minutes.size() > 4) throw ConfigError(k + ": at most 4");
         }},
        {"dev_pages", [](Config& c, const std::string& k,
                         const std::string& v) { c.dev_pages = parse_bool(k, v); }},
    };
    return table;
}

void apply(Config& config, const std::string& key, const std::string& value,
           const std::string& origin) {
    auto it = setters().find(key);
    if (it == setters().end()) throw ConfigError(origin + ": unknown setting '" + key + "'");
    try {
        it->second(config, key, value);
    } catch (const ConfigError& e) {
        throw ConfigError(origin + ": " + e.what());
    }
}

}  // namespace

std::string HostPort::to_string() const {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

Config Config::load(const std::optional<std::string>& file,
                    const std::map<std::string, std::string>& environment) {
    Config config;
    if (file) {
        std::ifstream in(*file);
        if (!in) throw ConfigError("cannot read config file '" + *file + "'");
        std::string line;
        for (int number = 1; std::getline(in, line); ++number) {
            auto content = trim(line.substr(0, line.find('#')));
            if (content.empty()) continue;
            auto equals = content.find('=');
            std::string origin = *file + ":" + std::to_string(number);
            if (equals == std::string::npos) throw ConfigError(origin + ": expected key = value");
            apply(config, trim(content.substr(0, equals)), trim(content.substr(equals + 1)),
                  origin);
        }
    }
    for (const auto& [name, value] : environment) {
        if (name.rfind(kEnvPrefix, 0) != 0) continue;
        std::string key = name.substr(std::string_view(kEnvPrefix).size());
        std::transform(key.begin(), key.end(), key.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        if (key.rfind("test_", 0) == 0) continue;  // the test suite's own variables
        apply(config, key, value, "environment " + name);
    }
    config.check();
    if (config.public_url.empty()) {
        config.public_url = (config.tls() ? "https://" : "http://") + config.http_addr.to_string();
    }
    if (config.node_name.empty()) {
        char host[256] = {};
        gethostname(host, sizeof host - 1);
        config.node_name = std::string(host).substr(0, 64);
        if (config.node_name.empty()) config.node_name = "node";
    }
    return config;
}

void Config::check() const {
    if (turn_uris.empty() != turn_secret.empty()) {
        throw ConfigError(
            "turn_uris and turn_secret go together: set both to hand out TURN credentials, or "
            "neither");
    }
    if (sms_webhook_url.empty() != sms_webhook_secret.empty()) {
        throw ConfigError(
            std::string(sms_webhook_url.empty() ? "sms_webhook_url" : "sms_webhook_secret") +
            " is not set: sms_webhook_url and sms_webhook_secret go together");
    }
    if (!smtp_url.empty() && mail_from.empty()) {
        throw ConfigError("mail_from: smtp_url is set, so messages need a sender address");
    }
    if (tls_cert_file.empty() != tls_key_file.empty()) {
        throw ConfigError(std::string(tls_cert_file.empty() ? "tls_cert_file" : "tls_key_file") +
                          " is not set: tls_cert_file and tls_key_file go together");
    }
    if (behind_proxy && trusted_proxies.empty()) {
        throw ConfigError(
            "trusted_proxies: behind_proxy = true needs the proxies' addresses (CIDR blocks, "
            "such as 10.0.0.5/32), whose X-Forwarded-For and X-Forwarded-Proto are believed");
    }
    if (!tls() && !behind_proxy && !is_loopback(http_addr.host)) {
        throw ConfigError(
            "tls_cert_file: http_addr " + http_addr.to_string() +
            " is not a loopback address, and plain HTTP there would carry tokens and citizens' "
            "data in clear (and browsers give booths no camera without HTTPS): set tls_cert_file "
            "and tls_key_file, or behind_proxy = true and trusted_proxies when a reverse proxy "
            "does TLS");
    }
    if (is_unspecified(rtc_addr.host) && public_addr.empty()) {
        throw ConfigError("public_addr: rtc_addr " + rtc_addr.to_string() +
                          " listens on every address, so the address to announce in ICE "
                          "candidates is unknown: set public_addr to the address booths and "
                          "agents reach");
    }
}

std::map<std::string, std::string> Config::process_environment() {
    std::map<std::string, std::string> result;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        if (text.rfind(kEnvPrefix, 0) != 0) continue;
        auto equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        result.emplace(text.substr(0, equals), text.substr(equals + 1));
    }
    return result;
}

void Config::require_database() const {
    if (database_url.empty()) {
        throw ConfigError(
            "database_url is not set: give VISIOGUICHET_DATABASE_URL or database_url in the "
            "config file (a libpq URI such as postgresql://user@127.0.0.1:5432/visioguichet)");
    }
    if (database_url.rfind("postgresql://", 0) != 0 && database_url.rfind("postgres://", 0) != 0) {
        throw ConfigError("database_url: expected a postgresql:// URI");
    }
}

}  // namespace vg::app
