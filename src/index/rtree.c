/* index: packed Hilbert R-tree. */
#include "index/index.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Hilbert curve index of a point on a 65536 x 65536 grid, by the branch-free
 * bit-interleaving method (public domain, threadlocalmutex.com; the same as
 * flatbush uses). Only the order of leaves depends on it, never a result. */
uint32_t rb_hilbert(uint32_t x, uint32_t y)
{
    uint32_t a = x ^ y;
    uint32_t b = 0xFFFF ^ a;
    uint32_t c = 0xFFFF ^ (x | y);
    uint32_t d = x & (y ^ 0xFFFF);

    uint32_t A = a | (b >> 1);
    uint32_t B = (a >> 1) ^ a;
    uint32_t C = ((c >> 1) ^ (b & (d >> 1))) ^ c;
    uint32_t D = ((a & (c >> 1)) ^ (d >> 1)) ^ d;

    a = A; b = B; c = C; d = D;
    A = ((a & (a >> 2)) ^ (b & (b >> 2)));
    B = ((a & (b >> 2)) ^ (b & ((a ^ b) >> 2)));
    C ^= ((a & (c >> 2)) ^ (b & (d >> 2)));
    D ^= ((b & (c >> 2)) ^ ((a ^ b) & (d >> 2)));

    a = A; b = B; c = C; d = D;
    A = ((a & (a >> 4)) ^ (b & (b >> 4)));
    B = ((a & (b >> 4)) ^ (b & ((a ^ b) >> 4)));
    C ^= ((a & (c >> 4)) ^ (b & (d >> 4)));
    D ^= ((b & (c >> 4)) ^ ((a ^ b) & (d >> 4)));

    a = A; b = B; c = C; d = D;
    C ^= ((a & (c >> 8)) ^ (b & (d >> 8)));
    D ^= ((b & (c >> 8)) ^ ((a ^ b) & (d >> 8)));

    a = C ^ (C >> 1);
    b = D ^ (D >> 1);

    uint32_t i0 = x ^ y;
    uint32_t i1 = b | (0xFFFF ^ (i0 | a));

    i0 = (i0 | (i0 << 8)) & 0x00FF00FF;
    i0 = (i0 | (i0 << 4)) & 0x0F0F0F0F;
    i0 = (i0 | (i0 << 2)) & 0x33333333;
    i0 = (i0 | (i0 << 1)) & 0x55555555;

    i1 = (i1 | (i1 << 8)) & 0x00FF00FF;
    i1 = (i1 | (i1 << 4)) & 0x0F0F0F0F;
    i1 = (i1 | (i1 << 2)) & 0x33333333;
    i1 = (i1 | (i1 << 1)) & 0x55555555;

    return (i1 << 1) | i0;
}

/* Sort key: Hilbert value, then item number, so equal keys order the same on
 * every run and every libc. Radix sort keeps the build O(n). */
static int radix_sort(uint64_t *keys, size_t n)
{
    uint64_t *tmp = rb_malloc(n * sizeof *tmp);
    if (!tmp)
        return RB_ENOMEM;
    size_t *count = rb_malloc(65537 * sizeof *count);
    if (!count) {
        rb_free(tmp);
        return RB_ENOMEM;
    }
    uint64_t *src = keys, *dst = tmp;
    for (int shift = 32; shift < 64; shift += 16) {
        memset(count, 0, 65537 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((src[i] >> shift) & 0xFFFF) + 1]++;
        for (size_t k = 1; k <= 65536; k++)
            count[k] += count[k - 1];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xFFFF]++] = src[i];
        uint64_t *t = src; src = dst; dst = t;
    }
    /* The low 32 bits hold the item number and keys start in item order, so two
     * stable passes over the Hilbert half suffice; after two the result is back in keys. */
    rb_free(count);
    rb_free(tmp);
    return RB_OK;
}

