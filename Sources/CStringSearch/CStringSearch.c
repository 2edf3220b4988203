#define _GNU_SOURCE
#include <string.h>

#include "CStringSearch.h"

const void *bg_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}

const void *bg_memrchr(const void *start, int byte, size_t length) {
#if defined(__GLIBC__)
    return memrchr(start, byte, length);
#else
    const unsigned char *bytes = start;
    while (length > 0) {
        length--;
        if (bytes[length] == (unsigned char)byte) return bytes + length;
    }
    return NULL;
#endif
}
