#include "app/Config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

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
        {"media_workers", number(&Config::media_workers, 0, 64)},
        {"shutdown_grace_seconds", number(&Config::shutdown_grace_seconds, 0, 9)},
        {"checkin_before_minutes", number(&Config::checkin_before_minutes, 0, 240)},
        {"checkin_after_minutes", number(&Config::checkin_after_minutes, 0, 240)},
        {"offer_timeout_seconds", number(&Config::offer_timeout_seconds, 5, 300)},
        {"presence_grace_seconds", number(&Config::presence_grace_seconds, 1, 600)},
        {"wrap_up_seconds", number(&Config::wrap_up_seconds, 0, 3600)},
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
    if (config.public_url.empty()) config.public_url = "http://" + config.http_addr.to_string();
    if (config.turn_uris.empty() != config.turn_secret.empty()) {
        throw ConfigError(
            "turn_uris and turn_secret go together: set both to hand out TURN credentials, or "
            "neither");
    }
    return config;
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
