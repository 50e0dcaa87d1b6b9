// CFuzzerDriver: libFuzzer's driver entry (compiler-rt, linked by -sanitize=fuzzer). SwiftPM points an executable's
// `main` at `<module>_main`, so the Swift side calls the driver itself instead of using libFuzzer's main.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
