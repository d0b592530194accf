#pragma once
// The command line of CONTRACT.md: parses it, loads and validates the configuration, runs the
// command. Returns the process exit status (0 ok, 1 failure, 2 usage error).
namespace vg::app {

int run_command_line(int argc, char** argv);

}  // namespace vg::app
