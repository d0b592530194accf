#include <cstdio>

int main() {
    std::puts("visioguichet: not wired yet");
    return 0;
}
