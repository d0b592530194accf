#include "db/Notifier.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "common/Log.hpp"
#include "db/Connection.hpp"

namespace vg::db {
namespace {

// How often the thread looks at stopping_ while the connection is quiet.
constexpr int poll_interval_ms = 100;

std::string quoted(Connection& connection, const std::string& channel) {
    std::unique_ptr<char, decltype(&PQfreemem)> identifier(
        PQescapeIdentifier(connection.native(), channel.data(), channel.size()), PQfreemem);
    if (!identifier) throw Error("22023", "bad channel name " + channel);
    return identifier.get();
}

template <typename Fn>
void guarded(const char* what, Fn&& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        common::log::get("db")->error("{} callback failed: {}", what, e.what());
    } catch (...) {
        common::log::get("db")->error("{} callback failed", what);
    }
}

}  // namespace

Notifier::Notifier(NotifierOptions options, OnNotify on_notify, OnReconnect on_reconnect)
    : options_(std::move(options)),
      on_notify_(std::move(on_notify)),
      on_reconnect_(std::move(on_reconnect)),
      thread_([this] { run(); }) {}

Notifier::~Notifier() {
    stop();
}

void Notifier::stop() {
    stopping_ = true;
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void Notifier::run() {
    auto log = common::log::get("db");
    bool listened_before = false;
    int retry_delay_ms = 100;
    while (!stopping_) {
        std::unique_ptr<Connection> connection;
        try {
            connection =
                std::make_unique<Connection>(options_.conninfo, options_.connect_timeout_seconds);
            for (const auto& channel : options_.channels) {
                connection->exec("LISTEN " + quoted(*connection, channel));
            }
        } catch (const std::exception& e) {
            if (retry_delay_ms == 100) log->warn("notifier cannot listen: {}", e.what());
            // Sleep in slices so that stop() is not kept waiting.
            for (int slept = 0; slept < retry_delay_ms && !stopping_; slept += poll_interval_ms) {
                std::this_thread::sleep_for(std::chrono::milliseconds(poll_interval_ms));
            }
            retry_delay_ms =
                std::min(retry_delay_ms * 2, std::max(options_.max_retry_delay_ms, 100));
            continue;
        }
        retry_delay_ms = 100;
        listening_ = true;
        if (listened_before) {
            log->info("notifier listening again");
            if (on_reconnect_) guarded("on_reconnect", on_reconnect_);
        }
        listened_before = true;

        PGconn* native = connection->native();
        while (!stopping_) {
            pollfd descriptor{PQsocket(native), POLLIN, 0};
            if (::poll(&descriptor, 1, poll_interval_ms) == 0) continue;
            if (PQconsumeInput(native) == 0 || PQstatus(native) != CONNECTION_OK) break;
            while (PGnotify* raw = PQnotifies(native)) {
                std::unique_ptr<PGnotify, decltype(&PQfreemem)> notify(raw, PQfreemem);
                guarded("notify", [&] { on_notify_(notify->relname, notify->extra); });
            }
        }
        listening_ = false;
        if (!stopping_) log->warn("notifier lost its database connection; reconnecting");
    }
}

}  // namespace vg::db
