#include "app/Commands.hpp"

#include <boost/program_options.hpp>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/Application.hpp"
#include "app/Config.hpp"
#include "app/Database.hpp"
#include "app/Listeners.hpp"
#include "common/Log.hpp"

namespace vg::app {
namespace po = boost::program_options;
namespace {

constexpr const char* kUsage =
    "Usage: visioguichet <command> [options]\n"
    "\n"
    "Commands:\n"
    "  serve            run the server: HTTP API, WebSockets, web apps and the SFU\n"
    "  migrate          apply the database migrations (migrations/NNNN_name.sql) and exit\n"
    "  create-api-key   create an API key and print it on the last line\n"
    "\n"
    "Every command takes --config FILE (key = value lines) and reads VISIOGUICHET_* environment\n"
    "variables, which win over the file. `visioguichet <command> --help` tells more.\n";

constexpr const char* kSettings =
    "Settings (file key / environment variable VISIOGUICHET_<KEY>):\n"
    "  database_url      libpq URI of the PostgreSQL database (required)\n"
    "  http_addr         HTTP listen address (default 127.0.0.1:8080)\n"
    "  rtc_addr          UDP and TCP media address (default 127.0.0.1:40000)\n"
    "  public_addr       address announced in ICE candidates (default: rtc_addr's)\n"
    "  public_url        base URL of the links handed out (default http(s)://<http_addr>)\n"
    "  tls_cert_file, tls_key_file  PEM certificate (chain) and key: http_addr speaks HTTPS\n"
    "                    only (TLS 1.2 and 1.3); SIGHUP reads them again\n"
    "  behind_proxy      true: plain HTTP on a non-loopback http_addr behind a TLS proxy\n"
    "  trusted_proxies   CIDR blocks whose X-Forwarded-For/-Proto are believed\n"
    "  admin_addr        /metrics, /healthz, /readyz in plain HTTP (default 127.0.0.1:9090)\n"
    "  database_wait_seconds  how long serve retries its first connection (default 60)\n"
    "  dev_pages         true: also serve web/dev/ (test pages; never in production)\n"
    "  bootstrap_admin_key  an admin API key that exists after start\n"
    "  log_level         trace, debug, info, warn, error, off (default info)\n"
    "  log_format        text or json (default text)\n"
    "  web_root          folder of the web apps\n"
    "  node_name         this node among those sharing the database (default: host name)\n"
    "  node_lost_seconds  no heartbeat this long: the node is lost (default 6)\n"
    "  drain_seconds     SIGTERM with calls: how long they have to move (default 30)\n"
    "  db_pool_size, http_threads, media_workers, shutdown_grace_seconds,\n"
    "  checkin_before_minutes, checkin_after_minutes, offer_timeout_seconds,\n"
    "  presence_grace_seconds, wrap_up_seconds, migrations_dir\n"
    "  max_connections (10000), max_connections_per_address (256),\n"
    "  websocket_messages_per_second (20, bursts of 3 s): docs/security.md\n"
    "  retention_citizen_days (90), retention_notes_days (365),\n"
    "  retention_audit_details_days (365), retention_addresses_days (90): docs/privacy.md\n"
    "Exit status: 0 after a clean stop, 2 for a usage or configuration error (the message\n"
    "names the setting), 1 for anything else (a database still unreachable, a port taken).\n";

struct Parsed {
    po::variables_map values;
    bool help = false;
};

Parsed parse(const std::string& command, po::options_description& options,
             const std::vector<std::string>& arguments) {
    options.add_options()("config", po::value<std::string>(), "configuration file")(
        "help,h", "show this help");
    Parsed parsed;
    po::store(po::command_line_parser(arguments).options(options).run(), parsed.values);
    if (parsed.values.count("help")) {  // before notify(): --help needs no required option
        std::cout << "Usage: visioguichet " << command << " [options]\n\n"
                  << options << "\n"
                  << kSettings;
        parsed.help = true;
        return parsed;
    }
    po::notify(parsed.values);
    return parsed;
}

Config load_config(const po::variables_map& values) {
    std::optional<std::string> file;
    if (values.count("config")) file = values["config"].as<std::string>();
    auto config = Config::load(file, Config::process_environment());
    common::log::configure(config.log_level, config.log_format == "json"
                                                 ? common::log::Format::Json
                                                 : common::log::Format::Text);
    return config;
}

int serve(const std::vector<std::string>& arguments) {
    po::options_description options("serve: run everything until SIGTERM or SIGINT");
    auto parsed = parse("serve", options, arguments);
    if (parsed.help) return 0;
    auto config = load_config(parsed.values);
    config.require_database();
    Listeners::check_tls(config);  // before waiting for the database: a typo fails at once
    Application application(config);
    return application.run();
}

int migrate(const std::vector<std::string>& arguments) {
    po::options_description options("migrate: apply pending migrations and exit");
    auto parsed = parse("migrate", options, arguments);
    if (parsed.help) return 0;
    auto config = load_config(parsed.values);
    config.require_database();
    auto applied = Database::migrate(config);
    std::cout << "migrations applied: " << applied << "\n";
    return 0;
}

int create_api_key(const std::vector<std::string>& arguments) {
    po::options_description options(
        "create-api-key: create an API key; it is printed on the last line");
    options.add_options()("role", po::value<std::string>()->required(),
                          "admin, scheduler or supervisor")(
        "name", po::value<std::string>()->required(), "what the key is for (1-100 characters)");
    auto parsed = parse("create-api-key", options, arguments);
    if (parsed.help) return 0;
    auto role = parsed.values["role"].as<std::string>();
    auto name = parsed.values["name"].as<std::string>();
    if (role != "admin" && role != "scheduler" && role != "supervisor") {
        throw ConfigError("--role: expected admin, scheduler or supervisor, got '" + role + "'");
    }
    if (name.empty() || name.size() > 100) throw ConfigError("--name: 1 to 100 characters");
    auto config = load_config(parsed.values);
    config.require_database();
    auto key = Database::create_api_key(config, role, name);
    std::cout << "API key '" << name << "' (" << role << ") created; it is shown only once:\n"
              << key << "\n";
    return 0;
}

}  // namespace

int run_command_line(int argc, char** argv) {
    std::vector<std::string> arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h" ||
        arguments[0] == "help") {
        std::cout << kUsage;
        return arguments.empty() ? 2 : 0;
    }
    if (arguments[0] == "--version") {
        std::cout << "visioguichet " << VG_VERSION << "\n";
        return 0;
    }
    auto command = arguments[0];
    arguments.erase(arguments.begin());
    try {
        if (command == "serve") return serve(arguments);
        if (command == "migrate") return migrate(arguments);
        if (command == "create-api-key") return create_api_key(arguments);
        std::cerr << "visioguichet: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
    } catch (const po::error& e) {
        std::cerr << "visioguichet " << command << ": " << e.what() << " (see --help)\n";
        return 2;
    } catch (const ConfigError& e) {
        std::cerr << "visioguichet " << command << ": configuration: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "visioguichet " << command << ": " << e.what() << "\n";
        return 1;
    }
}

}  // namespace vg::app
