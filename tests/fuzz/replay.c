/* Replays a fuzz corpus without libFuzzer, for `make check` (gcc, ASan+UBSan):
 * each file named on the command line, or each file of each directory named,
 * is given to the harness's LLVMFuzzerTestOneInput. A crash, a leak or a
 * sanitizer report stops the program; otherwise each file is one pass and the
 * last line is "N passed, 0 failed", as the unit tests print. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t passed;

static void replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open '%s'\n", path);
        exit(1);
    }
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        if (n + 65536 > cap) {
            cap = 2 * cap + 65536;
            if (!(buf = realloc(buf, cap)))
                abort();
        }
        got = fread(buf + n, 1, 65536, f);
        n += got;
    } while (got > 0);
    fclose(f);
    /* exactly n bytes, as libFuzzer gives them: ASan sees a read past the end */
    uint8_t *data = malloc(n ? n : 1);
    if (!data)
        abort();
    memcpy(data, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(data, n);
    free(data);
    passed++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory '%s'\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            replay_file(argv[i]);
            continue;
        }
        struct dirent **names;
        int n = scandir(argv[i], &names, NULL, by_name);
        if (n < 0) {
            fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
            return 1;
        }
        for (int k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
            if (names[k]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode))
                replay_file(path);
            free(names[k]);
        }
        free(names);
    }
    printf("%zu passed, 0 failed\n", passed);
    return 0;
}
