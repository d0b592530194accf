// Several nodes on one PostgreSQL, without media (issue 13 item 6): N simulated nodes heartbeat
// every second through desk::NodeRegistry, call sessions start as the queue starts them (the
// insert whose trigger places them, migrations/0008), each is joined by its booth and its agent
// through desk::Placement (what POST /sessions/{id}/join runs), then some nodes stop
// heartbeating and the joins of their sessions place them again on the survivors.
//
//   vg_nodes_simulation --database URL --migrations DIR [--nodes 10] [--sessions 2000]
//                       [--lose 2] [--threads 20] [--quiet-seconds 10]
// The database must be empty (bench/nodes/run.sh makes one); with pg_stat_statements loaded
// there, the statements and their execution time are counted per phase. The CPU time of every
// "postgres" process is read from /proc (the cluster must run on this machine).
// Prints the figures as Markdown.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "db/Connection.hpp"
#include "db/MigrationRunner.hpp"
#include "desk/NodeRegistry.hpp"
#include "desk/Placement.hpp"

namespace {

namespace desk = vg::desk;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Settings {
    std::string database;
    std::string migrations;
    int nodes = 10;
    int sessions = 2000;
    int lose = 2;
    int threads = 20;
    int quiet_seconds = 10;
};

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string node_name(int index) {
    auto number = std::to_string(index + 1);
    return "node-" + std::string(number.size() < 2 ? 1 : 0, '0') + number;
}

desk::LocalNode local(int index) {
    return {node_name(index), "ws://" + node_name(index) + ":8080/rtc/v1", false};
}

// Durations in milliseconds, summarised.
class Timings {
  public:
    void add(double ms) {
        std::lock_guard lock(mutex_);
        values_.push_back(ms);
    }
    std::size_t count() {
        std::lock_guard lock(mutex_);
        return values_.size();
    }
    double percentile(double p) {
        std::lock_guard lock(mutex_);
        if (values_.empty()) return 0;
        std::sort(values_.begin(), values_.end());
        auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values_.size() - 1));
        return values_[rank];
    }
    std::string summary() {
        char line[96];
        std::snprintf(line, sizeof line, "p50 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(50),
                      percentile(99), percentile(100));
        return line;
    }

  private:
    std::mutex mutex_;
    std::vector<double> values_;
};

// User + system CPU seconds of every process named "postgres" (the cluster's backends and its
// background processes), by pid: what the database spent, whatever it was waiting for.
std::map<std::string, double> postgres_cpu_seconds() {
    static const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    std::map<std::string, double> cpu;
    DIR* proc = opendir("/proc");
    if (proc == nullptr) return cpu;
    while (dirent* entry = readdir(proc)) {
        std::string pid = entry->d_name;
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat("/proc/" + pid + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), {});
        auto open = text.find('(');
        auto close = text.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;
        if (text.substr(open + 1, close - open - 1) != "postgres") continue;
        std::istringstream rest(text.substr(close + 2));
        std::string field;
        double utime = 0, stime = 0;
        // Fields 3..13 come before utime (14) and stime (15).
        for (int i = 3; i <= 13 && rest >> field; ++i) {
        }
        rest >> utime >> stime;
        cpu[pid] = (utime + stime) / ticks;
    }
    closedir(proc);
    return cpu;
}

// CPU seconds spent between two readings by the processes alive at the second (a process that
// started meanwhile counts whole; one that ended is lost, so connections stay open meanwhile).
double cpu_between(const std::map<std::string, double>& before,
                   const std::map<std::string, double>& after) {
    double spent = 0;
    for (const auto& [pid, seconds] : after) {
        auto earlier = before.find(pid);
        spent += seconds - (earlier == before.end() ? 0 : earlier->second);
    }
    return spent;
}

