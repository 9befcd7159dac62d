// A stand-in for the NVIDIA driver's libcuda.so.1 on a machine without a GPU: cuInit answers
// CUDA_ERROR_NO_DEVICE (100), as the real driver does where no device is present. Built by
// NoGpuTest: gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o libcuda.so.1 libcuda_no_device.c
//
// Only cuInit is needed. libJCudaDriver-12.6.0 references 312 cu* functions of libcuda.so.1, all of
// them through PLT slots (R_X86_64_JUMP_SLOT relocations, `readelf -r`), it is not linked with
// BIND_NOW (`readelf -d`), and the JVM loads JNI libraries with dlopen(RTLD_LAZY): a function is
// looked up only when first called. The probe calls cuInit first and stops at its error; were JCuda
// to call anything else, the forked JVM would die with "symbol lookup error" and the test fail.
int cuInit(unsigned int flags) {
    (void) flags;
    return 100; // CUDA_ERROR_NO_DEVICE
}
