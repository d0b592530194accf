#pragma once
#include "http/Request.hpp"

namespace vg::http {

// Throws Problem 415 unless a request that carries a body says it is application/json
// (parameters such as "; charset=utf-8" allowed).
void require_json(const Request& request);

}  // namespace vg::http
