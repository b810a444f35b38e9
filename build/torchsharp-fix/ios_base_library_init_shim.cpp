// Defines the one libstdc++ symbol (GCC 13+, GLIBCXX_3.4.32) that TorchSharp's
// native glue library needs and Debian 12's libstdc++ (GCC 12) lacks.
// In GCC 13 the function makes sure the standard streams are constructed;
// a static ios_base::Init does exactly that on older runtimes.
#include <ios>

namespace std {
void ios_base_library_init() {
    static ios_base::Init init;
}
}
