// Empty: the target only declares LLVMFuzzerRunDriver (see include/CFuzzerDriver.h).