// What the database did during one phase: statements from pg_stat_statements (when loaded) and
// the CPU of its processes.
class DatabaseLoad {
  public:
    DatabaseLoad(vg::db::Connection& db, bool statements) : db_(db), statements_(statements) {}
    void start() {
        if (statements_) db_.exec("SELECT pg_stat_statements_reset()");
        cpu_ = postgres_cpu_seconds();
        started_ = Clock::now();
    }
    struct Figures {
        double seconds = 0;
        double cpu_ms = 0;
        long statements = 0;  // every statement but this program's own bookkeeping
        double exec_ms = 0;
        long heartbeats = 0;  // the heartbeat statement alone
        double heartbeat_exec_ms = 0;
    };
    Figures stop() {
        Figures figures;
        figures.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
        figures.cpu_ms = cpu_between(cpu_, postgres_cpu_seconds()) * 1000;
        if (!statements_) return figures;
        auto rows = db_.exec(
            "SELECT query, calls, total_exec_time FROM pg_stat_statements "
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND query NOT LIKE '%pg_stat_statements%'");
        for (int row = 0; row < rows.rows(); ++row) {
            std::string query(rows.get(row, 0));
            long calls = std::stol(std::string(rows.get(row, 1)));
            double ms = std::stod(std::string(rows.get(row, 2)));
            figures.statements += calls;
            figures.exec_ms += ms;
            if (query.rfind("WITH beat AS", 0) == 0) {
                figures.heartbeats += calls;
                figures.heartbeat_exec_ms += ms;
            }
        }
        return figures;
    }

  private:
    vg::db::Connection& db_;
    bool statements_;
    std::map<std::string, double> cpu_;
    Clock::time_point started_;
};

// One simulated node: its heartbeat every second on a connection of its own, until stopped
// (a crash: the lease is not ended, the node turns lost after node_lost_seconds).
class SimulatedNode {
  public:
    SimulatedNode(const std::string& database, int index) : database_(database), index_(index) {}
    void start() {
        connection_ = std::make_unique<vg::db::Connection>(database_);
        backend_pid_ = std::string(connection_->exec("SELECT pg_backend_pid()").get(0, 0));
        thread_ = std::thread([this] { run(); });
    }
    void crash() {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }
    ~SimulatedNode() { crash(); }
    Timings& beats() { return beats_; }
    std::string backend_pid() const { return backend_pid_; }

  private:
    void run() {
        auto& connection = *connection_;
        desk::NodeIdentity identity{node_name(index_),
                                    "http://" + node_name(index_) + ":8080",
                                    local(index_).signaling_url,
                                    "198.18.0." + std::to_string(index_ + 1),
                                    "simulation",
                                    std::chrono::seconds(6)};
        bool first = true;
        auto next = Clock::now();
        while (!stopping_) {
            auto started = Clock::now();
            desk::NodeRegistry::heartbeat(connection, identity, {}, false, first);
            beats_.add(ms_since(started));
            first = false;
            next += 1s;
            while (!stopping_ && Clock::now() < next) std::this_thread::sleep_for(20ms);
        }
    }

