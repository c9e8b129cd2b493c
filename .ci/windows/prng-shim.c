/* Test-only: Debian's wine 8 has no ProcessPrng in bcryptprimitives.dll, which Rust's standard
 * library (and getrandom) call on Windows for random bytes. This DLL exports ProcessPrng over
 * advapi32's RtlGenRandom (SystemFunction036), which wine has. .ci/windows.sh builds it with the
 * same mingw-w64 toolchain and puts it beside the .exe under wine only, with
 * WINEDLLOVERRIDES=bcryptprimitives=n. It is never shipped: real Windows 10 and 11 have
 * ProcessPrng. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
