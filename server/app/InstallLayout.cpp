#include "app/InstallLayout.hpp"

#include <filesystem>
#include <system_error>

namespace vg::app {

std::string installed_or_source_path(std::string_view name, std::string_view source_path) {
    std::error_code error;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        // VG_DATA_FROM_BINDIR: the install's data folder relative to its bin folder (CMake's
        // GNUInstallDirs), "../share/visioguichet" with the usual layout.
        const auto installed =
            (executable.parent_path() / VG_DATA_FROM_BINDIR / name).lexically_normal();
        if (std::filesystem::is_directory(installed, error)) return installed.string();
    }
    return std::string(source_path);
}

}  // namespace vg::app
