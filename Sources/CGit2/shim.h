#include <git2.h>

/* git_libgit2_opts is variadic, which Swift cannot call: one wrapper per option used. */

/* git re-hashes objects only in fsck; libgit2 re-hashes every object it reads unless told not to. */
static inline int migledger_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/* Bounds how much of the pack files libgit2 keeps mapped, in windows of `window` bytes. */
static inline int migledger_set_pack_windows(size_t window, size_t limit) {
    int result = git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window);
    return result < 0 ? result : git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, limit);
}
