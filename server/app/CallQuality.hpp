#pragma once
// What the desk stores of a participant's media, from what its worker counted.
#include "desk/CallQualityRecorder.hpp"
#include "rtc/QualitySummary.hpp"

namespace vg::app {

desk::CallQuality call_quality(const rtc::QualitySummary& summary);

}  // namespace vg::app