int rb_rtree_build(const double *boxes, size_t n, struct rb_rtree **out)
{
    *out = NULL;
    if (n > UINT32_MAX)
        return RB_ENOMEM;
    struct rb_rtree *t = rb_calloc(1, sizeof *t);
    if (!t)
        return RB_ENOMEM;
    t->nitems = n;

    /* count boxes per level */
    size_t total = n, cnt = n, nlev = 1;
    while (cnt > 1) {
        cnt = (cnt + RB_RTREE_NODE - 1) / RB_RTREE_NODE;
        total += cnt;
        nlev++;
    }
    t->nboxes = total;
    t->nlevels = n ? nlev : 0;
    t->boxes = rb_malloc((total ? total : 1) * 4 * sizeof *t->boxes);
    t->ref = rb_malloc((total ? total : 1) * sizeof *t->ref);
    t->level_end = rb_malloc(nlev * sizeof *t->level_end);
    uint64_t *keys = rb_malloc((n ? n : 1) * sizeof *keys);
    if (!t->boxes || !t->ref || !t->level_end || !keys)
        goto nomem;
    if (n == 0) {
        rb_free(keys);
        *out = t;
        return RB_OK;
    }

    double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const double *b = boxes + 4 * i;
        if (b[0] < minx) minx = b[0];
        if (b[1] < miny) miny = b[1];
        if (b[2] > maxx) maxx = b[2];
        if (b[3] > maxy) maxy = b[3];
    }
    double w = maxx - minx, h = maxy - miny;
    for (size_t i = 0; i < n; i++) {
        const double *b = boxes + 4 * i;
        uint32_t hx = w > 0 ? (uint32_t)(65535.0 * ((b[0] + b[2]) / 2 - minx) / w) : 0;
        uint32_t hy = h > 0 ? (uint32_t)(65535.0 * ((b[1] + b[3]) / 2 - miny) / h) : 0;
        keys[i] = ((uint64_t)rb_hilbert(hx, hy) << 32) | (uint64_t)i;
    }
    if (radix_sort(keys, n))
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        uint32_t item = (uint32_t)(keys[i] & 0xFFFFFFFFu);
        memcpy(t->boxes + 4 * i, boxes + 4 * (size_t)item, 4 * sizeof(double));
        t->ref[i] = item;
    }
    rb_free(keys);
    keys = NULL;

    /* pack levels bottom-up */
    size_t start = 0, end = n, pos = n, lev = 0;
    t->level_end[lev++] = n;
    while (end - start > 1) {
        for (size_t i = start; i < end; i += RB_RTREE_NODE) {
            size_t j_end = i + RB_RTREE_NODE < end ? i + RB_RTREE_NODE : end;
            double *nb = t->boxes + 4 * pos;
            nb[0] = nb[1] = INFINITY;
            nb[2] = nb[3] = -INFINITY;
            for (size_t j = i; j < j_end; j++) {
                const double *c = t->boxes + 4 * j;
                if (c[0] < nb[0]) nb[0] = c[0];
                if (c[1] < nb[1]) nb[1] = c[1];
                if (c[2] > nb[2]) nb[2] = c[2];
                if (c[3] > nb[3]) nb[3] = c[3];
            }
            t->ref[pos] = (uint32_t)i;
            pos++;
        }
        start = end;
        end = pos;
        t->level_end[lev++] = end;
    }
    *out = t;
    return RB_OK;
nomem:
    rb_free(keys);
    rb_rtree_free(t);
    return RB_ENOMEM;
}

void rb_rtree_free(struct rb_rtree *t)
{
    if (!t)
        return;
    rb_free(t->boxes);
    rb_free(t->ref);
    rb_free(t->level_end);
    rb_free(t);
}

size_t rb_rtree_search(const struct rb_rtree *t, const double q[4],
                       int (*fn)(size_t item, void *ud), void *ud)
{
    if (!t || t->nitems == 0)
        return 0;
    /* Depth-first with an explicit stack of (node box index, level). The stack
     * holds at most (NODE - 1) entries per level plus one: 16 * 12 covers 2^48 items. */
    size_t stack_node[16 * 12];
    size_t stack_lev[16 * 12];
    size_t sp = 0, visited = 0;
    const double *root = t->boxes + 4 * (t->nboxes - 1);
    if (root[2] < q[0] || root[3] < q[1] || root[0] > q[2] || root[1] > q[3])
        return 0;
    stack_node[sp] = t->nboxes - 1;
    stack_lev[sp++] = t->nlevels - 1;
    while (sp) {
        sp--;
        size_t node = stack_node[sp], lev = stack_lev[sp];
        if (lev == 0) {
            visited++;
            if (fn(t->ref[node], ud))
                return visited;
            continue;
        }
        size_t first = t->ref[node];
        size_t last = first + RB_RTREE_NODE;
        size_t lev_end = t->level_end[lev - 1];
        if (last > lev_end)
            last = lev_end;
        /* push in reverse so children are visited in stored (Hilbert) order */
        for (size_t c = last; c-- > first;) {
            const double *b = t->boxes + 4 * c;
            if (b[2] < q[0] || b[3] < q[1] || b[0] > q[2] || b[1] > q[3])
                continue;
            stack_node[sp] = c;
            stack_lev[sp++] = lev - 1;
        }
    }
    return visited;
}
