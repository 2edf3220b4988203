#ifndef BREAKGLASS_CSTRINGSEARCH_H
#define BREAKGLASS_CSTRINGSEARCH_H

#include <stddef.h>

/// memmem(3): the first occurrence of `needle` in `haystack`, or NULL. glibc and the BSDs have it, but Swift's Glibc
/// module does not export it (it is a GNU extension), so `logs scan` reaches it through this shim.
const void *bg_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// memrchr(3): the last `byte` in the `length` bytes at `start`, or NULL (a plain loop where libc lacks it).
const void *bg_memrchr(const void *start, int byte, size_t length);

#endif
