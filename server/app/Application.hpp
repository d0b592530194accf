#pragma once
// `visioguichet serve`: builds the parts (database pool, HTTP server and routes, media engine,
// signaling), applies migrations, runs until SIGTERM or SIGINT, then stops them in order.
#include "app/Config.hpp"

namespace vg::app {

class Application {
  public:
    explicit Application(Config config);
    // Blocks until a stop signal; returns the exit status (0 after a clean stop).
    int run();

  private:
    Config config_;
};

}  // namespace vg::app