    std::string database_;
    int index_;
    std::atomic<bool> stopping_{false};
    std::unique_ptr<vg::db::Connection> connection_;  // the heartbeat thread's once started
    std::string backend_pid_;
    Timings beats_;
    std::thread thread_;
};

// Connections of their own for the threads that play the requests, open for the whole run.
using Workers = std::vector<std::unique_ptr<vg::db::Connection>>;

// Runs job(i, connection, node) for i in [0, count) on one thread per worker connection, each
// acting as node (thread number % nodes) among `nodes`.
template <typename Job>
void in_parallel(Workers& workers, int count, const std::vector<int>& nodes, Job job) {
    std::atomic<int> next{0};
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < workers.size(); ++t) {
        threads.emplace_back([&, t] {
            auto& connection = *workers[t];
            int node = nodes[t % nodes.size()];
            for (int i = next++; i < count; i = next++) {
                try {
                    job(i, connection, node);
                } catch (const std::exception& e) {
                    if (failures++ < 5) std::cerr << "job " << i << ": " << e.what() << "\n";
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    if (failures > 0) throw std::runtime_error(std::to_string(failures.load()) + " jobs failed");
}

std::string value(vg::db::Connection& db, const std::string& sql,
                  const std::vector<vg::db::Param>& params = {}) {
    return std::string(db.exec(sql, params).get(0, 0));
}

}  // namespace

namespace {

Settings parse(int argc, char** argv) {
    Settings settings;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string name = argv[i], value = argv[i + 1];
        if (name == "--database")
            settings.database = value;
        else if (name == "--migrations")
            settings.migrations = value;
        else if (name == "--nodes")
            settings.nodes = std::stoi(value);
        else if (name == "--sessions")
            settings.sessions = std::stoi(value);
        else if (name == "--lose")
            settings.lose = std::stoi(value);
        else if (name == "--threads")
            settings.threads = std::stoi(value);
        else if (name == "--quiet-seconds")
            settings.quiet_seconds = std::stoi(value);
        else
            throw std::runtime_error("unknown option " + name);
    }
    if (settings.database.empty() || settings.migrations.empty())
        throw std::runtime_error("--database and --migrations are required");
    if (settings.nodes < 2 || settings.nodes > 500 || settings.lose < 1 ||
        settings.lose >= settings.nodes || settings.sessions < 1 || settings.sessions > 50000 ||
        settings.threads < 1 || settings.threads > 200 || settings.quiet_seconds < 1 ||
        settings.quiet_seconds > 120)
        throw std::runtime_error(
            "nodes 2-500, lose 1 to nodes-1, sessions 1-50000, threads 1-200, quiet-seconds "
            "1-120");
    return settings;
}

// Booths, agents and waiting walk-ins enough for `count` concurrent call sessions.
struct Waiting {
    std::string site;
    std::vector<std::string> entries, booths, agents;
};

Waiting prepare(vg::db::Connection& db, int count) {
    Waiting waiting;
    waiting.site = value(db,
                         "INSERT INTO sites (code, name_fr, name_en) VALUES ('SIM', 'Simulation', "
                         "'Simulation') RETURNING id::text");
    auto service = value(db,
                         "INSERT INTO services (code, name_fr, name_en, duration_minutes, "
                         "walk_in_allowed) VALUES ('SIM', 'Sim', 'Sim', 20, true) "
                         "RETURNING id::text");
    auto n = std::to_string(count);
    db.exec(
        "INSERT INTO booths (site_id, label) SELECT $1, 'Cabine ' || g FROM generate_series(1, "
        "$2::int) g",
        {waiting.site, n});
    db.exec(
        "INSERT INTO agents (email, display_name, password_hash, roles) SELECT 'agent' || g || "
        "'@example.org', 'Agent ' || g, 'x', ARRAY['agent'] FROM generate_series(1, $1::int) g",
        {n});
    db.exec(
        "INSERT INTO queue_entries (site_id, booth_id, kind, service_id, language) "
        "SELECT $1, id, 'walk_in', $2, 'fr' FROM booths",
        {waiting.site, service});
    auto entries = db.exec("SELECT id::text, booth_id::text FROM queue_entries ORDER BY id");
    auto agents = db.exec("SELECT id::text FROM agents ORDER BY id");
    for (int row = 0; row < entries.rows(); ++row) {
        waiting.entries.emplace_back(entries.get(row, 0));
        waiting.booths.emplace_back(entries.get(row, 1));
        waiting.agents.emplace_back(agents.get(row, 0));
    }
    return waiting;
}

// What an agent's accept does to the database (QueueRoutes accept, without its audit and
// events): the entry accepted, the call session inserted, and placed by the insert's trigger
// unless `node` names the host already. Returns the session's id and host.
std::pair<std::string, std::string> start_call(vg::db::Connection& db, const Waiting& waiting,
                                               std::size_t i, const vg::db::Param& node) {
    return db.transaction([&](vg::db::Connection& tx) {
        tx.exec(
            "UPDATE queue_entries SET state = 'accepted', accepted_by = $2, accepted_at = now() "
            "WHERE id = $1",
            {waiting.entries[i], waiting.agents[i]});
        auto row = tx.exec(
            "INSERT INTO call_sessions (site_id, booth_id, agent_id, queue_entry_id, room_id, "
            "node_name) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text, node_name",
            {waiting.site, waiting.booths[i], waiting.agents[i], waiting.entries[i],
             "room-" + waiting.entries[i], node});
        return std::pair{std::string(row.get(0, 0)), std::string(row.get(0, 1))};
    });
}

// "min-max" sessions per node among the live sessions of the given nodes.
std::string spread(vg::db::Connection& db, const std::string& nodes) {
    auto rows = db.exec(
        "SELECT min(n), max(n), count(*) FROM (SELECT count(*) n FROM call_sessions "
        "WHERE ended_at IS NULL AND node_name = ANY($1::text[]) GROUP BY node_name) per_node",
        {nodes});
    return std::string(rows.get(0, 0)) + " to " + std::string(rows.get(0, 1)) + " sessions on " +
           std::string(rows.get(0, 2)) + " nodes";
}

std::string names(const std::vector<int>& indexes) {
    std::string list = "{";
    for (int index : indexes) list += (list.size() > 1 ? "," : "") + node_name(index);
    return list + "}";
}

void print_load(const char* phase, const DatabaseLoad::Figures& load, double units,
                const char* unit, double heartbeat_cpu_ms) {
    long others = load.statements - load.heartbeats;
    double beats_cpu = heartbeat_cpu_ms * static_cast<double>(load.heartbeats);
    std::printf("| %s | %.1f s | %.0f %s | %.1f | %.3f ms | %.3f ms |\n", phase, load.seconds,
                units, unit, static_cast<double>(others) / units,
                (load.exec_ms - load.heartbeat_exec_ms) / units, (load.cpu_ms - beats_cpu) / units);
}

int run(const Settings& settings) {
    vg::db::Connection admin(settings.database);
    vg::db::MigrationRunner(settings.migrations).apply(admin);
    bool statements = true;
    try {
        admin.exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        admin.exec("SELECT count(*) FROM pg_stat_statements");
    } catch (const std::exception&) {
        statements = false;
        std::cerr << "pg_stat_statements is not loaded: statements are not counted\n";
    }
    DatabaseLoad load(admin, statements);
    // The first half of the booths and agents for the reference run, the second for the real one.
    auto waiting = prepare(admin, 2 * settings.sessions);
    Workers workers;
    for (int t = 0; t < settings.threads; ++t)
        workers.push_back(std::make_unique<vg::db::Connection>(settings.database));

    std::vector<std::unique_ptr<SimulatedNode>> nodes;
    std::vector<int> all;
    for (int i = 0; i < settings.nodes; ++i) {
        nodes.push_back(std::make_unique<SimulatedNode>(settings.database, i));
        nodes.back()->start();
        all.push_back(i);
    }
    auto registered = Clock::now();
    while (value(admin, "SELECT count(*) FROM nodes WHERE vg_node_state(nodes) = 'active'") !=
           std::to_string(settings.nodes)) {
        if (Clock::now() - registered > 10s) throw std::runtime_error("nodes did not register");
        std::this_thread::sleep_for(50ms);
    }
    auto beats = [&nodes] {
        std::size_t total = 0;
        for (auto& node : nodes) total += node->beats().count();
        return static_cast<double>(total);
    };

    // Reference: the same call session inserts with their host given, so the trigger places
    // nothing. Ended afterwards: they are not part of the load the placement counts.
    Timings reference;
    load.start();
    in_parallel(workers, settings.sessions, all, [&](int i, vg::db::Connection& db, int) {
        auto started = Clock::now();
        start_call(db, waiting, static_cast<std::size_t>(i), std::string("reference"));
        reference.add(ms_since(started));
    });
    auto reference_load = load.stop();
    admin.exec(
        "UPDATE call_sessions SET ended_at = now(), outcome = 'served' WHERE node_name = "
        "'reference'");

    // Placement: each call session placed as it starts; then joined by its booth and its agent
    // through whatever node their requests reach.
    Timings placed, joins;
    std::vector<std::pair<std::string, std::string>> calls(
        static_cast<std::size_t>(settings.sessions));
    load.start();
    in_parallel(workers, settings.sessions, all, [&](int i, vg::db::Connection& db, int) {
        auto at = Clock::now();
        calls[static_cast<std::size_t>(i)] =
            start_call(db, waiting, static_cast<std::size_t>(settings.sessions + i), std::nullopt);
        placed.add(ms_since(at));
    });
    auto placement_load = load.stop();
    std::atomic<int> misplaced{0};
    load.start();
    in_parallel(workers, 2 * settings.sessions, all, [&](int i, vg::db::Connection& db, int node) {
        const auto& [session, host] = calls[static_cast<std::size_t>(i / 2)];
        auto at = Clock::now();
        auto answer = desk::Placement::host(db, session, local(node));
        joins.add(ms_since(at));
        if (answer.name != host || answer.placed_now) ++misplaced;
    });
    auto join_load = load.stop();
    auto placed_spread = spread(admin, names(all));

    // Steady state: heartbeats alone, with every call session live. Vacuumed first, so that the
    // autovacuum the inserts call for does not land in this phase.
    admin.exec("VACUUM (ANALYZE) call_sessions, queue_entries, nodes");
    double beats_before = beats();
    auto cpu_before = postgres_cpu_seconds();
    load.start();
    std::this_thread::sleep_for(std::chrono::seconds(settings.quiet_seconds));
    auto quiet_load = load.stop();
    auto cpu_after = postgres_cpu_seconds();
    double quiet_beats = beats() - beats_before;
    // The nodes' own backends only: without the cluster's background work (autovacuum after
    // the inserts, the WAL writer, the checkpointer).
    double backends_cpu_ms = 0;
    for (auto& node : nodes) {
        auto pid = node->backend_pid();
        if (cpu_before.count(pid) && cpu_after.count(pid))
            backends_cpu_ms += (cpu_after[pid] - cpu_before[pid]) * 1000;
    }
    double heartbeat_cpu_ms = backends_cpu_ms / quiet_beats;

    // Two nodes crash: their heartbeats stop, their leases run out.
    std::vector<int> lost, survivors;
    for (int i = 0; i < settings.nodes; ++i)
        (i >= settings.nodes - settings.lose ? lost : survivors).push_back(i);
    auto crashed = Clock::now();
    for (int index : lost) nodes[static_cast<std::size_t>(index)]->crash();
    while (value(admin,
                 "SELECT count(*) FROM nodes WHERE vg_node_state(nodes) = 'lost' AND name = "
                 "ANY($1::text[])",
                 {names(lost)}) != std::to_string(settings.lose)) {
        if (Clock::now() - crashed > 30s) throw std::runtime_error("lost nodes not seen lost");
        std::this_thread::sleep_for(20ms);
    }
    double detection_ms = ms_since(crashed);
    auto orphans = admin.exec(
        "SELECT id::text FROM call_sessions WHERE ended_at IS NULL AND node_name = "
        "ANY($1::text[]) ORDER BY id",
        {names(lost)});
    std::vector<std::string> orphaned;
    for (int row = 0; row < orphans.rows(); ++row) orphaned.emplace_back(orphans.get(row, 0));

    // Their participants join again at once, the booth and the agent of each session through
    // two different survivors at about the same time: exactly one of the two places it.
    Timings replaced, answered;
    std::atomic<int> placements{0};
    load.start();
    auto replacing = Clock::now();
    in_parallel(workers, static_cast<int>(2 * orphaned.size()), survivors,
                [&](int i, vg::db::Connection& db, int node) {
                    auto started = Clock::now();
                    auto answer = desk::Placement::host(
                        db, orphaned[static_cast<std::size_t>(i / 2)], local(node));
                    (answer.placed_now ? replaced : answered).add(ms_since(started));
                    if (answer.placed_now) ++placements;
                });
    double replacing_ms = ms_since(replacing);
    auto replacement_load = load.stop();
    auto left_on_lost = value(admin,
                              "SELECT count(*) FROM call_sessions WHERE ended_at IS NULL AND "
                              "node_name = ANY($1::text[])",
                              {names(lost)});
    auto placed_twice = admin.exec(
        "SELECT count(*) FROM call_sessions WHERE id = ANY($1::uuid[]) AND placements = 2",
        {"{" +
         [&orphaned] {
             std::string list;
             for (const auto& id : orphaned) list += (list.empty() ? "" : ",") + id;
             return list;
         }() +
         "}"});
    auto survivors_spread = spread(admin, names(survivors));
    for (auto& node : nodes) node->crash();

    Timings all_beats;
    for (auto& node : nodes) all_beats.add(node->beats().percentile(99));
    std::printf("## %d call sessions over %d nodes, %d lost\n\n", settings.sessions, settings.nodes,
                settings.lose);
    std::printf("- call session started and placed (accept transaction): %s\n",
                placed.summary().c_str());
    std::printf("- the same transaction, host given (no placement): %s\n",
                reference.summary().c_str());
    std::printf("- join answering the host (Placement::host, booth and agent): %s\n",
                joins.summary().c_str());
    std::printf("- placed: %s; joins answered another host or placed again: %d\n",
                placed_spread.c_str(), misplaced.load());
    std::printf("- heartbeat statement (client side): p99 of the nodes' p99 %.2f ms\n",
                all_beats.percentile(100));
    std::printf("- lost seen %.1f s after the heartbeats stopped; %zu sessions to re-place\n",
                detection_ms / 1000, orphaned.size());
    std::printf(
        "- re-placement: all %zu sessions (%zu joins on %zu survivors, %d threads) in "
        "%.0f ms; the join that placed: %s; the join that found it placed: %s\n",
        orphaned.size(), 2 * orphaned.size(), survivors.size(), settings.threads, replacing_ms,
        replaced.summary().c_str(), answered.summary().c_str());
    std::printf(
        "- placed again: %d (expected %zu); placed exactly twice in all: %s; left on "
        "lost nodes: %s; survivors: %s\n\n",
        placements.load(), orphaned.size(), std::string(placed_twice.get(0, 0)).c_str(),
        left_on_lost.c_str(), survivors_spread.c_str());
    std::printf(
        "Database load (statements and execution time from pg_stat_statements, CPU of "
        "every postgres process from /proc; heartbeats' share taken out of the other "
        "phases):\n\n");
    std::printf(
        "| phase | wall | units | statements per unit | execution per unit | "
        "PostgreSQL CPU per unit |\n|---|---|---|---|---|---|\n");
    std::printf(
        "| heartbeats alone, the nodes' backends | %.1f s | %.0f heartbeats | %.1f | %.3f ms "
        "| %.3f ms |\n",
        quiet_load.seconds, quiet_beats, static_cast<double>(quiet_load.statements) / quiet_beats,
        quiet_load.exec_ms / quiet_beats, heartbeat_cpu_ms);
    std::printf("| the same, every postgres process | | | | | %.3f ms |\n",
                quiet_load.cpu_ms / quiet_beats);
    print_load("start, placed by the trigger", placement_load, settings.sessions, "sessions",
               heartbeat_cpu_ms);
    print_load("join answering the host", join_load, 2.0 * settings.sessions, "joins",
               heartbeat_cpu_ms);
    print_load("start, host given (reference)", reference_load, settings.sessions, "sessions",
               heartbeat_cpu_ms);
    print_load("re-placement (2 joins each)", replacement_load,
               static_cast<double>(orphaned.size()), "sessions", heartbeat_cpu_ms);
    bool right = misplaced == 0 && placements == static_cast<int>(orphaned.size()) &&
                 left_on_lost == "0" && placed_twice.get(0, 0) == std::to_string(orphaned.size());
    std::printf("\n%s\n", right ? "every check held" : "A CHECK FAILED");
    return right ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "vg_nodes_simulation: " << e.what() << "\n";
        return 2;
    }
}
