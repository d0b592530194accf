// visioguichet serve | migrate | create-api-key
#include "app/Commands.hpp"

int main(int argc, char** argv) {
    return vg::app::run_command_line(argc, argv);
}
