#pragma once
// Where the web apps and migrations are when the configuration does not say: beside an installed
// binary (<prefix>/bin/visioguichet finds <prefix>/share/visioguichet/<name>), so what
// `cmake --install` lays out (a package, a tarball, the container image) runs wherever it is
// unpacked; else the source tree the binary was built from, so a build runs in place.
#include <string>
#include <string_view>

namespace vg::app {

std::string installed_or_source_path(std::string_view name, std::string_view source_path);

}  // namespace vg::app
