/* SHA-1 for pack and index checksums; libgit2 keeps its own SHA-1 to itself. */
#include <mbedtls/sha1.h>
