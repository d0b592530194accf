#include "desk/Options.hpp"

#include "domain/TimeFormat.hpp"

namespace vg::desk {

std::string now_text(const Clock& clock) {
    return domain::TimeFormat::format_instant(
        std::chrono::time_point_cast<std::chrono::microseconds>(clock()));
}

}  // namespace vg::desk
